"""One notion of a place for citizens: branch, reception point or agent.

A branch or reception point receives the procedures of the city and commune levels (the center
is one city-wide service; location-independent procedures are accepted everywhere); an agent
helps with the procedure fields it declared.
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.hours import Closure
from catalog.load import Catalog
from catalog.models import Level, OpeningHours, Procedure


class PlaceKind(enum.StrEnum):
    BRANCH = "branch"
    RECEPTION_POINT = "reception_point"
    AGENT = "agent"


class Place(msgspec.Struct, frozen=True, kw_only=True):
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
    closures: tuple[Closure, ...] = ()

    def handles(self, procedure: Procedure) -> bool:
        """Whether a citizen can get help with ``procedure`` here."""
        if self.fields is not None:
            return procedure.field in self.fields
        return procedure.level != Level.CENTRAL or procedure.location_independent


def catalog_places(catalog: Catalog) -> list[Place]:
    """Branches and reception points (reception points at a branch's own address included)."""
    places = []
    for branch in catalog.branches:
        places.append(
            Place(
                kind=PlaceKind.BRANCH,
                id=branch.id,
                name=branch.name,
                address=branch.address,
                ward_code=branch.ward_code,
                lat=branch.lat,
                lon=branch.lon,
                phone=branch.phone or catalog.center.hotline,
                opening_hours=branch.opening_hours,
                fields=None,
                branch_number=branch.number,
            )
        )
        for point in branch.reception_points:
            places.append(
                Place(
                    kind=PlaceKind.RECEPTION_POINT,
                    id=point.id,
                    name=point.name,
                    address=point.address,
                    ward_code=point.ward_code,
                    lat=point.lat,
                    lon=point.lon,
                    phone=point.phone or catalog.center.hotline,
                    opening_hours=point.opening_hours,
                    fields=None,
                    branch_number=branch.number,
                )
            )
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


def load_places(db: Database, catalog: Catalog) -> list[Place]:
    """Every place a citizen can go to: catalog places and the active agents."""
    return catalog_places(catalog) + [agent_place(row) for row in store.active_agents(db)]
