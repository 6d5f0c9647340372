"""Staff audit metrics: each agent's output and quality over a period, against the targets,
rolled up per branch and for the network, from the running-total counters."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from agents_registry import audit_store, feedback_store, store
from agents_registry.audit_counters import day_bounds
from agents_registry.audit_flags import FlagInput, flags
from agents_registry.audit_models import (
    AgentKpis,
    AgentRanking,
    FlagCode,
    MonthPoint,
    Period,
    SortKey,
    Targets,
)
from agents_registry.context import VIETNAM, Context
from agents_registry.errors import InvalidInput
from agents_registry.store import Row
from agents_registry.validation import FIRST_DAY, LAST_DAY, day_problems

ONLINE_TARGET = 0.80  # share of the center's dossiers filed online


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def targets(ctx: Context) -> Targets:
    return Targets(online_share=ONLINE_TARGET, full_online_share=ctx.target_full_online_share)


def today(ctx: Context) -> dt.date:
    return ctx.now().astimezone(VIETNAM).date()


def resolve_period(
    ctx: Context, month: str | None, date_from: dt.date | None, date_to: dt.date | None
) -> Period:
    """A calendar month, a range of days, or by default the current month up to today."""
    if problems := day_problems({"date_from": date_from, "date_to": date_to}):
        raise InvalidInput(problems)
    if month is not None:
        if date_from is not None or date_to is not None:
            raise InvalidInput({"month": "give either month or date_from/date_to, not both"})
        first = dt.date.fromisoformat(f"{month}-01")
        if day_problems({"month": first}):
            raise InvalidInput({"month": f"must be between {FIRST_DAY:%Y-%m} and {LAST_DAY:%Y-%m}"})
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return Period(date_from=first, date_to=last)
    end = date_to or today(ctx)
    start = date_from or end.replace(day=1)
    if start > end:
        raise InvalidInput({"date_from": "is after date_to"})
    return Period(date_from=start, date_to=end)


def figures(row: Row) -> dict[str, Any]:
    """Counts and shares from a row of period differences (as audit_store names them)."""
    n = row["n"]
    return {
        "submissions": n,
        "active_days": row["active_days"] if "active_days" in row else row["days"],
        "full_online": row["full_online"],
        "full_online_share": share(row["full_online"], n),
        "verified": row["verified"],
        "verified_share": share(row["verified"], n),
        "returned": row["returned"],
        "returned_share": share(row["returned"], n),
        "completed": row["completed"],
        "on_time": row["on_time"],
        "on_time_share": share(row["on_time"], row["completed"]),
        "off_hours": row["off_hours"],
        "bursts": row["bursts"],
    }


@dataclass(frozen=True)
class _Shared:
    """What every agent's KPIs of one period share."""

    target: float
    reference: dt.date
    reconciled: bool
    ratings: dict[str, Row]
    contested: Counter[str]
    charged: Counter[str]  # charged reports per agent, not rejected


def _kpis(row: Row, shared: _Shared) -> AgentKpis:
    """One agent's KPIs and flags from its row of ``audit_store.period_figures``."""
    last = dt.date.fromisoformat(row["last_day"]) if row["last_day"] else None
    since = last or dt.datetime.fromisoformat(row["created_at"]).astimezone(VIETNAM).date()
    idle = max(0, (shared.reference - since).days)
    rating = shared.ratings.get(row["id"])
    average = round(rating["average"], 2) if rating else None
    values = figures(row)
    found = flags(
        FlagInput(
            status=row["status"],
            submissions=values["submissions"],
            full_online_share=values["full_online_share"],
            verified_share=values["verified_share"],
            off_hours=values["off_hours"],
            bursts=values["bursts"],
            contested=shared.contested[row["id"]],
            rating_average=average,
            rating_count=rating["count"] if rating else 0,
            days_since_activity=idle,
            last_activity=last.isoformat() if last else None,
            reconciled=shared.reconciled,
            charged=shared.charged[row["id"]],
        ),
        shared.target,
    )
    return AgentKpis(
        **values,
        agent_id=row["id"],
        number=row["number"],
        name=row["name"],
        kind=row["kind"],
        ward_code=row["ward_code"],
        branch_number=row["branch_number"],
        status=row["status"],
        demo=bool(row["demo"]),
        procedures=None,
        contested=shared.contested[row["id"]],
        rating_average=average,
        rating_count=rating["count"] if rating else 0,
        last_activity=last,
        days_since_activity=idle,
        flags=found,
    )


