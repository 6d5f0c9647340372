"""Citizens' reports: "Báo thông tin sai" and "Tôi bị thu phí", with a status they can follow.

A report is about a subject (procedure, branch, reception point or agent) and gets an
unguessable tracking code. Staff must answer within ``DEADLINE_WORKING_DAYS`` working days
(weekends and Vietnam's public holidays do not count): received -> in progress -> resolved or
rejected, the last two with a note the citizen reads. Text is stored as plain text (HTML is
removed); contact details are optional and only ever shown to staff, and public views mask
anything in the description that looks like a phone number, an e-mail address or an ID.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import secrets
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import feedback_store, store
from agents_registry.auth import Principal
from agents_registry.context import VIETNAM, Context
from agents_registry.db import write
from agents_registry.errors import Conflict, InvalidInput, NotFound
from agents_registry.feedback_models import (
    DESCRIPTION_MIN,
    OPEN_STATUSES,
    PublicReport,
    ReportCreated,
    ReportEvent,
    ReportIn,
    ReportKind,
    ReportStatus,
    StaffReport,
    StaffReportEvent,
    Subject,
    SubjectKind,
)
from agents_registry.feedback_store import QueueFilter
from agents_registry.hours import holiday
from agents_registry.plaintext import mask_personal, plain_text
from agents_registry.validation import normalize_phone

DEADLINE_WORKING_DAYS = 5
CODE_PREFIX = "PA-"


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (Monday-Friday, not a public holiday)."""
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and holiday(current) is None:
            count -= 1
    return current


def new_code() -> str:
    """``PA-`` and 10 base32 characters (50 random bits)."""
    return CODE_PREFIX + base64.b32encode(secrets.token_bytes(7)).decode()[:10]


def subject(db: Database, ctx: Context, kind: SubjectKind, subject_id: str) -> Subject | None:
    """The subject with its canonical id and public name, or None when it does not exist."""
    catalog = ctx.catalog
    found: tuple[str, str] | None = None
    if kind == SubjectKind.PROCEDURE:
        procedure = catalog.procedure(subject_id)
        found = (procedure.id, procedure.name) if procedure else None
    elif kind == SubjectKind.BRANCH:
        found = next(((b.id, b.name) for b in catalog.branches if b.id == subject_id), None)
    elif kind == SubjectKind.RECEPTION_POINT:
        points = (rp for b in catalog.branches for rp in b.reception_points)
        found = next(((rp.id, rp.name) for rp in points if rp.id == subject_id), None)
    else:
        agent = store.get_agent(db, subject_id.upper())
        found = (agent["id"], agent["name"]) if agent else None
    return Subject(kind=kind, id=found[0], name=found[1]) if found else None


class Location(msgspec.Struct, frozen=True, kw_only=True):
    lat: float | None = None
    lon: float | None = None
    address: str | None = None


def _checked(db: Database, ctx: Context, data: ReportIn) -> tuple[str, str | None, Subject]:
    """The plain-text description, the normalised phone and the subject, or InvalidInput with
    every problem. A filled honeypot is refused (422) before anything else; nothing is stored."""
    if data.website:
        raise InvalidInput({"website": "this field must be left empty"})
    description = plain_text(data.description)
    problems: dict[str, str] = {}
    if len(description) < DESCRIPTION_MIN:
        problems["description"] = f"must have at least {DESCRIPTION_MIN} characters of text"
    if data.kind == ReportKind.CHARGED and data.subject_kind != SubjectKind.AGENT:
        problems["subject_kind"] = "a charged report is about an agent"
    phone = normalize_phone(data.contact_phone) if data.contact_phone else None
    if data.contact_phone and phone is None:
        problems["contact_phone"] = "is not a Vietnamese phone number"
    found = subject(db, ctx, data.subject_kind, data.subject_id)
    if found is None:
        problems["subject_id"] = f"{data.subject_kind.value} {data.subject_id} does not exist"
    if problems or found is None:
        raise InvalidInput(problems)
    return description, phone, found


