"""Opening the registry database: WAL, durable commits, foreign keys, a busy timeout."""

from __future__ import annotations

import sqlite3
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


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction, taking the write lock up front (BEGIN IMMEDIATE).

    Taking the lock at the start lets the busy timeout queue concurrent writers instead of
    failing a reader that tries to upgrade to a writer mid-transaction.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
