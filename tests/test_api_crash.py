"""A real server killed with SIGKILL while agents record submissions loses nothing it acknowledged."""

from __future__ import annotations

import http.client
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT, free_port, wait_until_up
from tests.factories import application_body, submission_body


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        "HCC_DB": str(tmp_path / "hcc.db"),
        "HCC_SECRET_KEY": "crash-test-secret",
        "HCC_SITE_DIR": str(tmp_path / "no-site"),
        "PATH": "/usr/bin:/bin",
    }


def start_server(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    log = tmp_path / "server.log"  # a file: a pipe nobody drains would block the server's log
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo", "--port", str(port)],
            cwd=ROOT,
            env=cli_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log=log)
    return process


def call(
    url: str, body: dict[str, object] | None = None, token: str | None = None
) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_acknowledged_submissions_survive_sigkill(tmp_path: Path) -> None:
    staff = subprocess.run(
        [sys.executable, "-m", "api.cli", "staff", "add", "Kiểm thử"],
        cwd=ROOT,
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    staff_token = staff.stdout.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = start_server(tmp_path, port)
    _, created = call(f"{base}/applications", application_body())
    _, approved = call(f"{base}/applications/{created['id']}/approve", {}, staff_token)
    agent_token = str(approved["token"])

    acknowledged: list[str] = []
    per_run: list[int] = []
    integrity: list[str] = []
    lock = threading.Lock()
    for run in range(3):
        stop = threading.Event()

        def writer(worker: int, run: int = run, stop: threading.Event = stop) -> None:
            seq = 0
            while not stop.is_set():
                seq += 1
                code = f"000.00.01.H26-{run}{worker:02d}-{seq:05d}"
                try:
                    status, _ = call(
                        f"{base}/submissions", submission_body(dossier_code=code), agent_token
                    )
                except (OSError, http.client.HTTPException, ValueError):
                    return  # the server died mid-answer: this request was never acknowledged
                if status in (200, 201):  # 200: a replay acknowledged the same record
                    with lock:
                        acknowledged.append(code)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
        for t in threads:
            t.start()
        try:
            wait_for(lambda: len(acknowledged) - sum(per_run) >= 20, seconds=30)  # then kill
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
            stop.set()
            for t in threads:
                t.join()
        per_run.append(len(acknowledged) - sum(per_run))
        integrity.append(integrity_check(tmp_path / "hcc.db"))  # before anything reopens it
        server = start_server(tmp_path, port)

    try:
        db = sqlite3.connect(tmp_path / "hcc.db")
        stored = [row[0] for row in db.execute("SELECT dossier_code FROM submissions")]
        db.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert integrity == ["ok", "ok", "ok"]
    assert set(acknowledged) <= set(stored)
    assert len(stored) == len(set(stored))  # each dossier exactly once


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not the case after {seconds} s"
        time.sleep(0.02)


def integrity_check(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()
