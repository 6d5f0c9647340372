"""The API contract: one error shape everywhere, OpenAPI with every route, catalog reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import application_body


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=4) as running:
        yield running


def assert_error_shape(body: dict[str, object], status: int) -> None:
    assert set(body) <= {"status_code", "detail", "extra"}
    assert body["status_code"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    for item in body.get("extra", []):  # type: ignore[attr-defined]
        assert isinstance(item["key"], str) and item["key"]
        assert isinstance(item["message"], str) and item["message"]


def test_every_error_has_the_same_shape(api: Api) -> None:
    responses = {
        401: api.client.get("/api/v1/me"),
        403: api.client.get("/api/v1/me", headers=api.staff()),
        404: api.client.get("/api/v1/procedures/9.999999"),
        409: api.client.post("/api/v1/applications", json=application_body()),
        413: api.client.post("/api/v1/applications", json=application_body(equipment="x" * 70_000)),
        422: api.client.post("/api/v1/applications", json=application_body(tax_code="0100047517")),
    }
    responses[409] = api.client.post("/api/v1/applications", json=application_body())
    responses[429] = api.client.post("/api/v1/applications", json={})

    for status, response in responses.items():
        assert response.status_code == status, (status, response.text)
        assert_error_shape(response.json(), status)
    assert responses[422].json()["extra"] == [
        {"key": "tax_code", "message": "check digit does not match (Circular 105/2020/TT-BTC)"}
    ]


def test_openapi_documents_every_route_with_an_operation_id(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]

    assert {
        "/api/v1/applications",
        "/api/v1/applications/{application_id}",
        "/api/v1/applications/{application_id}/approve",
        "/api/v1/applications/{application_id}/reject",
        "/api/v1/agents",
        "/api/v1/agents/{agent_id}/suspend",
        "/api/v1/agents/{agent_id}/reinstate",
        "/api/v1/agents/{agent_id}/tokens",
        "/api/v1/submissions",
        "/api/v1/me",
        "/api/v1/me/submissions",
        "/api/v1/me/output",
        "/api/v1/procedures",
        "/api/v1/procedures/{key}",
        "/api/v1/branches",
        "/api/v1/wards",
        "/healthz",
        "/readyz",
    } <= set(schema["paths"])
    assert all(op.get("operationId") for op in operations)
    assert all(op.get("summary") or op.get("description") for op in operations)


def test_the_browsable_docs_load_their_assets_locally(api: Api) -> None:
    page = api.client.get("/schema")

    assert page.status_code == 200
    assert "cdn." not in page.text
    assert api.client.get("/schema-assets/swagger-ui-bundle.js").status_code == 200


def test_procedure_search_ignores_diacritics(api: Api) -> None:
    without = api.client.get("/api/v1/procedures?q=dang ky khai sinh&page_size=3").json()
    by_code = api.client.get("/api/v1/procedures/1.001193").json()
    field = api.client.get("/api/v1/procedures?field=dat-dai&page_size=500").json()

    assert without["items"][0]["code"] == "1.001193"
    assert by_code["name"] == "Đăng ký khai sinh"
    assert field["total"] == len(field["items"]) > 5
    assert {p["field"] for p in field["items"]} == {"dat-dai"}


def test_branches_and_wards(api: Api, catalog: Catalog) -> None:
    branches = api.client.get("/api/v1/branches").json()
    wards = api.client.get("/api/v1/wards").json()

    assert len(branches) == 12
    assert sum(len(b["reception_points"]) for b in branches) == 31
    assert len(wards) == 126


def test_health_and_readiness(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ready"}
