"""Who may call what: every route of the app by every role → the one status declared in MATRIX.

A route of the running app missing from MATRIX (or a MATRIX row the app lacks) fails
``test_the_matrix_covers_every_route``: a new endpoint cannot ship without its row. Add a row
with the expected status per role, and a request builder in REQUESTS when the route needs a body,
query parameters or a fresh record to act on (path parameters otherwise come from DEFAULT_PARAMS).

Every refused request (4xx) must write nothing; every successful staff write must append an audit
event naming the staff member, with the state before and/or after.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.routes import HTTPRoute

from catalog.load import Catalog
from tests.api_world import ROLES, World, running_world
from tests.factories import report_body

Statuses = dict[str, int]


def public(status: int = 200, **per_role: int) -> Statuses:
    """Anyone may call it; a bearer token is not even looked at."""
    return {**dict.fromkeys(ROLES, status), **per_role}


def with_principal(status: int, **per_role: int) -> Statuses:
    """Open to anyone, but a bearer token that is sent must be valid (the caller is resolved)."""
    return {**dict.fromkeys(ROLES, status), "suspended": 403, "revoked": 401, **per_role}


def staff_only(status: int = 200) -> Statuses:
    return {
        "anonymous": 401,
        "agent_a": 403,
        "agent_b": 403,
        "suspended": 403,
        "revoked": 401,
        "staff": status,
    }


def agent_only(status: int = 200, **per_role: int) -> Statuses:
    """Active agents only, acting on their own records (``/me``)."""
    return {
        "anonymous": 401,
        "agent_a": status,
        "agent_b": status,
        "suspended": 403,
        "revoked": 401,
        "staff": 403,
        **per_role,
    }


MATRIX: dict[tuple[str, str], Statuses] = {
    # catalog, places and the directory: public reads
    ("GET", "/api/v1/procedures"): public(),
    ("GET", "/api/v1/procedures/{key}"): public(),
    ("GET", "/api/v1/branches"): public(),
    ("GET", "/api/v1/wards"): public(),
    ("GET", "/api/v1/agents"): public(),
    # an agent's public page: profile, 12-month scorecard, poster; citizens rate by dossier
    ("GET", "/api/v1/agents/{agent_id}"): public(),
    ("GET", "/api/v1/agents/{agent_id}/scorecard"): public(),
    ("GET", "/api/v1/agents/{agent_id}/poster.svg"): public(),
    ("GET", "/api/v1/agents/{agent_id}/history"): public(),
    # open data: the site's /du-lieu-mo/ files generated live
    ("GET", "/api/v1/open-data"): public(),
    ("GET", "/api/v1/open-data/{path}"): public(),
    ("POST", "/api/v1/ratings"): public(201),
    ("GET", "/api/v1/nearest"): public(),
    ("GET", "/api/v1/places/{kind}/{place_id}"): public(),
    # applications: anyone applies; the applicant (secret) or staff follows; staff decides
    ("POST", "/api/v1/applications"): public(201),
    ("GET", "/api/v1/applications"): staff_only(),
    ("GET", "/api/v1/applications/{application_id}"): with_principal(403, staff=200),
    ("POST", "/api/v1/applications/{application_id}/approve"): staff_only(),
    ("POST", "/api/v1/applications/{application_id}/reject"): staff_only(),
    # agent lifecycle: staff
    ("POST", "/api/v1/agents/{agent_id}/suspend"): staff_only(),
    ("POST", "/api/v1/agents/{agent_id}/reinstate"): staff_only(),
    ("POST", "/api/v1/agents/{agent_id}/tokens"): staff_only(201),
    # places: staff for any place
    ("PUT", "/api/v1/places/{kind}/{place_id}/hours"): staff_only(),
    ("DELETE", "/api/v1/places/{kind}/{place_id}/hours"): staff_only(),
    ("POST", "/api/v1/places/{kind}/{place_id}/closures"): staff_only(201),
    ("DELETE", "/api/v1/places/{kind}/{place_id}/closures/{closure_id}"): staff_only(),
    # an agent's own records; the closure acted on is agent A's, so agent B gets 404
    ("POST", "/api/v1/submissions"): agent_only(201),
    ("GET", "/api/v1/me"): agent_only(),
    ("GET", "/api/v1/me/submissions"): agent_only(),
    ("GET", "/api/v1/me/output"): agent_only(),
    ("PUT", "/api/v1/me/hours"): agent_only(),
    ("GET", "/api/v1/me/closures"): agent_only(),
    ("POST", "/api/v1/me/closures"): agent_only(201),
    ("DELETE", "/api/v1/me/closures/{closure_id}"): agent_only(agent_b=404),
    # staff audit: KPIs, flags, coverage, exports, reconciliation (no file sent here: refused
    # with 422 and nothing written; the import itself is in tests/test_audit_reconcile.py)
    ("GET", "/api/v1/audit/summary"): staff_only(),
    ("GET", "/api/v1/audit/agents"): staff_only(),
    ("GET", "/api/v1/audit/agents.csv"): staff_only(),
    ("GET", "/api/v1/audit/agents.xlsx"): staff_only(),
    ("GET", "/api/v1/audit/agents/{agent_id}"): staff_only(),
    ("GET", "/api/v1/audit/coverage"): staff_only(),
    ("POST", "/api/v1/audit/reconciliations"): staff_only(422),
    # citizens' reports: anyone reports and follows by tracking code; staff handle the queue
    ("POST", "/api/v1/reports"): public(201),
    ("GET", "/api/v1/reports/{code}"): public(),
    ("GET", "/api/v1/reports"): staff_only(),
    ("POST", "/api/v1/reports/{code}/assign"): staff_only(),
    ("POST", "/api/v1/reports/{code}/progress"): staff_only(),
    ("POST", "/api/v1/reports/{code}/resolve"): staff_only(),
    ("POST", "/api/v1/reports/{code}/reject"): staff_only(),
    # the same reports through Open311 GeoReport v2 (public by the spec; no contact details)
    ("GET", "/api/v1/open311/services.json"): public(),
    ("GET", "/api/v1/open311/services/{name}"): public(),
    ("GET", "/api/v1/open311/requests.json"): public(),
    ("POST", "/api/v1/open311/requests.json"): public(201),
    ("GET", "/api/v1/open311/requests/{name}"): public(),
    # operations, API docs and the static site
    ("GET", "/healthz"): public(),
    ("GET", "/readyz"): public(),
    ("GET", "/metrics"): public(),  # open unless HCC_METRICS_TOKEN is set (test_ops_metrics)
    ("GET", "/schema"): public(),
    ("GET", "/schema/{path}"): public(404),  # Litestar's "no such docs page" handler
    ("GET", "/schema/openapi.json"): public(),
    ("GET", "/schema/oauth2-redirect.html"): public(),
    ("GET", "/schema-assets/{file_path}"): public(),
    ("HEAD", "/schema-assets/{file_path}"): public(),
    ("GET", "/"): public(),
    ("GET", "/{file_path}"): public(),
    ("HEAD", "/{file_path}"): public(),
}


@dataclass
class Call:
    """What to send: path parameters (over DEFAULT_PARAMS), query, JSON body."""

    params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json: Any = None


Builder = Callable[[World], Call]
HOURS = {"mon": ["08:00-17:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}
REASON = {"reason": "Hồ sơ chưa đủ điều kiện"}


def _rating(world: World) -> Call:
    """A rating of a fresh dossier recorded by agent A (each dossier is rated once)."""
    body = world.submission_body()
    recorded = world.api.client.post(
        "/api/v1/submissions", json=body, headers=world.headers("agent_a")
    )
    assert recorded.status_code == 201, recorded.text
    return Call(json={"dossier_code": body["dossier_code"], "stars": 5})


def _hours_override(world: World) -> Call:
    """A branch whose weekly hours staff have overridden (so that there is one to remove)."""
    branch = {"kind": "branch", "place_id": "chi-nhanh-1"}
    put = world.api.client.put(
        "/api/v1/places/branch/chi-nhanh-1/hours", json=HOURS, headers=world.api.staff()
    )
    assert put.status_code == 200, put.text
    return Call(params=branch)


def _report(world: World) -> str:
    """A fresh citizen's report (status received); returns its tracking code."""
    created = world.api.client.post("/api/v1/reports", json=report_body())
    assert created.status_code == 201, created.text
    return str(created.json()["code"])


