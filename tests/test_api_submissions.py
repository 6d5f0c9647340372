"""Agents record assisted submissions — idempotently, validated, privately — over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import submission_body, tax_code

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as running:
        yield running


@pytest.fixture
def agent(api: Api) -> tuple[str, dict[str, str]]:
    return api.new_agent()


def test_record_a_submission(api: Api, agent: tuple[str, dict[str, str]]) -> None:
    agent_id, auth = agent

    response = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth)

    assert response.status_code == 201
    record = response.json()
    assert set(record) == {
        "id",
        "agent_id",
        "dossier_code",
        "procedure_code",
        "mode",
        "submitted_at",
        "notes",
        "recorded_at",
    }
    assert record["agent_id"] == agent_id
    assert record["procedure_code"] == "1.001193"
    assert api.count("submissions") == 1


def test_a_replay_with_the_same_idempotency_key_returns_the_original(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    _, auth = agent
    headers = {**auth, "Idempotency-Key": "3f1c2b9e-replay-key"}

    first = api.client.post("/api/v1/submissions", json=submission_body(), headers=headers)
    second = api.client.post("/api/v1/submissions", json=submission_body(), headers=headers)
    other_dossier = api.client.post(
        "/api/v1/submissions",
        json=submission_body(dossier_code="000.00.12.H26-251123-0099"),
        headers=headers,
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert other_dossier.status_code == 409
    assert other_dossier.json()["extra"][0]["key"] == "Idempotency-Key"
    assert api.count("submissions") == 1


def test_the_same_dossier_from_the_same_agent_is_not_duplicated(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    _, auth = agent

    first = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth)
    again = api.client.post(
        "/api/v1/submissions", json=submission_body(notes="bấm lại"), headers=auth
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert api.count("submissions") == 1


def test_a_dossier_claimed_by_another_agent_is_refused_and_logged(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    owner_id, owner = agent
    rival_id, rival = api.new_agent(
        tax_code=tax_code("010010002"), business_name="Cửa hàng Viettel Hàng Bài"
    )
    api.client.post("/api/v1/submissions", json=submission_body(), headers=owner)

    contested = api.client.post("/api/v1/submissions", json=submission_body(), headers=rival)

    assert contested.status_code == 409
    assert contested.json()["extra"][0]["key"] == "dossier_code"
    assert api.query("SELECT dossier_code, claimed_by, owner FROM contested_claims") == [
        ("000.00.12.H26-251123-0001", rival_id, owner_id)
    ]
    assert api.count("submissions") == 1


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"procedure_code": "1.001193'; DROP TABLE submissions;--"}, "procedure_code"),
        ({"mode": "offline"}, "mode"),
        ({"dossier_code": "<b>x</b>"}, "dossier_code"),
        ({"dossier_code": "12"}, "dossier_code"),
        ({"submitted_at": "2026-11-23T10:00:00"}, "submitted_at"),
        (
            {"submitted_at": (dt.datetime.now(VN) + dt.timedelta(days=2)).isoformat()},
            "submitted_at",
        ),
        (
            {"submitted_at": (dt.datetime.now(VN) - dt.timedelta(days=400)).isoformat()},
            "submitted_at",
        ),
        ({"submitted_at": "9999-12-31T23:59:59+07:00"}, "submitted_at"),
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"citizen_id": "003203012345"}, "citizen_id"),
        ({"notes": "x" * 1001}, "notes"),
        ({"agent_id": "DL-0002"}, "agent_id"),
    ],
)
def test_bad_submissions_name_the_field_and_write_nothing(
    api: Api, agent: tuple[str, dict[str, str]], change: dict[str, Any], key: str
) -> None:
    _, auth = agent

    response = api.client.post("/api/v1/submissions", json=submission_body(**change), headers=auth)

    assert response.status_code == 422, response.text
    assert [item["key"] for item in response.json()["extra"]] == [key]
    assert api.count("submissions") == 0


def test_the_citizen_id_is_stored_only_as_a_keyed_hash(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    _, auth = agent
    api.client.post(
        "/api/v1/submissions", json=submission_body(citizen_id="001203098765"), headers=auth
    )

    stored = api.query("SELECT citizen_hash FROM submissions")[0][0]
    raw = b"".join(p.read_bytes() for p in api.db_path.parent.glob("hcc.db*"))

    assert len(stored) == 64
    assert b"001203098765" not in raw


def test_suspended_agents_and_rotated_tokens_are_refused(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent
    api.client.post(
        f"/api/v1/agents/{agent_id}/suspend", json={"reason": "Kiểm tra hồ sơ"}, headers=api.staff()
    )

    suspended = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth)
    api.client.post(
        f"/api/v1/agents/{agent_id}/reinstate", json={"reason": "Đã khắc phục"}, headers=api.staff()
    )
    reinstated = api.client.get("/api/v1/me", headers=auth)
    rotated = api.client.post(f"/api/v1/agents/{agent_id}/tokens", headers=api.staff())
    old_token = api.client.get("/api/v1/me", headers=auth)
    new_token = api.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {rotated.json()['token']}"}
    )

    assert suspended.status_code == 403
    assert reinstated.status_code == 200
    assert (rotated.status_code, old_token.status_code, new_token.status_code) == (201, 401, 200)


def test_an_agent_sees_its_own_records_and_output(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent
    other_id, other = api.new_agent(
        tax_code=tax_code("010010004"), business_name="Văn phòng công chứng Tràng Tiền"
    )
    now = dt.datetime.now(VN).replace(hour=10, minute=0, second=0, microsecond=0)
    yesterday = now - dt.timedelta(days=1)
    rows = [
        ("0001", "1.001193", "full_online", yesterday),
        ("0002", "1.004222", "partial_online", yesterday),
        ("0003", "1.004222", "partial_online", now if now < dt.datetime.now(VN) else yesterday),
        ("0004", "1.001193", "partial_online", yesterday),
    ]
    for seq, code, mode, at in rows:
        body = submission_body(
            dossier_code=f"000.00.01.H26-251123-{seq}",
            procedure_code=code,
            mode=mode,
            submitted_at=at.isoformat(),
        )
        assert api.client.post("/api/v1/submissions", json=body, headers=auth).status_code == 201
    api.client.post(
        "/api/v1/submissions",
        json=submission_body(dossier_code="000.00.01.H26-251123-9999"),
        headers=other,
    )

    page = api.client.get("/api/v1/me/submissions?page=1&page_size=3", headers=auth).json()
    output = api.client.get("/api/v1/me/output", headers=auth).json()
    only_yesterday = api.client.get(
        f"/api/v1/me/submissions?from={yesterday.date()}&to={yesterday.date()}", headers=auth
    ).json()

    assert (page["total"], len(page["items"]), page["page_size"]) == (4, 3, 3)
    assert {r["agent_id"] for r in page["items"]} == {agent_id}
    assert output["total"] == 4
    assert output["full_online"] == 1
    assert output["full_online_share"] == 0.25
    assert output["target_full_online_share"] == 0.2
    assert sum(d["count"] for d in output["by_day"]) == 4
    assert output["by_procedure"][0]["procedure_code"] in {"1.001193", "1.004222"}
    assert {p["name"] for p in output["by_procedure"]} == {
        "Đăng ký khai sinh",
        "Đăng ký thường trú",
    }
    assert only_yesterday["total"] >= 3
    assert other_id != agent_id


def test_agents_and_the_public_cannot_use_staff_routes(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, auth = agent
    route = f"/api/v1/agents/{agent_id}/suspend"

    anonymous = api.client.post(route, json={"reason": "thử"})
    as_agent = api.client.post(route, json={"reason": "thử"}, headers=auth)
    bad_scheme = api.client.post(
        route, json={"reason": "thử"}, headers={"Authorization": "Basic abc"}
    )
    as_staff_on_agent_route = api.client.get("/api/v1/me", headers=api.staff())

    assert (anonymous.status_code, as_agent.status_code, bad_scheme.status_code) == (401, 403, 401)
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert as_staff_on_agent_route.status_code == 403


def test_the_public_directory_shows_active_agents_without_private_fields(
    api: Api, agent: tuple[str, dict[str, str]]
) -> None:
    agent_id, _ = agent
    suspended_id, _ = api.new_agent(
        tax_code=tax_code("010010005"), business_name="Cửa hàng in Hàng Bông"
    )
    api.client.post(
        f"/api/v1/agents/{suspended_id}/suspend", json={"reason": "Tạm dừng"}, headers=api.staff()
    )

    listing = api.client.get("/api/v1/agents?ward=00070&field=ho-tich").json()
    other_field = api.client.get("/api/v1/agents?field=dat-dai").json()

    assert [a["id"] for a in listing["items"]] == [agent_id]
    assert set(listing["items"][0]) == {
        "id",
        "name",
        "kind",
        "address",
        "ward_code",
        "lat",
        "lon",
        "phone",
        "opening_hours",
        "fields",
        "status",
        "branch_number",
        "demo",
    }
    assert other_field["total"] == 0
