"""One notion of a place for citizens: branch, reception point or agent.

A branch or reception point receives the procedures of the city and commune levels (the center
is one city-wide service; location-independent procedures are accepted everywhere); an agent
helps with the procedure fields it declared.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from functools import lru_cache
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import places_store, store
from agents_registry.context import VIETNAM, Context
from agents_registry.errors import NotFound
from agents_registry.hours import Closure, open_state
from catalog.load import Catalog
from catalog.models import Branch, Level, OpeningHours, Procedure, ReceptionPoint


class PlaceKind(enum.StrEnum):
    BRANCH = "branch"
    RECEPTION_POINT = "reception_point"
    AGENT = "agent"


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """A place with its effective weekly hours and its current and upcoming closures."""

    kind: PlaceKind
    id: str
    name: str
    address: str
    ward_code: str
    lat: float
    lon: float
    phone: str | None
    opening_hours: OpeningHours
    fields: tuple[str, ...] | None  # agents only: the procedure fields it helps with
    branch_number: int
    demo: bool = False
    closures: tuple[Closure, ...] = ()  # current and future ones, earliest first
    hours_overridden: bool = False  # staff replaced the catalog's weekly hours

    def handles(self, procedure: Procedure) -> bool:
        """Whether a citizen can get help with ``procedure`` here."""
        if self.fields is not None:
            return procedure.field in self.fields
        return procedure.level != Level.CENTRAL or procedure.location_independent


def _office(
    catalog: Catalog, kind: PlaceKind, office: Branch | ReceptionPoint, branch_number: int
) -> Place:
    return Place(
        kind=kind,
        id=office.id,
        name=office.name,
        address=office.address,
        ward_code=office.ward_code,
        lat=office.lat,
        lon=office.lon,
        phone=office.phone or catalog.center.hotline,
        opening_hours=office.opening_hours,
        fields=None,
        branch_number=branch_number,
    )


def catalog_places(catalog: Catalog) -> list[Place]:
    """Branches and reception points (reception points at a branch's own address included)."""
    places = []
    for branch in catalog.branches:
        places.append(_office(catalog, PlaceKind.BRANCH, branch, branch.number))
        places += [
            _office(catalog, PlaceKind.RECEPTION_POINT, point, branch.number)
            for point in branch.reception_points
        ]
    return places


def agent_place(row: dict[str, Any]) -> Place:
    return Place(
        kind=PlaceKind.AGENT,
        id=row["id"],
        name=row["name"],
        address=row["address"],
        ward_code=row["ward_code"],
        lat=row["lat"],
        lon=row["lon"],
        phone=row["phone"],
        opening_hours=msgspec.convert(store.from_json(row["opening_hours"]), OpeningHours),
        fields=tuple(store.from_json(row["fields"])),
        branch_number=row["branch_number"],
        demo=bool(row["demo"]),
    )


def local_today(ctx: Context | None = None) -> dt.date:
    """Today's date in Hanoi (by the context's clock when given)."""
    now = ctx.now() if ctx is not None else dt.datetime.now(VIETNAM)
    return now.astimezone(VIETNAM).date()


def closure_from_row(row: dict[str, Any]) -> Closure:
    return Closure(
        id=row["id"],
        starts_on=dt.date.fromisoformat(row["starts_on"]),
        ends_on=dt.date.fromisoformat(row["ends_on"]),
        reason=row["reason"],
    )


@lru_cache(maxsize=4096)
def hours_from_json(text: str) -> OpeningHours:
    """Stored weekly hours; cached, as many places share the same hours (the struct is frozen)."""
    return msgspec.json.decode(text, type=OpeningHours)


def _with_extras(
    place: Place,
    closures: dict[tuple[str, str], list[Closure]],
    overrides: dict[tuple[str, str], OpeningHours],
) -> Place:
    key = (place.kind.value, place.id)
    if key not in closures and key not in overrides:
        return place
    override = overrides.get(key)
    return msgspec.structs.replace(
        place,
        closures=tuple(closures.get(key, ())),
        opening_hours=override or place.opening_hours,
        hours_overridden=override is not None,
    )


def load_places(db: Database, catalog: Catalog, *, today: dt.date | None = None) -> list[Place]:
    """Every place a citizen can go to: catalog places and the active agents.

    Staff overrides replace catalog hours; closures ending today or later are attached.
    """
    since = (today or local_today()).isoformat()
    closures: dict[tuple[str, str], list[Closure]] = defaultdict(list)
    for row in places_store.closures_since(db, since):
        closures[(row["place_kind"], row["place_id"])].append(closure_from_row(row))
    overrides = {
        (row["place_kind"], row["place_id"]): hours_from_json(row["opening_hours"])
        for row in places_store.hours_overrides(db)
    }
    places = catalog_places(catalog) + [agent_place(row) for row in store.active_agents(db)]
    return [_with_extras(place, closures, overrides) for place in places]


def catalog_place(catalog: Catalog, kind: PlaceKind, place_id: str) -> Place:
    found = next((p for p in catalog_places(catalog) if p.kind == kind and p.id == place_id), None)
    if found is None:
        raise NotFound(f"{kind.value} {place_id} not found")
    return found


def get_place(
    db: Database, catalog: Catalog, kind: PlaceKind, place_id: str, *, today: dt.date
) -> Place:
    """One place as citizens see it; agents that are not active are not found."""
    if kind == PlaceKind.AGENT:
        row = store.get_agent(db, place_id)
        if row is None or row["status"] != "active":
            raise NotFound(f"agent {place_id} not found")
        place = agent_place(row)
    else:
        place = catalog_place(catalog, kind, place_id)
    key = (kind.value, place_id)
    override = places_store.get_hours_override(db, kind.value, place_id)
    closures = [
        closure_from_row(r)
        for r in places_store.place_closures(db, kind.value, place_id, today.isoformat())
    ]
    return _with_extras(
        place,
        {key: closures} if closures else {},
        {key: hours_from_json(override["opening_hours"])} if override else {},
    )


# --- what citizens see ------------------------------------------------------------------------


class PlaceView(msgspec.Struct, frozen=True, kw_only=True):
    """A place with its state at one moment: open now, until when, or when it opens next."""

    kind: PlaceKind
    id: str
    name: str
    address: str
    ward_code: str
    lat: float
    lon: float
    phone: str | None
    opening_hours: OpeningHours
    hours_overridden: bool
    fields: list[str] | None
    branch_number: int
    demo: bool
    closures: list[Closure]
    open_now: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_reason: str | None


def view(place: Place, at: dt.datetime) -> PlaceView:
    state = open_state(place.opening_hours, place.closures, at)
    return PlaceView(
        kind=place.kind,
        id=place.id,
        name=place.name,
        address=place.address,
        ward_code=place.ward_code,
        lat=place.lat,
        lon=place.lon,
        phone=place.phone,
        opening_hours=place.opening_hours,
        hours_overridden=place.hours_overridden,
        fields=list(place.fields) if place.fields is not None else None,
        branch_number=place.branch_number,
        demo=place.demo,
        closures=list(place.closures),
        open_now=state.open_now,
        opens_at=state.opens_at,
        closes_at=state.closes_at,
        closed_reason=state.closed_reason,
    )
