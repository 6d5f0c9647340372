"""The portal's data as Open Referral HSDS 3 (Human Services Data Specification).

Mapping: the center and every agent business are an ``organization``; every place (branch,
reception point, agent) is a ``location`` with its weekly ``schedules``, ``addresses`` and
``phones``; every procedure is a ``service`` of the center with its ``required_documents`` and
``cost_options`` (VND), and a ``service_at_location`` for each branch and reception point that
receives it; an agent's free help is its own service at the agent's location. Only public
fields are used (no tax code, e-mail, token or staff note).

HSDS requires UUID identifiers: each is ``uuid5(NAMESPACE, "<object>:<our id>")``, so they are
stable across builds. :func:`hsds_objects` returns the nested JSON form; :func:`hsds_tables`
flattens it into one table per object for the Tabular Data Package.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from agents_registry.open_data_rows import fee_texts, processing_time_text
from agents_registry.places import Place, PlaceKind
from catalog.history import CatalogTimes
from catalog.load import Catalog
from catalog.models import DAYS, Level, OnlineLevel, OpeningHours, Procedure
from catalog.places import DAY_NAMES

NAMESPACE = uuid.UUID("7f2b6f4e-0c1d-5a59-9a43-6b1e2d0c4f10")
UTC_OFFSET = "+07:00"
RRULE_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
DEMO_LABEL = "[Dữ liệu minh họa — demo] "
KIND_NAMES = {
    PlaceKind.BRANCH: "Chi nhánh",
    PlaceKind.RECEPTION_POINT: "Điểm tiếp nhận",
    PlaceKind.AGENT: "Đại lý dịch vụ công trực tuyến",
}
LEVEL_NAMES = {Level.CENTRAL: "trung ương", Level.PROVINCE: "thành phố", Level.COMMUNE: "xã"}
ONLINE_NAMES = {
    OnlineLevel.FULL_ONLINE: "toàn trình",
    OnlineLevel.PARTIAL_ONLINE: "một phần trực tuyến",
    OnlineLevel.OFFLINE: "nộp trực tiếp",
}

Obj = dict[str, Any]


def hsds_id(kind: str, key: str) -> str:
    """The stable HSDS UUID of our object ``key`` of type ``kind``."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _compact(obj: Obj) -> Obj:
    """Leave out empty optional values (HSDS validates types, so null is not allowed)."""
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != []}


def schedules(hours: OpeningHours, location_id: str) -> list[Obj]:
    """Weekly RRULE schedules: one per opening range, with the days that share it."""
    days_by_range: dict[str, list[int]] = defaultdict(list)
    for index, day in enumerate(DAYS):
        for time_range in getattr(hours, day):
            days_by_range[time_range].append(index)
    result = []
    for time_range in sorted(days_by_range):
        opens, closes = time_range.split("-")
        days = days_by_range[time_range]
        byday = ",".join(RRULE_DAYS[DAYS[i]] for i in days)
        result.append(
            {
                "id": hsds_id("schedule", f"{location_id}:{time_range}"),
                "location_id": location_id,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": byday,
                "opens_at": f"{opens}{UTC_OFFSET}",
                "closes_at": f"{closes}{UTC_OFFSET}",
                "timezone": 7,
                "description": f"{', '.join(DAY_NAMES[i] for i in days)}: {opens} đến {closes} (giờ Việt Nam)",
            }
        )
    return result


def _field_names(place: Place, catalog: Catalog) -> list[str]:
    """The names of the fields (lĩnh vực) an agent helps with."""
    return [f.name for slug in place.fields or () if (f := catalog.field_by_slug(slug))]


def location(place: Place, catalog: Catalog, organization_id: str) -> Obj:
    location_id = hsds_id("location", f"{place.kind.value}:{place.id}")
    ward = catalog.ward(place.ward_code)
    label = DEMO_LABEL if place.demo else ""
    description = f"{label}{KIND_NAMES[place.kind]} thuộc địa bàn chi nhánh {place.branch_number}."
    if names := _field_names(place, catalog):
        description += " Hỗ trợ các lĩnh vực: " + ", ".join(names) + "."
    address = {
        "id": hsds_id("address", location_id),
        "location_id": location_id,
        "address_1": place.address,
        "address_2": ward.name if ward else None,
        "city": "Hà Nội",
        "region": ward.name if ward else None,
        "state_province": "Thành phố Hà Nội",
        "country": "VN",
        "address_type": "physical",
    }
    phones = []
    if place.phone:
        phones.append(
            {"id": hsds_id("phone", location_id), "location_id": location_id, "number": place.phone}
        )
    return _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": place.name,
            "description": description,
            "latitude": place.lat,
            "longitude": place.lon,
            "external_identifier": place.id,
            "external_identifier_type": f"hcc:{place.kind.value}",
            # HSDS requires a postal code; none is published for these places: left empty.
            "addresses": [_compact(address) | {"postal_code": ""}],
            "phones": phones,
            "schedules": schedules(place.opening_hours, location_id),
        }
    )


def cost_options(procedure: Procedure, service_id: str) -> list[Obj]:
    """One option per fee, plus one for the online amount where it differs; amounts in VND."""
    options = []
    for i, fee in enumerate(procedure.fees):
        name = fee.name or "Phí, lệ phí"
        variants = [(name, fee.amount_vnd)]
        if fee.online_amount_vnd is not None:
            variants.append((f"{name} (nộp trực tuyến)", fee.online_amount_vnd))
        for j, (option, amount) in enumerate(variants):
            options.append(
                _compact(
                    {
                        "id": hsds_id("cost_option", f"{procedure.id}:{i}:{j}"),
                        "service_id": service_id,
                        "option": option,
                        "currency": "VND",
                        "amount": amount,
                        "amount_description": fee.text,
                    }
                )
            )
    return options


