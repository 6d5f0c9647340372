"""Nearest places by exact geodesic distance on WGS84, through a spatial index.

Distances are geopy's: the geodesic of Karney's algorithm (geographiclib, ~15 nm accurate) on the
WGS84 ellipsoid, computed exactly as ``geopy.distance.geodesic`` does (same ellipsoid in km, same
call), so ``geodesic_m`` equals ``geodesic(p, q).meters`` bit for bit.

The index is a k-d tree over the places' Earth-centred (ECEF) positions. A query pops tree nodes
and places from one heap in increasing order of a lower bound ``L`` on their geodesic distance,
computes the geodesic of each place it pops and keeps the best ``limit`` by (distance, kind, id).
It stops when the next lower bound exceeds the current ``limit``-th geodesic distance (or the
radius): no unexamined place can then be closer, so the result equals a brute-force geodesic
ranking over all places, ties included.

The lower bound. Let Q be the query and P a place, both on the ellipsoid, ``c = |P - Q|`` their
straight-line (chord) distance and ``θ`` the angle between P and Q seen from the Earth's centre.
Two facts hold for every curve on the ellipsoid from Q to P, hence for the geodesic ``s``:

1. ``s ≥ c``: a straight segment is the shortest curve in space.
2. ``s ≥ b·θ`` with ``b = a(1 - f)`` the semi-minor axis: every point of the ellipsoid lies at
   least ``b`` from the centre, and the radial projection onto the sphere of radius ``b`` is the
   nearest-point projection onto a convex ball, hence 1-Lipschitz; the projected curve joins two
   points ``θ`` apart on that sphere, so it is at least a great-circle arc ``b·θ`` long, and the
   curve is at least as long as its projection. (The sphere of radius ``b`` is the largest for
   which this holds; at Hanoi ``b·θ`` underestimates by about 0.34% east-west.)

The tree only knows ``c`` (box distances bound it from below), so the index uses the weakest
angle compatible with ``c``: with ``r = |Q|`` and ``|P| = R ∈ [b, a]``,
``cos θ = (R² + r² - c²) / (2Rr)``, convex in R (increasing when c ≥ r), so its largest value, the
smallest θ, is at ``R = a`` or ``R = b``. ``L(c) = max(c, b·θ_min(c))`` grows with ``c``, so a
node whose box is at chord ``c`` from Q holds no place closer than ``L(c)``.
Bound (1) is tight within a city (at 10 km the chord is about 1 mm shorter than the geodesic);
bound (2) keeps far queries (another province, another country) from scanning every place.
Floating-point error of the chord and of the geodesic (nanometres) is covered by widening the
stopping distance by 1 mm + 1e-9 relative: a few more places are examined, never fewer.

A query costs ``O(log N + limit)`` tree steps and about ``limit`` geodesics within a city; far
from every place (thousands of km) the 0.34% of bound (2) lets more places through, still exact.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import threading
from collections.abc import Callable, Iterable, Sequence

import msgspec
from geographiclib.geodesic import Geodesic
from sqlite_utils import Database

from agents_registry import store
from agents_registry.errors import InvalidInput
from agents_registry.hours import open_state
from agents_registry.places import Place, PlaceKind
from catalog.load import Catalog
from catalog.models import Procedure

A_M = 6378137.0
FLATTENING = 1 / 298.257223563
B_M = A_M * (1 - FLATTENING)
E2 = FLATTENING * (2 - FLATTENING)
MAX_LIMIT = 50
SLACK_M, SLACK_REL = 1e-3, 1e-9
LEAF_SIZE = 12
# Ties at the same distance: the center's own places first, then agents; then by id.
KIND_RANK = {PlaceKind.BRANCH: 0, PlaceKind.RECEPTION_POINT: 1, PlaceKind.AGENT: 2}

# geopy's own construction (ellipsoid in km), so the distances are identical to geopy's.
_GEOD_KM = Geodesic(A_M / 1000, FLATTENING)
_DISTANCE = Geodesic.DISTANCE

Predicate = Callable[[Place], bool]


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Exact geodesic distance on WGS84 in metres, equal to ``geopy.distance.geodesic``'s."""
    return float(_GEOD_KM.Inverse(lat1, lon1, lat2, lon2, _DISTANCE)["s12"]) * 1000.0


def ecef(lat: float, lon: float) -> tuple[float, float, float]:
    """Earth-centred coordinates (metres) of a point on the WGS84 ellipsoid."""
    phi, lam = math.radians(lat), math.radians(lon)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    n = A_M / math.sqrt(1 - E2 * sin_phi * sin_phi)
    return (n * cos_phi * math.cos(lam), n * cos_phi * math.sin(lam), n * (1 - E2) * sin_phi)


def lower_bound_m(chord_m: float, query_radius_m: float) -> float:
    """``L(c)``: no point of the ellipsoid at chord ``c`` from the query is geodesically closer."""
    r = query_radius_m
    cos_theta = max((rho * rho + r * r - chord_m * chord_m) / (2 * rho * r) for rho in (A_M, B_M))
    return max(chord_m, B_M * math.acos(min(1.0, max(-1.0, cos_theta))))


