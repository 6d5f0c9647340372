"""All SQL of the audit: per-agent daily counters with running totals, official records,
reconciliations, and the reads behind rankings, reports and flags.

Callers own transactions (``agents_registry.db.write``); nothing here commits. Days are local
(Hanoi) calendar days as ISO text; timestamps are UTC ISO text (``store.iso``).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from agents_registry.store import Row, _all, _one

LOCAL = "+7 hours"  # Hanoi is UTC+7 all year
DAILY = ("n", "full_online", "off_hours", "verified", "returned", "completed", "on_time")
CUMULATIVE = (*(f"cum_{c}" for c in DAILY), "cum_bursts", "cum_days")

# A day is a burst when the agent already has BURST_HISTORY_DAYS active days and records at
# least BURST_MIN dossiers, BURST_FACTOR times its average per active day until then.
BURST_HISTORY_DAYS, BURST_MIN, BURST_FACTOR = 14, 20, 5

# How an official record classifies the submission with the same dossier code (alias o, s).
OFFICIAL_SQL = {
    "verified": "o.dossier_code IS NOT NULL AND o.procedure_code = s.procedure_code",
    "returned": "o.status IN ('returned', 'rejected')",
    "completed": "o.completed_at IS NOT NULL",
    "on_time": "o.completed_at IS NOT NULL AND (o.due_at IS NULL OR o.completed_at <= o.due_at)",
}


# --- the write path -------------------------------------------------------------------------


def _burst_expr(n: str, prev_n: str, prev_days: str) -> str:
    return (
        f"({prev_days} >= {BURST_HISTORY_DAYS} AND {n} >= {BURST_MIN} "
        f"AND {n} * {prev_days} >= {BURST_FACTOR} * {prev_n})"
    )


def _off_hours_sql(agent_id: str, weekday: str, hhmm: str) -> str:
    """True when local weekday ('mon'…) and time 'HH:MM' fall outside the agent's declared
    weekly hours (``audit_agent_hours``, kept from ``agents.opening_hours`` by triggers; a
    range ending at 23:59 runs to midnight)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM audit_agent_hours h WHERE h.agent_id = {agent_id} "
        f"AND h.weekday = {weekday} AND h.start <= {hhmm} "
        f"AND ({hhmm} < h.end OR h.end = '23:59'))"
    )


def _values_cte() -> str:
    """CTE ``v``: what one submission adds to its agent-day, computed once per statement."""
    official = ", ".join(
        f"coalesce({sql}, 0) AS {name}" for name, sql in OFFICIAL_SQL.items()
    ).replace("s.procedure_code", ":procedure_code")
    off = _off_hours_sql(":agent_id", ":weekday", ":hhmm")
    return (
        f"v AS (SELECT 1 AS n, :full_online AS full_online, {off} AS off_hours, {official} "
        "FROM (SELECT 1) LEFT JOIN official_records o ON o.dossier_code = :dossier_code)"
    )


def _count_one_sql() -> str:
    """Insert the agent-day row of the agent's first submission of that day, its running
    totals continuing from the agent's previous row (one seek)."""
    prev = {c: f"coalesce(p.{c}, 0)" for c in CUMULATIVE}
    burst = _burst_expr("1", prev["cum_n"], prev["cum_days"])
    cums = ", ".join(f"{prev['cum_' + c]} + v.{c}" for c in DAILY)
    return (
        f"WITH {_values_cte()} INSERT INTO audit_agent_days (agent_id, day, {', '.join(DAILY)}, "
        f"burst, {', '.join(CUMULATIVE)}) "
        f"SELECT :agent_id, :day, {', '.join('v.' + c for c in DAILY)}, {burst}, {cums}, "
        f"{prev['cum_bursts']} + {burst}, {prev['cum_days']} + 1 FROM v "
        "LEFT JOIN (SELECT * FROM audit_agent_days WHERE agent_id = :agent_id AND day < :day "
        "ORDER BY day DESC LIMIT 1) p"
    )


