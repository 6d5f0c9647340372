"""The places data of the static site: every place as compact JSON, split by grid cell.

Written at build time (site/hooks/catalog_pages.py) under ``assets/places/`` and read by the
map page (``assets/js/map.js``) and the "nearest place" page. Only public fields leave the
registry: never a tax code, an e-mail address, a token or a status note.

Files, as ``{relative path: JSON value}`` from :func:`export_files`:

``index.json``
    ``{"generated_at": ISO-8601 UTC, "demo": bool (any demo agent), "agents_source":
    "database" | "none", "counts": {"branch": n, "reception_point": n, "agent": n},
    "cell_deg": 0.05, "cells": {"<row>_<col>": n}, "fields": [field slug, ...] (indexes used
    by the clusters), "office_fields": [slugs a branch or reception point receives],
    "ward_cells": {ward_code: ["<row>_<col>", ...]}, "cluster_zooms": [9, ..., 13],
    "cluster_px": 64, "holidays": [["YYYY-MM-DD", name], ...] (Vietnam, today + 2 years),
    "tiles": {"url", "attribution"}}``

``<row>_<col>.json``
    The places whose ``row = floor(lat / cell_deg)`` and ``col = floor(lon / cell_deg)``, as a
    list of compact records (one place in exactly one cell)::

        {"k": "b" | "r" | "a",          # branch, reception point, agent
         "i": id, "n": name, "a": address, "w": ward_code,
         "y": lat, "x": lon,            # WGS84 degrees, as stored
         "p": phone or null,
         "h": {"mon": ["07:30-12:00", ...], ..., "sun": []},   # all seven days
         "c": [[starts_on, ends_on, reason], ...],            # closures, local dates inclusive
         "f": [field slug, ...] or null,                      # null: branch/reception point
         "b": branch_number, "d": 0 | 1}                      # d: demo data

``offices.json``
    The compact records of every branch and reception point (few; shown at every zoom).

``clusters/z<z>.json`` for each zoom of ``CLUSTER_ZOOMS``
    Agents grouped by a ``cluster_px`` square grid in Web-Mercator pixels at that zoom:
    ``[[lat, lon, n, {"<field index>": n_in_field, ...}, ref], ...]`` where lat/lon is the mean
    position, ``ref`` is ``["<row>_<col>", id]`` when ``n == 1`` and null otherwise. From zoom
    ``max(CLUSTER_ZOOMS) + 1`` the page loads the cells in view and groups them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from agents_registry.hours import holiday
from agents_registry.places import Place, PlaceKind, catalog_places, load_places
from catalog.load import Catalog
from catalog.models import DAYS

CELL_DEG = 0.05
CLUSTER_ZOOMS = range(9, 14)
CLUSTER_PX = 64
HOLIDAY_DAYS = 731
KIND_CODES = {PlaceKind.BRANCH: "b", PlaceKind.RECEPTION_POINT: "r", PlaceKind.AGENT: "a"}

Record = dict[str, Any]


def cell_key(lat: float, lon: float) -> str:
    """The grid cell of a point (the page computes it with the same float operations)."""
    return f"{math.floor(lat / CELL_DEG)}_{math.floor(lon / CELL_DEG)}"


def compact(place: Place) -> Record:
    """The public, compact record of a place (format in the module docstring)."""
    return {
        "k": KIND_CODES[place.kind],
        "i": place.id,
        "n": place.name,
        "a": place.address,
        "w": place.ward_code,
        "y": place.lat,
        "x": place.lon,
        "p": place.phone,
        "h": {day: list(getattr(place.opening_hours, day)) for day in DAYS},
        "c": [[c.starts_on.isoformat(), c.ends_on.isoformat(), c.reason] for c in place.closures],
        "f": list(place.fields) if place.fields is not None else None,
        "b": place.branch_number,
        "d": int(place.demo),
    }


def load_export_places(db_path: Path, catalog: Catalog) -> tuple[list[Place], str]:
    """The catalog places plus the active agents of the database at ``db_path``.

    Returns ``(places, source)``: source is "database", or "none" when the file does not exist
    or has no agents table yet (the page then says that agents are not shown). The database is
    opened read-only: building the site never writes to the registry.
    """
    if not db_path.is_file():
        return catalog_places(catalog), "none"
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
    try:
        db = Database(conn)
        if "agents" not in db.table_names():
            return catalog_places(catalog), "none"
        return load_places(db, catalog), "database"
    finally:
        conn.close()


def mercator_px(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web-Mercator pixel coordinates of a point at ``zoom`` (256-pixel tiles)."""
    scale = 256 * 2**zoom
    sin = math.sin(math.radians(lat))
    x = (lon + 180) / 360 * scale
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def clusters(agents: Sequence[Place], zoom: int, field_index: dict[str, int]) -> list[list[Any]]:
    """Grid clusters of ``agents`` at ``zoom`` (format in the module docstring)."""
    groups: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for agent in agents:
        x, y = mercator_px(agent.lat, agent.lon, zoom)
        groups[(int(x // CLUSTER_PX), int(y // CLUSTER_PX))].append(agent)
    result = []
    for key in sorted(groups):
        members = groups[key]
        by_field: dict[int, int] = defaultdict(int)
        for agent in members:
            for slug in agent.fields or ():
                if slug in field_index:
                    by_field[field_index[slug]] += 1
        lat = round(sum(a.lat for a in members) / len(members), 6)
        lon = round(sum(a.lon for a in members) / len(members), 6)
        only = members[0]
        ref = [cell_key(only.lat, only.lon), only.id] if len(members) == 1 else None
        field_counts = {str(i): n for i, n in sorted(by_field.items())}
        result.append([lat, lon, len(members), field_counts, ref])
    return result


def holiday_list(today: dt.date, days: int = HOLIDAY_DAYS) -> list[list[str]]:
    """Vietnam's public holidays from ``today`` for ``days`` days, as [date, name] pairs."""
    result = []
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        name = holiday(day)
        if name:
            result.append([day.isoformat(), name])
    return result


def office_fields(catalog: Catalog, offices: Iterable[Place]) -> list[str]:
    """The fields of which a branch or reception point receives at least one procedure."""
    sample = next(iter(offices), None)
    if sample is None:
        return []
    return sorted({p.field for p in catalog.procedures if sample.handles(p)})


def export_files(
    places: Sequence[Place],
    catalog: Catalog,
    *,
    now: dt.datetime,
    today: dt.date,
    agents_source: str,
    tiles: dict[str, str],
) -> dict[str, Any]:
    """Every file of ``assets/places/`` as ``{relative path: JSON value}``."""
    cells: dict[str, list[Record]] = defaultdict(list)
    ward_cells: dict[str, set[str]] = defaultdict(set)
    for place in places:
        key = cell_key(place.lat, place.lon)
        cells[key].append(compact(place))
        ward_cells[place.ward_code].add(key)
    agents = [p for p in places if p.kind == PlaceKind.AGENT]
    offices = [p for p in places if p.kind != PlaceKind.AGENT]
    slugs = [f.slug for f in catalog.fields]
    field_index = {slug: i for i, slug in enumerate(slugs)}
    counts = {kind.value: sum(1 for p in places if p.kind == kind) for kind in PlaceKind}
    index = {
        "generated_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "demo": any(p.demo for p in agents),
        "agents_source": agents_source,
        "counts": counts,
        "cell_deg": CELL_DEG,
        "cells": {key: len(cells[key]) for key in sorted(cells)},
        "fields": slugs,
        "office_fields": office_fields(catalog, offices),
        "ward_cells": {code: sorted(keys) for code, keys in sorted(ward_cells.items())},
        "cluster_zooms": list(CLUSTER_ZOOMS),
        "cluster_px": CLUSTER_PX,
        "holidays": holiday_list(today),
        "tiles": tiles,
    }
    files: dict[str, Any] = {"index.json": index, "offices.json": [compact(p) for p in offices]}
    for key in sorted(cells):
        files[f"{key}.json"] = cells[key]
    for zoom in CLUSTER_ZOOMS:
        files[f"clusters/z{zoom}.json"] = clusters(agents, zoom, field_index)
    return files