NOTE = {"note": "Đã đối chiếu và cập nhật thông tin."}
OPEN311_REQUEST = {
    "service_code": "wrong_info",
    "description": "Giờ làm việc của chi nhánh trên trang không đúng.",
    "attribute": {"subject_kind": "branch", "subject_id": "chi-nhanh-1"},
}

REQUESTS: dict[tuple[str, str], Builder] = {
    ("POST", "/api/v1/reports"): lambda w: Call(json=report_body()),
    ("GET", "/api/v1/reports/{code}"): lambda w: Call(params={"code": _report(w)}),
    ("POST", "/api/v1/reports/{code}/assign"): lambda w: Call(params={"code": _report(w)}, json={}),
    ("POST", "/api/v1/reports/{code}/progress"): lambda w: Call(
        params={"code": _report(w)}, json={}
    ),
    ("POST", "/api/v1/reports/{code}/resolve"): lambda w: Call(
        params={"code": _report(w)}, json=NOTE
    ),
    ("POST", "/api/v1/reports/{code}/reject"): lambda w: Call(
        params={"code": _report(w)}, json=NOTE
    ),
    ("GET", "/api/v1/open311/services/{name}"): lambda w: Call(params={"name": "charged.json"}),
    ("POST", "/api/v1/open311/requests.json"): lambda w: Call(json=OPEN311_REQUEST),
    ("GET", "/api/v1/open311/requests/{name}"): lambda w: Call(
        params={"name": _report(w) + ".json"}
    ),
    ("GET", "/api/v1/nearest"): lambda w: Call(query={"lat": 21.0285, "lon": 105.8525}),
    ("POST", "/api/v1/applications"): lambda w: Call(json=w.application_body()),
    ("POST", "/api/v1/ratings"): _rating,
    ("GET", "/api/v1/applications/{application_id}"): lambda w: Call(
        params={"application_id": w.pending_application()["id"]}
    ),
    ("POST", "/api/v1/applications/{application_id}/approve"): lambda w: Call(
        params={"application_id": w.pending_application()["id"]}
    ),
    ("POST", "/api/v1/applications/{application_id}/reject"): lambda w: Call(
        params={"application_id": w.pending_application()["id"]}, json=REASON
    ),
    ("POST", "/api/v1/agents/{agent_id}/suspend"): lambda w: Call(
        params={"agent_id": w.active_agent()[0]}, json=REASON
    ),
    ("POST", "/api/v1/agents/{agent_id}/reinstate"): lambda w: Call(
        params={"agent_id": w.suspended_agent_id()}, json=REASON
    ),
    ("POST", "/api/v1/agents/{agent_id}/tokens"): lambda w: Call(
        params={"agent_id": w.active_agent()[0]}
    ),
    ("PUT", "/api/v1/places/{kind}/{place_id}/hours"): lambda w: Call(
        params={"kind": "branch", "place_id": "chi-nhanh-2"}, json=HOURS
    ),
    ("DELETE", "/api/v1/places/{kind}/{place_id}/hours"): _hours_override,
    ("POST", "/api/v1/places/{kind}/{place_id}/closures"): lambda w: Call(json=w.closure_body()),
    ("DELETE", "/api/v1/places/{kind}/{place_id}/closures/{closure_id}"): lambda w: Call(
        params={"closure_id": w.closure_of_a()}
    ),
    ("POST", "/api/v1/submissions"): lambda w: Call(json=w.submission_body()),
    ("PUT", "/api/v1/me/hours"): lambda w: Call(json=HOURS),
    ("POST", "/api/v1/me/closures"): lambda w: Call(json=w.closure_body()),
    ("DELETE", "/api/v1/me/closures/{closure_id}"): lambda w: Call(
        params={"closure_id": w.closure_of_a()}
    ),
    ("GET", "/api/v1/open-data/{path}"): lambda w: Call(params={"path": "dia-diem.csv"}),
    ("GET", "/{file_path}"): lambda w: Call(params={"file_path": "index.html"}),
    ("HEAD", "/{file_path}"): lambda w: Call(params={"file_path": "index.html"}),
}