def _bump_sql() -> str:
    """Add one submission to an existing agent-day row (the usual case): one UPDATE of that
    row, every new value from one row of the CTE (its off-hours test and official record
    probe run once)."""
    t = "audit_agent_days."
    burst = _burst_expr(f"({t}n + 1)", f"({t}cum_n - {t}n)", f"({t}cum_days - 1)")
    columns = [*DAILY, *(f"cum_{c}" for c in DAILY), "burst", "cum_bursts"]
    values = [
        *(f"{t}{c} + v.{c}" for c in DAILY),
        *(f"{t}cum_{c} + v.{c}" for c in DAILY),
        burst,
        f"{t}cum_bursts - {t}burst + {burst}",
    ]
    return (
        f"WITH {_values_cte()} UPDATE audit_agent_days SET ({', '.join(columns)}) = "
        f"(SELECT {', '.join(values)} FROM v) WHERE agent_id = :agent_id AND day = :day"
    )


_COUNT_ONE, _BUMP = _count_one_sql(), _bump_sql()


def bump(db: Database, values: Row) -> bool:
    """Add one submission to its agent-day if that row exists (same ``values`` as count_one)."""
    before = db.conn.total_changes  # rowcount is not set for a statement starting with WITH
    db.execute(_BUMP, values)
    return db.conn.total_changes > before


def latest_day(db: Database, agent_id: str) -> str:
    row = db.execute("SELECT max(day) FROM audit_agent_days WHERE agent_id = ?", [agent_id])
    return str(row.fetchone()[0])


def count_one(db: Database, values: Row) -> None:
    """Insert the agent-day of the agent's first submission of that day (no row yet).

    ``values``: agent_id, day, full_online (0/1), weekday ('mon'…), hhmm (local 'HH:MM'),
    dossier_code, procedure_code. Running totals of days after ``day`` are left to refresh().
    """
    db.execute(_COUNT_ONE, values)


def refresh(db: Database, agent_id: str | None = None, since_day: str = "") -> None:
    """Recompute running totals and bursts from the daily counts (one agent, or all)."""
    where, params = ("WHERE agent_id = ?", [agent_id]) if agent_id else ("", [])
    window = "WINDOW w AS (PARTITION BY agent_id ORDER BY day ROWS UNBOUNDED PRECEDING)"
    sums = ", ".join(f"sum({c}) OVER w AS cum_{c}" for c in DAILY)
    db.execute(
        f"WITH a AS (SELECT agent_id, day, n, {sums}, row_number() OVER w AS cum_days "
        f"FROM audit_agent_days {where} {window}), "
        f"b AS (SELECT *, {_burst_expr('n', '(cum_n - n)', '(cum_days - 1)')} AS burst FROM a), "
        f"c AS (SELECT *, sum(burst) OVER w AS cum_bursts FROM b {window}) "
        "UPDATE audit_agent_days SET burst = c.burst, "
        + ", ".join(f"{c} = c.{c}" for c in CUMULATIVE)
        + " FROM c WHERE audit_agent_days.agent_id = c.agent_id AND audit_agent_days.day = c.day "
        "AND c.day >= ?",
        [*params, since_day],
    )


def rebuild_daily(db: Database, hours: list[tuple[str, int, str, str]]) -> None:
    """Replace every daily count by a GROUP BY over raw submissions and official records.

    ``hours`` are the agents' declared ranges (agent_id, weekday with 0 = Sunday, 'HH:MM'
    start, 'HH:MM' end; an end of 23:59 runs to midnight).
    """
    db.execute("DROP TABLE IF EXISTS temp.audit_hours")
    db.execute("CREATE TEMP TABLE audit_hours (agent_id TEXT, dow INTEGER, start TEXT, end TEXT)")
    db.conn.executemany("INSERT INTO temp.audit_hours VALUES (?, ?, ?, ?)", hours)
    db.execute("CREATE INDEX temp.audit_hours_agent ON audit_hours (agent_id, dow)")
    db.execute("DELETE FROM audit_agent_days")
    official = ", ".join(f"sum(coalesce({sql}, 0))" for sql in OFFICIAL_SQL.values())
    db.execute(
        f"INSERT INTO audit_agent_days (agent_id, day, {', '.join(DAILY)}, burst, "
        f"{', '.join(CUMULATIVE)}) "
        f"SELECT s.agent_id, date(s.submitted_at, '{LOCAL}'), count(*), "
        "sum(s.mode = 'full_online'), "
        "sum(NOT EXISTS (SELECT 1 FROM temp.audit_hours h WHERE h.agent_id = s.agent_id "
        f"AND h.dow = CAST(strftime('%w', s.submitted_at, '{LOCAL}') AS INTEGER) "
        f"AND strftime('%H:%M', s.submitted_at, '{LOCAL}') >= h.start "
        f"AND (strftime('%H:%M', s.submitted_at, '{LOCAL}') < h.end OR h.end = '23:59'))), "
        f"{official}, {', '.join('0' for _ in ('burst', *CUMULATIVE))} "
        "FROM submissions s LEFT JOIN official_records o ON o.dossier_code = s.dossier_code "
        "GROUP BY 1, 2"
    )
    db.execute("DROP TABLE temp.audit_hours")


