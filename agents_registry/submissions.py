"""Assisted submissions: record one (idempotently), list an agent's own, summarise its output."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import audit_counters, store
from agents_registry.auth import Principal
from agents_registry.context import VIETNAM, Context
from agents_registry.db import write
from agents_registry.errors import Conflict, InvalidInput
from agents_registry.models import DayOutput, Output, ProcedureOutput, Submission, SubmissionIn
from agents_registry.validation import citizen_id_problem, day_problems


def to_submission(row: dict[str, Any]) -> Submission:
    return msgspec.convert({k: row[k] for k in Submission.__struct_fields__}, Submission)


def check_submission(ctx: Context, data: SubmissionIn) -> dict[str, str]:
    problems: dict[str, str] = {}
    if ctx.catalog.procedure(data.procedure_code) is None:
        problems["procedure_code"] = f"{data.procedure_code} is not a procedure of the catalog"
    now = ctx.now()
    if data.submitted_at > now + ctx.clock_skew:
        problems["submitted_at"] = "is in the future"
    elif data.submitted_at < now - dt.timedelta(days=ctx.submission_window_days):
        problems["submitted_at"] = f"is older than {ctx.submission_window_days} days"
    if data.citizen_id is not None and (reason := citizen_id_problem(data.citizen_id)):
        problems["citizen_id"] = reason
    return problems


def record(
    db: Database,
    ctx: Context,
    data: SubmissionIn,
    *,
    principal: Principal,
    idempotency_key: str | None,
) -> tuple[Submission, bool]:
    """Record a submission for the calling agent; returns (record, created).

    A replay (same Idempotency-Key, or the same dossier by the same agent) returns the original
    record with created=False. The same dossier claimed by another agent is a Conflict, and the
    claim is kept for the audit.
    """
    problems = check_submission(ctx, data)
    if problems:
        raise InvalidInput(problems)
    agent_id = principal.subject
    procedure = ctx.catalog.procedure(data.procedure_code)
    assert procedure is not None
    now = ctx.now()
    row = {
        "agent_id": agent_id,
        "dossier_code": data.dossier_code,
        "procedure_code": procedure.key,
        "mode": data.mode.value,
        "submitted_at": store.iso(data.submitted_at),
        "citizen_hash": ctx.keyed_hash("citizen", data.citizen_id) if data.citizen_id else None,
        "notes": data.notes,
        "idempotency_key": idempotency_key,
        "recorded_at": store.iso(now),
        "demo": 0,
    }
    audit_after = {k: v for k, v in row.items() if k != "citizen_hash"}
    full_online = data.mode.value == "full_online"
    newest_day = audit_counters.local_day(now + ctx.clock_skew)
    # Everything above is prepared outside the transaction: the write lock is held briefly.
    contested_by: str | None = None
    with write(db):
        if idempotency_key is not None:
            previous = store.submission_by_idempotency_key(db, agent_id, idempotency_key)
            if previous is not None:
                if previous["dossier_code"] != data.dossier_code:
                    raise Conflict(
                        "Idempotency-Key was already used for another dossier",
                        field="Idempotency-Key",
                    )
                return to_submission(previous), False
        existing = store.submission_by_dossier(db, data.dossier_code)
        if existing is not None and existing["agent_id"] == agent_id:
            return to_submission(existing), False
        if existing is not None:
            contested_by = existing["agent_id"]
        else:
            try:
                row_id = store.insert_submission(db, row)
            except sqlite3.IntegrityError as exc:  # a concurrent writer took the dossier first
                raise Conflict(
                    f"dossier {data.dossier_code} was recorded concurrently", field="dossier_code"
                ) from exc
            audit_counters.count_submission(
                db,
                agent_id,
                data.dossier_code,
                procedure.key,
                data.submitted_at,
                full_online,
                newest_day,
            )
            store.append_audit(
                db,
                at=now,
                actor=principal.actor,
                action="submission.create",
                entity="submission",
                entity_id=str(row_id),
                after=audit_after,
            )
            return to_submission({**row, "id": row_id}), True
    # Outside the read transaction: keep the contested claim for the audit, then refuse.
    with write(db):
        store.insert_contested_claim(db, data.dossier_code, agent_id, contested_by, ctx.now())
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="submission.contested",
            entity="dossier",
            entity_id=data.dossier_code,
            after={"claimed_by": agent_id, "owner": contested_by},
        )
    raise Conflict(
        f"dossier {data.dossier_code} is already recorded by another agent", field="dossier_code"
    )


def check_period(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if problems := day_problems({"from": date_from, "to": date_to}):
        raise InvalidInput(problems)


def _local_day_start(day: dt.date) -> str:
    return store.iso(dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM))


def list_own(
    db: Database,
    agent_id: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    page: int,
    page_size: int,
    recorded_after: dt.datetime | None = None,
) -> tuple[list[Submission], int]:
    """An agent's submissions; ``recorded_after`` keeps those recorded after that moment."""
    check_period(date_from, date_to)
    since = _local_day_start(date_from) if date_from else None
    until = _local_day_start(date_to + dt.timedelta(days=1)) if date_to else None
    after = store.iso(recorded_after) if recorded_after else None
    rows, total = store.list_submissions(db, agent_id, since, until, page, page_size, after)
    return [to_submission(r) for r in rows], total


def output(
    db: Database, ctx: Context, agent_id: str, date_from: dt.date | None, date_to: dt.date | None
) -> Output:
    """Counts by local day and by procedure, and the fully-online share, over [from, to]."""
    check_period(date_from, date_to)
    today = ctx.now().astimezone(VIETNAM).date()
    end = date_to or today
    start = date_from or end - dt.timedelta(days=29)
    since, until = _local_day_start(start), _local_day_start(end + dt.timedelta(days=1))
    days = [
        DayOutput(
            date=dt.date.fromisoformat(r["date"]), count=r["count"], full_online=r["full_online"]
        )
        for r in store.output_by_day(db, agent_id, since, until, "+7 hours")
    ]
    procedures = []
    for r in store.output_by_procedure(db, agent_id, since, until):
        procedure = ctx.catalog.procedure(r["procedure_code"])
        procedures.append(
            ProcedureOutput(
                procedure_code=r["procedure_code"],
                name=procedure.name if procedure else r["procedure_code"],
                count=r["count"],
            )
        )
    total = sum(d.count for d in days)
    full = sum(d.full_online for d in days)
    return Output(
        date_from=start,
        date_to=end,
        total=total,
        full_online=full,
        full_online_share=round(full / total, 4) if total else 0.0,
        target_full_online_share=ctx.target_full_online_share,
        by_day=days,
        by_procedure=procedures,
    )
