"""`modified_after` on every list endpoint: only records created or changed after the moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.history import catalog_times, load_history
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import application_body, submission_body, tax_code

LONG_AGO = "2000-01-01T00:00:00+07:00"
FAR_AHEAD = "2999-01-01T00:00:00+07:00"


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as api:
        yield api


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def updated_at(api: Api, table: str, row_id: str) -> str:
    return str(api.query(f"SELECT updated_at FROM {table} WHERE id = ?", [row_id])[0][0])


def test_procedures_changed_after_a_moment(api: Api, catalog: Catalog) -> None:
    moments = catalog_times(catalog, load_history()).procedures
    cut = max(moments.values()) - dt.timedelta(seconds=1)
    expected = {procedure_id for procedure_id, moment in moments.items() if moment > cut}

    def listed(moment: str) -> set[str]:
        response = api.client.get(
            "/api/v1/procedures", params={"modified_after": moment, "page_size": 500}
        )
        return set(ids(response))

    assert listed(LONG_AGO) == {p.id for p in catalog.procedures}
    assert listed(cut.isoformat()) == expected
    assert len(expected) > 0
    assert listed(FAR_AHEAD) == set()


@pytest.mark.parametrize("path", ["/api/v1/branches", "/api/v1/wards"])
def test_branches_and_wards_whole_list_or_nothing(api: Api, path: str) -> None:
    full = api.client.get(path).json()

    assert api.client.get(path, params={"modified_after": LONG_AGO}).json() == full
    assert api.client.get(path, params={"modified_after": FAR_AHEAD}).json() == []


def test_agents_created_or_changed_after(api: Api) -> None:
    first, _ = api.new_agent()
    moment = updated_at(api, "agents", first)
    second, _ = api.new_agent(tax_code=tax_code("010010002"), business_name="Cửa hàng Hàng Bài")

    assert ids(api.client.get("/api/v1/agents", params={"modified_after": moment})) == [second]

    for action in ("suspend", "reinstate"):
        done = api.client.post(
            f"/api/v1/agents/{first}/{action}",
            json={"reason": "Kiểm tra định kỳ"},
            headers=api.staff(),
        )
        assert done.status_code == 200, done.text
    after = ids(api.client.get("/api/v1/agents", params={"modified_after": moment}))
    assert sorted(after) == sorted([first, second])
    assert ids(api.client.get("/api/v1/agents", params={"modified_after": FAR_AHEAD})) == []


def test_applications_created_or_decided_after(api: Api) -> None:
    first = api.client.post("/api/v1/applications", json=application_body()).json()["id"]
    moment = updated_at(api, "applications", first)
    body = application_body(tax_code=tax_code("010010002"))
    second = api.client.post("/api/v1/applications", json=body).json()["id"]

    def listed() -> list[str]:
        return ids(
            api.client.get(
                "/api/v1/applications", params={"modified_after": moment}, headers=api.staff()
            )
        )

    assert listed() == [second]
    rejected = api.client.post(
        f"/api/v1/applications/{first}/reject",
        json={"reason": "Thiếu giấy phép kinh doanh"},
        headers=api.staff(),
    )
    assert rejected.status_code == 200, rejected.text
    assert sorted(listed()) == sorted([first, second])


def test_my_submissions_recorded_after(api: Api) -> None:
    _, auth = api.new_agent()
    first = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth).json()
    second_body = submission_body(dossier_code="000.00.12.H26-251123-0002")
    second = api.client.post("/api/v1/submissions", json=second_body, headers=auth).json()

    listed = api.client.get(
        "/api/v1/me/submissions", params={"modified_after": first["recorded_at"]}, headers=auth
    )

    assert [s["id"] for s in listed.json()["items"]] == [second["id"]]
    everything = api.client.get(
        "/api/v1/me/submissions", params={"modified_after": LONG_AGO}, headers=auth
    )
    assert everything.json()["total"] == 2


LIST_ENDPOINTS = [
    "/api/v1/procedures",
    "/api/v1/branches",
    "/api/v1/wards",
    "/api/v1/agents",
    "/api/v1/applications",
    "/api/v1/me/submissions",
]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00+07:00", "2026-01-01T08:00:00"])
def test_a_bad_moment_is_a_422_naming_modified_after(api: Api, path: str, value: str) -> None:
    _, agent_auth = api.new_agent()
    headers = {
        "/api/v1/applications": api.staff(),
        "/api/v1/me/submissions": agent_auth,
    }.get(path, {})

    response = api.client.get(path, params={"modified_after": value}, headers=headers)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status_code"] == 422
    assert [item["key"] for item in body["extra"]] == ["modified_after"]