def all_kpis(
    db: Database, ctx: Context, period: Period, agent: Row | None = None
) -> list[AgentKpis]:
    """KPIs and flags of every agent (or one) over the period."""
    start, end = period.date_from.isoformat(), period.date_to.isoformat()
    agent_id = agent["id"] if agent else None
    since, until = day_bounds(period.date_from, period.date_to)
    rows = audit_store.period_figures(db, start, end, agent_id)
    shared = _Shared(
        target=ctx.target_full_online_share,
        reference=min(period.date_to, today(ctx)),
        reconciled=audit_store.official_count(db, since, until) > 0,
        ratings={
            r["agent_id"]: r for r in audit_store.ratings_by_agent(db, since, until, agent_id)
        },
        contested=Counter(
            c["claimed_by"] for c in audit_store.contested_claims(db, since, until, agent_id)
        ),
        charged=Counter(
            r["agent_id"] for r in feedback_store.charged_reports(db, since, until, agent_id)
        ),
    )
    return [_kpis(r, shared) for r in rows]


@dataclass(frozen=True)
class RankingQuery:
    branch_number: int | None = None
    status: str | None = None
    flag: FlagCode | None = None
    ward_code: str | None = None
    sort: SortKey = SortKey.submissions
    descending: bool = True
    page: int = 1
    page_size: int = 50


def _sort_value(k: AgentKpis, key: SortKey) -> tuple[int, float]:
    """Missing values (no rating) sort last whatever the direction."""
    if key is SortKey.flags:
        return (1, len(k.flags))
    value = getattr(k, key.value)
    return (0, 0.0) if value is None else (1, float(value))


def select(items: list[AgentKpis], query: RankingQuery) -> list[AgentKpis]:
    """Filter and sort (ties by agent number) the ranking."""
    kept = [
        k
        for k in items
        if (query.branch_number is None or k.branch_number == query.branch_number)
        and (query.status is None or k.status == query.status)
        and (query.ward_code is None or k.ward_code == query.ward_code)
        and (query.flag is None or any(f.code is query.flag for f in k.flags))
    ]
    kept.sort(key=lambda k: k.number)
    if query.descending:
        kept.sort(key=lambda k: (-_sort_value(k, query.sort)[0], -_sort_value(k, query.sort)[1]))
    else:
        kept.sort(key=lambda k: (-_sort_value(k, query.sort)[0], _sort_value(k, query.sort)[1]))
    return kept


def ranking(
    db: Database,
    ctx: Context,
    period: Period,
    query: RankingQuery,
    modified_after: dt.datetime | None = None,
) -> AgentRanking:
    """A sorted, filtered page of every agent's KPIs and flags.

    ``procedures`` stays None here: counting distinct procedures reads raw submissions, which
    would cost more than the whole ranking; one agent's report has it.

    ``modified_after`` keeps agents changed, or with submissions on a local day, since then.
    """
    kept = select(all_kpis(db, ctx, period), query)
    if modified_after is not None:
        changed = audit_store.agents_changed_since(
            db, store.iso(modified_after), modified_after.astimezone(VIETNAM).date().isoformat()
        )
        kept = [k for k in kept if k.agent_id in changed]
    first = (query.page - 1) * query.page_size
    items = kept[first : first + query.page_size]
    return AgentRanking(
        period=period,
        targets=targets(ctx),
        items=items,
        total=len(kept),
        page=query.page,
        page_size=query.page_size,
    )


def month_series(
    db: Database,
    ctx: Context,
    last: dt.date,
    months: int = 12,
    agent_id: str | None = None,
    branch_number: int | None = None,
) -> list[MonthPoint]:
    """Month by month up to the month of ``last``, from running totals at month boundaries."""
    firsts = [last.replace(day=1)]
    for _ in range(months - 1):
        firsts.insert(0, (firsts[0] - dt.timedelta(days=1)).replace(day=1))
    after = (firsts[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    totals = [
        audit_store.totals_before(db, d.isoformat(), agent_id, branch_number)
        for d in [*firsts, after]
    ]
    points = []
    for first, before, after_row in zip(firsts, totals, totals[1:], strict=False):
        diff = {c[4:]: after_row[c] - before[c] for c in audit_store.CUMULATIVE}
        points.append(
            MonthPoint(
                **figures(diff),
                month=f"{first:%Y-%m}",
                target_full_online_share=ctx.target_full_online_share,
            )
        )
    return points
