"""The audit counters: kept up to date inside every submission's transaction, rebuilt from raw
rows after bulk writes (the demo seed), and checked against a rebuild.

One row per agent and local day with activity holds that day's counts and the agent's running
totals, so the figures of any period are the difference of two rows (see ``audit_store``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import msgspec
from sqlite_utils import Database

from agents_registry import audit_store
from agents_registry.context import VIETNAM
from agents_registry.store import Row, iso
from catalog.models import DAYS, OpeningHours

END_OF_DAY = "23:59"  # a range ending at 23:59 runs to midnight

WeekRanges = tuple[tuple[tuple[str, str], ...], ...]


@lru_cache(maxsize=4096)
def week_ranges(opening_hours_json: str) -> WeekRanges:
    """Declared ranges per weekday (0 = Monday) as ('HH:MM', 'HH:MM') pairs."""
    hours = msgspec.json.decode(opening_hours_json, type=OpeningHours)
    return tuple(tuple((r[:5], r[6:11]) for r in getattr(hours, day)) for day in DAYS)


def local_day(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).date().isoformat()


def day_bounds(first: dt.date, last: dt.date) -> tuple[str, str]:
    """UTC ISO bounds [since, until) of local days first..last."""
    since = dt.datetime.combine(first, dt.time(), tzinfo=VIETNAM)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    return iso(since), iso(until)


def count_submission(
    db: Database,
    agent_id: str,
    dossier_code: str,
    procedure_code: str,
    submitted_at: dt.datetime,
    full_online: bool,
    newest_day: str,
) -> None:
    """Add one recorded submission to its agent-day (inside the caller's transaction).

    ``newest_day`` is the latest local day any recorded submission can have (today, or
    tomorrow within the clock skew): on that day no later row exists to correct. Otherwise a
    back-dated submission refreshes the agent's running totals from its day on.
    """
    local = submitted_at.astimezone(VIETNAM)
    day = local.date().isoformat()
    values = {
        "agent_id": agent_id,
        "day": day,
        "full_online": int(full_online),
        "weekday": DAYS[local.weekday()],
        "hhmm": f"{local.hour:02d}:{local.minute:02d}",
        "dossier_code": dossier_code,
        "procedure_code": procedure_code,
    }
    if not audit_store.bump(db, values):  # the agent's first submission of that day
        audit_store.count_one(db, values)
    if day < newest_day and audit_store.latest_day(db, agent_id) > day:
        audit_store.refresh(db, agent_id, day)


def hours_table(db: Database) -> list[tuple[str, int, str, str]]:
    """Every agent's declared ranges as (agent_id, weekday with 0 = Sunday, start, end)."""
    table: list[tuple[str, int, str, str]] = []
    for agent in audit_store.agent_hours(db):
        for weekday, ranges in enumerate(week_ranges(agent["opening_hours"])):
            table.extend((agent["id"], (weekday + 1) % 7, s, e) for s, e in ranges)
    return table


def rebuild(db: Database) -> None:
    """Recompute every counter from raw submissions and official records (in a transaction)."""
    audit_store.rebuild_daily(db, hours_table(db))
    audit_store.refresh(db)


def mismatches(db: Database) -> list[tuple[Row | None, Row | None]]:
    """(live, rebuilt) pairs of agent-day rows that differ; empty when the counters are exact.

    The rebuild runs inside a savepoint that is rolled back: nothing changes.
    """
    live = {(r["agent_id"], r["day"]): r for r in audit_store.counter_rows(db)}
    db.execute("SAVEPOINT audit_check")
    try:
        rebuild(db)
        rebuilt = {(r["agent_id"], r["day"]): r for r in audit_store.counter_rows(db)}
    finally:
        db.execute("ROLLBACK TO audit_check")
        db.execute("RELEASE audit_check")
    keys = sorted(live.keys() | rebuilt.keys())
    return [(live.get(k), rebuilt.get(k)) for k in keys if live.get(k) != rebuilt.get(k)]
