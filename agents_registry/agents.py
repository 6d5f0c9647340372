"""Agents: public listing, suspension and reinstatement, token rotation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.auth import Principal, issue_token
from agents_registry.context import Context
from agents_registry.db import write
from agents_registry.errors import Conflict, NotFound
from agents_registry.models import AgentKind, AgentPublic, AgentStatus, TokenIssued
from agents_registry.places import hours_from_json

_fields = msgspec.json.Decoder(list[str])


def to_public(row: dict[str, Any]) -> AgentPublic:
    """The public profile of a stored agent (stored JSON was validated when written)."""
    return AgentPublic(
        id=row["id"],
        name=row["name"],
        kind=AgentKind(row["kind"]),
        address=row["address"],
        ward_code=row["ward_code"],
        lat=row["lat"],
        lon=row["lon"],
        phone=row["phone"],
        opening_hours=hours_from_json(row["opening_hours"]),
        fields=_fields.decode(row["fields"]),
        status=AgentStatus(row["status"]),
        branch_number=row["branch_number"],
        demo=bool(row["demo"]),
    )


def load(db: Database, agent_id: str) -> dict[str, Any]:
    row = store.get_agent(db, agent_id)
    if row is None:
        raise NotFound(f"agent {agent_id} not found")
    return row


def public_one(db: Database, agent_id: str) -> AgentPublic:
    """An active agent's public profile; unknown and non-active agents read as missing."""
    row = store.get_agent(db, agent_id)
    if row is None or row["status"] != AgentStatus.ACTIVE:
        raise NotFound(f"agent {agent_id} not found")
    return to_public(row)


def public_list_json(
    db: Database,
    *,
    ward_code: str | None,
    field: str | None,
    page: int,
    page_size: int,
    modified_after: dt.datetime | None = None,
) -> tuple[bytes, int]:
    """A page of active agents (what citizens may see) as a JSON array of ``AgentPublic``.

    ``modified_after``: only agents changed after it. SQLite builds the JSON: the directory is
    read far more often than it changes, and decoding each stored row into a struct only to
    encode it again took about a quarter of every list request.
    """
    items, total = store.list_agents_json(
        db,
        status=AgentStatus.ACTIVE,
        ward_code=ward_code,
        field=field,
        page=page,
        page_size=page_size,
        modified_after=store.iso(modified_after) if modified_after else None,
    )
    return items.encode(), total


def _set_status(
    db: Database,
    ctx: Context,
    agent_id: str,
    *,
    to: AgentStatus,
    allowed_from: set[str],
    reason: str,
    principal: Principal,
) -> AgentPublic:
    with write(db):
        row = load(db, agent_id)
        if row["status"] not in allowed_from:
            raise Conflict(f"agent {agent_id} is {row['status']}", field="status")
        store.update_agent(
            db,
            agent_id,
            {"status": to.value, "status_reason": reason, "updated_at": store.iso(ctx.now())},
        )
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action=f"agent.{to.value}",
            entity="agent",
            entity_id=agent_id,
            before={"status": row["status"], "status_reason": row["status_reason"]},
            after={"status": to.value, "status_reason": reason},
        )
        row = load(db, agent_id)
    return to_public(row)


def suspend(
    db: Database, ctx: Context, agent_id: str, reason: str, *, principal: Principal
) -> AgentPublic:
    return _set_status(
        db,
        ctx,
        agent_id,
        to=AgentStatus.SUSPENDED,
        allowed_from={"active"},
        reason=reason,
        principal=principal,
    )


def reinstate(
    db: Database, ctx: Context, agent_id: str, reason: str, *, principal: Principal
) -> AgentPublic:
    return _set_status(
        db,
        ctx,
        agent_id,
        to=AgentStatus.ACTIVE,
        allowed_from={"suspended"},
        reason=reason,
        principal=principal,
    )


def rotate_token(db: Database, ctx: Context, agent_id: str, *, principal: Principal) -> TokenIssued:
    """Revoke every token of the agent and issue a new one (shown once)."""
    with write(db):
        load(db, agent_id)
        revoked = store.revoke_tokens(db, "agent", agent_id, ctx.now())
        token = issue_token(db, ctx, "agent", agent_id)
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="agent.token_rotate",
            entity="agent",
            entity_id=agent_id,
            after={"revoked_tokens": revoked},
        )
    return TokenIssued(agent_id=agent_id, token=token)
