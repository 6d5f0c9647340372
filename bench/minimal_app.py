"""Minimal Litestar baseline for ``bench/submissions.py``: the least an equivalent API must do.

One POST endpoint decodes a small JSON body and inserts one row in its own write transaction;
one GET endpoint returns a page of agents. Each request opens its own connection exactly as the
registry does (``agents_registry.db.connect``: WAL, ``synchronous=FULL``) and closes it. No
authentication, validation, idempotency, audit log or response shaping: whatever our API spends
beyond this is the price of those features. Serve it with::

    BENCH_MINIMAL_DB=/tmp/minimal.db .venv/bin/python -m uvicorn bench.minimal_app:app \
        --port 8001 --log-level warning
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, get, post
from sqlite_utils import Database

from agents_registry.db import connect, write

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    dossier_code TEXT NOT NULL UNIQUE,
    procedure_code TEXT NOT NULL,
    mode TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    citizen_id TEXT,
    notes TEXT
);
CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    application_id TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    address TEXT NOT NULL,
    ward_code TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    fields TEXT NOT NULL,
    branch_number INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
PUBLIC_COLUMNS = (
    "id, name, kind, address, ward_code, lat, lon, phone, opening_hours, fields, status, "
    "branch_number, demo"
)


class SubmissionBody(msgspec.Struct):
    dossier_code: str
    procedure_code: str
    mode: str
    submitted_at: str
    citizen_id: str | None = None
    notes: str | None = None


def db_path() -> Path:
    return Path(os.environ["BENCH_MINIMAL_DB"])


def create_schema(db: Database) -> None:
    db.executescript(SCHEMA)


def _create_schema_at_startup() -> None:
    db = connect(db_path())
    try:
        create_schema(db)
    finally:
        db.conn.close()


@post("/submissions", status_code=201, sync_to_thread=True)
def record(data: SubmissionBody) -> dict[str, Any]:
    """Insert one row in its own transaction (BEGIN IMMEDIATE, INSERT, COMMIT)."""
    db = connect(db_path())
    try:
        with write(db):
            cursor = db.execute(
                "INSERT INTO submissions (dossier_code, procedure_code, mode, submitted_at, "
                "citizen_id, notes) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    data.dossier_code,
                    data.procedure_code,
                    data.mode,
                    data.submitted_at,
                    data.citizen_id,
                    data.notes,
                ],
            )
    finally:
        db.conn.close()
    return {"id": cursor.lastrowid, "dossier_code": data.dossier_code}


@get("/agents", sync_to_thread=True)
def list_agents(page_size: int = 100) -> dict[str, Any]:
    """A page of active agents, their public columns as stored."""
    db = connect(db_path())
    try:
        cursor = db.execute(
            f"SELECT {PUBLIC_COLUMNS} FROM agents WHERE status = 'active' ORDER BY number LIMIT ?",
            [page_size],
        )
        names = [c[0] for c in cursor.description]
        items = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        db.conn.close()
    return {"items": items}


app = Litestar(route_handlers=[record, list_agents], on_startup=[_create_schema_at_startup])
