"""SQL of citizens' ratings and of the public per-agent scorecard.

The ``ratings`` table comes from migration ``m003_audit``. Callers own transactions.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from agents_registry.store import Row

_INSERT = (
    "INSERT INTO ratings (agent_id, dossier_code, stars, comment, created_at, demo) "
    "VALUES (:agent_id, :dossier_code, :stars, :comment, :created_at, :demo)"
)


def insert_rating(db: Database, row: Row) -> int:
    cursor = db.execute(_INSERT, row)
    return int(cursor.lastrowid or 0)


def insert_ratings(db: Database, rows: list[Row]) -> None:
    db.conn.executemany(_INSERT, rows)


def rating_by_dossier(db: Database, dossier_code: str) -> Row | None:
    cursor = db.execute("SELECT * FROM ratings WHERE dossier_code = ?", [dossier_code])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def count_ratings(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM ratings").fetchone()[0])


def stars_histogram(db: Database, agent_id: str, since: str) -> dict[int, int]:
    """How many ratings of each star value the agent received since ``since`` (UTC ISO)."""
    rows = db.execute(
        "SELECT stars, count(*) FROM ratings WHERE agent_id = ? AND created_at >= ? GROUP BY stars",
        [agent_id, since],
    ).fetchall()
    return {int(stars): int(count) for stars, count in rows}


def submissions_by_month(
    db: Database, agent_id: str, since: str, until: str, utc_offset: str
) -> list[dict[str, Any]]:
    """Submissions and fully-online ones per local calendar month ('YYYY-MM')."""
    cursor = db.execute(
        "SELECT strftime('%Y-%m', submitted_at, ?) AS month, count(*) AS submissions, "
        "sum(mode = 'full_online') AS full_online FROM submissions "
        "WHERE agent_id = ? AND submitted_at >= ? AND submitted_at < ? GROUP BY 1 ORDER BY 1",
        [utc_offset, agent_id, since, until],
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