def create(
    db: Database,
    ctx: Context,
    data: ReportIn,
    *,
    channel: str = "site",
    location: Location | None = None,
) -> ReportCreated:
    """Record a report (status received) with its deadline; returns its tracking code."""
    description, phone, found = _checked(db, ctx, data)
    now = ctx.now()
    location = location or Location()
    code = new_code()
    due_on = add_working_days(now.astimezone(VIETNAM).date(), DEADLINE_WORKING_DAYS)
    row: dict[str, Any] = {
        "code": code,
        "kind": data.kind.value,
        "subject_kind": found.kind.value,
        "subject_id": found.id,
        "description": description,
        "status": ReportStatus.RECEIVED.value,
        "note": None,
        "assignee": None,
        "contact_name": plain_text(data.contact_name or "") or None,
        "contact_email": data.contact_email,
        "contact_phone": phone,
        "lat": location.lat,
        "lon": location.lon,
        "address": plain_text(location.address or "") or None,
        "channel": channel,
        "received_at": store.iso(now),
        "due_on": due_on.isoformat(),
        "updated_at": store.iso(now),
        "closed_at": None,
    }
    with write(db):
        feedback_store.insert_report(db, row)
        _event(db, code, now, "receive", ReportStatus.RECEIVED, None, "public")
        store.append_audit(
            db,
            at=now,
            actor="public",
            action="report.create",
            entity="report",
            entity_id=code,
            after=_without_contact(row),
        )
    return ReportCreated(code=code, status=ReportStatus.RECEIVED, received_at=now, due_on=due_on)


def _without_contact(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("contact_")}


def _event(
    db: Database,
    code: str,
    at: dt.datetime,
    action: str,
    status: ReportStatus,
    note: str | None,
    actor: str,
) -> None:
    feedback_store.insert_event(
        db,
        {
            "code": code,
            "at": store.iso(at),
            "action": action,
            "status": status.value,
            "note": note,
            "actor": actor,
        },
    )


def normalize_code(code: str) -> str:
    return code.strip().upper()


def _load(db: Database, code: str) -> dict[str, Any]:
    row = feedback_store.get_report(db, normalize_code(code))
    if row is None:
        raise NotFound(f"report {code} not found")
    return row


def _subject_of(db: Database, ctx: Context, row: dict[str, Any]) -> Subject:
    kind = SubjectKind(row["subject_kind"])
    found = subject(db, ctx, kind, row["subject_id"])
    return found or Subject(kind=kind, id=row["subject_id"], name=row["subject_id"])


def _history(rows: list[dict[str, Any]], *, staff: bool) -> list[Any]:
    if staff:
        return [msgspec.convert(r, StaffReportEvent, strict=False) for r in _event_values(rows)]
    return [
        msgspec.convert(r, ReportEvent, strict=False)
        for r in _event_values(rows, with_actor=False)
        if r["action"] != "assign"
    ]


def _event_values(rows: list[dict[str, Any]], *, with_actor: bool = True) -> list[dict[str, Any]]:
    keys = ["at", "action", "status", "note"] + (["actor"] if with_actor else [])
    return [{k: r[k] for k in keys} for r in rows]


def public_view(
    db: Database, ctx: Context, row: dict[str, Any], history: list[dict[str, Any]]
) -> PublicReport:
    values = {k: row[k] for k in PublicReport.__struct_fields__ if k in row}
    values["description"] = mask_personal(row["description"])
    values["subject"] = _subject_of(db, ctx, row)
    values["history"] = _history(history, staff=False)
    return msgspec.convert(values, PublicReport, strict=False)


def today(ctx: Context) -> dt.date:
    return ctx.now().astimezone(VIETNAM).date()


def staff_view(
    db: Database, ctx: Context, row: dict[str, Any], history: list[dict[str, Any]]
) -> StaffReport:
    values = {k: row[k] for k in StaffReport.__struct_fields__ if k in row}
    values["subject"] = _subject_of(db, ctx, row)
    values["history"] = _history(history, staff=True)
    values["overdue"] = row["status"] in OPEN_STATUSES and row["due_on"] < today(ctx).isoformat()
    return msgspec.convert(values, StaffReport, strict=False)


