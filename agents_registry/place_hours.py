"""Changing when places are open: weekly hours and temporary closures.

An agent changes its own hours (kept in ``agents.opening_hours``) and announces its own
closures; staff may do both for any place, replacing a branch's or reception point's catalog
hours with an override until it is removed. Each action is one transaction that also appends an
audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import msgspec
from msgspec import Meta
from sqlite_utils import Database

from agents_registry import agents, places_store, store
from agents_registry.auth import Principal
from agents_registry.context import Context
from agents_registry.db import write
from agents_registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from agents_registry.hours import Closure
from agents_registry.models import NO_CONTROL, AgentPublic, Base
from agents_registry.places import PlaceKind, catalog_place, closure_from_row, local_today
from catalog.load import Catalog
from catalog.models import OpeningHours

MAX_CLOSURE_DAYS = 90
MAX_CLOSURE_LEAD_DAYS = 365
REASON_LENGTH = (3, 500)
ClosureReason = Annotated[
    str, Meta(min_length=REASON_LENGTH[0], max_length=REASON_LENGTH[1], pattern=NO_CONTROL)
]


class ClosureIn(Base, kw_only=True):
    """A temporary closure to announce: local dates, both inclusive."""

    starts_on: dt.date
    ends_on: dt.date
    reason: ClosureReason


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _authorize(principal: Principal, kind: PlaceKind, place_id: str) -> None:
    """Staff may change any place; an agent only its own."""
    if principal.role == "staff":
        return
    if principal.role == "agent" and kind == PlaceKind.AGENT and principal.subject == place_id:
        return
    raise Forbidden("only center staff or the agent itself may change this place")


def _entity(
    db: Database, catalog: Catalog, kind: PlaceKind, place_id: str
) -> dict[str, Any] | None:
    """The agent row for an agent (any status), None for a catalog place; NotFound otherwise."""
    if kind == PlaceKind.AGENT:
        return agents.load(db, place_id)
    catalog_place(catalog, kind, place_id)
    return None


def _check_hours(hours: OpeningHours) -> None:
    if not any(hours.day(i) for i in range(7)):
        raise InvalidInput(
            {"opening_hours": "at least one day needs opening hours; announce a closure instead"}
        )


def validate_closure(
    starts_on: dt.date, ends_on: dt.date, reason: str, *, today: dt.date
) -> dict[str, str]:
    """Problems with a closure, by field: empty when it may be announced."""
    problems = {}
    text = reason.strip()
    if not REASON_LENGTH[0] <= len(text) <= REASON_LENGTH[1]:
        problems["reason"] = f"must be {REASON_LENGTH[0]}-{REASON_LENGTH[1]} characters"
    elif CONTROL.search(text):
        problems["reason"] = "must not contain control characters"
    if starts_on > today + dt.timedelta(days=MAX_CLOSURE_LEAD_DAYS):
        problems["starts_on"] = f"must be at most {MAX_CLOSURE_LEAD_DAYS} days ahead"
    if ends_on < starts_on:
        problems["ends_on"] = "must not be before starts_on"
    elif ends_on < today:
        problems["ends_on"] = "the closure is entirely in the past"
    elif (ends_on - starts_on).days + 1 > MAX_CLOSURE_DAYS:
        problems["ends_on"] = f"a closure lasts at most {MAX_CLOSURE_DAYS} days"
    return problems


def _write_agent_hours(
    db: Database, ctx: Context, row: dict[str, Any], hours: OpeningHours, principal: Principal
) -> None:
    store.update_agent(
        db,
        row["id"],
        {"opening_hours": store.to_json(hours), "updated_at": store.iso(ctx.now())},
    )
    store.append_audit(
        db,
        at=ctx.now(),
        actor=principal.actor,
        action="place.hours_set",
        entity=PlaceKind.AGENT.value,
        entity_id=row["id"],
        before={"opening_hours": store.from_json(row["opening_hours"])},
        after={"opening_hours": hours},
    )


def set_agent_hours(
    db: Database, ctx: Context, *, agent_id: str, hours: OpeningHours, principal: Principal
) -> AgentPublic:
    """An agent's own weekly hours (or staff's correction of them); returns its public profile."""
    _authorize(principal, PlaceKind.AGENT, agent_id)
    _check_hours(hours)
    with write(db):
        _write_agent_hours(db, ctx, agents.load(db, agent_id), hours, principal)
        row = agents.load(db, agent_id)
    return agents.to_public(row)


def set_place_hours(
    db: Database,
    ctx: Context,
    *,
    kind: PlaceKind,
    place_id: str,
    hours: OpeningHours,
    principal: Principal,
) -> None:
    """Replace any place's weekly hours: an agent's own, or an override of the catalog's."""
    _authorize(principal, kind, place_id)
    _check_hours(hours)
    with write(db):
        row = _entity(db, ctx.catalog, kind, place_id)
        if row is not None:
            _write_agent_hours(db, ctx, row, hours, principal)
            return
        before = places_store.get_hours_override(db, kind.value, place_id)
        places_store.upsert_hours_override(
            db,
            {
                "place_kind": kind.value,
                "place_id": place_id,
                "opening_hours": store.to_json(hours),
                "updated_by": principal.actor,
                "updated_at": store.iso(ctx.now()),
            },
        )
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="place.hours_set",
            entity=kind.value,
            entity_id=place_id,
            before={"opening_hours": store.from_json(before["opening_hours"]) if before else None},
            after={"opening_hours": hours},
        )