def counter_rows(db: Database) -> list[Row]:
    return _all(db, "SELECT * FROM audit_agent_days ORDER BY agent_id, day", [])


def agent_hours(db: Database) -> list[Row]:
    return _all(db, "SELECT id, opening_hours FROM agents", [])


# --- reading periods ------------------------------------------------------------------------


AGENT_COLUMNS = (
    "a.id, a.number, a.name, a.kind, a.ward_code, a.branch_number, a.status, a.created_at, a.demo"
)


def figures_cte(where: str) -> str:
    """CTEs ``b`` and ``p``: per agent of ``agents a {where}``, its columns and its counts over
    local days [:start, :end] from two running-total rows (4 seeks each); ``last_day`` is
    its last active day on or before :end."""
    diffs = ", ".join(
        f"coalesce(e.{c}, 0) - coalesce(s.{c}, 0) AS {c[4:]}" for c in CUMULATIVE if c != "cum_days"
    )
    return (
        f"b AS (SELECT a.id AS agent_id, {AGENT_COLUMNS}, "
        "(SELECT max(day) FROM audit_agent_days WHERE agent_id = a.id AND day <= :end) AS e_day, "
        "(SELECT max(day) FROM audit_agent_days WHERE agent_id = a.id AND day < :start) AS s_day "
        f"FROM agents a {where}), "
        f"p AS (SELECT b.*, b.e_day AS last_day, {diffs}, "
        "coalesce(e.cum_days, 0) - coalesce(s.cum_days, 0) AS active_days FROM b "
        "LEFT JOIN audit_agent_days e ON e.agent_id = b.agent_id AND e.day = b.e_day "
        "LEFT JOIN audit_agent_days s ON s.agent_id = b.agent_id AND s.day = b.s_day)"
    )


def period_figures(db: Database, start: str, end: str, agent_id: str | None = None) -> list[Row]:
    """Per agent (by number), its columns for the audit and its counts over local days
    [start, end] (see ``figures_cte``)."""
    where = "WHERE a.id = :agent_id" if agent_id else ""
    return _all(
        db,
        f"WITH {figures_cte(where)} SELECT * FROM p ORDER BY number",
        {"start": start, "end": end, "agent_id": agent_id},
    )


def totals_before(
    db: Database, day: str, agent_id: str | None = None, branch_number: int | None = None
) -> Row:
    """Running totals of the network, a branch or an agent at the end of the day before ``day``."""
    clauses: list[str] = []
    params: list[Any] = []
    if agent_id is not None:
        clauses.append("a.id = ?")
        params.append(agent_id)
    if branch_number is not None:
        clauses.append("a.branch_number = ?")
        params.append(branch_number)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sums = ", ".join(f"coalesce(sum(d.{c}), 0) AS {c}" for c in CUMULATIVE)
    row = _one(
        db,
        "WITH b AS (SELECT a.id AS agent_id, (SELECT max(day) FROM audit_agent_days "
        f"WHERE agent_id = a.id AND day < ?) AS day FROM agents a {where}) "
        f"SELECT {sums} FROM b LEFT JOIN audit_agent_days d ON d.agent_id = b.agent_id AND d.day = b.day",
        [day, *params],
    )
    assert row is not None
    return row


def agent_days(db: Database, agent_id: str, start: str, end: str) -> list[Row]:
    return _all(
        db,
        "SELECT * FROM audit_agent_days WHERE agent_id = ? AND day BETWEEN ? AND ? ORDER BY day",
        [agent_id, start, end],
    )


def ratings_by_agent(
    db: Database, since: str, until: str, agent_id: str | None = None
) -> list[Row]:
    where, params = ("AND agent_id = ?", [agent_id]) if agent_id else ("", [])
    return _all(
        db,
        "SELECT agent_id, count(*) AS count, avg(stars) AS average FROM ratings "
        f"WHERE created_at >= ? AND created_at < ? {where} GROUP BY agent_id",
        [since, until, *params],
    )


