"""Opening the registry database: WAL, durable commits, foreign keys, a busy timeout."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from agents_registry.limits import apply_limits
from agents_registry.writer_lock import Connection, writer_lock

BUSY_TIMEOUT_MS = 10_000
# Reads map the file instead of copying pages into each connection's 2 MB cache: index seeks
# of the audit ranking (20,000 at 10,000 agents) cost about a fifth less (bench/audit.py).
MMAP_BYTES = 1 << 30

T = TypeVar("T")


def connect(path: Path | str, synchronous: str = "FULL") -> Database:
    """A connection usable from any thread, in autocommit mode (transactions are explicit).

    ``synchronous=FULL`` with WAL makes every acknowledged commit survive a power loss.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path),
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=Connection,
    )
    conn.path = None if str(path) == ":memory:" else str(Path(path).resolve())
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    apply_limits(conn, path)
    return Database(conn)


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction, taking the write lock up front (BEGIN IMMEDIATE).

    Writers queue on the database's writer lock first (threads and processes, see
    ``writer_lock``), so BEGIN IMMEDIATE rarely meets SQLite's polling busy handler. Inside a
    transaction that is already open (a ``GroupCommit`` batch) the block is a savepoint
    instead: it still commits or rolls back as a whole, and becomes durable with the enclosing
    COMMIT.
    """
    if db.conn.in_transaction:
        with _savepoint(db):
            yield db
        return
    with writer_lock(db.conn):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")


@contextmanager
def _savepoint(db: Database) -> Iterator[None]:
    db.conn.execute("SAVEPOINT hcc_write")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK TO hcc_write")
            db.conn.execute("RELEASE hcc_write")
        raise
    else:
        db.conn.execute("RELEASE hcc_write")


Job = Callable[[Database], T]


class Checkpointer:
    """Copies the WAL back into the database beside the writers, not inside their commits.

    SQLite's automatic checkpoint runs in the COMMIT that takes the WAL past 1,000 pages: that
    writer — with group commit, every request queued behind it — waits while the pages are
    copied and the database file is synced. This thread runs PASSIVE checkpoints instead,
    which never block writers, every ``interval`` seconds (a no-op when nothing is new).
    """

    def __init__(self, path: Path | str, interval: float = 0.5) -> None:
        self.interval = interval
        self._db = connect(path)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hcc-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.OperationalError:  # busy, or a read-only database: later, or never
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._db.conn.close()


class GroupCommit:
    """A writer thread that runs queued write jobs in shared transactions: group commit.

    With ``synchronous=FULL`` every COMMIT waits for the disk; under concurrent load that wait,
    paid once per request, is what callers queue on. Here the jobs that arrived while one batch
    was committing run together in the next transaction, each inside its own ``write()``
    savepoint (a failing job rolls back only its own changes), and one COMMIT makes them all
    durable. A job's result is released only after that COMMIT returned, so an acknowledged
    write survives a crash; if the COMMIT fails, every job of the batch gets the error.
    """

    def __init__(self, path: Path | str, max_batch: int = 64) -> None:
        self.max_batch = max_batch
        self._db = connect(path)
        self._db.execute("PRAGMA wal_autocheckpoint = 0")  # the Checkpointer does it, beside us
        self._checkpointer = Checkpointer(path)
        self._jobs: queue.SimpleQueue[tuple[Job[Any], Future[Any]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="hcc-group-commit", daemon=True)
        self._thread.start()

    def submit(self, job: Job[T]) -> Future[T]:
        """Queue ``job(db)``; the future resolves once its batch is committed.

        The job must write through the ``db`` it is given (its ``write()`` blocks become
        savepoints); opening another write transaction from the job would wait on itself.
        """
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def close(self) -> None:
        """Finish the queued jobs, then stop the thread and close its connection."""
        self._jobs.put(None)
        self._thread.join()
        self._checkpointer.close()
        self._db.conn.close()

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[tuple[Job[Any], Future[Any]]]) -> None:
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        conn = self._db.conn
        try:
            with writer_lock(conn):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for job, future in batch:
                        if future.set_running_or_notify_cancel():
                            outcomes.append(self._run_job(job, future))
                            if not conn.in_transaction:  # SQLite aborted it (disk full, I/O)
                                raise outcomes[-1][2] or sqlite3.OperationalError("aborted")
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except Exception as exc:  # BEGIN or COMMIT failed: nothing of this batch is durable
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def _run_job(
        self, job: Job[Any], future: Future[Any]
    ) -> tuple[Future[Any], Any, BaseException | None]:
        try:
            return future, job(self._db), None
        except Exception as exc:  # the job's own failure; its write() savepoints rolled back
            return future, None, exc


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
