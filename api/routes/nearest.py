"""Nearest places: branches, reception points and agents by exact geodesic distance."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import State
from litestar.params import FromQuery, QueryParameter

from agents_registry import nearest
from agents_registry.context import Context
from agents_registry.places import load_places
from api.deps import Db, RegistryContext
from api.routes.common import Page

Latitude = Annotated[float, QueryParameter(description="Latitude, WGS84 degrees (-90 to 90).")]
Longitude = Annotated[float, QueryParameter(description="Longitude, WGS84 degrees (-180 to 180).")]
Kinds = Annotated[
    list[str] | None,
    QueryParameter(description="branch, reception_point or agent; repeat it or give a comma list."),
]
Limit = Annotated[int, QueryParameter(description="How many places (1 to 50).")]
Radius = Annotated[float | None, QueryParameter(description="Only places within this many metres.")]


def places_cache(state: State, ctx: Context) -> nearest.PlacesCache:
    """One index per app, built on first use and rebuilt when the places change."""
    cache = state.get("nearest_cache")
    if cache is None:
        cache = state.setdefault(
            "nearest_cache", nearest.PlacesCache(lambda db: load_places(db, ctx.catalog))
        )
    return cache


class NearestController(Controller):
    path = "/nearest"
    tags = ["places"]

    @get("/", operation_id="nearestPlaces", sync_to_thread=True)
    def nearest(
        self,
        db: Db,
        ctx: RegistryContext,
        state: State,
        lat: Latitude,
        lon: Longitude,
        kind: Kinds = None,
        procedure: FromQuery[str | None] = None,
        limit: Limit = 10,
        radius_m: Radius = None,
    ) -> Page[nearest.NearestPlace]:
        """Places sorted by exact geodesic distance, with open-now; only those handling `procedure`."""
        rows = nearest.nearest(
            places_cache(state, ctx).get(db),
            ctx.catalog,
            lat=lat,
            lon=lon,
            kinds=kind or (),
            procedure=procedure,
            limit=limit,
            radius_m=radius_m,
            at=ctx.now(),
        )
        return Page(items=rows, total=len(rows), page=1, page_size=limit)
