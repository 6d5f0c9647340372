"""The ranking (figures, flags, filters, sort and paging in SQL) returns exactly the page a plain
Python filter and sort of every agent's KPIs (``audit.all_kpis``) gives, for every sort key,
direction, flag and filter, on a random network with ties, ratings, claims and reports."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlite_utils import Database

from agents_registry import audit, audit_counters, store
from agents_registry.audit_models import AgentKpis, FlagCode, SortKey
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect, write
from agents_registry.migrations import migrate
from catalog.load import Catalog
from tests.test_audit_metrics import _agent, _sub

TODAY = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Database, Context]:
    rng = random.Random(11)
    db = connect(Path(tmp_path_factory.mktemp("ranking")) / "hcc.db")
    migrate(db)
    agents = []
    for number in range(1, 61):
        agent = _agent(number)
        agent.update(
            branch_number=1 + number % 3,
            ward_code=rng.choice(["00070", "00082"]),
            status=rng.choice(["active", "active", "suspended"]),
        )
        agents.append(agent)
    subs, claims, ratings = [], [], []
    for number in range(1, 61):
        busy, share = rng.choice([0, 1, 2, 4, 8]), rng.choice([0.1, 0.5, 0.9])
        for day_back in range(70):
            subs += [
                _sub(
                    number,
                    TODAY - dt.timedelta(days=day_back),
                    seq,
                    hour=rng.choice([9, 10, 15, 21]),
                    full=rng.random() < share,
                )
                for seq in range(rng.randint(0, busy))
            ]
        at = dt.datetime.combine(TODAY - dt.timedelta(days=rng.randint(1, 60)), dt.time(9))
        claims += [(f"C-{number}-{i}", f"DL-{number:04d}", at) for i in range(rng.randint(0, 4))]
        stars = rng.choice([(1, 3), (1, 5), (3, 5)])
        ratings += [
            [f"DL-{number:04d}", f"R-{number}-{i}", rng.randint(*stars), store.iso(at)]
            for i in range(rng.choice([0, 0, 3, 6]))
        ]
    with write(db):
        store.insert_agents(db, agents)
        store.insert_submissions(db, subs)
        for code, claimant, at in claims:
            store.insert_contested_claim(db, code, claimant, "DL-0001", at.replace(tzinfo=VIETNAM))
        db.conn.executemany(
            "INSERT INTO ratings (agent_id, dossier_code, stars, created_at) VALUES (?, ?, ?, ?)",
            ratings,
        )
        audit_counters.rebuild(db)
    clock = dt.datetime.combine(TODAY, dt.time(12), tzinfo=VIETNAM)
    return db, Context(catalog=catalog, secret_key=b"k", clock=lambda: clock)


def _reference(items: list[AgentKpis], query: audit.RankingQuery) -> list[AgentKpis]:
    """Filter, then sort by the key (missing values last in both directions), ties by number."""
    kept = [
        k
        for k in items
        if query.branch_number in (None, k.branch_number)
        and query.status in (None, k.status)
        and query.ward_code in (None, k.ward_code)
        and (query.flag is None or any(f.code is query.flag for f in k.flags))
    ]

    def value(k: AgentKpis) -> float | None:
        if query.sort is SortKey.flags:
            return len(k.flags)
        raw = getattr(k, query.sort.value)
        return None if raw is None else float(raw)

    sign = -1 if query.descending else 1
    return sorted(kept, key=lambda k: (value(k) is None, sign * (value(k) or 0.0), k.number))


PERIODS = [("2026-03", None, None), (None, dt.date(2026, 1, 20), dt.date(2026, 3, 10))]


@pytest.mark.parametrize("period_args", PERIODS)
def test_every_sort_and_filter_gives_the_reference_page(
    network: tuple[Database, Context],
    period_args: tuple[str | None, dt.date | None, dt.date | None],
) -> None:
    db, ctx = network
    period = audit.resolve_period(ctx, *period_args)
    items = audit.all_kpis(db, ctx, period)
    assert len({f.code for k in items for f in k.flags}) >= 4  # the flag filters select
    assert any(k.rating_average is None for k in items)
    queries = [
        audit.RankingQuery(sort=sort, descending=descending, page_size=7, page=page)
        for sort in SortKey
        for descending in (True, False)
        for page in (1, 3)
    ]
    queries += [audit.RankingQuery(flag=flag, page_size=100) for flag in FlagCode]
    queries += [
        audit.RankingQuery(branch_number=2, status="active", ward_code="00070"),
        audit.RankingQuery(status="suspended", sort=SortKey.flags, descending=False),
        audit.RankingQuery(page=40, page_size=5),
    ]
    for query in queries:
        expected = _reference(items, query)
        got = audit.ranking(db, ctx, period, query)
        first = (query.page - 1) * query.page_size
        assert got.items == expected[first : first + query.page_size], query
        assert got.total == len(expected), query
