"""`hcc db backup` while agents keep recording, then `hcc db restore` of that backup."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from tests.conftest import free_port, running_server
from tests.factories import submission_body
from tests.ops_server import add_staff, hcc, new_agent
from tests.test_api_crash import call, cli_env, wait_for


def dossiers(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return sorted(row[0] for row in db.execute("SELECT dossier_code FROM submissions"))
    finally:
        db.close()


def test_backup_while_writing_then_restore(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    staff_token = add_staff(env)
    port = free_port()
    acknowledged: list[str] = []
    stop = threading.Event()
    with running_server(env, port=port) as base:
        _, token = new_agent(base, staff_token)

        def writer() -> None:
            seq = 0
            while not stop.is_set():
                seq += 1
                code = f"000.00.01.H26-BK-{seq:05d}"
                body = submission_body(dossier_code=code)
                if call(f"{base}/api/v1/submissions", body, token)[0] == 201:
                    acknowledged.append(code)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            wait_for(lambda: len(acknowledged) >= 30 or not thread.is_alive(), seconds=60)
            assert thread.is_alive(), "the writer stopped"
            before = list(acknowledged)
            made = hcc(env, "db", "backup", str(tmp_path / "backup.db"))
            after = list(acknowledged)
            refused = hcc(env, "db", "restore", str(tmp_path / "backup.db"), "--yes")
        finally:
            stop.set()
            thread.join()
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
    with running_server(env, port=port) as base:
        status, mine = call(f"{base}/api/v1/me/submissions?page_size=500", token=token)
    assert status == 200 and mine["total"] == len(saved)


def test_restore_refuses_a_file_that_is_not_a_registry(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    add_staff(env)
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


def test_backup_and_restore_refuse_the_database_itself(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    add_staff(env)
    database = tmp_path / "hcc.db"
    same = tmp_path / "." / "hcc.db"  # another spelling of the same file
    before = dossiers(database)

    backed_up = hcc(env, "db", "backup", str(same))
    restored = hcc(env, "db", "restore", str(same), "--yes")

    assert [backed_up.returncode, restored.returncode] == [1, 1]
    assert "is the database itself" in backed_up.stderr
    assert "is the database itself" in restored.stderr
    assert dossiers(database) == before
    assert [p.name for p in tmp_path.glob("hcc.db*.partial")] == []
