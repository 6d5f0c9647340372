"""Applications to become an agent: apply, follow, approve (issuing the agent), reject."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.auth import Principal, hash_secret, issue_token, new_secret, secret_matches
from agents_registry.context import Context
from agents_registry.db import write
from agents_registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from agents_registry.geo import position_problem, supervising_branch
from agents_registry.models import (
    Application,
    ApplicationCreated,
    ApplicationIn,
    ApplicationStatus,
    ApplicationStatusView,
    Approval,
)
from agents_registry.validation import normalize_phone, tax_code_problem


def check_application(ctx: Context, data: ApplicationIn) -> dict[str, str]:
    """Rules beyond the wire constraints; returns every problem by field."""
    problems: dict[str, str] = {}
    if (reason := tax_code_problem(data.tax_code)) is not None:
        problems["tax_code"] = reason
    if normalize_phone(data.phone) is None:
        problems["phone"] = (
            "is not a Vietnamese mobile (10 digits) or landline (02x, 11 digits) number"
        )
    ward = ctx.catalog.ward(data.ward_code)
    if ward is None:
        problems["ward_code"] = f"{data.ward_code} is not a ward of Hanoi"
    elif (reason := position_problem(ctx.catalog, ward, data.lat, data.lon)) is not None:
        problems["lat"] = f"the position ({data.lat}, {data.lon}) {reason}"
    known = {f.slug for f in ctx.catalog.fields}
    for i, slug in enumerate(data.fields):
        if slug not in known:
            problems[f"fields[{i}]"] = f"{slug!r} is not a field of the catalog"
    return problems


def _new_application_id() -> str:
    return "HS-" + secrets.token_hex(5).upper()


def apply(
    db: Database, ctx: Context, data: ApplicationIn, *, demo: bool = False
) -> ApplicationCreated:
    """Record an application (pending) and return its id and status secret (shown once)."""
    problems = check_application(ctx, data)
    if problems:
        raise InvalidInput(problems)
    secret = new_secret()
    now = store.iso(ctx.now())
    row = {
        **msgspec.to_builtins(data),
        "id": _new_application_id(),
        "phone": normalize_phone(data.phone),
        "opening_hours": store.to_json(data.opening_hours),
        "fields": store.to_json(data.fields),
        "status": ApplicationStatus.PENDING.value,
        "reason": None,
        "secret_hash": hash_secret(secret),
        "agent_id": None,
        "demo": int(demo),
        "created_at": now,
        "updated_at": now,
    }
    with write(db):
        holder = store.tax_code_in_use(db, data.tax_code)
        if holder is not None:
            raise Conflict(
                f"tax code {data.tax_code} already has a pending application or an active agent",
                field="tax_code",
            )
        store.insert_application(db, row)
        store.append_audit(
            db,
            at=ctx.now(),
            actor="public",
            action="application.create",
            entity="application",
            entity_id=row["id"],
            after=_public_view(row),
        )
    return ApplicationCreated(id=row["id"], status=ApplicationStatus.PENDING, secret=secret)


def _public_view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "secret_hash"}


def _load(db: Database, application_id: str) -> dict[str, Any]:
    row = store.get_application(db, application_id)
    if row is None:
        raise NotFound(f"application {application_id} not found")
    return row


def to_application(row: dict[str, Any]) -> Application:
    values = {k: v for k, v in row.items() if k != "secret_hash"}
    values["opening_hours"] = store.from_json(row["opening_hours"])
    values["fields"] = store.from_json(row["fields"])
    values["demo"] = bool(row["demo"])
    return msgspec.convert(values, Application)


def status(
    db: Database, application_id: str, *, secret: str | None, principal: Principal
) -> ApplicationStatusView:
    """The applicant (with its secret) or staff may see an application's status."""
    row = _load(db, application_id)
    if principal.role != "staff" and not (secret and secret_matches(secret, row["secret_hash"])):
        raise Forbidden("the status secret does not match this application")
    return msgspec.convert(
        {k: row[k] for k in ApplicationStatusView.__struct_fields__}, ApplicationStatusView
    )


def get(db: Database, application_id: str) -> Application:
    return to_application(_load(db, application_id))


def list_(
    db: Database,
    status_filter: str | None,
    page: int,
    page_size: int,
    modified_after: dt.datetime | None = None,
) -> tuple[list[Application], int]:
    since = store.iso(modified_after) if modified_after else None
    rows, total = store.list_applications(db, status_filter, page, page_size, since)
    return [to_application(r) for r in rows], total


def approve(db: Database, ctx: Context, application_id: str, *, principal: Principal) -> Approval:
    """Turn a pending application into an active agent; its token is returned only here."""
    with write(db):
        row = _load(db, application_id)
        if row["status"] != ApplicationStatus.PENDING:
            raise Conflict(
                f"application {application_id} is {row['status']}, not pending", field="status"
            )
        number = store.next_agent_number(db)
        agent_id = f"DL-{number:04d}"
        branch = supervising_branch(ctx.catalog, row["ward_code"], row["lat"], row["lon"])
        now = store.iso(ctx.now())
        agent = {
            "id": agent_id,
            "number": number,
            "application_id": application_id,
            "name": row["business_name"],
            "kind": row["kind"],
            "tax_code": row["tax_code"],
            "address": row["address"],
            "ward_code": row["ward_code"],
            "lat": row["lat"],
            "lon": row["lon"],
            "phone": row["phone"],
            "email": row["email"],
            "opening_hours": row["opening_hours"],
            "fields": row["fields"],
            "branch_number": branch.number,
            "status": "active",
            "status_reason": None,
            "demo": row["demo"],
            "created_at": now,
            "updated_at": now,
        }
        store.insert_agent(db, agent)
        store.update_application(
            db, application_id, {"status": "approved", "agent_id": agent_id, "updated_at": now}
        )
        token = issue_token(db, ctx, "agent", agent_id)
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="application.approve",
            entity="application",
            entity_id=application_id,
            before={"status": row["status"]},
            after={"status": "approved", "agent_id": agent_id},
        )
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="agent.create",
            entity="agent",
            entity_id=agent_id,
            after=agent,
        )
    return Approval(agent_id=agent_id, token=token)


def reject(
    db: Database, ctx: Context, application_id: str, reason: str, *, principal: Principal
) -> Application:
    with write(db):
        row = _load(db, application_id)
        if row["status"] != ApplicationStatus.PENDING:
            raise Conflict(
                f"application {application_id} is {row['status']}, not pending", field="status"
            )
        now = store.iso(ctx.now())
        store.update_application(
            db, application_id, {"status": "rejected", "reason": reason, "updated_at": now}
        )
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="application.reject",
            entity="application",
            entity_id=application_id,
            before={"status": row["status"]},
            after={"status": "rejected", "reason": reason},
        )
        row = _load(db, application_id)
    return to_application(row)