def required_documents(procedure: Procedure, service_id: str) -> list[Obj]:
    documents = []
    for i, doc in enumerate(procedure.documents):
        counts = []
        if doc.originals:
            counts.append(f"{doc.originals} bản chính")
        if doc.copies:
            counts.append(f"{doc.copies} bản sao")
        text = doc.name + (f" ({', '.join(counts)})" if counts else "")
        documents.append(
            _compact(
                {
                    "id": hsds_id("required_document", f"{procedure.id}:{i}"),
                    "service_id": service_id,
                    "document": text,
                    "uri": doc.form_url,
                }
            )
        )
    return documents


def procedure_service(
    procedure: Procedure,
    catalog: Catalog,
    center_id: str,
    offices: Sequence[Obj],
    times: CatalogTimes,
) -> Obj:
    service_id = hsds_id("service", procedure.id)
    field = catalog.field_by_slug(procedure.field)
    description = (
        f"Thủ tục hành chính cấp {LEVEL_NAMES[procedure.level]}, lĩnh vực "
        f"{field.name if field else procedure.field}; cơ quan thực hiện: {procedure.agency}; "
        f"mức độ trực tuyến: {ONLINE_NAMES[procedure.online_level]}"
        + ("; phi địa giới hành chính" if procedure.location_independent else "")
        + ". Nguồn: "
        + procedure.source
    )
    modified = times.procedure(procedure)
    return _compact(
        {
            "id": service_id,
            "organization_id": center_id,
            "name": procedure.name,
            "alternate_name": procedure.code,
            "description": description,
            "status": "inactive" if procedure.replaced_by else "active",
            "application_process": " ".join(f"{i + 1}. {s}" for i, s in enumerate(procedure.steps)),
            "wait_time": processing_time_text(procedure),
            "fees_description": "; ".join(fee_texts(procedure)),
            "eligibility_description": "; ".join(procedure.applicants),
            "assured_date": procedure.verified_on.isoformat() if procedure.verified_on else None,
            "last_modified": modified.isoformat() if modified else None,
            "cost_options": cost_options(procedure, service_id),
            "required_documents": required_documents(procedure, service_id),
            "service_at_locations": [
                {
                    "id": hsds_id("service_at_location", f"{procedure.id}:{office['id']}"),
                    "service_id": service_id,
                    "location_id": office["id"],
                }
                for office in offices
            ],
        }
    )


def agent_service(place: Place, catalog: Catalog, organization_id: str, location_id: str) -> Obj:
    """An agent's free help with online public services, at its own location."""
    service_id = hsds_id("service", f"agent-help:{place.id}")
    names = _field_names(place, catalog)
    label = DEMO_LABEL if place.demo else ""
    fields = f" Lĩnh vực: {', '.join(names)}." if names else ""
    return {
        "id": service_id,
        "organization_id": organization_id,
        "name": "Hỗ trợ nộp hồ sơ dịch vụ công trực tuyến",
        "description": f"{label}Hướng dẫn và nộp hồ sơ trực tuyến giúp người dân, không thu phí."
        + fields,
        "status": "active",
        "fees_description": "Miễn phí",
        "cost_options": [
            {
                "id": hsds_id("cost_option", f"agent-help:{place.id}"),
                "service_id": service_id,
                "option": "Miễn phí",
                "currency": "VND",
                "amount": 0,
            }
        ],
        "service_at_locations": [
            {
                "id": hsds_id("service_at_location", f"agent-help:{place.id}"),
                "service_id": service_id,
                "location_id": location_id,
            }
        ],
    }


def hsds_objects(
    places: Sequence[Place], catalog: Catalog, times: CatalogTimes
) -> tuple[list[Obj], list[Obj]]:
    """``(organizations, services)`` in the nested JSON form (locations inside organizations)."""
    center = catalog.center
    center_id = hsds_id("organization", "center")
    office_places = [p for p in places if p.kind != PlaceKind.AGENT]
    offices = [location(p, catalog, center_id) for p in office_places]
    center_phone = {
        "id": hsds_id("phone", center_id),
        "organization_id": center_id,
        "number": center.hotline,
    }
    center_org = _compact(
        {
            "id": center_id,
            "name": center.name,
            "description": f"{center.name}, {center.address}. Đường dây nóng {center.hotline}.",
            "website": center.website,
            "legal_status": "Cơ quan nhà nước",
            "phones": [center_phone],
            "locations": offices,
        }
    )
    organizations, services = [center_org], []
    for procedure in catalog.procedures:
        handled = [o for p, o in zip(office_places, offices, strict=True) if p.handles(procedure)]
        services.append(procedure_service(procedure, catalog, center_id, handled, times))
    for place in places:
        if place.kind != PlaceKind.AGENT:
            continue
        org_id = hsds_id("organization", f"agent:{place.id}")
        loc = location(place, catalog, org_id)
        label = DEMO_LABEL if place.demo else ""
        organizations.append(
            {
                "id": org_id,
                "name": place.name,
                "description": f"{label}Đại lý dịch vụ công trực tuyến {place.id} của "
                f"{center.name}: hỗ trợ người dân sử dụng dịch vụ công trực tuyến miễn phí.",
                "legal_status": "Doanh nghiệp",
                "locations": [loc],
            }
        )
        services.append(agent_service(place, catalog, org_id, loc["id"]))
    return organizations, services
