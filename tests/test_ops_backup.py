"""`hcc db backup` while agents keep recording, then `hcc db restore` of that backup."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import ROOT, free_port, wait_until_up
from tests.factories import application_body, submission_body
from tests.test_api_crash import call, cli_env

UP = [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo"]


def hcc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def dossiers(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return sorted(row[0] for row in db.execute("SELECT dossier_code FROM submissions"))
    finally:
        db.close()


def start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [*UP, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
    return server


def test_backup_while_writing_then_restore(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    staff_token = hcc(env, "staff", "add", "Kiểm thử").stdout.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = start(env, port)
    _, created = call(f"{base}/applications", application_body())
    _, approved = call(f"{base}/applications/{created['id']}/approve", {}, staff_token)
    token = str(approved["token"])
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        seq = 0
        while not stop.is_set():
            seq += 1
            code = f"000.00.01.H26-BK-{seq:05d}"
            if call(f"{base}/submissions", submission_body(dossier_code=code), token)[0] == 201:
                acknowledged.append(code)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(acknowledged) < 30:
            threading.Event().wait(0.05)
        before = list(acknowledged)
        made = hcc(env, "db", "backup", str(tmp_path / "backup.db"))
        after = list(acknowledged)
        refused = hcc(env, "db", "restore", str(tmp_path / "backup.db"), "--yes")
    finally:
        stop.set()
        thread.join()
        server.terminate()
        server.wait(timeout=10)
    live = dossiers(tmp_path / "hcc.db")

    assert made.returncode == 0, made.stderr
    assert "Backup written" in made.stdout and "integrity ok" in made.stdout
    assert "pages" in made.stderr  # the progress
    saved = dossiers(tmp_path / "backup.db")
    assert set(before) <= set(saved)  # everything acknowledged before the backup started
    assert set(saved) <= set(after) | set(live)
    assert len(live) > len(saved)  # the writer went on during and after the backup
    assert refused.returncode == 1 and "in use" in refused.stderr
    assert dossiers(tmp_path / "hcc.db") == live  # the refused restore changed nothing

    restored = hcc(env, "db", "restore", str(tmp_path / "backup.db"), "--yes")

    assert restored.returncode == 0, restored.stderr
    assert dossiers(tmp_path / "hcc.db") == saved
    assert not (tmp_path / "hcc.db-wal").exists() or (tmp_path / "hcc.db-wal").stat().st_size == 0
    server = start(env, port)
    try:
        status, mine = call(f"{base}/me/submissions?page_size=500", token=token)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert status == 200 and mine["total"] == len(saved)


def test_restore_refuses_a_file_that_is_not_a_registry(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    hcc(env, "staff", "add", "Kiểm thử")
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(b"not a database at all " * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = (tmp_path / "hcc.db").read_bytes()

    results = [hcc(env, "db", "restore", str(p), "--yes") for p in (garbage, other)]

    assert [r.returncode for r in results] == [1, 1]
    assert "not an SQLite database" in results[0].stderr
    assert "not an hcc registry" in results[1].stderr
    assert (tmp_path / "hcc.db").read_bytes() == before
