"""The SQL of places' hours overrides and temporary closures (branches, reception points and
agents alike). Callers own transactions (``agents_registry.db.write``); nothing here commits.
"""

from __future__ import annotations

from sqlite_utils import Database

from agents_registry.store import Row, _all, _one


def insert_closure(db: Database, row: Row) -> int:
    cursor = db.execute(
        "INSERT INTO closures (place_kind, place_id, starts_on, ends_on, reason, created_by, "
        "created_at) VALUES (:place_kind, :place_id, :starts_on, :ends_on, :reason, :created_by, "
        ":created_at)",
        row,
    )
    return int(cursor.lastrowid or 0)


def get_closure(db: Database, place_kind: str, place_id: str, closure_id: int) -> Row | None:
    """The closure only if it belongs to that place (another place's id reads as missing)."""
    return _one(
        db,
        "SELECT * FROM closures WHERE id = ? AND place_kind = ? AND place_id = ?",
        [closure_id, place_kind, place_id],
    )


def delete_closure(db: Database, closure_id: int) -> None:
    db.execute("DELETE FROM closures WHERE id = ?", [closure_id])


def place_closures(db: Database, place_kind: str, place_id: str, since: str) -> list[Row]:
    """A place's closures ending on or after ``since`` (ISO date), earliest first."""
    return _all(
        db,
        "SELECT * FROM closures WHERE place_kind = ? AND place_id = ? AND ends_on >= ? "
        "ORDER BY starts_on, id",
        [place_kind, place_id, since],
    )


def closures_since(db: Database, since: str) -> list[Row]:
    """Every closure ending on or after ``since`` (ISO date), earliest first."""
    return _all(db, "SELECT * FROM closures WHERE ends_on >= ? ORDER BY starts_on, id", [since])


def get_hours_override(db: Database, place_kind: str, place_id: str) -> Row | None:
    return _one(
        db,
        "SELECT * FROM hours_overrides WHERE place_kind = ? AND place_id = ?",
        [place_kind, place_id],
    )


def hours_overrides(db: Database) -> list[Row]:
    return _all(db, "SELECT * FROM hours_overrides", [])


def upsert_hours_override(db: Database, row: Row) -> None:
    db.execute(
        "INSERT INTO hours_overrides (place_kind, place_id, opening_hours, updated_by, updated_at) "
        "VALUES (:place_kind, :place_id, :opening_hours, :updated_by, :updated_at) "
        "ON CONFLICT (place_kind, place_id) DO UPDATE SET opening_hours = excluded.opening_hours, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        row,
    )


def delete_hours_override(db: Database, place_kind: str, place_id: str) -> None:
    db.execute(
        "DELETE FROM hours_overrides WHERE place_kind = ? AND place_id = ?", [place_kind, place_id]
    )
