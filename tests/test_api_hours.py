"""Places over HTTP: open now for citizens; hours and closures by agents (own) and staff (any)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import tax_code

VN = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.datetime.now(VN).date()
DAY = dt.timedelta(days=1)
LATE_HOURS = {
    "mon": ["09:00-12:00", "13:30-21:00"],
    "tue": ["09:00-21:00"],
    "wed": [],
    "thu": [],
    "fri": ["09:00-21:00"],
    "sat": ["09:00-23:59"],
    "sun": [],
}
PLACE_KEYS = {
    "kind",
    "id",
    "name",
    "address",
    "ward_code",
    "lat",
    "lon",
    "phone",
    "opening_hours",
    "hours_overridden",
    "fields",
    "branch_number",
    "demo",
    "closures",
    "open_now",
    "opens_at",
    "closes_at",
    "closed_reason",
}


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as running:
        yield running


@pytest.fixture
def agent(api: Api) -> tuple[str, dict[str, str]]:
    return api.new_agent()


def closure_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + DAY).isoformat(),
        "reason": "Nghỉ kiểm kê cuối quý",
    }
    body.update(overrides)
    return body


def audit_actions(api: Api, entity: str, entity_id: str) -> list[tuple[str, str]]:
    rows = api.query(
        "SELECT action, actor FROM audit_log WHERE entity = ? AND entity_id = ? "
        "AND action LIKE 'place.%' ORDER BY id",
        [entity, entity_id],
    )
    return [(action, actor) for action, actor in rows]


# --- agents: their own hours and closures -------------------------------------------------------


def test_an_agent_changes_its_hours_and_citizens_see_them(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent
    updated_before = api.query("SELECT updated_at FROM agents WHERE id = ?", [agent_id])[0][0]

    response = api.client.put("/api/v1/me/hours", json=LATE_HOURS, headers=auth)
    place = api.client.get(f"/api/v1/places/agent/{agent_id}")
    directory = api.client.get("/api/v1/agents").json()["items"][0]

    assert response.status_code == 200, response.text
    assert response.json()["id"] == agent_id
    assert response.json()["opening_hours"] == LATE_HOURS
    assert place.status_code == 200
    assert set(place.json()) == PLACE_KEYS
    assert place.json()["opening_hours"] == LATE_HOURS
    assert directory["opening_hours"] == LATE_HOURS
    assert (
        api.query("SELECT updated_at FROM agents WHERE id = ?", [agent_id])[0][0] > updated_before
    )
    assert audit_actions(api, "agent", agent_id) == [("place.hours_set", f"agent:{agent_id}")]
    before, after = api.query(
        "SELECT before, after FROM audit_log WHERE action = 'place.hours_set'"
    )[0]
    assert '"13:00-18:00"' in before and '"13:30-21:00"' in after


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"mon": ["09:00-12:00", "11:00-13:00"]}, "mon"),
        ({"tue": ["18:00-09:00"]}, "tue"),
        ({"wed": ["9:00-17:00"]}, "wed[0]"),
        ({"thu": ["24:00-25:00"]}, "thu[0]"),
        ({"fri": "08:00-17:00"}, "fri"),
        ({"mon": ["08:00-17:00"], "holidays": []}, "holidays"),
        ({}, "opening_hours"),
        ({"sun": []}, "opening_hours"),
    ],
)
def test_bad_hours_name_the_field_and_change_nothing(
    api: Api, agent: tuple[str, dict[str, str]], body: dict[str, Any], key: str
) -> None:
    agent_id, auth = agent

    response = api.client.put("/api/v1/me/hours", json=body, headers=auth)

    assert response.status_code == 422, response.text
    assert set(response.json()) == {"status_code", "detail", "extra"}
    assert [item["key"] for item in response.json()["extra"]] == [key]
    assert audit_actions(api, "agent", agent_id) == []


def test_an_agent_announces_lists_and_withdraws_a_closure(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent

    created = api.client.post("/api/v1/me/closures", json=closure_body(), headers=auth)
    listed = api.client.get("/api/v1/me/closures", headers=auth)
    place = api.client.get(f"/api/v1/places/agent/{agent_id}").json()
    closure_id = created.json()["id"]
    removed = api.client.delete(f"/api/v1/me/closures/{closure_id}", headers=auth)
    again = api.client.delete(f"/api/v1/me/closures/{closure_id}", headers=auth)
    after = api.client.get(f"/api/v1/places/agent/{agent_id}").json()

    assert created.status_code == 201, created.text
    assert created.json() == {**closure_body(), "id": closure_id}
    assert listed.json() == [created.json()]
    assert place["closures"] == [created.json()]
    assert place["open_now"] is False
    assert place["closed_reason"] == "Nghỉ kiểm kê cuối quý"
    assert place["opens_at"] >= (TODAY + 2 * DAY).isoformat()
    assert (removed.status_code, again.status_code) == (200, 404)
    assert removed.json() == created.json()
    assert after["closures"] == []
    assert audit_actions(api, "agent", agent_id) == [
        ("place.closure_add", f"agent:{agent_id}"),
        ("place.closure_remove", f"agent:{agent_id}"),
    ]


def test_another_agents_closure_is_not_found(api: Api, agent: tuple[str, dict[str, str]]) -> None:
    owner_id, owner = agent
    _, rival = api.new_agent(
        tax_code=tax_code("010010002"), business_name="Cửa hàng Viettel Hàng Bài"
    )
    closure_id = api.client.post("/api/v1/me/closures", json=closure_body(), headers=owner).json()[
        "id"
    ]

    by_rival = api.client.delete(f"/api/v1/me/closures/{closure_id}", headers=rival)
    rival_list = api.client.get("/api/v1/me/closures", headers=rival)

    assert by_rival.status_code == 404
    assert by_rival.json() == {"status_code": 404, "detail": f"closure {closure_id} not found"}
    assert rival_list.json() == []
    assert api.query("SELECT place_id FROM closures") == [(owner_id,)]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"reason": "ab"}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "Nghỉ\nđột xuất"}, "reason"),
        ({"ends_on": (TODAY - DAY).isoformat()}, "ends_on"),
        (
            {"starts_on": (TODAY - 3 * DAY).isoformat(), "ends_on": (TODAY - DAY).isoformat()},
            "ends_on",
        ),
        ({"ends_on": (TODAY + 90 * DAY).isoformat()}, "ends_on"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"starts_on": None}, "starts_on"),
        ({"place_id": "DL-0002"}, "place_id"),
    ],
)
def test_bad_closures_name_the_field_and_write_nothing(
    api: Api, agent: tuple[str, dict[str, str]], change: dict[str, Any], key: str
) -> None:
    _, auth = agent

    response = api.client.post("/api/v1/me/closures", json=closure_body(**change), headers=auth)

    assert response.status_code == 422, response.text
    assert [item["key"] for item in response.json()["extra"]] == [key]
    assert api.query("SELECT count(*) FROM closures") == [(0,)]


def test_a_ninety_day_closure_starting_before_today_is_accepted(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    _, auth = agent
    body = closure_body(
        starts_on=(TODAY - 10 * DAY).isoformat(), ends_on=(TODAY + 79 * DAY).isoformat()
    )

    response = api.client.post("/api/v1/me/closures", json=body, headers=auth)

    assert response.status_code == 201, response.text


# --- staff: any place ---------------------------------------------------------------------------


def test_staff_override_a_branchs_hours_until_removed(api: Api) -> None:
    route = "/api/v1/places/branch/chi-nhanh-1"
    catalog_hours = api.client.get(route).json()["opening_hours"]

    overridden = api.client.put(f"{route}/hours", json=LATE_HOURS, headers=api.staff())
    seen = api.client.get(route).json()
    reset = api.client.delete(f"{route}/hours", headers=api.staff())
    reset_again = api.client.delete(f"{route}/hours", headers=api.staff())

    assert overridden.status_code == 200, overridden.text
    assert (seen["opening_hours"], seen["hours_overridden"]) == (LATE_HOURS, True)
    assert reset.status_code == 200
    assert (reset.json()["opening_hours"], reset.json()["hours_overridden"]) == (
        catalog_hours,
        False,
    )
    assert reset_again.status_code == 404
    assert audit_actions(api, "branch", "chi-nhanh-1") == [
        ("place.hours_set", "staff:1"),
        ("place.hours_reset", "staff:1"),
    ]


def test_staff_close_a_reception_point_and_reopen_it(api: Api, catalog: Catalog) -> None:
    point_id = catalog.branches[0].reception_points[0].id
    route = f"/api/v1/places/reception_point/{point_id}"

    created = api.client.post(f"{route}/closures", json=closure_body(), headers=api.staff())
    seen = api.client.get(route).json()
    wrong_place = api.client.delete(
        f"/api/v1/places/branch/chi-nhanh-1/closures/{created.json()['id']}", headers=api.staff()
    )
    removed = api.client.delete(f"{route}/closures/{created.json()['id']}", headers=api.staff())

    assert created.status_code == 201, created.text
    assert seen["closures"] == [created.json()]
    assert seen["open_now"] is False
    assert seen["closed_reason"] == "Nghỉ kiểm kê cuối quý"
    assert (wrong_place.status_code, removed.status_code) == (404, 200)
    assert api.client.get(route).json()["closures"] == []
    assert audit_actions(api, "reception_point", point_id) == [
        ("place.closure_add", "staff:1"),
        ("place.closure_remove", "staff:1"),
    ]


def test_staff_change_an_agents_hours_and_close_it(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent
    route = f"/api/v1/places/agent/{agent_id}"

    hours = api.client.put(f"{route}/hours", json=LATE_HOURS, headers=api.staff())
    closure = api.client.post(f"{route}/closures", json=closure_body(), headers=api.staff())
    own_view = api.client.get("/api/v1/me/closures", headers=auth).json()
    reset = api.client.delete(f"{route}/hours", headers=api.staff())

    assert hours.status_code == 200, hours.text
    assert hours.json()["opening_hours"] == LATE_HOURS
    assert hours.json()["hours_overridden"] is False
    assert own_view == [closure.json()]
    assert reset.status_code == 409
    assert reset.json()["extra"] == [
        {"key": "kind", "message": "an agent's hours are its own: set new ones instead"}
    ]
    assert audit_actions(api, "agent", agent_id) == [
        ("place.hours_set", "staff:1"),
        ("place.closure_add", "staff:1"),
    ]


@pytest.mark.parametrize(
    ("path", "status", "key"),
    [
        ("/api/v1/places/branch/chi-nhanh-99", 404, None),
        ("/api/v1/places/reception_point/chi-nhanh-1", 404, None),
        ("/api/v1/places/agent/DL-9999", 404, None),
        ("/api/v1/places/shop/chi-nhanh-1", 422, "kind"),
    ],
)
def test_unknown_places(api: Api, path: str, status: int, key: str | None) -> None:
    shown = api.client.get(path)
    changed = api.client.put(f"{path}/hours", json=LATE_HOURS, headers=api.staff())
    closed = api.client.post(f"{path}/closures", json=closure_body(), headers=api.staff())

    assert (shown.status_code, changed.status_code, closed.status_code) == (status,) * 3
    if key:
        assert [item["key"] for item in shown.json()["extra"]] == [key]
    assert api.query("SELECT count(*) FROM closures") == [(0,)]


def test_a_suspended_agent_is_no_public_place(api: Api, agent: tuple[str, dict[str, str]]) -> None:
    agent_id, _ = agent
    api.client.post(
        f"/api/v1/agents/{agent_id}/suspend", json={"reason": "Kiểm tra"}, headers=api.staff()
    )

    assert api.client.get(f"/api/v1/places/agent/{agent_id}").status_code == 404


def test_a_branch_reports_open_now_consistently(api: Api) -> None:
    place = api.client.get("/api/v1/places/branch/chi-nhanh-1").json()

    assert set(place) == PLACE_KEYS
    assert place["kind"] == "branch"
    assert place["fields"] is None
    if place["open_now"]:
        assert place["closes_at"] and place["opens_at"] is None
    else:
        assert place["opens_at"] and place["closes_at"] is None


# --- who may do what ----------------------------------------------------------------------------


AGENT_ROUTES = [
    ("PUT", "/api/v1/me/hours", LATE_HOURS),
    ("GET", "/api/v1/me/closures", None),
    ("POST", "/api/v1/me/closures", closure_body()),
    ("DELETE", "/api/v1/me/closures/1", None),
]
STAFF_ROUTES = [
    ("PUT", "/api/v1/places/branch/chi-nhanh-1/hours", LATE_HOURS),
    ("DELETE", "/api/v1/places/branch/chi-nhanh-1/hours", None),
    ("POST", "/api/v1/places/branch/chi-nhanh-1/closures", closure_body()),
    ("DELETE", "/api/v1/places/branch/chi-nhanh-1/closures/1", None),
]


@pytest.mark.parametrize(("method", "path", "body"), AGENT_ROUTES)
def test_agent_routes_refuse_others(api: Api, method: str, path: str, body: Any) -> None:
    suspended_id, suspended = api.new_agent()
    api.client.post(
        f"/api/v1/agents/{suspended_id}/suspend", json={"reason": "Kiểm tra"}, headers=api.staff()
    )

    anonymous = api.client.request(method, path, json=body)
    as_staff = api.client.request(method, path, json=body, headers=api.staff())
    as_suspended = api.client.request(method, path, json=body, headers=suspended)

    assert (anonymous.status_code, as_staff.status_code, as_suspended.status_code) == (
        401,
        403,
        403,
    )
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert api.query("SELECT count(*) FROM audit_log WHERE action LIKE 'place.%'") == [(0,)]


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ROUTES)
def test_staff_routes_refuse_others(
    api: Api, agent: tuple[str, dict[str, str]], method: str, path: str, body: Any
) -> None:
    _, auth = agent

    anonymous = api.client.request(method, path, json=body)
    as_agent = api.client.request(method, path, json=body, headers=auth)

    assert (anonymous.status_code, as_agent.status_code) == (401, 403)
    assert api.query("SELECT count(*) FROM audit_log WHERE action LIKE 'place.%'") == [(0,)]


def test_an_agent_cannot_use_staff_routes_even_on_itself(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent

    response = api.client.put(
        f"/api/v1/places/agent/{agent_id}/hours", json=LATE_HOURS, headers=auth
    )

    assert response.status_code == 403
