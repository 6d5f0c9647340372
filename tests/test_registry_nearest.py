"""The nearest index returns exactly the brute-force geodesic ranking, and its bound is safe."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import msgspec
import pytest
from geopy.distance import geodesic

from agents_registry.nearest import (
    KIND_RANK,
    NearestIndex,
    NearestPlaces,
    chord2_limit,
    ecef,
    geodesic_m,
    lower_bound_m,
)
from agents_registry.places import Place, PlaceKind, catalog_places
from catalog.load import Catalog
from catalog.models import OpeningHours

HOURS = OpeningHours(mon=["08:00-17:00"], tue=["08:00-17:00"])
FIELDS = ("ho-tich", "chung-thuc", "cu-tru", "dat-dai", "thue")


def agent(number: int, lat: float, lon: float, fields: tuple[str, ...] = ("ho-tich",)) -> Place:
    return Place(
        kind=PlaceKind.AGENT,
        id=f"DL-{number:04d}",
        name=f"Đại lý {number}",
        address="Hà Nội",
        ward_code="00070",
        lat=lat,
        lon=lon,
        phone=None,
        opening_hours=HOURS,
        fields=fields,
        branch_number=1,
    )


def network(catalog: Catalog) -> list[Place]:
    """The catalog's places, 600 agents denser in the core, duplicates and a dense cluster."""
    rng = random.Random(20250701)
    places = catalog_places(catalog)
    for n in range(600):
        spread = 0.03 if n % 3 else 0.25
        lat, lon = rng.gauss(21.03, spread), rng.gauss(105.84, spread)
        places.append(agent(n, round(lat, 6), round(lon, 6), tuple(rng.sample(FIELDS, 2))))
    # Agents sharing a branch's position, and pairs sharing a position (exact ties).
    branch = places[0]
    places += [agent(600 + i, branch.lat, branch.lon) for i in range(3)]
    places += [agent(610 + i, places[100 + i // 2].lat, places[100 + i // 2].lon) for i in range(6)]
    # 200 agents within ~30 m of each other (a market street).
    places += [
        agent(700 + i, 21.0350 + rng.uniform(0, 3e-4), 105.8500 + rng.uniform(0, 3e-4))
        for i in range(200)
    ]
    return places


def query_points(places: list[Place]) -> list[tuple[float, float]]:
    rng = random.Random(7)
    inside = [(rng.uniform(20.55, 21.4), rng.uniform(105.3, 106.0)) for _ in range(30)]
    core = [(rng.gauss(21.03, 0.02), rng.gauss(105.84, 0.02)) for _ in range(15)]
    cluster = [(21.0351 + rng.uniform(0, 2e-4), 105.8501 + rng.uniform(0, 2e-4)) for _ in range(10)]
    on_top = [(p.lat, p.lon) for p in rng.sample(places, 10)] + [(places[0].lat, places[0].lon)]
    outside = [
        (10.7769, 106.7009),  # Ho Chi Minh City
        (22.3364, 103.8438),  # Sa Pa
        (48.8566, 2.3522),  # Paris
        (-21.03, -74.16),  # the antipode of Hanoi, roughly
        (90.0, 0.0),
        (-90.0, 180.0),
        (21.03, -180.0),
        (0.0, 105.84),
    ] + [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(6)]
    return inside + core + cluster + on_top + outside


def brute_force(
    places: list[Place], lat: float, lon: float, keep: Callable[[Place], bool] = lambda p: True
) -> list[tuple[float, int, str]]:
    return sorted(
        (geodesic_m(lat, lon, p.lat, p.lon), KIND_RANK[p.kind], p.id) for p in places if keep(p)
    )


def keys(found: list[tuple[Place, float]]) -> list[tuple[float, int, str]]:
    return [(d, KIND_RANK[p.kind], p.id) for p, d in found]


@pytest.fixture(scope="module")
def places(catalog: Catalog) -> list[Place]:
    return network(catalog)


@pytest.fixture(scope="module")
def index(places: list[Place]) -> NearestIndex:
    return NearestIndex(places)


def test_the_ranking_equals_brute_force_on_many_points(
    places: list[Place], index: NearestIndex
) -> None:
    haversine_differs = 0
    in_field = {p.id for p in places if _in_field("cu-tru")(p)}
    for lat, lon in query_points(places):
        expected = brute_force(places, lat, lon)

        for limit in (1, 10, 50):
            assert keys(index.query(lat, lon, limit=limit)) == expected[:limit], (lat, lon, limit)
        within = [e for e in expected if e[0] <= 1500.0][:50]
        assert keys(index.query(lat, lon, limit=50, radius_m=1500.0)) == within
        fields = [e for e in expected if e[2] in in_field][:10]
        assert keys(index.query(lat, lon, limit=10, predicate=_in_field("cu-tru"))) == fields

        spherical = sorted((haversine_m(lat, lon, p.lat, p.lon), p.id) for p in places)
        haversine_differs += [i for _, i in spherical[:10]] != [e[2] for e in expected[:10]]
    # The test has teeth: a spherical ranking alone gets some of these queries wrong.
    assert haversine_differs > 0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean sphere: what a spherical index alone would rank by."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def _in_field(field: str) -> Callable[[Place], bool]:
    return lambda p: p.fields is not None and field in p.fields


def test_ties_are_broken_by_kind_then_id(places: list[Place], index: NearestIndex) -> None:
    branch = places[0]

    found = index.query(branch.lat, branch.lon, limit=5)

    assert [(p.kind, p.id, d) for p, d in found] == [
        (PlaceKind.BRANCH, branch.id, 0.0),
        (PlaceKind.RECEPTION_POINT, "diem-tiep-nhan-phuong-tay-ho", 0.0),  # at the branch
        (PlaceKind.AGENT, "DL-0600", 0.0),
        (PlaceKind.AGENT, "DL-0601", 0.0),
        (PlaceKind.AGENT, "DL-0602", 0.0),
    ]


def test_small_and_empty_indexes(places: list[Place]) -> None:
    few = NearestIndex(places[:3])

    assert len(few.query(21.0, 105.8, limit=50)) == 3
    assert NearestIndex([]).query(21.0, 105.8, limit=5) == []
    assert few.query(21.0, 105.8, limit=5, radius_m=0.0) == []


@pytest.mark.parametrize(
    ("lat", "lon", "limit", "radius"),
    [
        (91.0, 105.8, 5, None),
        (math.nan, 105.8, 5, None),
        (21.0, 180.5, 5, None),
        (21.0, math.inf, 5, None),
        (21.0, 105.8, 0, None),
        (21.0, 105.8, 5, -1.0),
        (21.0, 105.8, 5, math.nan),
    ],
)
def test_bad_queries_are_refused(
    index: NearestIndex, lat: float, lon: float, limit: int, radius: float | None
) -> None:
    with pytest.raises(ValueError):
        index.query(lat, lon, limit=limit, radius_m=radius)


def test_kind_and_procedure_filters_equal_brute_force(
    catalog: Catalog, places: list[Place]
) -> None:
    finder = NearestPlaces(places)
    rng = random.Random(11)
    procedures = rng.sample(list(catalog.procedures), 8)
    for lat, lon in [(rng.uniform(20.6, 21.3), rng.uniform(105.4, 106.0)) for _ in range(6)]:
        for procedure in procedures:
            found = finder.query(lat, lon, limit=12, procedure=procedure)

            assert keys(found) == brute_force(places, lat, lon, procedure_ok(procedure))[:12]
            assert all(p.handles(procedure) for p, _ in found)
        centre_only = finder.query(
            lat, lon, limit=20, kinds=[PlaceKind.BRANCH, PlaceKind.RECEPTION_POINT]
        )
        assert keys(centre_only) == brute_force(places, lat, lon, lambda p: p.fields is None)[:20]


def procedure_ok(procedure: object) -> Callable[[Place], bool]:
    return lambda p: p.handles(procedure)  # type: ignore[arg-type]


def test_distances_are_geopys_to_the_bit() -> None:
    for lat1, lon1, lat2, lon2 in random_pairs(2000):
        assert geodesic_m(lat1, lon1, lat2, lon2) == geodesic((lat1, lon1), (lat2, lon2)).meters


def random_pairs(count: int) -> list[tuple[float, float, float, float]]:
    """Anywhere on Earth, within Hanoi, short meridian arcs at the equator (where the bound is
    tightest), near-antipodal pairs and near the poles."""
    rng = random.Random(42)
    pairs = []
    for i in range(count):
        match i % 5:
            case 0:
                lat1, lon1 = rng.uniform(-90, 90), rng.uniform(-180, 180)
                lat2, lon2 = rng.uniform(-90, 90), rng.uniform(-180, 180)
            case 1:
                lat1, lon1 = rng.uniform(20.5, 21.4), rng.uniform(105.3, 106.0)
                lat2, lon2 = lat1 + rng.gauss(0, 0.01), lon1 + rng.gauss(0, 0.01)
            case 2:
                lat1, lon1 = rng.uniform(-0.01, 0.01), rng.uniform(-180, 180)
                lat2, lon2 = lat1 + rng.uniform(-1, 1) * 10 ** rng.uniform(-8, 0), lon1
            case 3:
                lat1, lon1 = rng.uniform(-60, 60), rng.uniform(-180, 180)
                lat2, lon2 = -lat1 + rng.gauss(0, 0.5), lon1 + 180 + rng.gauss(0, 0.5)
            case _:
                lat1, lon1 = rng.uniform(85, 90), rng.uniform(-180, 180)
                lat2, lon2 = rng.uniform(80, 90), rng.uniform(-180, 180)
        lon2 = (lon2 + 180) % 360 - 180
        pairs.append((lat1, lon1, max(-90.0, min(90.0, lat2)), lon2))
    return pairs


def test_the_lower_bound_never_exceeds_the_geodesic() -> None:
    worst = 0.0
    for lat1, lon1, lat2, lon2 in random_pairs(8000):
        q, p = ecef(lat1, lon1), ecef(lat2, lon2)
        chord = math.dist(q, p)
        bound = lower_bound_m(chord, math.hypot(*q))
        distance = geodesic_m(lat1, lon1, lat2, lon2)

        assert bound <= distance + 1e-6, (lat1, lon1, lat2, lon2)
        # and the index's stopping rule only prunes chords whose bound exceeds the distance
        assert chord * chord <= chord2_limit(distance, math.hypot(*q))
        if distance > 1000:
            worst = max(worst, bound / distance)
    assert worst > 0.999  # tight somewhere: the bound is not trivially small


def test_far_queries_stay_exact_without_scanning_everything(places: list[Place]) -> None:
    """From Ho Chi Minh City the spherical part of the bound prunes most of Hanoi."""
    index = NearestIndex(places)
    examined: list[Place] = []

    def spy(place: Place) -> bool:
        examined.append(place)
        return True

    found = index.query(10.7769, 106.7009, limit=5, predicate=spy)

    assert keys(found) == brute_force(places, 10.7769, 106.7009)[:5]
    assert len(examined) < len(places) / 2


def test_moving_a_place_changes_the_answer(places: list[Place]) -> None:
    moved = [msgspec.structs.replace(places[0], lat=20.0, lon=105.0), *places[1:]]

    nearest = NearestIndex(moved).query(20.0, 105.0, limit=1)

    assert nearest[0][0].id == places[0].id
