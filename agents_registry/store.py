"""The registry's SQL: applications, agents, tokens, submissions, the audit log. The audit,
ratings, citizen reports, official records and places' hours and closures keep theirs in their
own ``*_store`` modules beside this one. Functions take a sqlite-utils Database and plain values.

Callers own transactions (``agents_registry.db.write``); nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlite_utils import Database

Row = dict[str, Any]
_json = msgspec.json.Encoder()


def to_json(value: object) -> str:
    return _json.encode(value).decode()


def from_json(text: str) -> Any:
    return msgspec.json.decode(text)


def iso(moment: dt.datetime) -> str:
    """UTC ISO 8601 text: sorts in time order."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _one(db: Database, sql: str, params: list[Any] | tuple[Any, ...]) -> Row | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def _all(db: Database, sql: str, params: list[Any] | tuple[Any, ...] | dict[str, Any]) -> list[Row]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _count(db: Database, sql: str, params: list[Any]) -> int:
    return int(db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


# --- applications ---------------------------------------------------------------------------


def insert_application(db: Database, row: Row) -> None:
    db.table("applications").insert(row)


def insert_applications(db: Database, rows: list[Row]) -> None:
    db.table("applications").insert_all(rows, batch_size=500)


def get_application(db: Database, application_id: str) -> Row | None:
    return _one(db, "SELECT * FROM applications WHERE id = ?", [application_id])


def list_applications(
    db: Database,
    status: str | None,
    page: int,
    page_size: int,
    modified_after: str | None = None,
) -> tuple[list[Row], int]:
    clauses, params = [], []
    if status:
        clauses.append("status = ?")
        params.append(status)
    if modified_after:
        clauses.append("updated_at > ?")
        params.append(modified_after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT * FROM applications {where} ORDER BY created_at, id"
    rows = _all(db, f"{sql} LIMIT ? OFFSET ?", [*params, page_size, (page - 1) * page_size])
    return rows, _count(db, sql, params)


def update_application(db: Database, application_id: str, values: Row) -> None:
    db.table("applications").update(application_id, values)


def tax_code_in_use(db: Database, tax_code: str) -> str | None:
    """The id of a pending application or live agent holding ``tax_code``, if any."""
    row = _one(
        db,
        "SELECT id FROM applications WHERE tax_code = ? AND status = 'pending' "
        "UNION ALL SELECT id FROM agents WHERE tax_code = ? AND status IN ('active', 'suspended') LIMIT 1",
        [tax_code, tax_code],
    )
    return row["id"] if row else None


# --- agents ---------------------------------------------------------------------------------


def next_agent_number(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(number), 0) + 1 FROM agents").fetchone()[0])


def insert_agent(db: Database, row: Row) -> None:
    db.table("agents").insert(row)


def insert_agents(db: Database, rows: list[Row]) -> None:
    db.table("agents").insert_all(rows, batch_size=500)


def get_agent(db: Database, agent_id: str) -> Row | None:
    return _one(db, "SELECT * FROM agents WHERE id = ?", [agent_id])


def update_agent(db: Database, agent_id: str, values: Row) -> None:
    db.table("agents").update(agent_id, values)


def _agent_filters(
    *, status: str | None, ward_code: str | None, field: str | None, modified_after: str | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if modified_after:
        clauses.append("updated_at > ?")
        params.append(modified_after)
    if status:
        clauses.append("status = ?")
        params.append(status)
    if ward_code:
        clauses.append("ward_code = ?")
        params.append(ward_code)
    if field:
        clauses.append("EXISTS (SELECT 1 FROM json_each(agents.fields) WHERE value = ?)")
        params.append(field)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


# The public profile (models.AgentPublic) as SQLite writes it; stored JSON columns are embedded
# as they are (validated when written). tests/test_api_agents_directory.py pins it to AgentPublic.
PUBLIC_AGENT_JSON = (
    "json_object('id', id, 'name', name, 'kind', kind, 'address', address, "
    "'ward_code', ward_code, 'lat', lat, 'lon', lon, 'phone', phone, "
    "'opening_hours', json(opening_hours), 'fields', json(fields), 'status', status, "
    "'branch_number', branch_number, 'demo', json(iif(demo, 'true', 'false')))"
)


def list_agents_json(
    db: Database,
    *,
    status: str | None,
    ward_code: str | None,
    field: str | None,
    page: int,
    page_size: int,
    modified_after: str | None = None,
) -> tuple[str, int]:
    """A page of agents (ordered by number) as a JSON array of public profiles, and the total."""
    where, params = _agent_filters(
        status=status, ward_code=ward_code, field=field, modified_after=modified_after
    )
    rows = db.execute(
        f"SELECT {PUBLIC_AGENT_JSON} FROM agents {where} ORDER BY number LIMIT ? OFFSET ?",
        [*params, page_size, (page - 1) * page_size],
    ).fetchall()
    total = int(db.execute(f"SELECT count(*) FROM agents {where}", params).fetchone()[0])
    return "[" + ",".join(r[0] for r in rows) + "]", total


def active_agents(db: Database) -> list[Row]:
    return _all(db, "SELECT * FROM agents WHERE status = 'active' ORDER BY number", [])


# Audit entities whose events can change a place: agents (one, or the demo's bulk "agents"),
# and the catalog's places (hours overrides, closures); PlaceKind values in agents_registry.places.
PLACE_ENTITIES = ("agent", "agents", "branch", "reception_point")


def places_fingerprint(db: Database) -> tuple[object, ...]:
    """Changes whenever an agent or an audited place changes (see agents_registry.nearest); not
    on submissions, ratings or reports, so caches of places outlive the busy write paths."""
    marks = ", ".join("?" for _ in PLACE_ENTITIES)
    row = db.execute(
        "SELECT (SELECT count(*) FROM agents), (SELECT max(updated_at) FROM agents), "
        f"(SELECT max(id) FROM audit_log WHERE entity IN ({marks}))",
        PLACE_ENTITIES,
    ).fetchone()
    return tuple(row)


# --- tokens and staff -----------------------------------------------------------------------


def insert_token(db: Database, token_hash: str, role: str, subject: str, at: dt.datetime) -> None:
    db.table("tokens").insert(
        {"token_hash": token_hash, "role": role, "subject": subject, "created_at": iso(at)}
    )


def find_token(db: Database, token_hash: str) -> Row | None:
    return _one(
        db, "SELECT * FROM tokens WHERE token_hash = ? AND revoked_at IS NULL", [token_hash]
    )


def revoke_tokens(db: Database, role: str, subject: str, at: dt.datetime) -> int:
    cursor = db.execute(
        "UPDATE tokens SET revoked_at = ? WHERE role = ? AND subject = ? AND revoked_at IS NULL",
        [iso(at), role, subject],
    )
    return cursor.rowcount


def insert_staff(db: Database, name: str, at: dt.datetime) -> int:
    cursor = db.execute("INSERT INTO staff (name, created_at) VALUES (?, ?)", [name, iso(at)])
    return int(cursor.lastrowid or 0)


# --- submissions ----------------------------------------------------------------------------


def insert_submission(db: Database, row: Row) -> int:
    cursor = db.execute(
        "INSERT INTO submissions (agent_id, dossier_code, procedure_code, mode, submitted_at, "
        "citizen_hash, notes, idempotency_key, recorded_at, demo) "
        "VALUES (:agent_id, :dossier_code, :procedure_code, :mode, :submitted_at, :citizen_hash, "
        ":notes, :idempotency_key, :recorded_at, :demo)",
        row,
    )
    return int(cursor.lastrowid or 0)


def insert_submissions(db: Database, rows: list[Row]) -> None:
    db.conn.executemany(
        "INSERT INTO submissions (agent_id, dossier_code, procedure_code, mode, submitted_at, "
        "citizen_hash, notes, idempotency_key, recorded_at, demo) "
        "VALUES (:agent_id, :dossier_code, :procedure_code, :mode, :submitted_at, :citizen_hash, "
        ":notes, :idempotency_key, :recorded_at, :demo)",
        rows,
    )


def get_submission(db: Database, submission_id: int) -> Row | None:
    return _one(db, "SELECT * FROM submissions WHERE id = ?", [submission_id])


def submission_by_dossier(db: Database, dossier_code: str) -> Row | None:
    return _one(db, "SELECT * FROM submissions WHERE dossier_code = ?", [dossier_code])


def submission_by_idempotency_key(db: Database, agent_id: str, key: str) -> Row | None:
    return _one(
        db, "SELECT * FROM submissions WHERE agent_id = ? AND idempotency_key = ?", [agent_id, key]
    )


def list_submissions(
    db: Database,
    agent_id: str,
    since: str | None,
    until: str | None,
    page: int,
    page_size: int,
    recorded_after: str | None = None,
) -> tuple[list[Row], int]:
    clauses, params = ["agent_id = ?"], [agent_id]
    if recorded_after:
        clauses.append("recorded_at > ?")
        params.append(recorded_after)
    if since:
        clauses.append("submitted_at >= ?")
        params.append(since)
    if until:
        clauses.append("submitted_at < ?")
        params.append(until)
    sql = f"SELECT * FROM submissions WHERE {' AND '.join(clauses)}"
    rows = _all(
        db,
        f"{sql} ORDER BY submitted_at DESC, id DESC LIMIT ? OFFSET ?",
        [*params, page_size, (page - 1) * page_size],
    )
    return rows, _count(db, sql, params)


def output_by_day(
    db: Database, agent_id: str, since: str, until: str, utc_offset: str
) -> list[Row]:
    """Counts per local calendar day (``utc_offset`` such as '+7 hours')."""
    return _all(
        db,
        "SELECT date(submitted_at, ?) AS date, count(*) AS count, "
        "sum(mode = 'full_online') AS full_online FROM submissions "
        "WHERE agent_id = ? AND submitted_at >= ? AND submitted_at < ? GROUP BY 1 ORDER BY 1",
        [utc_offset, agent_id, since, until],
    )


def output_by_procedure(db: Database, agent_id: str, since: str, until: str) -> list[Row]:
    return _all(
        db,
        "SELECT procedure_code, count(*) AS count FROM submissions "
        "WHERE agent_id = ? AND submitted_at >= ? AND submitted_at < ? "
        "GROUP BY procedure_code ORDER BY count DESC, procedure_code",
        [agent_id, since, until],
    )


def insert_contested_claim(
    db: Database, dossier_code: str, claimed_by: str, owner: str, at: dt.datetime
) -> None:
    db.execute(
        "INSERT INTO contested_claims (dossier_code, claimed_by, owner, at) VALUES (?, ?, ?, ?)",
        [dossier_code, claimed_by, owner, iso(at)],
    )


# --- audit log ------------------------------------------------------------------------------


def append_audit(
    db: Database,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: object = None,
    after: object = None,
) -> None:
    db.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            iso(at),
            actor,
            action,
            entity,
            entity_id,
            None if before is None else to_json(before),
            None if after is None else to_json(after),
        ],
    )


def audit_events(db: Database, entity: str, entity_id: str) -> list[Row]:
    return _all(
        db,
        "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
        [entity, entity_id],
    )


def count_rows(db: Database, table: str) -> int:
    if table not in {
        "applications",
        "agents",
        "submissions",
        "audit_log",
        "tokens",
        "staff",
        "contested_claims",
    }:
        raise ValueError(table)
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
