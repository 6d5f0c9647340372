"""Operating limits of a database file: read-only, or a size quota.

Set once per process (by the app, from ``HCC_DB_READONLY`` / ``HCC_DB_MAX_MB``) and applied by
``db.connect`` to every connection this process opens to that file, whichever part of the code
opens it. Writes past a limit fail with SQLite's own errors (``attempt to write a readonly
database``, ``database or disk is full``), exactly as on a read-only mount or a full disk, and
the API answers them with a 503 that says which.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    read_only: bool = False
    max_bytes: int | None = None


_LIMITS: dict[str, Limits] = {}


def _key(path: Path | str) -> str:
    return str(Path(path).resolve())


def set_limits(path: Path | str, limits: Limits) -> None:
    """Limit every connection this process opens to ``path`` from now on."""
    if limits == Limits():
        _LIMITS.pop(_key(path), None)
    else:
        _LIMITS[_key(path)] = limits


def apply_limits(conn: sqlite3.Connection, path: Path | str) -> None:
    if str(path) == ":memory:":
        return
    limits = _LIMITS.get(_key(path))
    if limits is None:
        return
    if limits.max_bytes is not None:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(1, limits.max_bytes // page_size)}")
    if limits.read_only:
        conn.execute("PRAGMA query_only = ON")
