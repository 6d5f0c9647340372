"""SQL of the audit ranking: every agent's figures over a period from the running totals, the
flag conditions, filters, sort and paging in SQL; Python builds only the page's rows.

The first query sorts narrow rows (agent id and the matching count); only the sort key and the
asked flag are computed for every agent. The second reads the page's agents in full. The flag
conditions mirror ``audit_flags.flags`` (same thresholds, shares rounded to 4 places and rating
averages to 2 as ``audit.figures`` does); tests check that both agree.
"""

from __future__ import annotations

import json
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
    inactive_before: str  # reference minus INACTIVE_DAYS: idle since then or before
    target: float  # fully-online share target
    reconciled: bool  # official records cover the period


def _share(part: str, whole: str) -> str:
    return f"(CASE WHEN {whole} THEN round(CAST({part} AS REAL) / {whole}, 4) ELSE 0.0 END)"


SINCE = f"coalesce(last_day, date(created_at, '{LOCAL}'))"  # idle since this local day
FLAGS = {
    "inactive": f"(status = 'active' AND {SINCE} <= :inactive_before)",
    "below_target": f"(n >= {f.BELOW_TARGET_MIN} AND {_share('full_online', 'n')} < :target)",
    "burst": "(bursts != 0)",
    "off_hours": f"(off_hours >= {f.OFF_HOURS_MIN})",
    "contested": f"(contested >= {f.CONTESTED_MIN})",
    "low_verified": (
        f"(:reconciled AND n >= {f.LOW_VERIFIED_MIN} "
        f"AND {_share('verified', 'n')} < {f.LOW_VERIFIED_SHARE})"
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
    "full_online_share": _share("full_online", "n"),
    "verified_share": _share("verified", "n"),
    "returned_share": _share("returned", "n"),
    "on_time_share": _share("on_time", "completed"),
    "rating_average": "round(rating_raw, 2)",
    "days_since_activity": (f"max(0, CAST(julianday(:reference) - julianday({SINCE}) AS INTEGER))"),
    "flags": " + ".join(FLAGS.values()),
}


# Sort keys that are one running total's difference: read with one seek per boundary.
ONE_TOTAL = {"submissions": "cum_n", "active_days": "cum_days"}


def _one_total(column: str) -> str:
    """The agent's (alias a) difference of one running total over [:start, :end]."""
    last = (
        f"coalesce((SELECT {column} FROM audit_agent_days WHERE agent_id = a.id AND day {{}} "
        "ORDER BY day DESC LIMIT 1), 0)"
    )
    return f"({last.format('<= :end')} - {last.format('< :start')})"


def _side_sql() -> str:
    """Ratings, contested claims and charged reports per agent over [since, until)."""
    return (
        "r AS (SELECT agent_id, count(*) AS rating_count, avg(stars) AS rating_raw FROM ratings "
        "WHERE created_at >= :since AND created_at < :until GROUP BY agent_id), "
        "c AS (SELECT claimed_by, count(*) AS contested FROM contested_claims "
        "WHERE at >= :since AND at < :until GROUP BY claimed_by), "
        "h AS (SELECT subject_id, count(*) AS charged FROM reports WHERE kind = 'charged' "
        "AND subject_kind = 'agent' AND status != 'rejected' AND received_at >= :since "
        "AND received_at < :until GROUP BY subject_id), "
        "k AS (SELECT p.*, coalesce(r.rating_count, 0) AS rating_count, r.rating_raw, "
        "coalesce(c.contested, 0) AS contested, coalesce(h.charged, 0) AS charged FROM p "
        "LEFT JOIN r ON r.agent_id = p.agent_id LEFT JOIN c ON c.claimed_by = p.agent_id "
        "LEFT JOIN h ON h.subject_id = p.agent_id)"
    )


def _params(window: Window) -> dict[str, Any]:
    return {k: getattr(window, k) for k in Window.__dataclass_fields__}


def ranked_ids(
    db: Database,
    window: Window,
    filters: dict[str, Any],
    flag: str | None,
    changed_since: tuple[str, str] | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[str], int]:
    """The page's agent ids in order and how many agents match, sorted with missing values
    last whatever the direction and ties by agent number.

    ``filters``: agent columns (branch_number, status, ward_code) to equal when not None;
    ``changed_since``: (UTC ISO, local day) keeps agents changed or with counters since then.
    """
    params = {**_params(window), "limit": limit, "offset": offset}
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
    if flag is None and sort in ONE_TOTAL:  # two seeks per agent instead of four
        keyed = f"s AS (SELECT a.id AS agent_id, a.number, {_one_total(ONE_TOTAL[sort])} AS v "
        keyed += f"FROM agents a {where})"
    else:
        keyed = (
            f"{figures_cte(where)}, {_side_sql()}, s AS (SELECT agent_id, number, "
            f"{SORT_SQL[sort]} AS v FROM k {'WHERE ' + FLAGS[flag] if flag else ''})"
        )
    rows = db.execute(
        f"WITH {keyed} SELECT agent_id, count(*) OVER () FROM s "
        f"ORDER BY v IS NULL, v {'DESC' if descending else 'ASC'}, number "
        "LIMIT :limit OFFSET :offset",
        params,
    ).fetchall()
    return [r[0] for r in rows], rows[0][1] if rows else 0


def page_rows(db: Database, window: Window, ids: list[str]) -> list[Row]:
    """The figures and side counts (rating_count, rating_raw, contested, charged) of these
    agents, in the order given."""
    rows = _all(
        db,
        f"WITH {figures_cte('WHERE a.id IN (SELECT value FROM json_each(:ids))')}, "
        f"{_side_sql()} SELECT * FROM k",
        {**_params(window), "ids": json.dumps(ids)},
    )
    by_id = {r["agent_id"]: r for r in rows}
    return [by_id[agent] for agent in ids]
