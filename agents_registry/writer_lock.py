"""The write lock of a database file, for the threads of this process and for other processes.

SQLite orders writers itself (BEGIN IMMEDIATE waits in its busy handler), but that handler
polls: it sleeps 1, 2, 5, 10 … 100 ms between attempts while the lock may already be free.
Writers here queue instead — threads on a lock, processes (several workers, the CLI) on an
``flock`` of a file beside the database — and the next one wakes the moment the lock is
released. SQLite's own lock still decides; this only makes waiting for it cheap.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_THREADS = threading.Lock()
_FILES: dict[str, int | None] = {}
_FILES_GUARD = threading.Lock()


class Connection(sqlite3.Connection):
    """A connection that knows its database file, so that writers can find its lock."""

    path: str | None = None


def _lock_file(path: str) -> int | None:
    with _FILES_GUARD:
        if path not in _FILES:
            try:
                _FILES[path] = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:  # a read-only folder: SQLite's busy handler alone orders writers
                _FILES[path] = None
        return _FILES[path]


@contextmanager
def writer_lock(conn: sqlite3.Connection) -> Iterator[None]:
    """Hold the write lock of ``conn``'s database: first among threads, then among processes."""
    with _THREADS:
        path = conn.path if isinstance(conn, Connection) else None
        fd = _lock_file(path) if path else None
        if fd is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
