"""Coverage gaps: wards with no active agent and no branch or reception point nearby, so staff
know where to recruit agents."""

from __future__ import annotations

import math

from sqlite_utils import Database

from agents_registry import audit_store
from agents_registry.audit_flags import INACTIVE_DAYS
from agents_registry.audit_models import Coverage, UncoveredWard
from agents_registry.context import VIETNAM, Context
from agents_registry.nearest import geodesic_m

DEFAULT_RADIUS_KM = 3.0


def _places(ctx: Context) -> list[tuple[str, float, float]]:
    places = []
    for branch in ctx.catalog.branches:
        places.append((branch.name, branch.lat, branch.lon))
        places.extend((p.name, p.lat, p.lon) for p in branch.reception_points)
    return places


def coverage(db: Database, ctx: Context, radius_km: float = DEFAULT_RADIUS_KM) -> Coverage:
    """Wards with no active agent (approved, not suspended, a submission in the last 30 days)
    whose centroid has no branch or reception point within ``radius_km``, farthest first."""
    today = ctx.now().astimezone(VIETNAM).date().isoformat()
    counts = audit_store.agents_by_ward(db, today, INACTIVE_DAYS)
    places = _places(ctx)
    uncovered = []
    for ward in ctx.catalog.wards:
        agents, active = counts.get(ward.code, (0, 0))
        if active:
            continue
        # The nearest place by geodesic distance; a degree of latitude is at least 110.5 km.
        nearest_name, nearest_m = "", math.inf
        for name, lat, lon in places:
            if abs(lat - ward.lat) * 110_500 >= nearest_m:
                continue
            distance = geodesic_m(ward.lat, ward.lon, lat, lon)
            if distance < nearest_m:
                nearest_name, nearest_m = name, distance
        if nearest_m > radius_km * 1000:
            uncovered.append(
                UncoveredWard(
                    ward_code=ward.code,
                    name=ward.name,
                    kind=ward.kind,
                    lat=ward.lat,
                    lon=ward.lon,
                    agents=agents,
                    nearest_place=nearest_name,
                    nearest_km=round(nearest_m / 1000, 2),
                )
            )
    uncovered.sort(key=lambda w: (-w.nearest_km, w.ward_code))
    return Coverage(radius_km=radius_km, wards=len(ctx.catalog.wards), uncovered=uncovered)
