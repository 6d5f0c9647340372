"""Audit benchmark: the ranking of every agent from our counters against a GROUP BY over raw
submissions on a covering index, in the same run, with identical results asserted.

For each case (1M submissions / 500 agents, then 10M / 10,000 agents) it builds a database in a
temporary folder (a recursive CTE inserts a year of submissions, ``synchronous=OFF`` for this
setup only), rebuilds the counters, adds the covering index the baseline needs, then measures:

- the ranking of all agents over the whole year and over the last month (``audit.ranking``:
  KPIs, flags, sorting, a page with distinct procedures) against the GROUP BY (count, fully
  online, active days, last day per agent); the figures of every agent must be identical;
- one agent's full report (``audit_report.agent_report`` for a month);
- recording a submission (``submissions.record``, WAL with ``synchronous=NORMAL``) with the
  counters against the same call with the counter work switched off, in alternating blocks.

    .venv/bin/python bench/audit.py [--scale 0.01] [--case 1m|10m|both]

``--scale`` multiplies agents and submissions (a quick check). Targets print PASS/FAIL; the
exit code is 1 only if results differ. Figures and their reading: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))  # run as a script: make the project importable

from sqlite_utils import Database  # noqa: E402

from agents_registry import audit, audit_counters, audit_report, audit_store  # noqa: E402
from agents_registry import submissions as subs  # noqa: E402
from agents_registry.audit_models import FlagCode, Period, SortKey  # noqa: E402
from agents_registry.auth import Principal  # noqa: E402
from agents_registry.context import VIETNAM, Context  # noqa: E402
from agents_registry.db import connect, write  # noqa: E402
from agents_registry.migrations import migrate  # noqa: E402
from agents_registry.models import Mode, SubmissionIn  # noqa: E402
from catalog.load import load_catalog  # noqa: E402

CACHE = PROJECT / "var" / "bench"
GENERATOR_VERSION = 2  # bump when generate() changes what it writes
OTHER_QUERIES = [  # beside the default (by submissions): measured, no target
    (SortKey.flags, None),
    (SortKey.full_online_share, None),
    (SortKey.submissions, FlagCode.below_target),
]
CASES = {"1m": (1_000_000, 500), "10m": (10_000_000, 10_000)}
RANKING_TARGET_MS, RANKING_RATIO_TARGET = 100.0, 10.0
REPORT_TARGET_MS, WRITE_RATIO_TARGET = 2.0, 1.3
HOURS = (
    '{"mon":["07:30-17:30"],"tue":["07:30-17:30"],"wed":["07:30-17:30"],'
    '"thu":["07:30-17:30"],"fri":["07:30-17:30"],"sat":["08:00-12:00"],"sun":[]}'
)
BASELINE = (
    "SELECT agent_id, count(*) AS n, sum(mode = 'full_online') AS full_online, "
    "count(DISTINCT date(submitted_at, '+7 hours')) AS active_days, "
    "max(date(submitted_at, '+7 hours')) AS last_day FROM submissions "
    "WHERE submitted_at >= ? AND submitted_at < ? GROUP BY agent_id"
)


def schema_version() -> str:
    """A short hash of the audit's tables and of the generator: a cached database is reused
    only while both are unchanged."""
    db = Database(memory=True)
    migrate(db)
    sql = "".join(
        r[0] or ""
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN ('agents', 'submissions', "
            "'official_records', 'ratings', 'contested_claims') OR tbl_name LIKE 'audit%' "
            "ORDER BY name"
        )
    )
    return hashlib.sha256(f"{GENERATOR_VERSION}{sql}".encode()).hexdigest()[:10]


def _secondary_indexes(db: Database) -> list[tuple[str, str]]:
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'submissions' "
        "AND sql IS NOT NULL"
    ).fetchall()


def generate(
    db: Database, rows: int, agents: int, seed: int, today: dt.date, codes: list[str]
) -> None:
    """Agents and a year of submissions (busier agents, office hours, 20 % fully online)."""
    start = int(dt.datetime.combine(today - dt.timedelta(days=365), dt.time(), VIETNAM).timestamp())
    db.execute(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) "
        "INSERT INTO agents (id, number, name, kind, tax_code, address, ward_code, lat, lon, "
        "phone, email, opening_hours, fields, branch_number, status, created_at, updated_at) "
        "SELECT printf('DL-%05d', i), i, 'Đại lý ' || i, 'post_office', "
        "printf('01%08d', i), 'Hà Nội', '00070', 21.03, 105.85, '+84 912 345 678', "
        "'a@example.vn', ?, '[]', 1 + i % 12, 'active', '2025-01-01T00:00:00.000000+00:00', "
        "'2025-01-01T00:00:00.000000+00:00' FROM c",
        [agents, HOURS],
    )
    db.execute("CREATE TEMP TABLE procs (k INTEGER PRIMARY KEY, code TEXT)")
    db.conn.executemany("INSERT INTO procs VALUES (?, ?)", list(enumerate(codes)))
    db.execute(
        "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ? - 1), "
        "h(i, x) AS (SELECT i, ((i + ?) * 2654435761) % 4294967296 FROM c) "
        "INSERT INTO submissions (agent_id, dossier_code, procedure_code, mode, submitted_at, "
        "recorded_at) SELECT printf('DL-%05d', 1 + CASE WHEN x % 4 = 0 THEN x / 7 % "
        "max(1, ? / 10) ELSE x / 7 % ? END), printf('B-%09d', i), (SELECT code FROM procs "
        "WHERE k = x / 11 % ?), CASE WHEN x % 5 = 0 THEN 'full_online' ELSE 'partial_online' "
        "END, strftime('%Y-%m-%dT%H:%M:%S', ? + (i * 365 / ?) * 86400 + 28800 + x % 32400, "
        "'unixepoch') || '.000000+00:00', '2025-01-01T00:00:00.000000+00:00' FROM h",
        [rows, seed * 7919, agents, agents, len(codes), start, rows],
    )


def build(path: Path, rows: int, agents: int, seed: int, today: dt.date, codes: list[str]) -> None:
    """The database of one case: data, counters rebuilt from raw rows, the baseline's index.

    Setup only: no journal, no fsync, a 1 GiB cache, secondary indexes built after the load.
    """
    partial_path = path.with_suffix(".partial")
    partial_path.unlink(missing_ok=True)
    db = connect(partial_path, synchronous="OFF")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -1048576")
    migrate(db)
    indexes = _secondary_indexes(db)
    began = time.perf_counter()
    with write(db):
        for name, _ in indexes:
            db.execute(f"DROP INDEX {name}")
        generate(db, rows, agents, seed, today, codes)
        for _, sql in indexes:
            db.execute(sql)
    print(f"generated in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    with write(db):
        audit_counters.rebuild(db)
    print(f"counters rebuilt from raw rows in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    db.execute("CREATE INDEX bench_cover ON submissions (agent_id, submitted_at, mode)")
    db.execute("ANALYZE")
    print(f"covering index for the baseline in {time.perf_counter() - began:.1f} s")
    db.execute("PRAGMA journal_mode = WAL")
    db.conn.close()
    partial_path.rename(path)
    Path(f"{partial_path}-writer.lock").unlink(missing_ok=True)  # left by db.write's lock


def cached(
    rows: int, agents: int, seed: int, today: dt.date, codes: list[str], fresh: bool
) -> Path:
    """The case's database under var/bench/ (gitignored), built unless already there."""
    path = CACHE / f"audit-{rows}-{agents}-s{seed}-{today}-{schema_version()}.db"
    if fresh or not path.exists():
        build(path, rows, agents, seed, today, codes)
    else:
        print(f"reusing {path.relative_to(PROJECT)} (--fresh to rebuild)")
    return path


