"""The demo network's ratings: a few thousand, mostly good, a few agents consistently low."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.demo import seed
from agents_registry.migrations import migrate
from catalog.load import load_catalog

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime.combine(TODAY, dt.time(), tzinfo=VIETNAM)


def seeded_db(path: Path) -> Database:
    db = connect(path)
    migrate(db)
    ctx = Context(catalog=load_catalog(), secret_key=b"demo-ratings-test-secret-0123456")
    seed(db, ctx, today=TODAY)
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = seeded_db(tmp_path_factory.mktemp("demo-ratings") / "hcc.db")
    yield database
    database.conn.close()


def one(db: Database, sql: str) -> tuple:  # type: ignore[type-arg]
    return tuple(db.execute(sql).fetchone())


def test_a_few_thousand_demo_ratings_mostly_good(db: Database) -> None:
    count, good, demo, commented = one(
        db,
        "SELECT count(*), sum(stars >= 4), sum(demo), sum(comment IS NOT NULL) FROM ratings",
    )

    assert 2000 <= count <= 8000
    assert good / count >= 0.75
    assert demo == count
    assert 0.15 <= commented / count <= 0.45
    assert one(db, "SELECT after FROM audit_log WHERE entity = 'ratings'")[0].startswith(
        f'{{"count":{count},'
    )


def test_each_rating_is_of_a_dossier_its_agent_recorded_before_now(db: Database) -> None:
    mismatched, early, late = one(
        db,
        "SELECT sum(s.agent_id IS NOT r.agent_id), sum(r.created_at <= s.submitted_at), "
        f"sum(r.created_at >= '{NOW.astimezone(dt.UTC).isoformat()}') "
        "FROM ratings r LEFT JOIN submissions s ON s.dossier_code = r.dossier_code",
    )

    assert (mismatched, early, late) == (0, 0, 0)


def test_comments_carry_no_personal_data(db: Database) -> None:
    comments = [row[0] for row in db.execute("SELECT DISTINCT comment FROM ratings")]

    assert all(c is None or not re.search("[0-9@]", c) for c in comments)


def test_a_few_agents_are_rated_low_month_after_month(db: Database) -> None:
    """The audit flags an agent with at least 5 ratings averaging under 3 in a month."""
    flagged = db.execute(
        "SELECT strftime('%Y-%m', created_at, '+7 hours') AS month, count(DISTINCT agent_id) "
        "FROM (SELECT agent_id, created_at, count(*) OVER w AS n, avg(stars) OVER w AS average "
        "FROM ratings WINDOW w AS (PARTITION BY agent_id, strftime('%Y-%m', created_at, '+7 hours'))) "
        "WHERE n >= 5 AND average < 3 GROUP BY month ORDER BY month"
    ).fetchall()
    agents = one(db, "SELECT count(*) FROM agents")[0]
    recent = dict(flagged)

    last_full_months = ["2025-12", "2026-01", "2026-02"]
    assert all(2 <= recent.get(m, 0) <= 0.03 * agents for m in last_full_months), flagged


def test_the_same_seed_gives_the_same_ratings(db: Database, tmp_path: Path) -> None:
    again = seeded_db(tmp_path / "again.db")
    query = "SELECT agent_id, dossier_code, stars, comment, created_at FROM ratings ORDER BY id"

    try:
        assert again.execute(query).fetchall() == db.execute(query).fetchall()
    finally:
        again.conn.close()