def get_public(db: Database, ctx: Context, code: str) -> PublicReport:
    """What anyone holding the tracking code sees: status, history, note; no contact details."""
    row = _load(db, code)
    return public_view(db, ctx, row, feedback_store.events(db, [row["code"]]))


def queue(
    db: Database,
    ctx: Context,
    f: QueueFilter,
    *,
    overdue: bool,
    modified_after: dt.datetime | None = None,
    page: int,
    page_size: int,
) -> tuple[list[StaffReport], int]:
    """The staff queue, earliest deadline first; ``modified_after`` keeps reports changed since."""
    if overdue:
        f = dataclasses.replace(f, overdue_before=today(ctx).isoformat())
    if modified_after is not None:
        f = dataclasses.replace(f, modified_after=store.iso(modified_after))
    rows, total = feedback_store.list_queue(db, f, page, page_size)
    by_code: dict[str, list[dict[str, Any]]] = {r["code"]: [] for r in rows}
    for event in feedback_store.events(db, list(by_code)):
        by_code[event["code"]].append(event)
    return [staff_view(db, ctx, r, by_code[r["code"]]) for r in rows], total


def _transition(
    db: Database,
    ctx: Context,
    code: str,
    *,
    principal: Principal,
    action: str,
    status: ReportStatus | None,
    note: str | None,
    changes: dict[str, Any] | None = None,
) -> StaffReport:
    """Move an open report to ``status`` (None: keep it) with an event and an audit entry, in
    one transaction."""
    now = ctx.now()
    with write(db):
        row = _load(db, code)
        if row["status"] not in OPEN_STATUSES:
            raise Conflict(
                f"report {row['code']} is {row['status']}, no longer open", field="status"
            )
        status = status or ReportStatus(row["status"])
        values: dict[str, Any] = {
            "status": status.value,
            "updated_at": store.iso(now),
            **(changes or {}),
        }
        if status not in OPEN_STATUSES:
            values |= {"note": note, "closed_at": store.iso(now)}
        feedback_store.update_report(db, row["code"], values)
        _event(db, row["code"], now, action, status, note, principal.actor)
        store.append_audit(
            db,
            at=now,
            actor=principal.actor,
            action=f"report.{action}",
            entity="report",
            entity_id=row["code"],
            before={k: row[k] for k in values},
            after=values,
        )
        row = _load(db, code)
        history = feedback_store.events(db, [row["code"]])
    return staff_view(db, ctx, row, history)


def assign(
    db: Database, ctx: Context, code: str, assignee: str | None, *, principal: Principal
) -> StaffReport:
    """Give the report to a staff member (the caller by default); it stays in its status."""
    name = plain_text(assignee or "") or principal.actor
    return _transition(
        db,
        ctx,
        code,
        principal=principal,
        action="assign",
        status=None,
        note=None,
        changes={"assignee": name},
    )


def progress(
    db: Database, ctx: Context, code: str, note: str | None, *, principal: Principal
) -> StaffReport:
    """Mark the report as being handled, optionally telling the citizen what is happening."""
    return _transition(
        db,
        ctx,
        code,
        principal=principal,
        action="progress",
        status=ReportStatus.IN_PROGRESS,
        note=_note(note) if note else None,
    )


def close(
    db: Database, ctx: Context, code: str, note: str | None, *, resolved: bool, principal: Principal
) -> StaffReport:
    """Resolve or reject the report with a note the citizen reads on the status page."""
    return _transition(
        db,
        ctx,
        code,
        principal=principal,
        action="resolve" if resolved else "reject",
        status=ReportStatus.RESOLVED if resolved else ReportStatus.REJECTED,
        note=_note(note),
    )


def _note(raw: str | None) -> str:
    note = plain_text(raw or "")
    if len(note) < 3:
        raise InvalidInput({"note": "must have at least 3 characters of text"})
    return note
