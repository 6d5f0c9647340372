"""The audit on the demo network: its inactive and suspicious agents get flagged, the counters
equal raw rows after the bulk seed, and the sample official export under examples/ reconciles
against a demo seeded on its date (matched, unmatched and conflicting rows; low verified
shares for the agents that exist on paper)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from agents_registry import audit, audit_counters
from agents_registry.audit_models import FlagCode
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.demo import seed
from agents_registry.migrations import migrate
from api.cli import main
from api.settings import PROJECT_ROOT
from catalog.load import Catalog

TODAY = dt.date(2026, 11, 23)  # the date examples/official-export-2026-10.* was generated for
SECRET = "demo-audit-test-secret"
EXAMPLE = PROJECT_ROOT / "examples" / "official-export-2026-10.xlsx"


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[tuple[Path, Context]]:
    path = tmp_path_factory.mktemp("audit-demo") / "hcc.db"
    db = connect(path, synchronous="OFF")
    migrate(db)
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=VIETNAM)
    ctx = Context(catalog=catalog, secret_key=SECRET.encode(), clock=lambda: noon)
    seed(db, ctx, today=TODAY)
    db.conn.close()
    yield path, ctx


def _flagged(db: Database, ctx: Context, period: audit.Period) -> dict[FlagCode, set[str]]:
    found: dict[FlagCode, set[str]] = {code: set() for code in FlagCode}
    for k in audit.all_kpis(db, ctx, period):
        for flag in k.flags:
            found[flag.code].add(k.agent_id)
    return found


def test_demo_suspects_are_flagged(demo: tuple[Path, Context]) -> None:
    path, ctx = demo
    db = connect(path)
    assert audit_counters.mismatches(db) == []  # the seed's bulk insert rebuilt them exactly
    last_60_days = audit.Period(
        date_from=TODAY - dt.timedelta(days=60), date_to=TODAY - dt.timedelta(days=1)
    )
    flagged = _flagged(db, ctx, last_60_days)
    n = 520  # the demo's planned behaviours (agents_registry/demo/network.py)
    assert len(flagged[FlagCode.inactive]) == round(0.05 * n)
    assert len(flagged[FlagCode.burst]) == round(0.01 * n)
    assert len(flagged[FlagCode.off_hours]) == round(0.01 * n)
    assert len(flagged[FlagCode.contested]) == round(0.01 * n)
    assert flagged[FlagCode.low_verified] == set()  # nothing reconciled yet
    suspects = [flagged[c] for c in (FlagCode.burst, FlagCode.off_hours, FlagCode.contested)]
    assert not (suspects[0] & suspects[1]) and not (suspects[1] & suspects[2])
    db.conn.close()


def test_the_sample_export_reconciles(
    demo: tuple[Path, Context], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path, ctx = demo
    monkeypatch.setenv("HCC_DB", str(path))
    monkeypatch.setenv("HCC_SECRET_KEY", SECRET)
    result = CliRunner().invoke(main, ["audit", "reconcile", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("19889 records: 19315 matched, 574 unmatched, 288 conflicting;"), first
    as_csv = tmp_path / "official-export-2026-10.csv"  # the same month as CSV (not shipped: 2.5 MB)
    CliRunner().invoke(main, ["demo", "official-export", "2026-10", str(as_csv)])
    again = CliRunner().invoke(main, ["audit", "reconcile", str(as_csv)])
    assert "0 changed (nothing new)" in again.output.splitlines()[0]
    db = connect(path)
    assert audit_counters.mismatches(db) == []
    flagged = _flagged(db, ctx, audit.resolve_period(ctx, "2026-10", None, None))
    paper = {k for k in flagged[FlagCode.low_verified]}
    assert paper and all(int(agent[3:]) % 40 == 7 for agent in paper)
    db.conn.close()
