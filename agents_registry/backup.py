"""Online backup and restore of the registry database with SQLite's backup API.

A backup copies one consistent snapshot while the server keeps writing: the source connection
holds a read transaction for the whole copy (WAL lets writers go on), so the copy is the
database as it was when the backup started, and the copy proceeds in steps that report progress.
The result is a single self-contained file (rollback journal, no ``-wal``), integrity-checked.

A restore first checks the backup (integrity, a registry whose migrations this code knows),
then refuses while any other connection has the database open (a running server holds its
connections open), and finally copies the backup into the database in one transaction through
the same backup API, which rewrites the WAL properly: the database is either all old or all new.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from agents_registry.migrations import migrations

Progress = Callable[[int, int], None]
PAGES_PER_STEP = 100


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    pages: int
    bytes: int
    pending_migrations: tuple[str, ...]


def backup(source: Path, target: Path, progress: Progress | None = None) -> Snapshot:
    """Copy ``source`` (possibly in use) to ``target`` atomically; return what was written."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    _distinct(target, source)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None, timeout=30)
    dst = sqlite3.connect(partial, isolation_level=None)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        src.backup(dst, pages=PAGES_PER_STEP, progress=_report(progress))
        src.execute("COMMIT")
        dst.execute("PRAGMA journal_mode = DELETE")
        _check_integrity(dst, partial)
    finally:
        src.close()
        dst.close()
    os.replace(partial, target)
    return inspect(target)


def inspect(path: Path) -> Snapshot:
    """Integrity and schema of a backup; raises ``BackupError`` when it is not a usable registry."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            _check_integrity(conn, path)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not an SQLite database: {exc}") from exc
        db = Database(conn)
        applied = {m.name for m in migrations.applied(db)}
        if not applied:
            raise BackupError(f"{path} is not an hcc registry (no migrations applied)")
        known = {m.name for m in migrations.pending(Database(memory=True))}
        if applied - known:
            raise BackupError(
                f"{path} comes from a newer hcc (migrations {sorted(applied - known)}): "
                "upgrade hcc before restoring it"
            )
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        pending = tuple(m.name for m in migrations.pending(db))
    finally:
        conn.close()
    return Snapshot(path, pages, path.stat().st_size, pending)


def restore(backup_path: Path, target: Path, progress: Progress | None = None) -> Snapshot:
    """Replace the database at ``target`` by the backup, in one transaction."""
    _distinct(backup_path, target)
    snapshot = inspect(backup_path)
    dst = sqlite3.connect(target, isolation_level=None, timeout=0)
    src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True, isolation_level=None)
    try:
        dst.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            dst.execute("BEGIN EXCLUSIVE")
            dst.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise BackupError(
                f"{target} is in use (a running server or another command holds it open): "
                "stop the server, then restore"
            ) from exc
        src.backup(dst, pages=-1, progress=_report(progress))
        dst.execute("PRAGMA journal_mode = WAL")
        _check_integrity(dst, target)
    finally:
        src.close()
        dst.close()
    return snapshot


def _distinct(path: Path, database: Path) -> None:
    """Refuse ``path`` when it names ``database``: a copy onto itself would replace the live
    file under a running server, a restore from itself would wait for its own lock forever."""
    if path.exists() and database.exists() and path.samefile(database):  # links too
        raise BackupError(f"{path} is the database itself: choose another file")


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"{path} fails the integrity check: {result[:5]}")


def _report(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def step(status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return step