def reset_place_hours(
    db: Database, ctx: Context, *, kind: PlaceKind, place_id: str, principal: Principal
) -> None:
    """Remove a staff override: the catalog's weekly hours apply again."""
    _authorize(principal, kind, place_id)
    if kind == PlaceKind.AGENT:
        raise Conflict("an agent's hours are its own: set new ones instead", field="kind")
    with write(db):
        _entity(db, ctx.catalog, kind, place_id)
        before = places_store.get_hours_override(db, kind.value, place_id)
        if before is None:
            raise NotFound(f"{kind.value} {place_id} has no hours override")
        places_store.delete_hours_override(db, kind.value, place_id)
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="place.hours_reset",
            entity=kind.value,
            entity_id=place_id,
            before={"opening_hours": store.from_json(before["opening_hours"])},
        )


def list_closures(
    db: Database,
    ctx: Context,
    *,
    kind: PlaceKind,
    place_id: str,
    modified_after: dt.datetime | None = None,
) -> list[Closure]:
    """A place's current and upcoming closures, earliest first; with ``modified_after``, only
    those announced after that moment (a closure is never changed, only withdrawn)."""
    since = local_today(ctx).isoformat()
    rows = places_store.place_closures(db, kind.value, place_id, since)
    if modified_after is not None:
        rows = [r for r in rows if dt.datetime.fromisoformat(r["created_at"]) > modified_after]
    return [closure_from_row(r) for r in rows]


def add_closure(
    db: Database,
    ctx: Context,
    *,
    kind: PlaceKind,
    place_id: str,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    principal: Principal,
) -> Closure:
    """Announce a temporary closure of a place (dates inclusive, at most 90 days)."""
    _authorize(principal, kind, place_id)
    problems = validate_closure(starts_on, ends_on, reason, today=local_today(ctx))
    if problems:
        raise InvalidInput(problems)
    closure = Closure(starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    with write(db):
        _entity(db, ctx.catalog, kind, place_id)
        closure_id = places_store.insert_closure(
            db,
            {
                "place_kind": kind.value,
                "place_id": place_id,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "reason": closure.reason,
                "created_by": principal.actor,
                "created_at": store.iso(ctx.now()),
            },
        )
        closure = msgspec.structs.replace(closure, id=closure_id)
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="place.closure_add",
            entity=kind.value,
            entity_id=place_id,
            after=closure,
        )
    return closure


def remove_closure(
    db: Database,
    ctx: Context,
    *,
    kind: PlaceKind,
    place_id: str,
    closure_id: int,
    principal: Principal,
) -> Closure:
    """Withdraw a closure and return it; one of another place reads as not found."""
    _authorize(principal, kind, place_id)
    with write(db):
        row = places_store.get_closure(db, kind.value, place_id, closure_id)
        if row is None:
            raise NotFound(f"closure {closure_id} not found")
        places_store.delete_closure(db, closure_id)
        store.append_audit(
            db,
            at=ctx.now(),
            actor=principal.actor,
            action="place.closure_remove",
            entity=kind.value,
            entity_id=place_id,
            before=closure_from_row(row),
        )
    return closure_from_row(row)
