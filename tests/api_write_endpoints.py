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
    """A write route (as the app declares it), its caller, its path parameters and a valid body."""

    method: str
    route: str
    role: str
    body: Callable[[World], dict[str, Any]]
    params: Callable[[World], dict[str, str]] = lambda world: {}

    def url(self, world: World) -> str:
        return self.route.format(**self.params(world))


def _rated_dossier(world: World) -> dict[str, Any]:
    """A rating body for a fresh dossier recorded by agent A."""
    submission = world.submission_body()
    recorded = world.api.client.post(
        "/api/v1/submissions", json=submission, headers=world.headers("agent_a")
    )
    assert recorded.status_code == 201, recorded.text
    return {"dossier_code": submission["dossier_code"], "stars": 5, "agent_id": world.agent_a}


def _report(world: World) -> dict[str, str]:
    created = world.api.client.post("/api/v1/reports", json=report_body())
    assert created.status_code == 201, created.text
    return {"code": created.json()["code"]}


def _note(text: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"note": text}


APPLICATION = "/api/v1/applications/{application_id}"
AGENT = "/api/v1/agents/{agent_id}"
PLACE = "/api/v1/places/{kind}/{place_id}"
REPORT = "/api/v1/reports/{code}"
BRANCH_2 = {"kind": "branch", "place_id": "chi-nhanh-2"}
BRANCH_3 = {"kind": "branch", "place_id": "chi-nhanh-3"}

ENDPOINTS: dict[str, Endpoint] = {
    "apply": Endpoint("POST", "/api/v1/applications", "anonymous", lambda w: w.application_body()),
    "reject application": Endpoint(
        "POST",
        APPLICATION + "/reject",
        "staff",
        lambda w: dict(REASON),
        lambda w: {"application_id": w.pending_application()["id"]},
    ),
    "suspend agent": Endpoint(
        "POST",
        AGENT + "/suspend",
        "staff",
        lambda w: dict(REASON),
        lambda w: {"agent_id": w.active_agent()[0]},
    ),
    "reinstate agent": Endpoint(
        "POST",
        AGENT + "/reinstate",
        "staff",
        lambda w: dict(REASON),
        lambda w: {"agent_id": w.suspended_agent_id()},
    ),
    "record submission": Endpoint(
        "POST", "/api/v1/submissions", "agent_a", lambda w: w.submission_body()
    ),
    "set own hours": Endpoint("PUT", "/api/v1/me/hours", "agent_a", lambda w: HOURS),
    "set place hours": Endpoint(
        "PUT", PLACE + "/hours", "staff", lambda w: HOURS, lambda w: BRANCH_2
    ),
    "announce own closure": Endpoint(
        "POST", "/api/v1/me/closures", "agent_a", lambda w: w.closure_body()
    ),
    "announce place closure": Endpoint(
        "POST", PLACE + "/closures", "staff", lambda w: w.closure_body(), lambda w: BRANCH_3
    ),
    "report": Endpoint("POST", "/api/v1/reports", "anonymous", lambda w: report_body()),
    "resolve report": Endpoint(
        "POST", REPORT + "/resolve", "staff", _note("Đã cập nhật lệ phí trên trang."), _report
    ),
    "assign report": Endpoint(
        "POST", REPORT + "/assign", "staff", lambda w: {"assignee": "Trần Văn Kiểm"}, _report
    ),
    "progress report": Endpoint(
        "POST", REPORT + "/progress", "staff", _note("Đang kiểm tra với xã."), _report
    ),
    "reject report": Endpoint(
        "POST", REPORT + "/reject", "staff", _note("Thông tin trên trang đã đúng."), _report
    ),
    "rate agent": Endpoint("POST", "/api/v1/ratings", "anonymous", _rated_dossier),
}


def prepare(world: World, name: str) -> tuple[str, dict[str, Any]]:
    """The URL (its record made now, before any snapshot) and a valid body for the endpoint."""
    endpoint = ENDPOINTS[name]
    return endpoint.url(world), endpoint.body(world)


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