def best_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best (wall ms, CPU ms of this thread) over ``repeat`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.thread_time()
        result = fn()
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return min(walls), min(cpus), result


def compare(db: Database, ctx: Context, period: Period, repeat: int) -> list[float]:
    """[ranking wall, ranking CPU, GROUP BY wall, GROUP BY CPU] in ms over the period; exits
    unless every agent's figures and the ranking order are identical."""
    query = audit.RankingQuery(page_size=50)
    ours_wall, ours_cpu, _ = best_ms(lambda: audit.ranking(db, ctx, period, query), repeat)
    since, until = audit_counters.day_bounds(period.date_from, period.date_to)
    base_wall, base_cpu, raw = best_ms(
        lambda: db.execute(BASELINE, [since, until]).fetchall(), repeat
    )
    counted = audit_store.period_figures(
        db, period.date_from.isoformat(), period.date_to.isoformat()
    )
    ours = {
        r["agent_id"]: (r["n"], r["full_online"], r["active_days"], r["last_day"])
        for r in counted
        if r["n"]
    }
    theirs = {agent: tuple(rest) for agent, *rest in raw}
    if ours != theirs:
        sys.exit(f"DIFFERENT results over {period}: {len(ours)} vs {len(theirs)} agents")
    ranking = audit.ranking(db, ctx, period, audit.RankingQuery(page_size=10))
    top = sorted(theirs.items(), key=lambda kv: (-kv[1][0], int(kv[0][3:])))[:10]
    if [k.agent_id for k in ranking.items] != [agent for agent, _ in top]:
        sys.exit("DIFFERENT ranking order")
    return [ours_wall, ours_cpu, base_wall, base_cpu]


def _no_counters(*args: object, **kwargs: object) -> None:
    """Stands in for ``audit_counters.count_submission`` in the blocks without counters."""


def write_ratio(
    db: Database, ctx: Context, agents: int, pairs: int, per_block: int
) -> tuple[float, float, float]:
    """(CPU µs per record with counters, without, ratio): medians over ``pairs`` adjacent
    pairs of blocks, the order inside a pair alternating so that a drift of the machine's
    load hits both sides alike; the ratio is the median of the pairs' ratios."""
    db.execute("PRAGMA synchronous = NORMAL")
    saved = audit_counters.count_submission
    serial = iter(range(int(time.time() * 1000) % 10**7 * 100, 10**12))

    def one(number: int) -> None:
        data = SubmissionIn(
            dossier_code=f"000.00.01.H26-BENCH-{number}",
            procedure_code="1.001193",
            mode=Mode.FULL_ONLINE if number % 5 == 0 else Mode.PARTIAL_ONLINE,
            submitted_at=ctx.now() - dt.timedelta(minutes=1),
        )
        agent = Principal("agent", f"DL-{1 + number % agents:05d}")
        subs.record(db, ctx, data, principal=agent, idempotency_key=None)

    def block(counters: bool) -> float:
        if not counters:
            audit_counters.count_submission = _no_counters
        began = time.thread_time()
        for _ in range(per_block):
            one(next(serial))
        audit_counters.count_submission = saved
        return (time.thread_time() - began) / per_block * 1e6

    with_us, without_us = [], []
    for pair in range(pairs):
        if pair % 2 == 0:
            with_us.append(block(True))
            without_us.append(block(False))
        else:
            without_us.append(block(False))
            with_us.append(block(True))
    ratios = [w / wo for w, wo in zip(with_us, without_us, strict=True)]
    return statistics.median(with_us), statistics.median(without_us), statistics.median(ratios)


def run(rows: int, agents: int, seed: int, fresh: bool, scratch: Path) -> None:
    catalog = load_catalog()
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(VIETNAM).date()
    ctx = Context(catalog=catalog, secret_key=b"bench", clock=lambda: dt.datetime.now(dt.UTC))
    codes = [p.key for p in catalog.procedures[:60]]
    print(f"\n== {rows:,} submissions / {agents:,} agents")
    path = cached(rows, agents, seed, today, codes, fresh)
    db = connect(path)
    year = Period(date_from=today - dt.timedelta(days=365), date_to=today)
    month = audit.resolve_period(
        ctx, f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}", None, None
    )
    for name, period in (("year", year), ("last month", month)):
        ours_wall, ours, base_wall, base = compare(db, ctx, period, repeat=5)
        ok = ours <= RANKING_TARGET_MS and base / ours >= RANKING_RATIO_TARGET
        print(
            f"ranking, {name}: counters {ours:.1f} ms CPU ({ours_wall:.1f} wall), GROUP BY "
            f"{base:.1f} ms CPU ({base_wall:.1f} wall), {base / ours:.1f}x, identical — "
            f"{'PASS' if ok else 'FAIL'} (≤ {RANKING_TARGET_MS:.0f} ms, ≥ 10x)"
        )
        for sort, flag in OTHER_QUERIES:
            query = audit.RankingQuery(sort=sort, flag=flag, page_size=50)
            _, cpu, _ = best_ms(partial(audit.ranking, db, ctx, period, query), 5)
            shown = f"sorted by {sort.value}" + (f", flag {flag.value}" if flag else "")
            print(f"  ranking, {name}, {shown}: {cpu:.1f} ms CPU")
    ids = [f"DL-{1 + i * agents // 200:05d}" for i in range(200)]
    walls, cpus = [], []
    for agent_id in ids:
        wall, cpu, _ = best_ms(partial(audit_report.agent_report, db, ctx, agent_id, month), 3)
        walls.append(wall)
        cpus.append(cpu)
    p50, p99 = statistics.median(cpus), sorted(cpus)[int(len(cpus) * 0.99) - 1]
    verdict = "PASS" if p50 <= REPORT_TARGET_MS else "FAIL"
    print(
        f"one agent's report (month): CPU p50 {p50:.2f} ms, p99 {p99:.2f} ms; wall p50 "
        f"{statistics.median(walls):.2f} ms — {verdict} (p50 ≤ 2 ms)"
    )
    db.conn.close()
    # Recording writes: on a copy, so the cached database stays as generated.
    copy = scratch / path.name
    shutil.copyfile(path, copy)
    db = connect(copy)
    with_us, without_us, ratio = write_ratio(db, ctx, agents, pairs=40, per_block=50)
    verdict = "PASS" if ratio <= WRITE_RATIO_TARGET else "FAIL"
    print(
        f"recording a submission: {with_us:.0f} µs CPU with counters, {without_us:.0f} without, "
        f"{ratio:.2f}x (median of 40 pairs of blocks) — {verdict} (≤ 1.3x)"
    )
    db.conn.close()
    copy.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply rows and agents")
    parser.add_argument("--case", choices=["1m", "10m", "both"], default="both")
    parser.add_argument("--seed", type=int, default=1, help="varies the generated data")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached databases")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (targets on CPU time)")
    cases = ["1m", "10m"] if args.case == "both" else [args.case]
    with tempfile.TemporaryDirectory(prefix="hcc-audit-bench-") as scratch:
        for case in cases:
            rows, agents = CASES[case]
            rows, agents = max(1000, int(rows * args.scale)), max(10, int(agents * args.scale))
            run(rows, agents, args.seed, args.fresh, Path(scratch))


if __name__ == "__main__":
    main()
