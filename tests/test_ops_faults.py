"""Faults: a full or read-only database refuses writes with a clear 503 and keeps serving reads;
several worker processes with concurrent writers never surface "database is locked"."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.conftest import running_server
from tests.factories import application_body, submission_body, tax_code
from tests.ops_server import add_staff, new_agent
from tests.test_api_crash import call, cli_env

SECRET = "test-secret"


@contextmanager
def limited_api(tmp_path: Path, catalog: Catalog, **limits: Any) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """The app on the database of an earlier ``running_api`` in ``tmp_path``, with ``limits``."""
    settings = Settings(
        db_path=tmp_path / "hcc.db", site_dir=tmp_path / "no-site", secret_key=SECRET, **limits
    )
    with TestClient(create_app(settings, catalog)) as client:
        yield client


def dossier(n: int) -> str:
    return f"000.00.12.H26-251123-{n:04d}"


def record_one(api: Api, auth: dict[str, str]) -> dict[str, Any]:
    response = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_read_only_database_refuses_writes_with_503_and_serves_reads(
    tmp_path: Path, catalog: Catalog
) -> None:
    with running_api(tmp_path, catalog) as api:
        agent_id, auth = api.new_agent()
        recorded = record_one(api, auth)
    before = (tmp_path / "hcc.db").stat().st_mtime_ns

    with limited_api(tmp_path, catalog, db_readonly=True) as client:
        write = client.post(
            "/api/v1/submissions", json=submission_body(dossier_code=dossier(2)), headers=auth
        )
        apply = client.post(
            "/api/v1/applications", json=application_body(tax_code=tax_code("010123456"))
        )
        mine = client.get("/api/v1/me/submissions", headers=auth)
        agents = client.get("/api/v1/agents")
        ready = client.get("/readyz")

    assert write.status_code == 503
    assert write.json()["detail"].startswith("The registry is read-only")
    assert write.headers["retry-after"] == "30"
    assert apply.status_code == 503
    assert [item["id"] for item in mine.json()["items"]] == [recorded["id"]]
    assert [a["id"] for a in agents.json()["items"]] == [agent_id]
    assert ready.status_code == 200
    assert api.count("submissions") == 1 and api.count("applications") == 1
    assert (tmp_path / "hcc.db").stat().st_mtime_ns == before


def test_a_full_database_refuses_writes_with_503_and_serves_reads(
    tmp_path: Path, catalog: Catalog
) -> None:
    with running_api(tmp_path, catalog) as api:
        _, auth = api.new_agent()
    size = (tmp_path / "hcc.db").stat().st_size  # checkpointed when the app stopped
    quota_mb = (size + 48 * 1024) / (1024 * 1024)  # room for a few dozen submissions

    acknowledged, refusal = [], None
    with limited_api(tmp_path, catalog, db_max_mb=quota_mb) as client:
        for n in range(1, 2000):
            response = client.post(
                "/api/v1/submissions", json=submission_body(dossier_code=dossier(n)), headers=auth
            )
            if response.status_code != 201:
                refusal = response
                break
            acknowledged.append(dossier(n))
        mine = client.get("/api/v1/me/submissions?page_size=500", headers=auth)
        branches = client.get("/api/v1/branches")
        ready = client.get("/readyz")

    assert refusal is not None, "the quota was never reached"
    assert refusal.status_code == 503
    assert refusal.json()["detail"].startswith("The registry's storage is full")
    assert len(acknowledged) >= 10
    assert mine.status_code == 200
    assert sorted(item["dossier_code"] for item in mine.json()["items"]) == acknowledged
    assert branches.status_code == 200 and ready.status_code == 200
    stored = [row[0] for row in api.query("SELECT dossier_code FROM submissions ORDER BY 1")]
    assert stored == acknowledged  # the refused dossier left nothing behind


def test_several_workers_and_concurrent_writers_never_see_a_locked_database(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path)
    staff_token = add_staff(env)
    log_path = tmp_path / "server.log"
    with running_server(env, log=log_path, workers=2) as base:
        wait_for_workers(base, log_path, count=2)
        served_before = len(log_path.read_text().splitlines())
        outcome = hammer(base, staff_token)
        _, metrics_text = fetch_text(f"{base}/metrics")
    log_text = log_path.read_text()

    statuses = outcome["statuses"]
    assert [s for s in statuses if s >= 500 or s == 0] == [], outcome["bodies"]
    assert "locked" not in log_text.lower() and "locked" not in json.dumps(outcome["bodies"])
    assert sorted(set(outcome["replays"])) == [200, 201] and outcome["replays"].count(201) == 1
    db_codes = query(tmp_path / "hcc.db", "SELECT dossier_code FROM submissions")
    assert sorted(db_codes) == sorted(outcome["acknowledged"] + [outcome["replayed_dossier"]])
    writes = [
        line["pid"]
        for line in request_events(log_text.splitlines()[served_before:])
        if line["route"] == "/api/v1/submissions"
    ]
    assert len(set(writes)) == 2  # both workers recorded submissions
    recorded = re.search(r"^hcc_submissions_recorded_total ([0-9.]+)$", metrics_text, re.M)
    assert recorded is not None and float(recorded.group(1)) == len(db_codes)


def request_events(lines: list[str]) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in lines if line.startswith("{")]
    return [event for event in events if event.get("event") == "request"]


def wait_for_workers(base: str, log_path: Path, count: int, timeout: float = 60) -> None:
    """Until ``count`` worker processes have each answered /healthz: the first one up answers
    alone while the others are still importing, so a load started at once may never reach them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fetch_text(f"{base}/healthz")  # a new connection each time: any worker may accept it
        pids = {event["pid"] for event in request_events(log_path.read_text().splitlines())}
        if len(pids) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} workers answered within {timeout} s")


def hammer(base: str, staff_token: str) -> dict[str, Any]:
    """Three agents, eight writer threads, then eight simultaneous replays of one request."""
    tokens = [
        new_agent(base, staff_token, tax_code=tax_code(prefix))[1]
        for prefix in ("010100001", "010100002", "010100003")
    ]
    statuses: list[int] = []
    bodies: list[object] = []
    acknowledged: list[str] = []
    lock = threading.Lock()

    def writer(worker: int) -> None:
        for seq in range(25):
            code = f"000.00.01.H26-{worker:02d}-{seq:05d}"
            try:
                status, body = call(
                    f"{base}/api/v1/submissions",
                    submission_body(dossier_code=code),
                    tokens[worker % 3],
                )
            except Exception as error:  # kept for the assertions: a dead thread would hide it
                status, body = 0, {"client_error": repr(error)}
            with lock:
                statuses.append(status)
                bodies.append(body)
                if status in (200, 201):
                    acknowledged.append(code)

    run_threads(writer, 8)
    replays: list[int] = []
    replay = submission_body(dossier_code="000.00.01.H26-99-00001")
    start = threading.Barrier(8)

    def replayer(_: int) -> None:
        start.wait()
        status, body = call_with_key(f"{base}/api/v1/submissions", replay, tokens[0])
        with lock:
            replays.append(status)
            bodies.append(body)

    run_threads(replayer, 8)
    return {
        "statuses": statuses + replays,
        "bodies": bodies,
        "acknowledged": acknowledged,
        "replays": replays,
        "replayed_dossier": replay["dossier_code"],
    }


def run_threads(target: Any, count: int) -> None:
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def call_with_key(url: str, body: dict[str, Any], token: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": "replay-under-concurrency-0001",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def fetch_text(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def query(path: Path, sql: str) -> list[Any]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute(sql)]
    finally:
        db.close()
