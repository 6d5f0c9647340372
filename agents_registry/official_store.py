"""SQL of the reconciliation with official dossier records (see agents_registry.reconcile).

Callers own transactions; the classification of a submission by its official record is
``audit_store.OFFICIAL_SQL``.
"""

from __future__ import annotations

from sqlite_utils import Database

from agents_registry.audit_store import LOCAL, OFFICIAL_SQL
from agents_registry.store import Row, _all, _one


def _by_code(db: Database, select: str, codes: list[str]) -> dict[str, Row]:
    """Rows of ``select`` (ending in ``WHERE dossier_code IN``) for the codes, 500 at a time."""
    found: dict[str, Row] = {}
    for i in range(0, len(codes), 500):
        chunk = codes[i : i + 500]
        rows = _all(db, f"{select} ({', '.join('?' for _ in chunk)})", chunk)
        found.update({r["dossier_code"]: r for r in rows})
    return found


def official_records(db: Database, codes: list[str]) -> dict[str, Row]:
    return _by_code(db, "SELECT * FROM official_records WHERE dossier_code IN", codes)


def submissions_for(db: Database, codes: list[str]) -> dict[str, Row]:
    return _by_code(
        db,
        "SELECT dossier_code, agent_id, procedure_code, submitted_at, "
        f"date(submitted_at, '{LOCAL}') AS day FROM submissions WHERE dossier_code IN",
        codes,
    )


def upsert_official(db: Database, rows: list[Row]) -> None:
    db.conn.executemany(
        "INSERT INTO official_records (dossier_code, procedure_code, received_at, status, due_at, "
        "completed_at, reconciliation_id, updated_at) VALUES (:dossier_code, :procedure_code, "
        ":received_at, :status, :due_at, :completed_at, :reconciliation_id, :updated_at) "
        "ON CONFLICT (dossier_code) DO UPDATE SET procedure_code = excluded.procedure_code, "
        "received_at = excluded.received_at, status = excluded.status, due_at = excluded.due_at, "
        "completed_at = excluded.completed_at, reconciliation_id = excluded.reconciliation_id, "
        "updated_at = excluded.updated_at",
        rows,
    )


def insert_reconciliation(db: Database, row: Row) -> int:
    cursor = db.execute(
        "INSERT INTO reconciliations (at, actor, filename, sha256, rows, matched, unmatched, "
        "conflicting, changed) VALUES (:at, :actor, :filename, :sha256, :rows, :matched, "
        ":unmatched, :conflicting, :changed)",
        row,
    )
    return int(cursor.lastrowid or 0)


def day_official_counts(db: Database, agent_id: str, since: str, until: str) -> Row:
    """One agent-day's official counts recomputed from raw rows ([since, until) in UTC)."""
    official = ", ".join(f"coalesce(sum({sql}), 0) AS {name}" for name, sql in OFFICIAL_SQL.items())
    row = _one(
        db,
        f"SELECT {official} FROM submissions s "
        "LEFT JOIN official_records o ON o.dossier_code = s.dossier_code "
        "WHERE s.agent_id = ? AND s.submitted_at >= ? AND s.submitted_at < ?",
        [agent_id, since, until],
    )
    assert row is not None
    return row


def set_day_official(db: Database, agent_id: str, day: str, values: Row) -> None:
    db.execute(
        "UPDATE audit_agent_days SET verified = ?, returned = ?, completed = ?, on_time = ? "
        "WHERE agent_id = ? AND day = ?",
        [
            values["verified"],
            values["returned"],
            values["completed"],
            values["on_time"],
            agent_id,
            day,
        ],
    )


def month_dossiers(db: Database, since: str, until: str) -> list[Row]:
    """Demo submissions recorded in [since, until), in dossier-code order, with agent numbers."""
    return _all(
        db,
        "SELECT s.dossier_code, s.procedure_code, s.submitted_at, a.number FROM submissions s "
        "JOIN agents a ON a.id = s.agent_id WHERE s.submitted_at >= ? AND s.submitted_at < ? "
        "AND s.demo = 1 ORDER BY s.dossier_code",
        [since, until],
    )
