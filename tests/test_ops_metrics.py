"""/metrics (Prometheus) and the JSON request log: what they count, who may read them, and that
no citizen ID, token or query string reaches the log."""

from __future__ import annotations

import json
from pathlib import Path

from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from catalog.load import Catalog
from tests.api_client import running_api
from tests.conftest import running_server
from tests.factories import submission_body
from tests.ops_server import add_staff, new_agent
from tests.test_api_crash import call, cli_env
from tests.test_ops_faults import limited_api

Sample = tuple[str, tuple[tuple[str, str], ...]]
SUBMISSIONS = "/api/v1/submissions"


def samples(client: TestClient) -> dict[Sample, float]:  # type: ignore[type-arg]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def delta(
    before: dict[Sample, float], after: dict[Sample, float], name: str, **labels: str
) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_metrics_count_requests_latencies_submissions_and_errors(
    tmp_path: Path, catalog: Catalog
) -> None:
    with running_api(tmp_path, catalog) as api:
        _, auth = api.new_agent()
        before = samples(api.client)
        api.client.get("/api/v1/procedures?q=khai%20sinh")
        api.client.get("/api/v1/procedures/0.000000")
        first = api.client.post(SUBMISSIONS, json=submission_body(), headers=auth)
        replay = api.client.post(SUBMISSIONS, json=submission_body(), headers=auth)
        after = samples(api.client)
    with limited_api(tmp_path, catalog, db_readonly=True) as client:
        refused = client.post(
            SUBMISSIONS, json=submission_body(dossier_code="x" * 12), headers=auth
        )
        failed = samples(client)

    assert (first.status_code, replay.status_code, refused.status_code) == (201, 200, 503)
    requests = "hcc_http_requests_total"
    assert (
        delta(before, after, requests, method="GET", route="/api/v1/procedures", status="200") == 1
    )
    route = "/api/v1/procedures/{key}"
    assert delta(before, after, requests, method="GET", route=route, status="404") == 1
    assert delta(before, after, requests, method="POST", route=SUBMISSIONS, status="201") == 1
    assert delta(before, after, requests, method="POST", route=SUBMISSIONS, status="200") == 1
    latency = "hcc_http_request_duration_seconds_count"
    assert delta(before, after, latency, method="POST", route=SUBMISSIONS) == 2
    assert delta(before, after, "hcc_submissions_recorded_total") == 1  # the replay is not new
    assert delta(after, failed, "hcc_http_errors_total", route=SUBMISSIONS, status="503") == 1
    assert delta(after, failed, "hcc_submissions_recorded_total") == 0


def test_metrics_need_the_token_when_one_is_set(tmp_path: Path, catalog: Catalog) -> None:
    token = "c2b7f0d4e1a94f3b-metrics"
    with running_api(tmp_path, catalog, metrics_token=token) as api:
        anonymous = api.client.get("/metrics")
        wrong = api.client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        staff = api.client.get("/metrics", headers=api.staff())
        right = api.client.get("/metrics", headers={"Authorization": f"Bearer {token}"})

    assert [r.status_code for r in (anonymous, wrong, staff, right)] == [401, 401, 401, 200]
    assert (
        anonymous.json()["detail"] == "/metrics needs 'Authorization: Bearer <HCC_METRICS_TOKEN>'"
    )
    assert "hcc_http_requests_total" in right.text


def test_one_json_log_line_per_request_without_personal_data(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    staff_token = add_staff(env)
    citizen_id = "001089023456"
    log_path = tmp_path / "server.log"
    with running_server(env, log=log_path) as base:
        _, token = new_agent(base, staff_token)
        recorded, _ = call(f"{base}{SUBMISSIONS}", submission_body(citizen_id=citizen_id), token)
        searched, _ = call(f"{base}/api/v1/procedures?q={citizen_id}", token=token)
        missing, _ = call(f"{base}/api/v1/places/agent/DL-9999")
    text = log_path.read_text()
    lines = [
        json.loads(line) for line in text.splitlines() if line.startswith("{")
    ]  # not the banner
    requests = [line for line in lines if line.get("event") == "request"]

    assert (recorded, searched, missing) == (201, 200, 404)
    assert [(r["method"], r["route"], r["status"]) for r in requests[-3:]] == [
        ("POST", SUBMISSIONS, 201),
        ("GET", "/api/v1/procedures", 200),
        ("GET", "/api/v1/places/{kind}/{place_id}", 404),
    ]
    assert all(
        set(r) == {"ts", "event", "method", "route", "status", "duration_ms", "pid"}
        for r in requests
    )
    for secret in (citizen_id, token, staff_token, "q=", "DL-9999"):
        assert secret not in text
