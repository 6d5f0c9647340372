"""Hostile input beyond JSON bodies: raw bodies (the Open311 form post, the reconciliation CSV)
and numbers or dates out of range in paths and queries. Each gets a 4xx and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from catalog.load import Catalog
from tests.api_world import World, running_world
from tests.api_write_endpoints import JSON, assert_refused

SQL = "' OR '1'='1'; DROP TABLE agents; --"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("nasty-raw"), catalog) as running:
        yield running


HUGE = "1436930748070730622415700324264181760"  # past SQLite's 64-bit integers
YEAR_1_EAST = quote("0001-01-01T00:00:00+14:00")  # no such moment in UTC
YEAR_9999_WEST = quote("9999-12-31T23:59:59-14:00")


@pytest.mark.parametrize(
    ("method", "url", "role", "key"),
    [
        ("DELETE", f"/api/v1/me/closures/{HUGE}", "agent_a", "closure_id"),
        ("DELETE", f"/api/v1/places/branch/chi-nhanh-1/closures/{HUGE}", "staff", "closure_id"),
        ("GET", f"/api/v1/agents?page={HUGE}", "anonymous", "page"),
        ("GET", "/api/v1/applications?page=30949968348322128&page_size=500", "staff", "page"),
        ("GET", "/api/v1/me/submissions?page=30949968348322128&page_size=500", "agent_a", "page"),
        ("GET", "/api/v1/nearest?lat=NaN&lon=105.85", "anonymous", "lat"),
        ("GET", "/api/v1/nearest?lat=21.03&lon=-Infinity", "anonymous", "lon"),
        ("GET", f"/api/v1/agents?modified_after={YEAR_1_EAST}", "anonymous", "modified_after"),
        (
            "GET",
            f"/api/v1/procedures?modified_after={YEAR_9999_WEST}",
            "anonymous",
            "modified_after",
        ),
        ("GET", f"/api/v1/applications?modified_after={YEAR_1_EAST}", "staff", "modified_after"),
        ("GET", "/api/v1/me/submissions?from=0001-01-01&to=9999-12-31", "agent_a", "from"),
        ("GET", "/api/v1/me/output?to=0001-01-01", "agent_a", "to"),
        ("GET", "/api/v1/me/output?from=9999-12-31", "agent_a", "from"),
        ("GET", "/api/v1/audit/summary?month=0001-01", "staff", "month"),
        ("GET", "/api/v1/audit/agents?date_to=9999-12-31", "staff", "date_to"),
        ("GET", "/api/v1/audit/agents.csv?date_from=0001-01-01", "staff", "date_from"),
    ],
)
def test_numbers_and_dates_out_of_range_in_paths_and_queries_are_refused(
    world: World, method: str, url: str, role: str, key: str
) -> None:
    before = world.snapshot()

    response = world.api.client.request(method, url, headers=world.headers(role))

    assert_refused(response, 422, key)
    assert world.snapshot() == before


OPEN311 = "/api/v1/open311/requests.json"
RECONCILE = "/api/v1/audit/reconciliations"
FORM = "application/x-www-form-urlencoded"
OPEN311_FORM = (
    b"service_code=wrong_info&attribute[subject_kind]=branch&attribute[subject_id]=chi-nhanh-1"
)


@pytest.mark.parametrize(
    ("url", "role", "content_type", "content", "status"),
    [
        pytest.param(OPEN311, "anonymous", JSON, b"[" * 5000 + b"]" * 5000, 400, id="311 deep"),
        pytest.param(OPEN311, "anonymous", JSON, b'{"a": "\xff"}', 400, id="311 not UTF-8"),
        pytest.param(
            OPEN311,
            "anonymous",
            FORM,
            OPEN311_FORM + b"&description=\xff",
            400,
            id="311 form not UTF-8",
        ),
        pytest.param(OPEN311, "anonymous", "text/plain", b"hello", 400, id="311 plain text"),
        pytest.param(OPEN311, "anonymous", JSON, b"x" * 70_000, 413, id="311 huge"),
        pytest.param(
            OPEN311,
            "anonymous",
            FORM,
            b"service_code=wrong_info&attribute[subject_kind]=branch&description=Sai+gio+lam+viec"
            + b"&attribute[subject_id]=chi-nhanh-1"
            + quote(SQL).encode(),
            400,
            id="311 SQL in subject",
        ),
        pytest.param(
            RECONCILE, "staff", "text/csv", b"\xff\xfe\x00garbage", 422, id="CSV not UTF-8"
        ),
        pytest.param(RECONCILE, "staff", "text/csv", SQL.encode(), 422, id="CSV of SQL"),
        pytest.param(RECONCILE, "staff", "text/csv", b"", 422, id="CSV empty"),
        pytest.param(RECONCILE, "staff", "text/csv", b"x" * (21 * 1024 * 1024), 413, id="CSV huge"),
    ],
)
def test_raw_body_endpoints_refuse_nasty_bodies_and_write_nothing(
    world: World, url: str, role: str, content_type: str, content: bytes, status: int
) -> None:
    before = world.snapshot()

    response = world.api.client.post(
        url, content=content, headers={**world.headers(role), "Content-Type": content_type}
    )

    assert response.status_code == status, response.text
    if url == OPEN311:  # GeoReport v2 errors: a list of {code, description}
        assert [set(item) for item in response.json()] == [{"code", "description"}]
    else:
        assert_refused(response, status, None)
    assert world.snapshot() == before


@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("value", ["0001-01-01", YEAR_1_EAST, YEAR_9999_WEST])
def test_open311_dates_out_of_range_are_refused(world: World, name: str, value: str) -> None:
    response = world.api.client.get(f"/api/v1/open311/requests.json?{name}={value}")

    assert response.status_code == 400, response.text
    assert response.json() == [{"code": 400, "description": f"{name}: is out of range"}]
