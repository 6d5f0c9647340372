"""All SQL of citizens' reports (tables ``reports`` and ``report_events``, migration m004).

Callers own transactions (``agents_registry.db.write``); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from agents_registry.store import Row, _all, _count, _one

OPEN = ("received", "in_progress")
CLOSED = ("resolved", "rejected")


def insert_report(db: Database, row: Row) -> None:
    db.table("reports").insert(row)


def get_report(db: Database, code: str) -> Row | None:
    return _one(db, "SELECT * FROM reports WHERE code = ?", [code])


def update_report(db: Database, code: str, values: Row) -> None:
    db.table("reports").update(code, values)


def insert_event(db: Database, row: Row) -> None:
    db.execute(
        "INSERT INTO report_events (code, at, action, status, note, actor) "
        "VALUES (:code, :at, :action, :status, :note, :actor)",
        row,
    )


def events(db: Database, codes: Sequence[str]) -> list[Row]:
    """The history of each report in ``codes``, oldest first."""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    return _all(
        db, f"SELECT * FROM report_events WHERE code IN ({marks}) ORDER BY code, id", list(codes)
    )


@dataclass(frozen=True, kw_only=True)
class QueueFilter:
    """Staff queue filters; ``status`` may be ``open`` or ``closed``; ``overdue_before`` is
    today's local date when only overdue reports are wanted."""

    status: str | None = None
    kind: str | None = None
    subject_kind: str | None = None
    subject_id: str | None = None
    overdue_before: str | None = None
    modified_after: str | None = None


def list_queue(db: Database, f: QueueFilter, page: int, page_size: int) -> tuple[list[Row], int]:
    """Reports by deadline (earliest first), then by receipt."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.status in {"open", "closed"}:
        clauses.append("status IN (?, ?)")
        params += list(OPEN if f.status == "open" else CLOSED)
    elif f.status is not None:
        clauses.append("status = ?")
        params.append(f.status)
    for column, value in (
        ("kind", f.kind),
        ("subject_kind", f.subject_kind),
        ("subject_id", f.subject_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.overdue_before is not None:
        clauses.append("status IN (?, ?) AND due_on < ?")
        params += [*OPEN, f.overdue_before]
    if f.modified_after is not None:
        clauses.append("updated_at > ?")
        params.append(f.modified_after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT * FROM reports {where}"
    rows = _all(
        db,
        f"{sql} ORDER BY due_on, received_at, code LIMIT ? OFFSET ?",
        [*params, page_size, (page - 1) * page_size],
    )
    return rows, _count(db, sql, params)


def list_for_open311(
    db: Database,
    *,
    codes: Sequence[str],
    kind: str | None,
    statuses: Sequence[str] | None,
    since: str | None,
    until: str | None,
    limit: int,
    modified_after: str | None = None,
) -> list[Row]:
    """Reports for the Open311 GeoReport list, newest first; ``modified_after`` keeps those
    updated after that moment."""
    clauses: list[str] = []
    params: list[Any] = []
    if codes:
        clauses.append(f"code IN ({', '.join('?' for _ in codes)})")
        params += list(codes)
    if kind is not None:
        clauses.append("kind = ?")
        params.append(kind)
    if statuses is not None:
        clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
        params += list(statuses)
    if since is not None:
        clauses.append("received_at >= ?")
        params.append(since)
    if until is not None:
        clauses.append("received_at <= ?")
        params.append(until)
    if modified_after is not None:
        clauses.append("updated_at > ?")
        params.append(modified_after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return _all(
        db,
        f"SELECT * FROM reports {where} ORDER BY received_at DESC, code LIMIT ?",
        [*params, limit],
    )


def charged_reports(db: Database, since: str, until: str, agent_id: str | None = None) -> list[Row]:
    """Charged reports about agents (or one) received in [since, until) and not rejected."""
    where, params = ("AND subject_id = ?", [agent_id]) if agent_id else ("", [])
    return _all(
        db,
        "SELECT subject_id AS agent_id, code, status, received_at FROM reports "
        "WHERE kind = 'charged' AND subject_kind = 'agent' AND status != 'rejected' "
        f"AND received_at >= ? AND received_at < ? {where} "
        "ORDER BY subject_id, received_at, code",
        [since, until, *params],
    )
