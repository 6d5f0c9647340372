"""A sample official export for the demo network: what the center's dossier system would list
for one month, so staff can try the reconciliation (examples/ ships one).

Deterministic for a given database: most of the month's demo dossiers appear with their
official outcome; a few agents' dossiers mostly do not (agents that exist on paper); some
records name another procedure (conflicts) and some dossiers were received directly by the
branch (unmatched).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import openpyxl
from sqlite_utils import Database

from agents_registry import official_store
from agents_registry.audit_counters import day_bounds
from agents_registry.context import VIETNAM
from agents_registry.reconcile import COLUMNS

PAPER_AGENT_EVERY = 40  # one agent in 40 (by number) has most of its dossiers missing
PAPER_KEEP, KEEP, CONFLICT, DIRECT = 0.35, 0.97, 0.015, 0.03
FIXED_TIME = dt.datetime(2026, 1, 1)  # workbook metadata, so the file is reproducible


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _outcome(rng: random.Random, received: dt.datetime) -> dict[str, str]:
    due = received + dt.timedelta(days=7)
    draw = rng.random()
    if draw < 0.82:
        done = received + dt.timedelta(hours=rng.randint(20, 11 * 24))
        return {"status": "completed", "due_at": _local(due), "completed_at": _local(done)}
    if draw < 0.9:
        done = received + dt.timedelta(hours=rng.randint(4, 72))
        return {"status": "returned", "due_at": _local(due), "completed_at": _local(done)}
    if draw < 0.92:
        done = received + dt.timedelta(hours=rng.randint(4, 72))
        return {"status": "rejected", "due_at": _local(due), "completed_at": _local(done)}
    return {"status": "processing", "due_at": _local(due), "completed_at": ""}


def official_rows(db: Database, month: str) -> list[dict[str, str]]:
    """The sample export of ``month`` (YYYY-MM) from the demo submissions in ``db``."""
    first = dt.date.fromisoformat(f"{month}-01")
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    since, until = day_bounds(first, last)
    rng = random.Random(f"hcc-official:{month}")
    procedures = sorted(
        {r["procedure_code"] for r in official_store.month_dossiers(db, since, until)}
    )
    rows = []
    for s in official_store.month_dossiers(db, since, until):
        paper = s["number"] % PAPER_AGENT_EVERY == 7
        if rng.random() >= (PAPER_KEEP if paper else KEEP):
            continue
        received = dt.datetime.fromisoformat(s["submitted_at"]) + dt.timedelta(
            minutes=rng.randint(5, 240)
        )
        procedure = s["procedure_code"]
        if rng.random() < CONFLICT:
            procedure = rng.choice([p for p in procedures if p != procedure] or [procedure])
        record = {"dossier_code": s["dossier_code"], "procedure_code": procedure}
        rows.append({**record, "received_at": _local(received), **_outcome(rng, received)})
        if rng.random() < DIRECT:  # the branch received the next number itself
            code = f"{s['dossier_code'][:-4]}{int(s['dossier_code'][-4:]) + 5000:04d}"
            direct = {"dossier_code": code, "procedure_code": rng.choice(procedures)}
            rows.append({**direct, "received_at": _local(received), **_outcome(rng, received)})
    return [{c: r[c] for c in COLUMNS} for r in rows]


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    book.properties.created = book.properties.modified = FIXED_TIME
    sheet = book.create_sheet("official")
    sheet.append(list(COLUMNS))
    for r in rows:
        sheet.append([r[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