def default_params(world: World, catalog: Catalog) -> dict[str, Any]:
    """Path parameters of read routes: real records of the world (agent A's place)."""
    return {
        "key": catalog.procedures[0].code or catalog.procedures[0].id,
        "kind": "agent",
        "place_id": world.agent_a,
        "agent_id": world.agent_a,
        "path": "openapi.yaml",
        "file_path": "swagger-ui.css",
    }


PARAM = re.compile(r"\{([a-z_]+):[a-z]+\}")


def app_routes(world: World) -> set[tuple[str, str]]:
    """(method, path template) of every handler of the running app, automatic OPTIONS aside."""
    found = set()
    for route in world.api.client.app.routes:
        assert isinstance(route, HTTPRoute), route
        template = PARAM.sub(r"{\1}", route.path)
        found |= {(method, template) for method in route.methods if method != "OPTIONS"}
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("authz")
    site = tmp / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>hcc</title>", encoding="utf-8")
    with running_world(tmp, catalog, site_dir=site) as running:
        yield running


def test_the_matrix_covers_every_route(world: World) -> None:
    routes = app_routes(world)

    assert sorted(routes - MATRIX.keys()) == [], "routes without a row in MATRIX"
    assert sorted(MATRIX.keys() - routes) == [], "MATRIX rows for routes the app lacks"
    assert all(set(row) == set(ROLES) for row in MATRIX.values())


def _audit_since(world: World, last: int | None) -> list[tuple[str, str, Any, Any]]:
    return [
        (actor, action, before, after)
        for actor, action, before, after in world.api.query(
            "SELECT actor, action, before, after FROM audit_log WHERE id > ? ORDER BY id",
            [last or 0],
        )
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_each_role_gets_the_declared_status(
    world: World, catalog: Catalog, method: str, path: str, role: str
) -> None:
    call = REQUESTS.get((method, path), lambda w: Call())(world)
    url = path.format(**{**default_params(world, catalog), **call.params})
    before = world.snapshot()

    response = world.api.client.request(
        method, url, params=call.query, json=call.json, headers=world.headers(role)
    )

    assert response.status_code == MATRIX[(method, path)][role], response.text
    if response.status_code >= 400:
        assert world.snapshot() == before, "a refused request wrote something"
    elif (
        role == "staff"
        and method not in {"GET", "HEAD"}
        and MATRIX[(method, path)]["agent_a"] == 403
    ):
        events = _audit_since(world, before["last audit event"])
        assert events, "a staff write left no audit event"
        assert all(actor == f"staff:{world.staff_id}" for actor, *_ in events), events
        assert all(b is not None or a is not None for *_, b, a in events), events
