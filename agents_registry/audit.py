"""Staff audit metrics: each agent's output and quality over a period, against the targets,
rolled up per branch and for the network, from the running-total counters."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from agents_registry import audit_rank_store, audit_store, feedback_store, store
from agents_registry.audit_counters import day_bounds
from agents_registry.audit_flags import INACTIVE_DAYS, FlagInput, flags
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


def _kpis(row: Row, shared: _Shared) -> AgentKpis:
    """One agent's KPIs and flags from its row of period figures with its side counts
    (rating_count, rating_raw: the unrounded average or None, contested, charged)."""
    last = dt.date.fromisoformat(row["last_day"]) if row["last_day"] else None
    since = last or dt.datetime.fromisoformat(row["created_at"]).astimezone(VIETNAM).date()
    idle = max(0, (shared.reference - since).days)
    average = round(row["rating_raw"], 2) if row["rating_count"] else None
    values = figures(row)
    found = flags(
        FlagInput(
            status=row["status"],
            submissions=values["submissions"],
            full_online_share=values["full_online_share"],
            verified_share=values["verified_share"],
            off_hours=values["off_hours"],
            bursts=values["bursts"],
            contested=row["contested"],
            rating_average=average,
            rating_count=row["rating_count"],
            days_since_activity=idle,
            last_activity=last.isoformat() if last else None,
            reconciled=shared.reconciled,
            charged=row["charged"],
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
        contested=row["contested"],
        rating_average=average,
        rating_count=row["rating_count"],
        last_activity=last,
        days_since_activity=idle,
        flags=found,
    )


def _shared(db: Database, ctx: Context, period: Period) -> _Shared:
    since, until = day_bounds(period.date_from, period.date_to)
    return _Shared(
        target=ctx.target_full_online_share,
        reference=min(period.date_to, today(ctx)),
        reconciled=audit_store.official_count(db, since, until) > 0,
    )


def all_kpis(
    db: Database, ctx: Context, period: Period, agent: Row | None = None
) -> list[AgentKpis]:
    """KPIs and flags of every agent (or one) over the period."""
    start, end = period.date_from.isoformat(), period.date_to.isoformat()
    agent_id = agent["id"] if agent else None
    since, until = day_bounds(period.date_from, period.date_to)
    ratings = {r["agent_id"]: r for r in audit_store.ratings_by_agent(db, since, until, agent_id)}
    contested = Counter(
        c["claimed_by"] for c in audit_store.contested_claims(db, since, until, agent_id)
    )
    charged = Counter(
        r["agent_id"] for r in feedback_store.charged_reports(db, since, until, agent_id)
    )
    shared = _shared(db, ctx, period)
    items = []
    for row in audit_store.period_figures(db, start, end, agent_id):
        rating = ratings.get(row["id"])
        side = {
            "rating_count": rating["count"] if rating else 0,
            "rating_raw": rating["average"] if rating else None,
            "contested": contested[row["id"]],
            "charged": charged[row["id"]],
        }
        items.append(_kpis({**row, **side}, shared))
    return items


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


def ranking(
    db: Database,
    ctx: Context,
    period: Period,
    query: RankingQuery,
    modified_after: dt.datetime | None = None,
) -> AgentRanking:
    """A sorted, filtered page of every agent's KPIs and flags (missing values last whatever
    the direction, ties by agent number).

    The figures, flag conditions, filters, sort and paging run in SQL over every agent; only
    the page's agents become Python objects. ``procedures`` stays None here: counting
    distinct procedures reads raw submissions, which would cost more than the whole ranking;
    one agent's report has it.

    ``modified_after`` keeps agents changed, or with submissions on a local day, since then.
    """
    shared = _shared(db, ctx, period)
    since, until = day_bounds(period.date_from, period.date_to)
    window = audit_rank_store.Window(
        start=period.date_from.isoformat(),
        end=period.date_to.isoformat(),
        since=since,
        until=until,
        reference=shared.reference.isoformat(),
        inactive_before=(shared.reference - dt.timedelta(days=INACTIVE_DAYS)).isoformat(),
        target=shared.target,
        reconciled=shared.reconciled,
    )
    filters = {
        "branch_number": query.branch_number,
        "status": query.status,
        "ward_code": query.ward_code,
    }
    changed = None
    if modified_after is not None:
        local = modified_after.astimezone(VIETNAM).date().isoformat()
        changed = (store.iso(modified_after), local)
    flag = query.flag.value if query.flag else None

    def page(limit: int, offset: int) -> tuple[list[str], int]:
        return audit_rank_store.ranked_ids(
            db, window, filters, flag, changed, query.sort.value, query.descending, limit, offset
        )

    ids, total = page(query.page_size, (query.page - 1) * query.page_size)
    if not ids and query.page > 1:  # past the last page: count the matching agents
        total = page(1, 0)[1]
    rows = audit_rank_store.page_rows(db, window, ids) if ids else []
    return AgentRanking(
        period=period,
        targets=targets(ctx),
        items=[_kpis(r, shared) for r in rows],
        total=total,
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
