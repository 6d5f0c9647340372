"""Businesses apply, follow their application, and staff approve or reject — over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import application_body, tax_code


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as running:
        yield running


def test_apply_then_follow_with_the_status_secret(api: Api) -> None:
    created = api.client.post("/api/v1/applications", json=application_body())

    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "status", "secret"}
    assert body["status"] == "pending"
    assert len(body["secret"]) >= 40
    status = api.client.get(
        f"/api/v1/applications/{body['id']}", headers={"X-Application-Secret": body["secret"]}
    )
    assert status.status_code == 200
    assert status.json()["status"] == "pending"
    assert status.json()["business_name"] == "Bưu điện Trung tâm Hoàn Kiếm"


def test_the_status_needs_the_right_secret(api: Api) -> None:
    application_id = api.client.post("/api/v1/applications", json=application_body()).json()["id"]

    wrong = api.client.get(
        f"/api/v1/applications/{application_id}", headers={"X-Application-Secret": "guess"}
    )
    missing = api.client.get(f"/api/v1/applications/{application_id}")
    unknown = api.client.get("/api/v1/applications/HS-NOPE", headers={"X-Application-Secret": "x"})

    assert (wrong.status_code, missing.status_code, unknown.status_code) == (403, 403, 404)


def test_staff_approve_and_the_token_is_shown_once(api: Api) -> None:
    created = api.client.post("/api/v1/applications", json=application_body()).json()

    approved = api.client.post(f"/api/v1/applications/{created['id']}/approve", headers=api.staff())
    again = api.client.post(f"/api/v1/applications/{created['id']}/approve", headers=api.staff())

    assert approved.status_code == 200
    agent = approved.json()
    assert agent["agent_id"] == "DL-0001"
    assert again.status_code == 409
    assert api.query("SELECT count(*) FROM tokens WHERE token_hash = ?", [agent["token"]]) == [(0,)]
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {agent['token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == "DL-0001"
    assert me.json()["branch_number"] == 1  # Phường Hoàn Kiếm is served by branch 1
    status = api.client.get(
        f"/api/v1/applications/{created['id']}", headers={"X-Application-Secret": created["secret"]}
    )
    assert status.json()["status"] == "approved"
    assert status.json()["agent_id"] == "DL-0001"


def test_reject_needs_a_reason_which_the_applicant_sees(api: Api) -> None:
    created = api.client.post("/api/v1/applications", json=application_body()).json()
    path = f"/api/v1/applications/{created['id']}/reject"

    no_reason = api.client.post(path, json={}, headers=api.staff())
    rejected = api.client.post(
        path, json={"reason": "Mặt bằng chưa đáp ứng yêu cầu"}, headers=api.staff()
    )

    assert no_reason.status_code == 422
    assert rejected.status_code == 200
    status = api.client.get(
        f"/api/v1/applications/{created['id']}", headers={"X-Application-Secret": created["secret"]}
    )
    assert status.json()["status"] == "rejected"
    assert status.json()["reason"] == "Mặt bằng chưa đáp ứng yêu cầu"


def test_the_same_tax_code_cannot_apply_twice_while_pending_or_active(api: Api) -> None:
    first = api.client.post("/api/v1/applications", json=application_body())
    second = api.client.post(
        "/api/v1/applications", json=application_body(business_name="Chi nhánh khác")
    )

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["extra"] == [{"key": "tax_code", "message": second.json()["detail"]}]
    assert api.count("applications") == 1


def test_staff_list_applications_by_status(api: Api) -> None:
    for prefix in ["010004751", "010010002", "010010004"]:
        api.client.post("/api/v1/applications", json=application_body(tax_code=tax_code(prefix)))

    listing = api.client.get("/api/v1/applications?status=pending&page_size=2", headers=api.staff())

    assert listing.status_code == 200
    assert listing.json()["total"] == 3
    assert len(listing.json()["items"]) == 2
    assert listing.json()["items"][0]["tax_code"] == "0100047516"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"tax_code": "0100047517"}, "tax_code"),
        ({"tax_code": "01000475"}, "tax_code"),
        ({"tax_code": "0100047516-000"}, "tax_code"),
        ({"tax_code": "\uff10\uff11\uff10\uff10047516"}, "tax_code"),
        ({"phone": "12345678"}, "phone"),
        ({"phone": "0123456789"}, "phone"),
        ({"phone": "\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"ward_code": "99999"}, "ward_code"),
        ({"lat": 10.77, "lon": 106.70}, "lat"),
        ({"lat": 21.20, "lon": 105.80}, "lat"),
        ({"lat": 95.0}, "lat"),
        ({"fields": ["thien-van"]}, "fields[0]"),
        ({"fields": []}, "fields"),
        ({"opening_hours": {"mon": ["17:00-08:00"]}}, "opening_hours"),
        ({"opening_hours": {"mon": ["8h-12h"]}}, "opening_hours.mon[0]"),
        ({"opening_hours": {"funday": []}}, "opening_hours"),
        ({"staff_count": 0}, "staff_count"),
        ({"business_name": "A\u0000B"}, "business_name"),
        ({"kind": "casino"}, "kind"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_applications_name_the_field_and_write_nothing(
    api: Api, change: dict[str, Any], key: str
) -> None:
    response = api.client.post("/api/v1/applications", json=application_body(**change))

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status_code"] == 422
    assert any(item["key"] == key or item["key"].startswith(key) for item in body["extra"]), body
    assert api.count("applications") == 0
    assert api.count("audit_log") == 1  # only the staff user created by the fixture


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"business_name": ', "application/json"),
        (b"\xff\xfe not utf-8", "application/json"),
        (b"business_name=x", "application/x-www-form-urlencoded"),
        (b'{"lat": NaN}', "application/json"),
    ],
)
def test_malformed_bodies_are_refused(api: Api, body: bytes, content_type: str) -> None:
    response = api.client.post(
        "/api/v1/applications", content=body, headers={"Content-Type": content_type}
    )

    assert 400 <= response.status_code < 500
    assert response.json()["status_code"] == response.status_code
    assert api.count("applications") == 0


def test_an_oversized_body_is_refused(api: Api) -> None:
    response = api.client.post(
        "/api/v1/applications", json=application_body(equipment="x" * 100_000)
    )

    assert response.status_code == 413
    assert api.count("applications") == 0


def test_applying_is_rate_limited(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=3) as api:
        statuses = [api.client.post("/api/v1/applications", json={}).status_code for _ in range(5)]

    assert statuses == [422, 422, 422, 429, 429]


def test_every_staff_decision_is_in_the_audit_log(api: Api) -> None:
    agent_id, _ = api.new_agent()
    api.client.post(
        f"/api/v1/agents/{agent_id}/suspend",
        json={"reason": "Thu phí người dân"},
        headers=api.staff(),
    )

    actions = [row[0] for row in api.query("SELECT action FROM audit_log ORDER BY id")]

    assert actions == [
        "staff.create",
        "application.create",
        "application.approve",
        "agent.create",
        "agent.suspended",
    ]
    with pytest.raises(Exception, match="append-only"):
        api.query("DELETE FROM audit_log")
