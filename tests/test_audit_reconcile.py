"""Reconciliation with official records over HTTP and the CLI: good, bad and repeated files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from api.cli import main
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import submission_body, this_month_ago

VN = dt.timezone(dt.timedelta(hours=7))
HEADER = "dossier_code,procedure_code,received_at,status,due_at,completed_at\n"
URL = "/api/v1/audit/reconciliations?filename=official.csv"


@pytest.fixture
def api(tmp_path: Any, catalog: Catalog) -> Iterator[tuple[Api, str]]:
    with running_api(tmp_path, catalog) as api:
        agent, auth = api.new_agent()
        for i in range(4):
            body = submission_body(
                dossier_code=f"000.00.01.H26-REC-{i:04d}",
                submitted_at=this_month_ago(hours=2, minutes=i),
            )
            assert (
                api.client.post("/api/v1/submissions", json=body, headers=auth).status_code == 201
            )
        yield api, agent


def _good() -> str:
    received = (dt.datetime.now(VN) - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    done = (dt.datetime.now(VN) - dt.timedelta(minutes=5)).isoformat(timespec="seconds")
    return HEADER + "".join(
        [
            f"000.00.01.H26-REC-0000,1.001193,{received},completed,,{done}\n",
            f"000.00.01.H26-REC-0001,1.001193,{received},returned,,{done}\n",
            f"000.00.01.H26-REC-0002,2.000635,{received},processing,,\n",  # another procedure
            f"000.00.01.H26-DIRECT-01,1.001193,{received},received,,\n",  # no submission
        ]
    )


def _kpis(api: Api, agent: str) -> dict[str, Any]:
    items = api.client.get("/api/v1/audit/agents", headers=api.staff()).json()["items"]
    return next(k for k in items if k["agent_id"] == agent)


def test_good_file_then_the_same_file_again(api: tuple[Api, str]) -> None:
    client, agent = api
    content = _good().encode()
    first = client.client.post(
        URL, content=content, headers={**client.staff(), "Content-Type": "text/csv"}
    )
    assert first.status_code == 201, first.text
    report = first.json()
    assert (report["rows"], report["matched"], report["unmatched"], report["conflicting"]) == (
        4,
        3,
        1,
        1,
    )
    assert report["changed"] == 4 and report["unmatched_codes"] == ["000.00.01.H26-DIRECT-01"]
    kpis = _kpis(client, agent)
    assert (kpis["verified"], kpis["returned"], kpis["completed"], kpis["on_time"]) == (2, 1, 2, 2)
    audit_rows = client.count("audit_log")
    again = client.client.post(
        URL, content=content, headers={**client.staff(), "Content-Type": "text/csv"}
    ).json()
    assert again["changed"] == 0 and again["id"] is None and again["matched"] == 3
    assert client.count("audit_log") == audit_rows
    assert client.query("SELECT count(*) FROM reconciliations") == [(1,)]


def test_bad_file_lists_every_bad_row_and_changes_nothing(api: tuple[Api, str]) -> None:
    client, _ = api
    bad = (
        _good()
        + "x,1.001193,2026-01-01,completed,,\n"
        + "000.00.01.H26-REC-0003,1.001193,hôm qua,lost,,\n"
    )
    response = client.client.post(
        URL, content=bad.encode(), headers={**client.staff(), "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    keys = {e["key"] for e in response.json()["extra"]}
    assert keys == {
        "rows[6].dossier_code",
        "rows[6].completed_at",
        "rows[7].received_at",
        "rows[7].status",
    }
    assert client.query("SELECT count(*) FROM official_records") == [(0,)]
    assert client.query("SELECT count(*) FROM reconciliations") == [(0,)]


def test_xlsx_and_the_cli(
    api: tuple[Api, str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, agent = api
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in _good().splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "official.xlsx"
    book.save(path)
    monkeypatch.setenv("HCC_DB", str(client.db_path))
    monkeypatch.setenv("HCC_SECRET_KEY", "test-secret")
    result = CliRunner().invoke(main, ["audit", "reconcile", str(path)])
    assert result.exit_code == 0, result.output
    assert "4 records: 3 matched, 1 unmatched, 1 conflicting; 4 changed" in result.output
    assert _kpis(client, agent)["verified"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "000.00.01.H26-REC-0000,1.001193,,completed,,\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["audit", "reconcile", str(bad)])
    assert refused.exit_code == 1
    assert "line 2: received_at is required" in refused.output
    assert "line 2: completed_at is required when status is completed" in refused.output
