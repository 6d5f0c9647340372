"""The HSDS 3 export in its tabular form: one CSV per object and a Frictionless datapackage.json.

The nested objects of :func:`agents_registry.hsds.hsds_objects` are flattened: every child
object becomes a row of its own table, linked to its parent by the ``*_id`` column HSDS names
(``location.organization_id``, ``schedule.location_id``, ``cost_option.service_id``, ...).
"""

from __future__ import annotations

import csv
import io
from typing import Any

Obj = dict[str, Any]

# HSDS resource name -> (file name, [(column, Table Schema type)]), in dependency order.
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "organization": (
        "organizations.csv",
        [
            ("id", "string"),
            ("name", "string"),
            ("description", "string"),
            ("website", "string"),
            ("legal_status", "string"),
        ],
    ),
    "location": (
        "locations.csv",
        [
            ("id", "string"),
            ("organization_id", "string"),
            ("location_type", "string"),
            ("name", "string"),
            ("description", "string"),
            ("latitude", "number"),
            ("longitude", "number"),
            ("external_identifier", "string"),
            ("external_identifier_type", "string"),
        ],
    ),
    "address": (
        "addresses.csv",
        [
            ("id", "string"),
            ("location_id", "string"),
            ("address_1", "string"),
            ("address_2", "string"),
            ("city", "string"),
            ("region", "string"),
            ("state_province", "string"),
            ("postal_code", "string"),
            ("country", "string"),
            ("address_type", "string"),
        ],
    ),
    "phone": (
        "phones.csv",
        [
            ("id", "string"),
            ("organization_id", "string"),
            ("location_id", "string"),
            ("number", "string"),
        ],
    ),
    "schedule": (
        "schedules.csv",
        [
            ("id", "string"),
            ("location_id", "string"),
            ("freq", "string"),
            ("wkst", "string"),
            ("byday", "string"),
            ("opens_at", "string"),
            ("closes_at", "string"),
            ("timezone", "number"),
            ("description", "string"),
        ],
    ),
    "service": (
        "services.csv",
        [
            ("id", "string"),
            ("organization_id", "string"),
            ("name", "string"),
            ("alternate_name", "string"),
            ("description", "string"),
            ("status", "string"),
            ("application_process", "string"),
            ("wait_time", "string"),
            ("fees_description", "string"),
            ("eligibility_description", "string"),
            ("assured_date", "string"),
            ("last_modified", "string"),
        ],
    ),
    "cost_option": (
        "cost_options.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("option", "string"),
            ("currency", "string"),
            ("amount", "number"),
            ("amount_description", "string"),
        ],
    ),
    "required_document": (
        "required_documents.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("document", "string"),
            ("uri", "string"),
        ],
    ),
    "service_at_location": (
        "service_at_location.csv",
        [("id", "string"), ("service_id", "string"), ("location_id", "string")],
    ),
}
PARENTS = {"organization_id": "organization", "location_id": "location", "service_id": "service"}
CHILDREN = {
    "phones": "phone",
    "locations": "location",
    "addresses": "address",
    "schedules": "schedule",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "service_at_locations": "service_at_location",
}


def _collect(kind: str, obj: Obj, rows: dict[str, list[Obj]]) -> None:
    rows[kind].append({k: v for k, v in obj.items() if not isinstance(v, list)})
    for key, child_kind in CHILDREN.items():
        for child in obj.get(key, []):
            _collect(child_kind, child, rows)


def hsds_tables(organizations: list[Obj], services: list[Obj]) -> dict[str, list[Obj]]:
    """Every object as a flat row of its resource, by HSDS resource name."""
    rows: dict[str, list[Obj]] = {kind: [] for kind in TABLES}
    for organization in organizations:
        _collect("organization", organization, rows)
    for service in services:
        _collect("service", service, rows)
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(columns: list[str], rows: list[Obj]) -> bytes:
    """UTF-8 CSV (RFC 4180, CRLF line ends) with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue().encode()


def table_schema(columns: list[tuple[str, str]]) -> Obj:
    fields = []
    for name, kind in columns:
        field: Obj = {"name": name, "type": kind}
        if name == "id" or name in PARENTS:
            field["format"] = "uuid"
        if name == "id":
            field["constraints"] = {"required": True, "unique": True}
        fields.append(field)
    foreign_keys = [
        {"fields": name, "reference": {"resource": PARENTS[name], "fields": "id"}}
        for name, _ in columns
        if name in PARENTS
    ]
    return {"fields": fields, "primaryKey": "id", "foreignKeys": foreign_keys}


def datapackage(title: str, created: str, licence: Obj, counts: dict[str, int]) -> Obj:
    """The Frictionless Tabular Data Package descriptor of the CSV files."""
    return {
        "profile": "tabular-data-package",
        "name": "hcc-hanoi-hsds-3",
        "title": title,
        "created": created,
        "licenses": [licence],
        "sources": [{"title": "Open Referral HSDS 3", "path": "https://openreferral.org/"}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": kind,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "count": counts[kind],
                "schema": table_schema(columns),
            }
            for kind, (path, columns) in TABLES.items()
        ],
    }
