"""Opening the registry database: WAL, durable commits, foreign keys, a busy timeout."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path | str, synchronous: str = "FULL") -> Database:
    """A connection usable from any thread, in autocommit mode (transactions are explicit).

    ``synchronous=FULL`` with WAL makes every acknowledged commit survive a power loss.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


# Writers of one process queue on this lock instead of SQLite's busy handler, which sleeps
# 1-100 ms between retries and leaves the write lock idle meanwhile.
_WRITER = threading.Lock()


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction, taking the write lock up front (BEGIN IMMEDIATE).

    Threads of this process take turns on a lock first; BEGIN IMMEDIATE plus the busy timeout
    still order writers across processes (several workers, the CLI).
    """
    with _WRITER:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")


class Pool:
    """Reusable connections to one database: a request takes one, and gives it back clean."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self._idle: queue.SimpleQueue[Database] = queue.SimpleQueue()

    def acquire(self) -> Database:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return connect(self.path)

    def release(self, db: Database) -> None:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        self._idle.put(db)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().conn.close()
            except queue.Empty:
                return
