"""The places data written for the map and nearest pages (agents_registry.place_export)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from agents_registry import store
from agents_registry.context import Context
from agents_registry.db import connect
from agents_registry.migrations import migrate
from agents_registry.place_export import (
    CELL_DEG,
    CLUSTER_ZOOMS,
    cell_key,
    export_files,
    load_export_places,
)
from agents_registry.places import Place, PlaceKind, catalog_places
from catalog.load import Catalog

RECORD_KEYS = {"k", "i", "n", "a", "w", "y", "x", "p", "h", "c", "f", "b", "d"}
NOW = dt.datetime(2026, 1, 10, 3, 0, tzinfo=dt.UTC)
TILES = {"url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "tiles"}


@pytest.fixture(scope="module")
def registry(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from agents_registry.demo import seed

    path = tmp_path_factory.mktemp("export") / "hcc.db"
    db = connect(path)
    migrate(db)
    seed(db, Context(catalog=catalog, secret_key=b"export-secret"), agents=40)
    db.conn.close()
    return path


def export(places: list[Place], catalog: Catalog, source: str = "database") -> dict[str, Any]:
    return export_files(
        places, catalog, now=NOW, today=NOW.date(), agents_source=source, tiles=TILES
    )


def cell_records(files: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    index = files["index.json"]
    return {key: files[f"{key}.json"] for key in index["cells"]}


def test_every_place_is_in_exactly_one_cell_the_one_its_coordinates_name(
    registry: Path, catalog: Catalog
) -> None:
    places, source = load_export_places(registry, catalog)
    files = export(places, catalog)

    cells = cell_records(files)
    exported = Counter((r["k"], r["i"]) for records in cells.values() for r in records)
    assert source == "database"
    assert exported == Counter(
        ({"branch": "b", "reception_point": "r", "agent": "a"}[p.kind], p.id) for p in places
    )
    assert all(n == 1 for n in exported.values())
    for key, records in cells.items():
        assert files["index.json"]["cells"][key] == len(records)
        for r in records:
            assert key == f"{math.floor(r['y'] / CELL_DEG)}_{math.floor(r['x'] / CELL_DEG)}"


def test_every_active_agent_and_no_other_is_exported(registry: Path, catalog: Catalog) -> None:
    db = connect(registry)
    active = {r["id"] for r in store.active_agents(db)}
    all_agents = {r["id"] for r in db.query("SELECT id FROM agents")}
    db.conn.close()
    files = export(load_export_places(registry, catalog)[0], catalog)

    agents = [r["i"] for records in cell_records(files).values() for r in records if r["k"] == "a"]
    assert sorted(agents) == sorted(active)
    assert all_agents - active, "the demo network has suspended agents to leave out"
    assert files["index.json"]["counts"] == {
        "branch": len(catalog.branches),
        "reception_point": sum(len(b.reception_points) for b in catalog.branches),
        "agent": len(active),
    }
    assert files["index.json"]["demo"] is True


def test_no_private_field_reaches_any_exported_file(registry: Path, catalog: Catalog) -> None:
    db = connect(registry)
    secrets = [r["tax_code"] for r in db.query("SELECT tax_code FROM agents")]
    secrets += [r["email"] for r in db.query("SELECT email FROM agents")]
    secrets += [r["token_hash"] for r in db.query("SELECT token_hash FROM tokens")]
    secrets += [r["secret_hash"] for r in db.query("SELECT secret_hash FROM applications")]
    db.conn.close()
    files = export(load_export_places(registry, catalog)[0], catalog)

    text = json.dumps(files, ensure_ascii=False)
    assert secrets
    assert [s for s in secrets if s and s in text] == []
    for name in ("tax_code", "email", "token", "secret", "status_reason"):
        assert name not in text
    for records in [*cell_records(files).values(), files["offices.json"]]:
        assert all(set(r) == RECORD_KEYS for r in records)


def test_a_record_holds_the_public_profile_in_the_documented_shape(catalog: Catalog) -> None:
    branch = catalog_places(catalog)[0]
    files = export([branch], catalog, source="none")

    record = files[f"{cell_key(branch.lat, branch.lon)}.json"][0]
    assert record == {
        "k": "b",
        "i": branch.id,
        "n": branch.name,
        "a": branch.address,
        "w": branch.ward_code,
        "y": branch.lat,
        "x": branch.lon,
        "p": branch.phone,
        "h": {
            day: list(getattr(branch.opening_hours, day))
            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
        "c": [],
        "f": None,
        "b": branch.branch_number,
        "d": 0,
    }


@pytest.mark.parametrize("zoom", list(CLUSTER_ZOOMS))
def test_clusters_count_every_agent_once_at_every_zoom(
    registry: Path, catalog: Catalog, zoom: int
) -> None:
    places = load_export_places(registry, catalog)[0]
    agents = [p for p in places if p.kind == PlaceKind.AGENT]
    files = export(places, catalog)
    slugs = files["index.json"]["fields"]

    clusters = files[f"clusters/z{zoom}.json"]
    assert sum(c[2] for c in clusters) == len(agents)
    singles = {c[4][1] for c in clusters if c[2] == 1}
    assert singles <= {a.id for a in agents}
    assert all((c[4] is None) == (c[2] > 1) for c in clusters)
    for i, slug in enumerate(slugs):
        in_field = sum(1 for a in agents if slug in (a.fields or ()))
        assert sum(c[3].get(str(i), 0) for c in clusters) == in_field


def test_fewer_clusters_at_lower_zoom(registry: Path, catalog: Catalog) -> None:
    files = export(load_export_places(registry, catalog)[0], catalog)

    sizes = [len(files[f"clusters/z{z}.json"]) for z in CLUSTER_ZOOMS]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]


def test_without_a_database_only_the_catalog_places_are_exported(
    catalog: Catalog, tmp_path: Path
) -> None:
    missing = tmp_path / "var" / "hcc.db"
    places, source = load_export_places(missing, catalog)

    assert (source, len(places)) == ("none", len(catalog_places(catalog)))
    assert not missing.exists()
    index = export(places, catalog, source)["index.json"]
    assert index["agents_source"] == "none"
    assert index["counts"]["agent"] == 0


def test_a_database_without_the_agents_table_exports_the_catalog_only(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "hcc.db"
    Database(path)["other"].insert({"x": 1})

    places, source = load_export_places(path, catalog)

    assert source == "none"
    assert all(p.kind != PlaceKind.AGENT for p in places)


def test_the_index_lists_vietnam_public_holidays_for_two_years(catalog: Catalog) -> None:
    index = export(catalog_places(catalog), catalog)["index.json"]

    days = dict(index["holidays"])
    assert "2026-09-02" in days
    assert "2027-09-02" in days
    assert "2027-01-01" in days
    assert all("2026-01-10" <= day < "2028-01-11" for day in days)
    assert index["office_fields"]
    assert set(index["office_fields"]) <= set(index["fields"])
