"""The write endpoints of the API, each with who calls it and a valid request to start from.

Used by the hostile-input tests: a test takes an endpoint's URL (its record made fresh) and valid
body, spoils one thing, and checks that the request is refused and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.api_world import World
from tests.factories import report_body

JSON = "application/json"
HOURS = {"mon": ["08:00-17:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}
REASON = {"reason": "Hồ sơ chưa đủ điều kiện"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    role: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]]


def _rated_dossier(world: World) -> dict[str, Any]:
    """A rating body for a fresh dossier recorded by agent A."""
    submission = world.submission_body()
    recorded = world.api.client.post(
        "/api/v1/submissions", json=submission, headers=world.headers("agent_a")
    )
    assert recorded.status_code == 201, recorded.text
    return {"dossier_code": submission["dossier_code"], "stars": 5, "agent_id": world.agent_a}


def _report_path(action: str) -> Callable[[World], str]:
    def path(world: World) -> str:
        created = world.api.client.post("/api/v1/reports", json=report_body())
        assert created.status_code == 201, created.text
        return f"/api/v1/reports/{created.json()['code']}/{action}"

    return path


ENDPOINTS: dict[str, Endpoint] = {
    "apply": Endpoint(
        "POST", "anonymous", lambda w: "/api/v1/applications", lambda w: w.application_body()
    ),
    "reject application": Endpoint(
        "POST",
        "staff",
        lambda w: f"/api/v1/applications/{w.pending_application()['id']}/reject",
        lambda w: dict(REASON),
    ),
    "suspend agent": Endpoint(
        "POST",
        "staff",
        lambda w: f"/api/v1/agents/{w.active_agent()[0]}/suspend",
        lambda w: dict(REASON),
    ),
    "reinstate agent": Endpoint(
        "POST",
        "staff",
        lambda w: f"/api/v1/agents/{w.suspended_agent_id()}/reinstate",
        lambda w: dict(REASON),
    ),
    "record submission": Endpoint(
        "POST", "agent_a", lambda w: "/api/v1/submissions", lambda w: w.submission_body()
    ),
    "set own hours": Endpoint("PUT", "agent_a", lambda w: "/api/v1/me/hours", lambda w: HOURS),
    "set place hours": Endpoint(
        "PUT", "staff", lambda w: "/api/v1/places/branch/chi-nhanh-2/hours", lambda w: HOURS
    ),
    "announce own closure": Endpoint(
        "POST", "agent_a", lambda w: "/api/v1/me/closures", lambda w: w.closure_body()
    ),
    "announce place closure": Endpoint(
        "POST",
        "staff",
        lambda w: "/api/v1/places/branch/chi-nhanh-3/closures",
        lambda w: w.closure_body(),
    ),
    "report": Endpoint("POST", "anonymous", lambda w: "/api/v1/reports", lambda w: report_body()),
    "resolve report": Endpoint(
        "POST",
        "staff",
        _report_path("resolve"),
        lambda w: {"note": "Đã cập nhật lệ phí trên trang."},
    ),
    "assign report": Endpoint(
        "POST", "staff", _report_path("assign"), lambda w: {"assignee": "Trần Văn Kiểm"}
    ),
    "progress report": Endpoint(
        "POST", "staff", _report_path("progress"), lambda w: {"note": "Đang kiểm tra với xã."}
    ),
    "reject report": Endpoint(
        "POST", "staff", _report_path("reject"), lambda w: {"note": "Thông tin trên trang đã đúng."}
    ),
    "rate agent": Endpoint("POST", "anonymous", lambda w: "/api/v1/ratings", _rated_dossier),
}


def prepare(world: World, name: str) -> tuple[str, dict[str, Any]]:
    """The URL (its record made now, before any snapshot) and a valid body for the endpoint."""
    endpoint = ENDPOINTS[name]
    return endpoint.path(world), endpoint.body(world)


def send(world: World, name: str, url: str, content: bytes, content_type: str) -> Any:
    endpoint = ENDPOINTS[name]
    headers = world.headers(endpoint.role)
    if content_type:
        headers["Content-Type"] = content_type
    return world.api.client.request(endpoint.method, url, content=content, headers=headers)


def assert_refused(response: Any, status: int | None, key: str | None) -> None:
    """A 4xx in the one error shape; ``key`` (when given) is the field it names."""
    assert 400 <= response.status_code < 500, response.text
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"status_code", "detail", "extra"}, body
    assert body["status_code"] == response.status_code and body["detail"], body
    if key is not None:
        assert key in [item["key"] for item in body.get("extra", [])], body
