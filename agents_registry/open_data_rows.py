"""The rows of the open data files about places and procedures (CSV, GeoJSON, JSON).

Public fields only: a place is what :mod:`agents_registry.places` exposes to citizens (no tax
code, e-mail or note); a procedure is the catalog record with its last modification time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from agents_registry.places import Place
from catalog.history import CatalogTimes
from catalog.load import Catalog
from catalog.models import DAYS, Procedure

PLACE_COLUMNS = [
    "kind",
    "id",
    "name",
    "address",
    "ward_code",
    "ward_name",
    "branch_number",
    "lat",
    "lon",
    "phone",
    "opening_hours",
    "fields",
    "demo",
]
PROCEDURE_COLUMNS = [
    "id",
    "code",
    "name",
    "field",
    "field_name",
    "level",
    "agency",
    "online_level",
    "location_independent",
    "green_lane",
    "processing_time",
    "fees",
    "documents",
    "applicants",
    "result",
    "legal_basis",
    "replaced_by",
    "source",
    "verified_on",
    "unverified",
    "modified_at",
    "page",
]


def _hours_text(place: Place) -> str:
    """``mon 08:00-12:00,13:30-17:00; tue ...``: the open days only."""
    hours = place.opening_hours
    return "; ".join(
        f"{day} {','.join(getattr(hours, day))}" for day in DAYS if getattr(hours, day)
    )


def place_rows(places: Sequence[Place], catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for place in places:
        ward = catalog.ward(place.ward_code)
        rows.append(
            {
                "kind": place.kind.value,
                "id": place.id,
                "name": place.name,
                "address": place.address,
                "ward_code": place.ward_code,
                "ward_name": ward.name if ward else None,
                "branch_number": place.branch_number,
                "lat": place.lat,
                "lon": place.lon,
                "phone": place.phone,
                "opening_hours": _hours_text(place),
                "fields": "|".join(place.fields) if place.fields is not None else None,
                "demo": "true" if place.demo else "false",
            }
        )
    return rows


def geojson(
    places: Sequence[Place], catalog: Catalog, generated_at: str, license_url: str
) -> dict[str, Any]:
    features = []
    for row, place in zip(place_rows(places, catalog), places, strict=True):
        properties = {k: v for k, v in row.items() if k not in {"lat", "lon"}}
        properties["opening_hours"] = {d: list(getattr(place.opening_hours, d)) for d in DAYS}
        properties["fields"] = list(place.fields) if place.fields is not None else None
        properties["demo"] = place.demo
        features.append(
            {
                "type": "Feature",
                "id": f"{place.kind.value}:{place.id}",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "generated_at": generated_at,
        "license": license_url,
        "features": features,
    }


def fee_texts(procedure: Procedure) -> list[str]:
    """One text a fee: ``name: amount VND (trực tuyến amount VND)``, or its wording."""
    parts = []
    for fee in procedure.fees:
        amount = f"{fee.amount_vnd} VND" if fee.amount_vnd is not None else fee.text or ""
        if fee.online_amount_vnd is not None:
            amount += f" (trực tuyến {fee.online_amount_vnd} VND)"
        parts.append(": ".join(x for x in (fee.name, amount) if x))
    return parts


def processing_time_text(procedure: Procedure) -> str | None:
    """``3 ngày làm việc``, with the catalog's wording after it in brackets where there is one."""
    t = procedure.processing_time
    if t is None:
        return None
    if t.days is None:
        return t.text
    days = f"{t.days:g} ngày{' làm việc' if t.working_days else ''}"
    return f"{days} ({t.text})" if t.text else days


def procedure_row(procedure: Procedure, catalog: Catalog, times: CatalogTimes) -> dict[str, Any]:
    field = catalog.field_by_slug(procedure.field)
    modified = times.procedure(procedure)
    return {
        "id": procedure.id,
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "field_name": field.name if field else None,
        "level": procedure.level.value,
        "agency": procedure.agency,
        "online_level": procedure.online_level.value,
        "location_independent": str(procedure.location_independent).lower(),
        "green_lane": str(procedure.green_lane).lower(),
        "processing_time": processing_time_text(procedure),
        "fees": " | ".join(fee_texts(procedure)),
        "documents": " | ".join(d.name for d in procedure.documents),
        "applicants": " | ".join(procedure.applicants),
        "result": procedure.result,
        "legal_basis": " | ".join(procedure.legal_basis),
        "replaced_by": procedure.replaced_by,
        "source": procedure.source,
        "verified_on": procedure.verified_on.isoformat() if procedure.verified_on else None,
        "unverified": "|".join(procedure.unverified),
        "modified_at": modified.isoformat() if modified else None,
        "page": f"thu-tuc/{procedure.id}/",
    }


def procedures_json(
    catalog: Catalog, times: CatalogTimes, generated_at: str, license_url: str
) -> dict[str, Any]:
    items = []
    for procedure in catalog.procedures:
        modified = times.procedure(procedure)
        items.append(
            msgspec.to_builtins(procedure)
            | {
                "modified_at": modified.isoformat() if modified else None,
                "page": f"thu-tuc/{procedure.id}/",
            }
        )
    return {"generated_at": generated_at, "license": license_url, "procedures": items}
