"""Hostile input at every write endpoint: each gets a clear 4xx (naming the field when there is
one) and writes nothing (every table's row count, the agents' statuses and the audit log unchanged).

Two tables: BODY_CASES apply to every JSON endpoint in ENDPOINTS (size, nesting, content type,
encoding, shape); FIELD_CASES put one nasty value into one field of an otherwise valid body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.routes import HTTPRoute

from api.request_body import takes_json
from catalog.load import Catalog
from tests.api_world import World, running_world
from tests.api_write_endpoints import ENDPOINTS, JSON, assert_refused, prepare, send

DIGITS = "0123456789"
FULLWIDTH = str.maketrans(DIGITS, "".join(chr(0xFF10 + d) for d in range(10)))
ARABIC_INDIC = str.maketrans(DIGITS, "".join(chr(0x0660 + d) for d in range(10)))
CYRILLIC = str.maketrans("03", "\u041e\u0417")  # capital O and Ze: look like 0 and 3
SQL = "' OR '1'='1'; DROP TABLE agents; --"
HTML = "<script>alert(1)</script>"


def _with(body: dict[str, Any], **changes: Any) -> bytes:
    return json.dumps({**body, **changes}).encode()


def _huge(body: dict[str, Any]) -> bytes:
    return _with(body, padding="x" * 70_000)  # over the 64 KiB limit, before any field check


def _invalid_utf8(body: dict[str, Any]) -> bytes:
    text = json.dumps(body, ensure_ascii=False).encode()
    cut = text.index(b'":') + 3  # inside the first string value
    return text[:cut] + b"\xff\xfe" + text[cut:]


# (name, raw body from a valid one, content type, expected status, field the error must name)
BODY_CASES: list[tuple[str, Callable[[dict[str, Any]], bytes], str, int, str | None]] = [
    ("huge body", _huge, JSON, 413, None),
    ("deeply nested arrays", lambda b: b"[" * 5000 + b"]" * 5000, JSON, 400, None),
    ("deeply nested objects", lambda b: b'{"a":' * 2000 + b"1" + b"}" * 2000, JSON, 400, None),
    ("JSON sent as text/plain", lambda b: _with(b), "text/plain", 415, "Content-Type"),
    ("JSON sent as a form", lambda b: _with(b), "application/x-www-form-urlencoded", 415, None),
    (
        "form-encoded body",
        lambda b: b"reason=x&tax_code=1",
        "application/x-www-form-urlencoded",
        415,
        None,
    ),
    ("XML body", lambda b: b"<reason>x</reason>", "application/xml", 415, None),
    ("no content type", lambda b: _with(b), "", 415, "Content-Type"),
    ("invalid UTF-8", _invalid_utf8, JSON, 400, None),
    ("truncated JSON", lambda b: _with(b)[:-5], JSON, 400, None),
    ("NaN literal", lambda b: _with(b)[:-1] + b', "x": NaN}', JSON, 400, None),
    ("Infinity literal", lambda b: _with(b)[:-1] + b', "x": Infinity}', JSON, 400, None),
    ("empty body", lambda b: b"", JSON, 422, "body"),
    ("array instead of object", lambda b: b"[]", JSON, 422, None),
    ("null", lambda b: b"null", JSON, 422, None),
    ("unknown field", lambda b: _with(b, is_admin=True), JSON, 422, "is_admin"),
]


def _body_cases() -> list[Any]:
    return [
        pytest.param(endpoint, make, content_type, status, key, id=f"{endpoint}: {name}")
        for endpoint in ENDPOINTS
        for name, make, content_type, status, key in BODY_CASES
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("nasty"), catalog) as running:
        yield running


PARAM = re.compile(r"\{([a-z_]+):[a-z]+\}")


def test_every_json_write_route_of_the_app_is_in_the_table(world: World) -> None:
    """A new route taking a JSON body fails here until it has a row in ENDPOINTS."""
    routes = {
        (method, PARAM.sub(r"{\1}", route.path))
        for route in world.api.client.app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if takes_json(handler)
        for method in handler.http_methods
    }

    assert routes == {(e.method, e.route) for e in ENDPOINTS.values()}


def test_every_endpoint_accepts_its_valid_body(world: World) -> None:
    """The tables below are meaningful: the same endpoints take their untouched bodies."""
    for name in ENDPOINTS:
        url, body = prepare(world, name)

        response = send(world, name, url, json.dumps(body).encode(), JSON)

        assert response.status_code in (200, 201), (name, response.text)


@pytest.mark.parametrize(("name", "make", "content_type", "status", "key"), _body_cases())
def test_malformed_bodies_are_refused_and_write_nothing(
    world: World,
    name: str,
    make: Callable[[dict[str, Any]], bytes],
    content_type: str,
    status: int,
    key: str | None,
) -> None:
    url, body = prepare(world, name)
    before = world.snapshot()

    response = send(world, name, url, make(body), content_type)

    assert_refused(response, status, key)
    assert world.snapshot() == before


Change = Callable[[dict[str, Any]], dict[str, Any]]


def _field(name: str, value: Any) -> Change:
    return lambda body: {**body, name: value}


def _mapped(name: str, how: Callable[[Any], Any]) -> Change:
    """The valid value of ``name``, transformed (look-alike digits, a trailing newline...)."""
    return lambda body: {**body, name: how(body[name])}


def _translated(name: str, table: dict[int, str]) -> Change:
    return _mapped(name, lambda value: value.translate(table))


def _hours(value: list[str]) -> Change:
    return lambda body: {**body, "mon": value}


PAST, FUTURE = "0001-01-01", "9999-12-31"
# (endpoint, case, change to a valid body, field the 4xx must name)
FIELD_CASES: list[tuple[str, str, Change, str]] = [
    ("apply", "fullwidth digits in tax code", _translated("tax_code", FULLWIDTH), "tax_code"),
    ("apply", "Arabic-Indic digits in tax code", _translated("tax_code", ARABIC_INDIC), "tax_code"),
    ("apply", "Cyrillic O and Ze in tax code", _translated("tax_code", CYRILLIC), "tax_code"),
    ("apply", "newline after tax code", _mapped("tax_code", lambda v: v + "\n"), "tax_code"),
    ("apply", "SQL in tax code", _mapped("tax_code", lambda v: v + SQL), "tax_code"),
    ("apply", "fullwidth digits in phone", _translated("phone", FULLWIDTH), "phone"),
    ("apply", "Arabic-Indic digits in phone", _translated("phone", ARABIC_INDIC), "phone"),
    ("apply", "Cyrillic Ze in phone", _translated("phone", CYRILLIC), "phone"),
    ("apply", "newline after phone", _mapped("phone", lambda v: v + "\n"), "phone"),
    ("apply", "SQL in ward code", _field("ward_code", "00070" + SQL), "ward_code"),
    ("apply", "fullwidth ward code", _translated("ward_code", FULLWIDTH), "ward_code"),
    ("apply", "HTML in business name", _field("business_name", HTML), "business_name"),
    ("apply", "NUL in business name", _field("business_name", "Bưu điện\x00"), "business_name"),
    (
        "apply",
        "ANSI escape in representative",
        _field("legal_representative", "An\x1b[2J"),
        "legal_representative",
    ),
    (
        "apply",
        "header injection in address",
        _field("address", "Số 1\r\nSet-Cookie: a=b"),
        "address",
    ),
    ("apply", "HTML in address", _field("address", "Số 1 <img src=x onerror=alert(1)>"), "address"),
    ("apply", "HTML in e-mail", _field("email", "<b>x</b>@vnpost.vn"), "email"),
    ("apply", "NUL in e-mail", _field("email", "hoankiem\x00@vnpost.vn"), "email"),
    ("apply", "NUL in equipment", _field("equipment", "3 máy tính\x00"), "equipment"),
    ("apply", "SQL in a field slug", _field("fields", ["ho-tich" + SQL]), "fields[0]"),
    ("apply", "NaN latitude (string)", _field("lat", "NaN"), "lat"),
    ("apply", "Infinity longitude (string)", _field("lon", "Infinity"), "lon"),
    ("apply", "latitude beyond the pole", _field("lat", 91.0), "lat"),
    ("apply", "longitude as a huge number", _field("lon", 1e308), "lon"),
    ("apply", "position in the sea", _field("lat", 0.0), "lat"),
    (
        "record submission",
        "SQL in dossier code",
        _mapped("dossier_code", lambda v: v + SQL),
        "dossier_code",
    ),
    (
        "record submission",
        "HTML in dossier code",
        _field("dossier_code", "<b>000.00.12</b>"),
        "dossier_code",
    ),
    (
        "record submission",
        "fullwidth dossier code",
        _translated("dossier_code", FULLWIDTH),
        "dossier_code",
    ),
    (
        "record submission",
        "newline after dossier code",
        _mapped("dossier_code", lambda v: v + "\n"),
        "dossier_code",
    ),
    (
        "record submission",
        "SQL in procedure code",
        _field("procedure_code", "1.001193" + SQL),
        "procedure_code",
    ),
    (
        "record submission",
        "unknown procedure",
        _field("procedure_code", "9.999999"),
        "procedure_code",
    ),
    (
        "record submission",
        "fullwidth citizen ID",
        _translated("citizen_id", FULLWIDTH),
        "citizen_id",
    ),
    (
        "record submission",
        "Arabic-Indic citizen ID",
        _translated("citizen_id", ARABIC_INDIC),
        "citizen_id",
    ),
    (
        "record submission",
        "newline after citizen ID",
        _mapped("citizen_id", lambda v: v + "\n"),
        "citizen_id",
    ),
    (
        "record submission",
        "year 1",
        _field("submitted_at", "0001-01-01T00:00:00+14:00"),
        "submitted_at",
    ),
    (
        "record submission",
        "year 9999",
        _field("submitted_at", "9999-12-31T23:59:59-14:00"),
        "submitted_at",
    ),
    (
        "record submission",
        "Unix epoch",
        _field("submitted_at", "1970-01-01T00:00:00Z"),
        "submitted_at",
    ),
    (
        "record submission",
        "a year ahead",
        _field("submitted_at", "2999-01-01T00:00:00+07:00"),
        "submitted_at",
    ),
    (
        "record submission",
        "year 10000",
        _field("submitted_at", "10000-01-01T00:00:00+07:00"),
        "submitted_at",
    ),
    (
        "record submission",
        "no time zone",
        _field("submitted_at", "2026-01-01T10:00:00"),
        "submitted_at",
    ),
    ("record submission", "timestamp as a number", _field("submitted_at", 1e300), "submitted_at"),
    ("record submission", "NUL in notes", _field("notes", "Hỗ trợ\x00"), "notes"),
    ("record submission", "ANSI escape in notes", _field("notes", "\x1b[31mđỏ"), "notes"),
    ("record submission", "SQL in mode", _field("mode", "full_online" + SQL), "mode"),
    ("reject application", "NUL in reason", _field("reason", "Thiếu\x00 giấy tờ"), "reason"),
    ("suspend agent", "ANSI escape in reason", _field("reason", "\x1b[2JGian lận"), "reason"),
    ("reinstate agent", "newline after reason", _mapped("reason", lambda v: v + "\n"), "reason"),
    ("set own hours", "fullwidth time", _hours(["08:00-17:00".translate(FULLWIDTH)]), "mon[0]"),
    (
        "set own hours",
        "Arabic-Indic time",
        _hours(["08:00-17:00".translate(ARABIC_INDIC)]),
        "mon[0]",
    ),
    ("set own hours", "newline after time", _hours(["08:00-17:00\n"]), "mon[0]"),
    ("set place hours", "SQL in time", _hours(["08:00-17:00" + SQL]), "mon[0]"),
    (
        "announce own closure",
        "year 1",
        lambda b: {**b, "starts_on": PAST, "ends_on": PAST},
        "ends_on",
    ),
    (
        "announce own closure",
        "year 9999",
        lambda b: {**b, "starts_on": FUTURE, "ends_on": FUTURE},
        "starts_on",
    ),
    ("announce own closure", "fullwidth date", _translated("starts_on", FULLWIDTH), "starts_on"),
    ("announce own closure", "NUL in reason", _field("reason", "Nghỉ\x00"), "reason"),
    ("announce place closure", "year 0", _field("starts_on", "0000-01-01"), "starts_on"),
    ("announce place closure", "ends before it starts", _field("ends_on", PAST), "ends_on"),
    ("report", "SQL in subject", _field("subject_id", "dang-ky-ket-hon" + SQL), "subject_id"),
    ("report", "HTML in subject", _field("subject_id", HTML), "subject_id"),
    (
        "report",
        "fullwidth phone",
        _field("contact_phone", "0912345678".translate(FULLWIDTH)),
        "contact_phone",
    ),
    (
        "report",
        "Arabic-Indic phone",
        _field("contact_phone", "0912345678".translate(ARABIC_INDIC)),
        "contact_phone",
    ),
    ("report", "NUL in contact name", _field("contact_name", "Lan\x00"), "contact_name"),
    ("report", "HTML in contact e-mail", _field("contact_email", "<a>@x.vn"), "contact_email"),
    ("resolve report", "too short a note", _field("note", "ok"), "note"),
    ("assign report", "HTML in assignee", _field("assignee", HTML), "assignee"),
    ("assign report", "NUL in assignee", _field("assignee", "Kiểm\x00"), "assignee"),
    (
        "rate agent",
        "SQL in dossier code",
        _mapped("dossier_code", lambda v: v + SQL),
        "dossier_code",
    ),
    ("rate agent", "fullwidth agent id", _translated("agent_id", FULLWIDTH), "agent_id"),
    ("rate agent", "stars out of range", _field("stars", 6), "stars"),
    ("rate agent", "stars as NaN (string)", _field("stars", "NaN"), "stars"),
]


@pytest.mark.parametrize(
    ("name", "change", "key"),
    [
        pytest.param(name, change, key, id=f"{name}: {case}")
        for name, case, change, key in FIELD_CASES
    ],
)
def test_nasty_field_values_are_refused_naming_the_field_and_write_nothing(
    world: World, name: str, change: Change, key: str
) -> None:
    url, body = prepare(world, name)
    content = json.dumps(change(body)).encode()
    before = world.snapshot()

    response = send(world, name, url, content, JSON)

    assert_refused(response, None, key)
    assert world.snapshot() == before


def test_injection_strings_in_free_text_are_kept_as_text(world: World) -> None:
    """Free text (notes, equipment) may quote anything: stored verbatim, never executed."""
    notes = f"Khách ghi: {SQL} {HTML}"
    url, body = prepare(world, "record submission")

    response = send(
        world, "record submission", url, json.dumps({**body, "notes": notes}).encode(), JSON
    )
    listed = world.api.client.get("/api/v1/me/submissions", headers=world.headers("agent_a"))

    assert response.status_code == 201, response.text
    assert response.json()["notes"] == notes
    assert notes in [item["notes"] for item in listed.json()["items"]]
    assert world.api.query("SELECT count(*) FROM agents")[0][0] >= 3  # the table is still there
