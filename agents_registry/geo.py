"""Geography of the agent network: plausibility of a position, supervising branch."""

from __future__ import annotations

import math

from geopy.distance import geodesic

from catalog.load import Catalog, inside_hanoi
from catalog.models import Branch, Ward

# How far outside a ward's equivalent circle a declared position may fall (geocoded centroids
# are approximate, and a business on a boundary street may sit just across it).
WARD_MARGIN_KM = 2.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Exact geodesic distance on WGS84, in metres."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).meters)


def position_problem(catalog: Catalog, ward: Ward, lat: float, lon: float) -> str | None:
    """Why (lat, lon) is not a plausible position in ``ward``, or None."""
    if not inside_hanoi(lat, lon):
        return "is outside Hanoi"
    radius_km = math.sqrt((ward.area_km2 or 10.0) / math.pi)
    allowed_m = (2 * radius_km + WARD_MARGIN_KM) * 1000
    actual = distance_m(lat, lon, ward.lat, ward.lon)
    if actual > allowed_m:
        return (
            f"is {actual / 1000:.1f} km from {ward.name}; expected within {allowed_m / 1000:.1f} km"
        )
    return None


def supervising_branch(catalog: Catalog, ward_code: str, lat: float, lon: float) -> Branch:
    """The branch whose area contains the ward, else the nearest branch."""
    serving = catalog.branch_for_ward(ward_code)
    if serving is not None:
        return serving
    return min(catalog.branches, key=lambda b: distance_m(lat, lon, b.lat, b.lon))