def chord2_limit(distance_m: float, query_radius_m: float) -> float:
    """The largest squared chord whose lower bound ``L`` stays within ``distance_m`` (+ slack)."""
    d = distance_m * (1 + SLACK_REL) + SLACK_M
    r = query_radius_m
    cos_theta = math.cos(min(math.pi, d / B_M))
    by_angle = max(rho * rho + r * r - 2 * rho * r * cos_theta for rho in (A_M, B_M))
    return min(d * d, by_angle)


def check_position(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError("lat must be a finite number between -90 and 90")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError("lon must be a finite number between -180 and 180")


class NearestIndex:
    """A k-d tree over places, answering exact nearest queries by geodesic distance."""

    def __init__(self, places: Iterable[Place]) -> None:
        given = list(places)
        points = [ecef(p.lat, p.lon) for p in given]
        order = list(range(len(given)))
        # Node: (min x, min y, min z, max x, max y, max z, left, right, start, end); left < 0: leaf.
        self._nodes: list[tuple[float, float, float, float, float, float, int, int, int, int]] = []
        if given:
            self._build(points, order, 0, len(order))
        self._places = [given[i] for i in order]
        self._xs = [points[i][0] for i in order]
        self._ys = [points[i][1] for i in order]
        self._zs = [points[i][2] for i in order]
        self._ranks = [KIND_RANK[p.kind] for p in self._places]

    def __len__(self) -> int:
        return len(self._places)

    def _build(
        self, points: list[tuple[float, float, float]], order: list[int], start: int, end: int
    ) -> int:
        chunk = [points[i] for i in order[start:end]]
        lo = [min(p[axis] for p in chunk) for axis in range(3)]
        hi = [max(p[axis] for p in chunk) for axis in range(3)]
        node = len(self._nodes)
        self._nodes.append((*lo, *hi, -1, -1, start, end))  # type: ignore[arg-type]
        if end - start <= LEAF_SIZE:
            return node
        axis = max(range(3), key=lambda k: hi[k] - lo[k])
        order[start:end] = sorted(order[start:end], key=lambda i: points[i][axis])
        mid = (start + end) // 2
        left = self._build(points, order, start, mid)
        right = self._build(points, order, mid, end)
        self._nodes[node] = (*lo, *hi, left, right, start, end)  # type: ignore[assignment]
        return node

    def _box_d2(self, node: int, qx: float, qy: float, qz: float) -> float:
        x0, y0, z0, x1, y1, z1 = self._nodes[node][:6]
        dx = x0 - qx if qx < x0 else (qx - x1 if qx > x1 else 0.0)
        dy = y0 - qy if qy < y0 else (qy - y1 if qy > y1 else 0.0)
        dz = z0 - qz if qz < z0 else (qz - z1 if qz > z1 else 0.0)
        return dx * dx + dy * dy + dz * dz

    def query(
        self,
        lat: float,
        lon: float,
        *,
        limit: int,
        radius_m: float | None = None,
        predicate: Predicate | None = None,
    ) -> list[tuple[Place, float]]:
        """Up to ``limit`` places nearest to (lat, lon) with their geodesic distance in metres,
        sorted by (distance, kind, id); only those within ``radius_m`` and passing ``predicate``."""
        check_position(lat, lon)
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if radius_m is not None and not radius_m >= 0:
            raise ValueError("radius_m must be a non-negative number")
        if not self._places:
            return []
        qx, qy, qz = ecef(lat, lon)
        r = math.sqrt(qx * qx + qy * qy + qz * qz)
        within = math.inf if radius_m is None else radius_m
        radius2 = math.inf if radius_m is None else chord2_limit(radius_m, r)
        limit2 = radius2
        xs, ys, zs, nodes, places = self._xs, self._ys, self._zs, self._nodes, self._places
        best: list[tuple[float, int, str, int]] = []
        heap: list[tuple[float, int]] = [(self._box_d2(0, qx, qy, qz), -1)]
        push, pop = heapq.heappush, heapq.heappop
        while heap:
            d2, item = pop(heap)
            if d2 > limit2:
                break
            if item < 0:
                _, _, _, _, _, _, left, right, start, end = nodes[-item - 1]
                if left < 0:
                    for j in range(start, end):
                        dx, dy, dz = xs[j] - qx, ys[j] - qy, zs[j] - qz
                        pd2 = dx * dx + dy * dy + dz * dz
                        if pd2 <= limit2:
                            push(heap, (pd2, j))
                else:
                    for child in (left, right):
                        cd2 = self._box_d2(child, qx, qy, qz)
                        if cd2 <= limit2:
                            push(heap, (cd2, -child - 1))
                continue
            place = places[item]
            if predicate is not None and not predicate(place):
                continue
            distance = geodesic_m(lat, lon, place.lat, place.lon)
            if distance > within:
                continue
            entry = (distance, self._ranks[item], place.id, item)
            if len(best) == limit:
                if entry >= best[-1]:
                    continue
                best.pop()
            bisect.insort(best, entry)
            if len(best) == limit:
                limit2 = min(radius2, chord2_limit(best[-1][0], r))
        return [(places[e[3]], e[0]) for e in best]


class NearestPlaces:
    """Indexes per kind, and per procedure field for agents, so filters stay cheap."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)
        self._by_kind = {
            kind: NearestIndex(p for p in self.places if p.kind == kind) for kind in PlaceKind
        }
        self._agents_by_field: dict[str, NearestIndex] = {}

    def _agents_in(self, field: str) -> NearestIndex:
        index = self._agents_by_field.get(field)
        if index is None:
            index = NearestIndex(
                p
                for p in self.places
                if p.kind == PlaceKind.AGENT and p.fields is not None and field in p.fields
            )
            self._agents_by_field[field] = index
        return index

    def query(
        self,
        lat: float,
        lon: float,
        *,
        limit: int,
        kinds: Iterable[PlaceKind] | None = None,
        procedure: Procedure | None = None,
        radius_m: float | None = None,
    ) -> list[tuple[Place, float]]:
        """The exact nearest places of the given kinds that handle ``procedure``."""
        predicate = None if procedure is None else _handles(procedure)
        found: list[tuple[Place, float]] = []
        for kind in sorted(set(kinds or PlaceKind), key=KIND_RANK.__getitem__):
            index = self._by_kind[kind]
            if procedure is not None and kind == PlaceKind.AGENT:
                index = self._agents_in(procedure.field)
            found += index.query(lat, lon, limit=limit, radius_m=radius_m, predicate=predicate)
        found.sort(key=lambda pd: (pd[1], KIND_RANK[pd[0].kind], pd[0].id))
        return found[:limit]


def _handles(procedure: Procedure) -> Predicate:
    return lambda place: place.handles(procedure)


class NearestPlace(msgspec.Struct, kw_only=True):
    """One row of a nearest answer: where to go, how far, and whether it is open now."""

    kind: PlaceKind
    id: str
    name: str
    address: str
    lat: float
    lon: float
    distance_m: float
    open_now: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    phone: str | None
    ward_code: str


def nearest_rows(found: Sequence[tuple[Place, float]], at: dt.datetime) -> list[NearestPlace]:
    rows = []
    for place, distance in found:
        state = open_state(place.opening_hours, place.closures, at)
        rows.append(
            NearestPlace(
                kind=place.kind,
                id=place.id,
                name=place.name,
                address=place.address,
                lat=place.lat,
                lon=place.lon,
                distance_m=round(distance, 1),
                open_now=state.open_now,
                opens_at=state.opens_at,
                closes_at=state.closes_at,
                phone=place.phone,
                ward_code=place.ward_code,
            )
        )
    return rows


def places_version(db: Database) -> tuple[object, ...]:
    """A cheap fingerprint of everything ``load_places`` reads: any change to an agent (approval,
    suspension, profile, hours) appends an audit event, and the agents' own row count and last
    update catch writes that bypass the services. Extend it when places read new tables."""
    return store.places_fingerprint(db)


class PlacesCache:
    """The index over ``load_places``, rebuilt only when ``places_version`` changes."""

    def __init__(self, load: Callable[[Database], Sequence[Place]]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._version: tuple[object, ...] | None = None
        self._index: NearestPlaces | None = None

    def get(self, db: Database) -> NearestPlaces:
        version = places_version(db)
        with self._lock:
            if self._index is None or version != self._version:
                self._index = NearestPlaces(self._load(db))
                self._version = version
            return self._index


def nearest(
    finder: NearestPlaces,
    catalog: Catalog,
    *,
    lat: float,
    lon: float,
    kinds: Sequence[str] = (),
    procedure: str | None = None,
    limit: int = 10,
    radius_m: float | None = None,
    at: dt.datetime,
) -> list[NearestPlace]:
    """The public question: the nearest places (of these kinds, for this procedure), open now?

    Raises InvalidInput naming each bad parameter; ``kinds`` entries may be comma lists."""
    problems: dict[str, str] = {}
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        problems["lat"] = "must be a finite number between -90 and 90"
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        problems["lon"] = "must be a finite number between -180 and 180"
    names = [name.strip() for entry in kinds for name in entry.split(",") if name.strip()]
    unknown = [name for name in names if name not in set(PlaceKind)]
    if unknown:
        problems["kind"] = f"unknown kind {unknown[0]!r}; expected {', '.join(PlaceKind)}"
    found_procedure = catalog.procedure(procedure) if procedure else None
    if procedure is not None and found_procedure is None:
        problems["procedure"] = f"no procedure with code or id {procedure!r}"
    if not 1 <= limit <= MAX_LIMIT:
        problems["limit"] = f"must be between 1 and {MAX_LIMIT}"
    if radius_m is not None and not (math.isfinite(radius_m) and radius_m >= 0):
        problems["radius_m"] = "must be a non-negative number of metres"
    if problems:
        raise InvalidInput(problems)
    found = finder.query(
        lat,
        lon,
        limit=limit,
        kinds=[PlaceKind(name) for name in names] or None,
        procedure=found_procedure,
        radius_m=radius_m,
    )
    return nearest_rows(found, at)
