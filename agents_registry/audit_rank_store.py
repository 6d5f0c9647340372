"""SQL of the audit ranking: every agent's figures over a period from the running totals, the
flag conditions, filters, sort and paging in one query; Python builds only the page's rows.

The flag conditions mirror ``audit_flags.flags`` (same thresholds, shares rounded to 4 places
and rating averages to 2 as ``audit.figures`` does); tests check that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from agents_registry import audit_flags as f
from agents_registry.audit_store import LOCAL, figures_cte
from agents_registry.store import Row, _all


@dataclass(frozen=True)
class Window:
    """One ranking query: local days [start, end], UTC bounds [since, until) of the same days."""

    start: str
    end: str
    since: str
    until: str
    reference: str  # the day idleness is counted to: min(end, today)
    target: float  # fully-online share target
    reconciled: bool  # official records cover the period


def _share(part: str, whole: str) -> str:
    return f"(CASE WHEN {whole} THEN round(CAST({part} AS REAL) / {whole}, 4) ELSE 0.0 END)"


FLAGS = {
    "inactive": f"(status = 'active' AND days_since_activity >= {f.INACTIVE_DAYS})",
    "below_target": f"(n >= {f.BELOW_TARGET_MIN} AND full_online_share < :target)",
    "burst": "(bursts != 0)",
    "off_hours": f"(off_hours >= {f.OFF_HOURS_MIN})",
    "contested": f"(contested >= {f.CONTESTED_MIN})",
    "low_verified": (
        f"(:reconciled AND n >= {f.LOW_VERIFIED_MIN} AND verified_share < {f.LOW_VERIFIED_SHARE})"
    ),
    "low_ratings": (
        f"(rating_count >= {f.LOW_RATING_MIN} AND round(rating_raw, 2) < {f.LOW_RATING_AVERAGE})"
    ),
    "charged": f"(charged >= {f.CHARGED_MIN})",
}

SORT_SQL = {
    "number": "number",
    "submissions": "n",
    "active_days": "active_days",
    "full_online_share": "full_online_share",
    "verified_share": "verified_share",
    "returned_share": "returned_share",
    "on_time_share": "on_time_share",
    "rating_average": "round(rating_raw, 2)",
    "days_since_activity": "days_since_activity",
    "flags": "flag_count",
}


def _side_sql() -> str:
    """Ratings, contested claims and charged reports per agent over [since, until)."""
    return (
        "r AS (SELECT agent_id, count(*) AS rating_count, avg(stars) AS rating_raw FROM ratings "
        "WHERE created_at >= :since AND created_at < :until GROUP BY agent_id), "
        "c AS (SELECT claimed_by, count(*) AS contested FROM contested_claims "
        "WHERE at >= :since AND at < :until GROUP BY claimed_by), "
        "h AS (SELECT subject_id, count(*) AS charged FROM reports WHERE kind = 'charged' "
        "AND subject_kind = 'agent' AND status != 'rejected' AND received_at >= :since "
        "AND received_at < :until GROUP BY subject_id)"
    )


def _kpis_sql() -> str:
    idle = (
        "max(0, CAST(julianday(:reference) - julianday(coalesce(p.last_day, "
        f"date(p.created_at, '{LOCAL}'))) AS INTEGER))"
    )
    return (
        "k AS (SELECT p.*, coalesce(r.rating_count, 0) AS rating_count, r.rating_raw, "
        "coalesce(c.contested, 0) AS contested, coalesce(h.charged, 0) AS charged, "
        f"{idle} AS days_since_activity, "
        f"{_share('p.full_online', 'p.n')} AS full_online_share, "
        f"{_share('p.verified', 'p.n')} AS verified_share, "
        f"{_share('p.returned', 'p.n')} AS returned_share, "
        f"{_share('p.on_time', 'p.completed')} AS on_time_share FROM p "
        "LEFT JOIN r ON r.agent_id = p.agent_id LEFT JOIN c ON c.claimed_by = p.agent_id "
        "LEFT JOIN h ON h.subject_id = p.agent_id), "
        f"g AS (SELECT k.*, {' + '.join(FLAGS.values())} AS flag_count FROM k)"
    )


def ranked_page(
    db: Database,
    window: Window,
    filters: dict[str, Any],
    flag: str | None,
    changed_since: tuple[str, str] | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> list[Row]:
    """The page's rows (figures, side counts, ``total`` of matching agents), sorted with
    missing values last whatever the direction and ties by agent number.

    ``filters``: agent columns (branch_number, status, ward_code) to equal when not None;
    ``changed_since``: (UTC ISO, local day) keeps agents changed or with counters since then.
    """
    params: dict[str, Any] = {
        **{k: getattr(window, k) for k in Window.__dataclass_fields__},
        "limit": limit,
        "offset": offset,
    }
    clauses = []
    for column, value in filters.items():
        if value is not None:
            clauses.append(f"a.{column} = :{column}")
            params[column] = value
    if changed_since is not None:
        clauses.append(
            "a.id IN (SELECT id FROM agents WHERE updated_at > :changed_at UNION "
            "SELECT agent_id FROM audit_agent_days WHERE day >= :changed_day)"
        )
        params["changed_at"], params["changed_day"] = changed_since
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    value = SORT_SQL[sort]
    order = f"({value}) IS NULL, ({value}) {'DESC' if descending else 'ASC'}, number"
    return _all(
        db,
        f"WITH {figures_cte(where)}, {_side_sql()}, {_kpis_sql()} "
        "SELECT g.*, count(*) OVER () AS total FROM g "
        f"{'WHERE ' + FLAGS[flag] if flag else ''} ORDER BY {order} LIMIT :limit OFFSET :offset",
        params,
    )
