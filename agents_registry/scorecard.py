"""The public scorecard of one agent over the last 12 calendar months (Hanoi time).

Volume by month, the fully-online share against the center's 20% target, and citizens'
ratings as counts and an average. Only aggregates: no dossier, citizen or comment.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from agents_registry import agents, ratings_store, store
from agents_registry.context import VIETNAM, Context
from agents_registry.models import Base

MONTHS = 12


class MonthOutput(Base, kw_only=True):
    month: str  # "YYYY-MM", local calendar month
    submissions: int
    full_online: int


class RatingSummary(Base, kw_only=True):
    count: int
    average: float | None  # two decimals; None without ratings
    by_stars: list[int]  # counts of 1, 2, 3, 4 and 5 stars


class Scorecard(Base, kw_only=True):
    """One agent's public figures from the first day of ``date_from``'s month to ``date_to``."""

    agent_id: str
    date_from: dt.date
    date_to: dt.date
    submissions: int
    full_online: int
    full_online_share: float
    target_full_online_share: float
    months: list[MonthOutput]
    ratings: RatingSummary
    demo: bool


def month_starts(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """First days of the ``count`` calendar months ending with ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _local_midnight(day: dt.date) -> str:
    return store.iso(dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM))


def scorecard(db: Database, ctx: Context, agent_id: str) -> Scorecard:
    """The scorecard of an active agent (others read as missing, like its public profile)."""
    agent = agents.public_one(db, agent_id)
    today = ctx.now().astimezone(VIETNAM).date()
    starts = month_starts(today)
    next_month = (starts[-1] + dt.timedelta(days=32)).replace(day=1)
    since, until = _local_midnight(starts[0]), _local_midnight(next_month)
    found = {
        r["month"]: r
        for r in ratings_store.submissions_by_month(db, agent_id, since, until, "+7 hours")
    }
    months = [
        MonthOutput(
            month=key,
            submissions=found[key]["submissions"] if key in found else 0,
            full_online=found[key]["full_online"] if key in found else 0,
        )
        for key in (f"{s.year:04d}-{s.month:02d}" for s in starts)
    ]
    total = sum(m.submissions for m in months)
    full = sum(m.full_online for m in months)
    histogram = ratings_store.stars_histogram(db, agent_id, since)
    count = sum(histogram.values())
    average = round(sum(s * n for s, n in histogram.items()) / count, 2) if count else None
    return Scorecard(
        agent_id=agent.id,
        date_from=starts[0],
        date_to=today,
        submissions=total,
        full_online=full,
        full_online_share=round(full / total, 4) if total else 0.0,
        target_full_online_share=ctx.target_full_online_share,
        months=months,
        ratings=RatingSummary(
            count=count, average=average, by_stars=[histogram.get(s, 0) for s in range(1, 6)]
        ),
        demo=agent.demo,
    )
