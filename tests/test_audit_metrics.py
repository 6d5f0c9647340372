"""Audit metrics on a small hand-checked network: every flag fires exactly when it should."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from agents_registry import audit, audit_counters, audit_report, store
from agents_registry.audit_flags import FlagInput, flags
from agents_registry.audit_models import FlagCode
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect, write
from agents_registry.migrations import migrate
from catalog.load import Catalog

TODAY = dt.date(2026, 3, 31)
HOURS = '{"mon":["08:00-17:00"],"tue":["08:00-17:00"],"wed":["08:00-17:00"],"thu":["08:00-17:00"],"fri":["08:00-17:00"],"sat":[],"sun":[]}'


def _agent(number: int) -> dict[str, object]:
    return {
        "id": f"DL-{number:04d}",
        "number": number,
        "application_id": None,
        "name": f"Đại lý số {number}",
        "kind": "post_office",
        "tax_code": f"01000475{number:02d}",
        "address": "Số 1 phố Tràng Tiền",
        "ward_code": "00070",
        "lat": 21.0285,
        "lon": 105.8525,
        "phone": "+84 912 345 678",
        "email": "a@example.vn",
        "opening_hours": HOURS,
        "fields": '["ho-tich"]',
        "branch_number": 1,
        "status": "active",
        "status_reason": None,
        "demo": 0,
        "created_at": "2025-12-01T02:00:00.000000+00:00",
        "updated_at": "2025-12-01T02:00:00.000000+00:00",
    }


def _sub(
    agent: int, day: dt.date, seq: int, hour: int = 10, full: bool = False
) -> dict[str, object]:
    at = dt.datetime.combine(day, dt.time(hour, seq % 60), tzinfo=VIETNAM)
    return {
        "agent_id": f"DL-{agent:04d}",
        "dossier_code": f"000.00.01.H26-{day:%y%m%d}-{agent:02d}{seq:03d}",
        "procedure_code": "1.001193",
        "mode": "full_online" if full else "partial_online",
        "submitted_at": store.iso(at),
        "citizen_hash": None,
        "notes": None,
        "idempotency_key": None,
        "recorded_at": store.iso(at),
        "demo": 0,
    }


def _weekdays(last: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Database, Context]:
    """1 normal, 2 inactive, 3 burst, 4 off-hours, 5 contested claimant, 6 below target, 7 rated low."""
    db = connect(Path(tmp_path_factory.mktemp("audit")) / "hcc.db")
    migrate(db)
    days = _weekdays(TODAY - dt.timedelta(days=1), 40)
    rows = []
    for number in (1, 3, 4, 5, 7):  # 2 per day, one fully online: 50 %
        for day in days:
            rows += [_sub(number, day, 2 * day.day, full=True), _sub(number, day, 2 * day.day + 1)]
    rows += [
        _sub(2, day, day.day, full=True) for day in days if day <= TODAY - dt.timedelta(days=30)
    ]
    rows += [_sub(6, day, day.day, full=day.day % 10 == 0) for day in days]  # few fully online
    burst_day = days[-3]
    rows += [_sub(3, burst_day, 100 + i, full=True) for i in range(20)]  # 22 that day vs 2
    rows += [_sub(4, days[-1 - i], 200 + i, hour=21) for i in range(5)]  # after 17:00
    at = dt.datetime.combine(TODAY - dt.timedelta(days=5), dt.time(9), tzinfo=VIETNAM)
    with write(db):
        store.insert_agents(db, [_agent(n) for n in range(1, 8)])
        store.insert_submissions(db, rows)
        for i in range(3):
            store.insert_contested_claim(db, str(rows[i]["dossier_code"]), "DL-0005", "DL-0001", at)
        for i in range(5):
            db.execute(
                "INSERT INTO ratings (agent_id, dossier_code, stars, created_at) VALUES (?, ?, ?, ?)",
                ["DL-0007", f"R-{i}", 2, store.iso(at)],
            )
        audit_counters.rebuild(db)
    clock = dt.datetime.combine(TODAY, dt.time(12), tzinfo=VIETNAM)
    return db, Context(catalog=catalog, secret_key=b"k", clock=lambda: clock)


EXPECTED = {
    "DL-0001": set(),
    "DL-0002": {FlagCode.inactive},
    "DL-0003": {FlagCode.burst},
    "DL-0004": {FlagCode.off_hours},
    "DL-0005": {FlagCode.contested},
    "DL-0006": {FlagCode.below_target},
    "DL-0007": {FlagCode.low_ratings},
}


def test_each_flag_fires_for_its_agent_only(network: tuple[Database, Context]) -> None:
    db, ctx = network
    period = audit.resolve_period(ctx, "2026-03", None, None)
    kpis = {k.agent_id: k for k in audit.all_kpis(db, ctx, period)}
    assert {a: {f.code for f in k.flags} for a, k in kpis.items()} == EXPECTED
    assert kpis["DL-0002"].submissions == 0 and kpis["DL-0002"].days_since_activity >= 30
    assert kpis["DL-0003"].bursts == 1
    assert kpis["DL-0004"].off_hours == 5
    assert kpis["DL-0001"].full_online_share == 0.5
    assert kpis["DL-0007"].rating_average == 2.0 and kpis["DL-0007"].rating_count == 5


def test_period_figures_equal_a_count_by_hand(network: tuple[Database, Context]) -> None:
    db, ctx = network
    period = audit.resolve_period(ctx, None, dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    (one,) = [k for k in audit.all_kpis(db, ctx, period) if k.agent_id == "DL-0001"]
    assert (one.submissions, one.active_days, one.full_online) == (10, 5, 5)  # Mon-Fri, 2 a day


def _input(**changes: object) -> FlagInput:
    base: dict[str, Any] = dict(
        status="active",
        submissions=50,
        full_online_share=0.3,
        verified_share=0.9,
        off_hours=0,
        bursts=0,
        contested=0,
        rating_average=4.5,
        rating_count=10,
        days_since_activity=0,
        last_activity="2026-03-30",
        reconciled=True,
    )
    return FlagInput(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"days_since_activity": 29}, set()),
        ({"days_since_activity": 30}, {FlagCode.inactive}),
        ({"days_since_activity": 45, "status": "suspended"}, set()),
        ({"full_online_share": 0.2}, set()),
        ({"full_online_share": 0.19}, {FlagCode.below_target}),
        ({"full_online_share": 0.1, "submissions": 9, "verified_share": 0.9}, set()),
        ({"bursts": 1}, {FlagCode.burst}),
        ({"off_hours": 4}, set()),
        ({"off_hours": 5}, {FlagCode.off_hours}),
        ({"contested": 2}, set()),
        ({"contested": 3}, {FlagCode.contested}),
        ({"verified_share": 0.7}, set()),
        ({"verified_share": 0.69}, {FlagCode.low_verified}),
        ({"verified_share": 0.1, "reconciled": False}, set()),
        ({"rating_average": 2.9, "rating_count": 4}, set()),
        ({"rating_average": 2.9, "rating_count": 5}, {FlagCode.low_ratings}),
        ({"rating_average": 3.0, "rating_count": 5}, set()),
    ],
)
def test_flag_thresholds(changes: dict[str, object], expected: set[FlagCode]) -> None:
    assert {f.code for f in flags(_input(**changes), 0.2)} == expected


def test_report_evidence(network: tuple[Database, Context]) -> None:
    db, ctx = network
    period = audit.resolve_period(ctx, "2026-03", None, None)
    flags_of = {
        a: {f.code: f for f in audit_report.agent_report(db, ctx, a, period).agent.flags}
        for a in ("DL-0003", "DL-0004", "DL-0005")
    }
    (burst,) = flags_of["DL-0003"][FlagCode.burst].evidence
    assert burst.count == 22
    late = flags_of["DL-0004"][FlagCode.off_hours].evidence
    assert len(late) == 5 and all(e.at and e.at.astimezone(VIETNAM).hour == 21 for e in late)
    contested = flags_of["DL-0005"][FlagCode.contested].evidence
    assert [e.detail for e in contested] == ["đã do đại lý DL-0001 ghi nhận"] * 3
