"""`modified_after` on every list endpoint: only records created or changed after the moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agents_registry.db import connect, write
from catalog.history import catalog_times, load_history
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import application_body, report_body, submission_body, tax_code

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


def suspend_and_reinstate(api: Api, agent_id: str) -> None:
    """Two staff decisions: the agent changes twice and ends up active again."""
    for action in ("suspend", "reinstate"):
        done = api.client.post(
            f"/api/v1/agents/{agent_id}/{action}",
            json={"reason": "Kiểm tra định kỳ"},
            headers=api.staff(),
        )
        assert done.status_code == 200, done.text


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

    suspend_and_reinstate(api, first)
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


def test_agent_history_changes_after(api: Api) -> None:
    agent_id, _ = api.new_agent()
    path = f"/api/v1/agents/{agent_id}/history"
    [created] = api.client.get(path).json()
    suspend_and_reinstate(api, agent_id)

    def events(moment: str) -> list[str]:
        response = api.client.get(path, params={"modified_after": moment})
        assert response.status_code == 200, response.text
        return [entry["event"] for entry in response.json()]

    assert created["event"] == "created"
    assert events(created["at"]) == ["reinstated", "suspended"]
    assert events(LONG_AGO) == ["reinstated", "suspended", "created"]
    assert events(FAR_AHEAD) == []


def test_my_closures_announced_after(api: Api) -> None:
    _, auth = api.new_agent()
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()

    def announce(days: int) -> int:
        body = {
            "starts_on": (today + dt.timedelta(days=days)).isoformat(),
            "ends_on": (today + dt.timedelta(days=days + 1)).isoformat(),
            "reason": "Nghỉ kiểm kê cuối quý",
        }
        response = api.client.post("/api/v1/me/closures", json=body, headers=auth)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    first = announce(10)
    [(moment,)] = api.query("SELECT created_at FROM closures WHERE id = ?", [first])
    second = announce(3)

    def listed(value: str) -> list[int]:
        response = api.client.get(
            "/api/v1/me/closures", params={"modified_after": value}, headers=auth
        )
        assert response.status_code == 200, response.text
        return [closure["id"] for closure in response.json()]

    assert listed(moment) == [second]
    assert listed(LONG_AGO) == [second, first]
    assert listed(FAR_AHEAD) == []


def test_open311_requests_updated_after(api: Api) -> None:
    first = api.client.post("/api/v1/reports", json=report_body()).json()["code"]
    moment = api.client.get(f"/api/v1/reports/{first}").json()["updated_at"]
    second = api.client.post("/api/v1/reports", json=report_body()).json()["code"]

    def listed() -> list[str]:
        response = api.client.get(
            "/api/v1/open311/requests.json", params={"modified_after": moment}
        )
        assert response.status_code == 200, response.text
        return [request["service_request_id"] for request in response.json()]

    assert listed() == [second]
    handled = api.client.post(f"/api/v1/reports/{first}/progress", json={}, headers=api.staff())
    assert handled.status_code == 200, handled.text
    assert sorted(listed()) == sorted([first, second])
    ahead = api.client.get("/api/v1/open311/requests.json", params={"modified_after": FAR_AHEAD})
    assert ahead.json() == []


def test_open311_modified_after_lifts_the_90_day_window(api: Api) -> None:
    code = api.client.post("/api/v1/reports", json=report_body()).json()["code"]
    long_ago = "2025-01-02T03:00:00.000000+00:00"  # far outside the default window
    db = connect(api.db_path)
    with write(db):
        db.execute("UPDATE reports SET received_at = ? WHERE code = ?", [long_ago, code])
    db.conn.close()
    path = "/api/v1/open311/requests.json"

    assert api.client.get(path).json() == []
    synced = api.client.get(path, params={"modified_after": LONG_AGO}).json()
    assert [r["service_request_id"] for r in synced] == [code]


@pytest.mark.parametrize("value", ["yesterday", "2026-01-01T08:00:00"])
def test_open311_a_bad_moment_is_a_400_in_the_spec_shape(api: Api, value: str) -> None:
    response = api.client.get("/api/v1/open311/requests.json", params={"modified_after": value})

    assert response.status_code == 400, response.text
    [error] = response.json()
    assert error["code"] == 400 and error["description"].startswith("modified_after")


def test_audit_ranking_agents_changed_or_active_after(api: Api) -> None:
    first, _ = api.new_agent()
    moment = updated_at(api, "agents", first)
    second, _ = api.new_agent(tax_code=tax_code("010010002"), business_name="Cửa hàng Hàng Bài")

    def ranked(value: str) -> list[str]:
        response = api.client.get(
            "/api/v1/audit/agents", params={"modified_after": value}, headers=api.staff()
        )
        assert response.status_code == 200, response.text
        return [item["agent_id"] for item in response.json()["items"]]

    assert ranked(moment) == [second]
    assert sorted(ranked(LONG_AGO)) == sorted([first, second])
    assert ranked(FAR_AHEAD) == []


LIST_ENDPOINTS = [
    "/api/v1/procedures",
    "/api/v1/branches",
    "/api/v1/wards",
    "/api/v1/agents",
    "/api/v1/applications",
    "/api/v1/me/submissions",
    "/api/v1/me/closures",
    "/api/v1/agents/DL-0001/history",
    "/api/v1/reports",
    "/api/v1/audit/agents",
]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00+07:00", "2026-01-01T08:00:00"])
def test_a_bad_moment_is_a_422_naming_modified_after(api: Api, path: str, value: str) -> None:
    _, agent_auth = api.new_agent()
    headers = {
        "/api/v1/applications": api.staff(),
        "/api/v1/reports": api.staff(),
        "/api/v1/audit/agents": api.staff(),
        "/api/v1/me/submissions": agent_auth,
        "/api/v1/me/closures": agent_auth,
    }.get(path, {})

    response = api.client.get(path, params={"modified_after": value}, headers=headers)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status_code"] == 422
    assert [item["key"] for item in body["extra"]] == ["modified_after"]


# List-shaped answers that deliberately take no `modified_after`: none is a list of records to
# sync. Each entry says why; the test below fails if an entry stops being a list endpoint.
NOT_SYNCED = {
    # A query, not a collection: places ranked by exact distance from a point, computed per
    # request. The places themselves sync through /agents, /branches and /wards.
    "/api/v1/nearest",
    # Open311 GeoReport v2: one service request, an array of one item only because the spec's
    # format says so.
    "/api/v1/open311/requests/{name}",
    # Open311 GeoReport v2: the service list, one service per report kind, fixed in code.
    "/api/v1/open311/services.json",
}


def list_endpoints(document: dict[str, Any]) -> dict[str, set[str]]:
    """Each GET path whose JSON 200 answer is an array or a page (`items` and `total`), with the
    names of its query parameters."""
    schemas = document["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    found = {}
    for path, operations in document["paths"].items():
        get = operations.get("get")
        content = get and get["responses"].get("200", {}).get("content", {})
        schema = resolve((content or {}).get("application/json", {}).get("schema", {}))
        fields = schema.get("properties", {})
        if schema.get("type") == "array" or {"items", "total"} <= set(fields):
            found[path] = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
    return found


def test_every_list_endpoint_of_the_openapi_document_takes_modified_after(api: Api) -> None:
    lists = list_endpoints(api.client.get("/schema/openapi.json").json())

    assert len(lists) >= 14 and {"/api/v1/agents", "/api/v1/branches"} <= set(lists)
    missing = sorted(p for p, params in lists.items() if "modified_after" not in params)
    assert missing == sorted(NOT_SYNCED)
