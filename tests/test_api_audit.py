"""The audit API over HTTP: staff only, figures equal to the recorded submissions, and CSV/XLSX
exports that open with csv/openpyxl and carry the JSON's totals."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import submission_body, tax_code, this_month_ago

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[tuple[Api, Any]]:
    with running_api(tmp_path_factory.mktemp("audit-api"), catalog) as api:
        a, a_auth = api.new_agent()
        b, b_auth = api.new_agent(
            business_name="Cửa hàng Phô tô Hà Đông", tax_code=tax_code("010004752")
        )
        for i in range(6):
            body = submission_body(
                dossier_code=f"000.00.01.H26-AUDIT-{i:04d}",
                mode="full_online" if i % 3 == 0 else "partial_online",
                submitted_at=this_month_ago(minutes=10 + i),
            )
            assert (
                api.client.post("/api/v1/submissions", json=body, headers=a_auth).status_code == 201
            )
        claim = submission_body(dossier_code="000.00.01.H26-AUDIT-0000")
        assert api.client.post("/api/v1/submissions", json=claim, headers=b_auth).status_code == 409
        yield api, {"a": a, "b": b, "a_auth": a_auth}


ROUTES = ["summary", "agents", "agents.csv", "agents.xlsx", "coverage"]


@pytest.mark.parametrize("route", ROUTES)
def test_staff_only(api: tuple[Api, Any], route: str) -> None:
    client, agents = api[0].client, api[1]
    assert client.get(f"/api/v1/audit/{route}").status_code == 401
    assert client.get(f"/api/v1/audit/{route}", headers=agents["a_auth"]).status_code == 403


def test_ranking_counts_what_was_recorded(api: tuple[Api, Any]) -> None:
    client, agents = api[0], api[1]
    body = client.client.get("/api/v1/audit/agents", headers=client.staff()).json()
    rows = {k["agent_id"]: k for k in body["items"]}
    a = rows[agents["a"]]
    assert (a["submissions"], a["full_online"], a["active_days"]) in {
        (6, 2, 1),
        (6, 2, 2),  # recorded around local midnight
    }
    assert a["full_online_share"] == round(2 / 6, 4)
    assert body["items"][0]["agent_id"] == agents["a"]  # sorted by submissions, desc
    assert body["targets"] == {"online_share": 0.8, "full_online_share": 0.2}
    assert rows[agents["b"]]["contested"] == 1


def test_filters_sort_and_bad_parameters(api: tuple[Api, Any]) -> None:
    client, staff = api[0].client, api[0].staff()
    asc = client.get("/api/v1/audit/agents?sort=submissions&order=asc", headers=staff).json()
    assert [k["submissions"] for k in asc["items"]] == sorted(
        k["submissions"] for k in asc["items"]
    )
    none = client.get("/api/v1/audit/agents?flag=burst", headers=staff).json()
    assert none["total"] == 0 and none["items"] == []
    for query in ("month=2026-13", "date_from=2026-03-05&date_to=2026-03-01", "order=up"):
        response = client.get(f"/api/v1/audit/agents?{query}", headers=staff)
        assert response.status_code in (400, 422), query
        assert response.json()["extra"], response.text


def test_agent_report_and_summary(api: tuple[Api, Any]) -> None:
    client, agents = api[0], api[1]
    report = client.client.get(f"/api/v1/audit/agents/{agents['a']}", headers=client.staff()).json()
    assert report["agent"]["submissions"] == 6 and report["agent"]["procedures"] == 1
    assert sum(p["submissions"] for p in report["by_procedure"]) == 6
    assert report["series"][-1]["submissions"] == 6 and len(report["series"]) == 12
    summary = client.client.get("/api/v1/audit/summary", headers=client.staff()).json()
    assert summary["network"]["submissions"] == 6 and summary["network"]["agents"] == 2
    assert sum(b["submissions"] for b in summary["branches"]) == 6
    missing = client.client.get("/api/v1/audit/agents/DL-9999", headers=client.staff())
    assert missing.status_code == 404


def test_exports_open_and_match_the_json(api: tuple[Api, Any]) -> None:
    client, staff = api[0].client, api[0].staff()
    ranking = client.get("/api/v1/audit/agents", headers=staff).json()
    expected = {k["agent_id"]: k["submissions"] for k in ranking["items"]}
    raw = client.get("/api/v1/audit/agents.csv", headers=staff).content
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:2] == ["Mã đại lý", "Tên đại lý"]
    assert {r[0]: int(r[5]) for r in table[1:]} == expected
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/api/v1/audit/agents.xlsx", headers=staff).content)
    )
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5] == "Số hồ sơ"
    assert {r[0]: r[5] for r in rows[1:]} == expected


def test_coverage_lists_wards_far_from_any_office(api: tuple[Api, Any], catalog: Catalog) -> None:
    client, staff = api[0].client, api[0].staff()
    near = client.get("/api/v1/audit/coverage?radius_km=3", headers=staff).json()
    far = client.get("/api/v1/audit/coverage?radius_km=10", headers=staff).json()
    assert near["wards"] == len(catalog.wards)
    assert {w["ward_code"] for w in far["uncovered"]} < {w["ward_code"] for w in near["uncovered"]}
    assert all(w["nearest_km"] > 3 for w in near["uncovered"])
    assert "00070" not in {w["ward_code"] for w in near["uncovered"]}  # agent A's ward
    assert client.get("/api/v1/audit/coverage?radius_km=0", headers=staff).status_code == 422
