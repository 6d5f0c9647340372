"""The off-hours test of recorded submissions follows the agent's declared hours, also after
the hours change (``audit_agent_hours`` rows kept by triggers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from agents_registry import audit_counters, audit_store, store, submissions
from agents_registry.auth import Principal
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect, write
from agents_registry.migrations import migrate
from agents_registry.models import Mode, SubmissionIn
from catalog.load import Catalog
from tests.test_audit_metrics import _agent

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=VIETNAM)  # a Tuesday


def _record(db: Database, ctx: Context, code: str, hour: int) -> None:
    data = SubmissionIn(
        dossier_code=f"000.00.01.H26-HRS-{code}",
        procedure_code="1.001193",
        mode=Mode.PARTIAL_ONLINE,
        submitted_at=NOW.replace(hour=hour),
    )
    submissions.record(db, ctx, data, principal=Principal("agent", "DL-0001"), idempotency_key=None)


def test_off_hours_follow_changed_hours(tmp_path: Path, catalog: Catalog) -> None:
    db = connect(tmp_path / "hcc.db")
    migrate(db)
    ctx = Context(catalog=catalog, secret_key=b"k", clock=lambda: NOW + dt.timedelta(hours=1))
    with write(db):
        store.insert_agents(db, [_agent(1)])  # Monday to Friday 08:00-17:00
    _record(db, ctx, "1", 7)  # before opening: off hours
    _record(db, ctx, "2", 9)
    with write(db):
        db.execute(
            "UPDATE agents SET opening_hours = ? WHERE id = 'DL-0001'",
            [
                '{"mon":[],"tue":["06:00-08:00","10:00-23:59"],"wed":[],"thu":[],"fri":[],'
                '"sat":[],"sun":[]}'
            ],
        )
    _record(db, ctx, "3", 7)  # now inside 06:00-08:00
    _record(db, ctx, "4", 9)  # now off hours
    _record(db, ctx, "5", 11)  # inside 10:00-23:59
    (day,) = audit_store.agent_days(db, "DL-0001", "2026-03-31", "2026-03-31")
    assert (day["n"], day["off_hours"]) == (5, 2)
    # A rebuild judges every submission by today's hours: 7:00 twice inside, 9:00 twice off.
    assert audit_counters.mismatches(db) == []
