"""Reconciliation with official dossier records: import a CSV or XLSX export, all or nothing.

Columns (first row, any order): dossier_code, procedure_code, received_at, status, due_at,
completed_at. Times are ISO 8601 (a date, or a date and time; without a UTC offset they are
Hanoi time). status is one of STATUSES; completed needs completed_at. A file with any bad row
is refused with every bad row listed and nothing written; a good one upserts the records that
changed, updates the matched submissions' counters and reports matched / unmatched /
conflicting rows. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from typing import Any

import openpyxl
from sqlite_utils import Database

from agents_registry import audit_store, official_store, store
from agents_registry.audit_counters import day_bounds
from agents_registry.audit_models import Conflict, ReconciliationReport
from agents_registry.auth import Principal
from agents_registry.context import VIETNAM, Context
from agents_registry.db import write
from agents_registry.errors import InvalidInput

COLUMNS = ("dossier_code", "procedure_code", "received_at", "status", "due_at", "completed_at")
STATUSES = ("received", "processing", "completed", "returned", "rejected")
DOSSIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}$")
PROCEDURE = re.compile(r"^[A-Za-z0-9.\-]{1,120}$")
LISTED = 100  # conflicts and unmatched codes listed in the report
XLSX_MAGIC = b"PK\x03\x04"

Record = dict[str, Any]


def _cells(content: bytes) -> Iterator[tuple[int, list[object]]]:
    """(line number, cells) of a CSV (UTF-8, with or without BOM) or XLSX (first sheet)."""
    if content.startswith(XLSX_MAGIC):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, list(values)
        finally:
            book.close()
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput({"file": "is neither UTF-8 CSV nor XLSX"}) from exc
    for line, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        yield line, list(values)


def _moment(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        moment = dt.datetime.fromisoformat(str(value).strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _check(raw: dict[str, object], problems: dict[str, str], line: int) -> Record | None:
    """One row normalised (UTC ISO times), or None with its problems added."""
    before = len(problems)

    def bad(field: str, message: str) -> None:
        problems[f"rows[{line}].{field}"] = f"line {line}: {field} {message}"

    record: Record = {"dossier_code": _text(raw.get("dossier_code"))}
    if not DOSSIER.match(record["dossier_code"]):
        bad("dossier_code", "is not a dossier code")
    record["procedure_code"] = _text(raw.get("procedure_code"))
    if not PROCEDURE.match(record["procedure_code"]):
        bad("procedure_code", "is not a procedure code")
    record["status"] = _text(raw.get("status"))
    if record["status"] not in STATUSES:
        bad("status", f"must be one of {', '.join(STATUSES)}")
    moments: dict[str, dt.datetime | None] = {}
    for field in ("received_at", "due_at", "completed_at"):
        value = raw.get(field)
        moments[field] = None
        if value is None or _text(value) == "":
            if field == "received_at":
                bad(field, "is required")
            continue
        try:
            moments[field] = _moment(value)
        except ValueError:
            bad(field, "is not an ISO 8601 date or time")
    received, completed = moments["received_at"], moments["completed_at"]
    for field in ("due_at", "completed_at"):
        moment = moments[field]
        if received and moment and moment < received:
            bad(field, "is before received_at")
    if (
        record["status"] == "completed"
        and completed is None
        and f"rows[{line}].completed_at" not in problems
    ):
        bad("completed_at", "is required when status is completed")
    if record["status"] in ("received", "processing") and completed is not None:
        bad("completed_at", f"must be empty while status is {record['status']}")
    if len(problems) > before:
        return None
    record.update({k: store.iso(v) if v else None for k, v in moments.items()})
    return record


def parse(content: bytes) -> list[Record]:
    """Every row of the file, normalised; InvalidInput lists every bad row by line number."""
    rows = _cells(content)
    header = next(rows, None)
    if header is None:
        raise InvalidInput({"file": "is empty"})
    names = [_text(v).lower() for v in header[1]]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InvalidInput({"file": f"line 1: missing column(s) {', '.join(missing)}"})
    problems: dict[str, str] = {}
    records: list[Record] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        if all(_text(v) == "" for v in values):
            continue
        raw = dict(zip(names, values, strict=False))
        record = _check(raw, problems, line)
        code = _text(raw.get("dossier_code"))
        if code in seen:
            problems[f"rows[{line}].dossier_code"] = (
                f"line {line}: dossier_code {code} repeats line {seen[code]}"
            )
            continue
        seen[code] = line
        if record is not None:
            records.append(record)
    if problems:
        raise InvalidInput(problems)
    if not records:
        raise InvalidInput({"file": "has no records"})
    return records


def _changed(record: Record, existing: Record | None) -> bool:
    return existing is None or any(existing[c] != record[c] for c in COLUMNS if c != "dossier_code")


def reconcile(
    db: Database, ctx: Context, content: bytes, filename: str, principal: Principal
) -> ReconciliationReport:
    """Import the file (see the module docstring) and report what matched and what changed."""
    records = parse(content)
    codes = [r["dossier_code"] for r in records]
    now = ctx.now()
    with write(db):
        submissions = official_store.submissions_for(db, codes)
        existing = official_store.official_records(db, codes)
        changed = [r for r in records if _changed(r, existing.get(r["dossier_code"]))]
        conflicts = [
            Conflict(
                dossier_code=r["dossier_code"],
                field="procedure_code",
                official=r["procedure_code"],
                recorded=submissions[r["dossier_code"]]["procedure_code"],
            )
            for r in records
            if r["dossier_code"] in submissions
            and submissions[r["dossier_code"]]["procedure_code"] != r["procedure_code"]
        ]
        touched = {
            (s["agent_id"], s["day"])
            for s in (submissions.get(r["dossier_code"]) for r in changed)
            if s is not None
        }
        report = ReconciliationReport(
            id=None,
            filename=filename,
            rows=len(records),
            matched=len(submissions),
            unmatched=len(records) - len(submissions),
            conflicting=len(conflicts),
            changed=len(changed),
            agents_affected=len({agent for agent, _ in touched}),
            conflicts=conflicts[:LISTED],
            unmatched_codes=[c for c in codes if c not in submissions][:LISTED],
        )
        if not changed:
            return report
        report.id = official_store.insert_reconciliation(
            db,
            {
                "at": store.iso(now),
                "actor": principal.actor,
                "filename": filename,
                "sha256": hashlib.sha256(content).hexdigest(),
                **{k: getattr(report, k) for k in ("rows", "matched", "unmatched")},
                **{k: getattr(report, k) for k in ("conflicting", "changed")},
            },
        )
        official_store.upsert_official(
            db,
            [{**r, "reconciliation_id": report.id, "updated_at": store.iso(now)} for r in changed],
        )
        _recount(db, touched)
        store.append_audit(
            db,
            at=now,
            actor=principal.actor,
            action="reconciliation.import",
            entity="reconciliation",
            entity_id=str(report.id),
            after={k: getattr(report, k) for k in ("filename", "rows", "matched", "unmatched")}
            | {"conflicting": report.conflicting, "changed": report.changed},
        )
    return report


def _recount(db: Database, touched: set[tuple[str, str]]) -> None:
    """Recount the official columns of the touched agent-days, then the running totals."""
    first: dict[str, str] = {}
    for agent_id, day in sorted(touched):
        first.setdefault(agent_id, day)
        local = dt.date.fromisoformat(day)
        since, until = day_bounds(local, local)
        official_store.set_day_official(
            db, agent_id, day, official_store.day_official_counts(db, agent_id, since, until)
        )
    for agent_id, day in first.items():
        audit_store.refresh(db, agent_id, day)
