"""Group commit: write jobs share transactions, fail alone, and are acknowledged only once durable."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from agents_registry.db import GroupCommit, connect, write


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "group.db"
    db = connect(path)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
    db.conn.close()
    return path


def stored(path: Path) -> list[str]:
    db = connect(path)
    try:
        return [r[0] for r in db.execute("SELECT text FROM notes ORDER BY id").fetchall()]
    finally:
        db.conn.close()


def insert(text: str) -> Callable[[Database], int]:
    def job(db: Database) -> int:
        with write(db):
            return int(db.execute("INSERT INTO notes (text) VALUES (?)", [text]).lastrowid or 0)

    return job


def test_a_failing_job_rolls_back_alone_in_a_shared_batch(db_path: Path) -> None:
    group = GroupCommit(db_path)
    gate, release = threading.Event(), threading.Event()

    def hold(db: Database) -> str:  # keeps the writer busy so the next jobs queue into one batch
        gate.set()
        assert release.wait(60)
        return "held"

    def half_then_fail(db: Database) -> None:
        with write(db):
            db.execute("INSERT INTO notes (text) VALUES ('half')")
            raise ValueError("refused")

    first = group.submit(hold)
    assert gate.wait(60)
    batch = [group.submit(insert("a")), group.submit(half_then_fail), group.submit(insert("b"))]
    duplicate = group.submit(insert("a"))  # violates UNIQUE: only this job fails
    release.set()

    assert first.result(30) == "held"
    assert batch[0].result(30) == 1
    with pytest.raises(ValueError, match="refused"):
        batch[1].result(30)
    assert batch[2].result(30) == 2
    with pytest.raises(sqlite3.IntegrityError):
        duplicate.result(30)
    group.close()
    assert stored(db_path) == ["a", "b"]


def test_a_result_is_released_only_after_the_commit(db_path: Path) -> None:
    group = GroupCommit(db_path)
    inserted, go = threading.Event(), threading.Event()

    def insert_then_wait(db: Database) -> str:
        with write(db):
            db.execute("INSERT INTO notes (text) VALUES ('pending')")
        inserted.set()
        assert go.wait(60)
        return "done"

    future = group.submit(insert_then_wait)
    assert inserted.wait(60)
    assert not future.done()
    assert stored(db_path) == []  # not visible to others: not committed yet
    go.set()
    assert future.result(30) == "done"
    assert stored(db_path) == ["pending"]
    group.close()


def test_an_aborted_transaction_fails_every_job_of_the_batch(db_path: Path) -> None:
    group = GroupCommit(db_path)
    gate, release = threading.Event(), threading.Event()

    def hold(db: Database) -> None:
        gate.set()
        assert release.wait(60)

    def abort(db: Database) -> None:
        db.execute("ROLLBACK")  # what SQLite does itself on a full disk or an I/O error

    group.submit(hold)
    assert gate.wait(60)
    futures = [group.submit(insert("x")), group.submit(abort), group.submit(insert("y"))]
    release.set()
    for future in futures:
        with pytest.raises(sqlite3.OperationalError):
            future.result(30)
    assert group.submit(insert("z")).result(30) == 1  # the writer goes on with the next batch
    group.close()
    assert stored(db_path) == ["z"]


def test_close_finishes_the_queued_jobs(db_path: Path) -> None:
    group = GroupCommit(db_path)
    futures = [group.submit(insert(f"n{i}")) for i in range(100)]
    group.close()
    assert [f.result(0) for f in futures] == list(range(1, 101))
    assert len(stored(db_path)) == 100


def test_nested_writes_are_savepoints(db_path: Path) -> None:
    db = connect(db_path)
    with write(db):
        db.execute("INSERT INTO notes (text) VALUES ('outer')")
        with pytest.raises(ValueError), write(db):
            db.execute("INSERT INTO notes (text) VALUES ('inner')")
            raise ValueError
        with write(db):
            db.execute("INSERT INTO notes (text) VALUES ('kept')")
    db.conn.close()
    assert stored(db_path) == ["outer", "kept"]


def test_writers_of_other_processes_wait_on_the_lock_file(db_path: Path) -> None:
    db = connect(db_path)
    other_process = os.open(f"{db_path.resolve()}-writer.lock", os.O_RDWR | os.O_CREAT)

    with write(db):
        with pytest.raises(BlockingIOError):
            fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)
        db.execute("INSERT INTO notes (text) VALUES ('mine')")
    fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again after the COMMIT
    fcntl.flock(other_process, fcntl.LOCK_UN)

    os.close(other_process)
    db.conn.close()
    assert stored(db_path) == ["mine"]


def test_the_wal_is_copied_back_beside_the_writer(db_path: Path) -> None:
    group = GroupCommit(db_path)
    futures = [group.submit(insert(f"{n:04d}" + "x" * 2000)) for n in range(1500)]
    assert all(f.result(30) for f in futures)

    deadline = time.monotonic() + 30  # the checkpointer's turn comes twice a second
    while db_path.stat().st_size < 3_000_000 and time.monotonic() < deadline:
        time.sleep(0.1)

    writer_autocheckpoint = group._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    group.close()
    assert writer_autocheckpoint == 0  # the writer's commits never checkpoint themselves...
    assert db_path.stat().st_size >= 3_000_000  # ...yet the rows left the WAL for the database
    assert len(stored(db_path)) == 1500