def contested_claims(
    db: Database, since: str, until: str, agent_id: str | None = None
) -> list[Row]:
    """Claims made in [since, until) on dossiers another agent had recorded."""
    where, params = ("AND claimed_by = ?", [agent_id]) if agent_id else ("", [])
    return _all(
        db,
        "SELECT dossier_code, claimed_by, owner, at FROM contested_claims "
        f"WHERE at >= ? AND at < ? {where} ORDER BY at, id",
        [since, until, *params],
    )


def official_count(db: Database, since: str, until: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM official_records WHERE received_at >= ? AND received_at < ?",
            [since, until],
        ).fetchone()[0]
    )


def off_hours_submissions(
    db: Database, agent_id: str, since: str, until: str, limit: int
) -> list[Row]:
    """The agent's submissions in [since, until) outside its declared hours, first ones first."""
    local = f"s.submitted_at, '{LOCAL}'"
    weekday = f"substr('sunmontuewedthufrisat', 1 + 3 * strftime('%w', {local}), 3)"
    off = _off_hours_sql("s.agent_id", weekday, f"strftime('%H:%M', {local})")
    return _all(
        db,
        "SELECT s.dossier_code, s.submitted_at FROM submissions s "
        "WHERE s.agent_id = ? AND s.submitted_at >= ? AND s.submitted_at < ? "
        f"AND {off} ORDER BY s.submitted_at LIMIT ?",
        [agent_id, since, until, limit],
    )


def by_procedure(db: Database, agent_id: str, since: str, until: str) -> list[Row]:
    official = ", ".join(f"sum(coalesce({sql}, 0)) AS {name}" for name, sql in OFFICIAL_SQL.items())
    return _all(
        db,
        "SELECT s.procedure_code, count(*) AS n, sum(s.mode = 'full_online') AS full_online, "
        f"{official} FROM submissions s "
        "LEFT JOIN official_records o ON o.dossier_code = s.dossier_code "
        "WHERE s.agent_id = ? AND s.submitted_at >= ? AND s.submitted_at < ? "
        "GROUP BY s.procedure_code ORDER BY n DESC, s.procedure_code",
        [agent_id, since, until],
    )


def agent_audit_log(db: Database, agent_id: str, limit: int = 50) -> list[Row]:
    return _all(
        db,
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log "
        "WHERE (entity = 'agent' AND entity_id = ?) "
        "OR (entity = 'dossier' AND action = 'submission.contested' AND after LIKE ?) "
        "ORDER BY id DESC LIMIT ?",
        [agent_id, f'%"{agent_id}"%', limit],
    )


# --- raw baseline ---------------------------------------------------------------------------


def raw_figures(db: Database, since: str, until: str) -> list[Row]:
    """The straightforward GROUP BY over raw submissions (the baseline the counters must equal)."""
    official = ", ".join(f"sum(coalesce({sql}, 0)) AS {name}" for name, sql in OFFICIAL_SQL.items())
    return _all(
        db,
        f"SELECT s.agent_id, count(*) AS n, sum(s.mode = 'full_online') AS full_online, {official}, "
        f"count(DISTINCT date(s.submitted_at, '{LOCAL}')) AS active_days, "
        f"max(date(s.submitted_at, '{LOCAL}')) AS last_day FROM submissions s "
        "LEFT JOIN official_records o ON o.dossier_code = s.dossier_code "
        "WHERE s.submitted_at >= ? AND s.submitted_at < ? GROUP BY s.agent_id ORDER BY s.agent_id",
        [since, until],
    )


def agents_by_ward(db: Database, today: str, idle_days: int) -> dict[str, tuple[int, int]]:
    """Per ward, (agents, active ones: status active and a submission in the last ``idle_days``)."""
    rows = db.execute(
        "SELECT a.ward_code, count(*), sum(a.status = 'active' AND "
        "(SELECT max(day) FROM audit_agent_days WHERE agent_id = a.id) > date(?, ?)) "
        "FROM agents a GROUP BY a.ward_code",
        [today, f"-{idle_days} days"],
    ).fetchall()
    return {ward: (total, active) for ward, total, active in rows}
