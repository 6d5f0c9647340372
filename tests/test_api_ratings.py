"""Citizens rate the agent who recorded their dossier: once, 1-5 stars, plain-text comments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import submission_body, tax_code

DOSSIER = "000.00.12.H26-251123-0042"


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as running:
        yield running


@pytest.fixture
def recorded(api: Api) -> str:
    """An agent that recorded DOSSIER; returns its id."""
    agent_id, auth = api.new_agent()
    response = api.client.post(
        "/api/v1/submissions", json=submission_body(dossier_code=DOSSIER), headers=auth
    )
    assert response.status_code == 201, response.text
    return agent_id


def rating_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dossier_code": DOSSIER,
        "stars": 5,
        "comment": "Nhân viên hướng dẫn tận tình, không thu phí.",
    }
    body.update(overrides)
    return body


def ratings_count(api: Api) -> int:
    return int(api.query("SELECT count(*) FROM ratings")[0][0])


def ratings_and_audit(api: Api) -> tuple[int, int]:
    return ratings_count(api), api.count("audit_log")


def test_rate_the_agent_who_recorded_the_dossier(api: Api, recorded: str) -> None:
    response = api.client.post("/api/v1/ratings", json=rating_body(agent_id=recorded))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "id": body["id"],
        "agent_id": recorded,
        "agent_name": "Bưu điện Trung tâm Hoàn Kiếm",
        "dossier_code": DOSSIER,
        "stars": 5,
        "comment": "Nhân viên hướng dẫn tận tình, không thu phí.",
        "created_at": body["created_at"],
    }
    assert api.query("SELECT agent_id, dossier_code, stars, comment, demo FROM ratings") == [
        (recorded, DOSSIER, 5, "Nhân viên hướng dẫn tận tình, không thu phí.", 0)
    ]
    audit = api.query(
        "SELECT actor, action, entity, entity_id FROM audit_log WHERE entity = 'rating'"
    )
    assert audit == [("public", "rating.create", "rating", str(body["id"]))]


def test_the_agent_id_is_optional_and_the_comment_too(api: Api, recorded: str) -> None:
    response = api.client.post("/api/v1/ratings", json={"dossier_code": DOSSIER, "stars": 3})

    assert response.status_code == 201, response.text
    assert response.json()["agent_id"] == recorded
    assert response.json()["comment"] is None
    assert api.query("SELECT stars, comment FROM ratings") == [(3, None)]


def test_a_dossier_no_agent_recorded_cannot_be_rated(api: Api, recorded: str) -> None:
    before = ratings_and_audit(api)

    response = api.client.post(
        "/api/v1/ratings", json=rating_body(dossier_code="000.00.12.H26-251123-9999")
    )

    assert response.status_code == 422
    assert [e["key"] for e in response.json()["extra"]] == ["dossier_code"]
    assert ratings_and_audit(api) == before


def test_a_dossier_is_rated_once(api: Api, recorded: str) -> None:
    first = api.client.post("/api/v1/ratings", json=rating_body())
    before = ratings_and_audit(api)

    again = api.client.post("/api/v1/ratings", json=rating_body(stars=1, comment="Đổi ý"))

    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["extra"][0]["key"] == "dossier_code"
    assert ratings_and_audit(api) == before
    assert api.query("SELECT stars FROM ratings") == [(5,)]


def test_the_poster_agent_id_must_be_the_recording_agent(api: Api, recorded: str) -> None:
    other, _ = api.new_agent(tax_code=tax_code("010010002"), business_name="Viettel Post Hàng Bông")
    before = ratings_and_audit(api)

    response = api.client.post("/api/v1/ratings", json=rating_body(agent_id=other))

    assert response.status_code == 422
    assert [e["key"] for e in response.json()["extra"]] == ["agent_id"]
    assert ratings_and_audit(api) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stars": 0}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": 4.5}, "stars"),
        ({"stars": None}, "stars"),
        ({"dossier_code": "<script>"}, "dossier_code"),
        ({"agent_id": "DL-1; DROP TABLE ratings"}, "agent_id"),
        ({"comment": "Tốt " * 200}, "comment"),  # 800 characters of plain text
        ({"comment": "x" * 5000}, "comment"),
        ({"rated_by": "someone"}, "rated_by"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: Api, recorded: str, change: dict[str, Any], field: str
) -> None:
    before = ratings_and_audit(api)

    response = api.client.post("/api/v1/ratings", json=rating_body(**change))

    assert response.status_code == 422, response.text
    assert field in [e["key"] for e in response.json()["extra"]]
    assert ratings_and_audit(api) == before


def test_a_missing_field_is_named(api: Api, recorded: str) -> None:
    response = api.client.post("/api/v1/ratings", json={"dossier_code": DOSSIER})

    assert response.status_code == 422
    assert "stars" in response.text
    assert ratings_count(api) == 0


@pytest.mark.parametrize(
    ("comment", "stored"),
    [
        ("<b>Rất</b> tốt<script>alert('x')</script>", "Rất tốt"),
        ("&lt;img src=x onerror=alert(1)&gt;Nhiệt tình", "Nhiệt tình"),
        ("&amp;amp;amp;lt;b&amp;amp;amp;gt;Chu đáo", "Chu đáo"),  # escaped four times
        ('<a href="javascript:alert(1)">Bấm vào</a> đây', "Bấm vào đây"),
        ("Chị Lan gọi 0912 345 678 để hẹn", "Chị Lan gọi [đã ẩn] để hẹn"),
        ("CCCD 001203012345, mail lan@example.vn", "CCCD [đã ẩn], mail [đã ẩn]"),
        ("  Nhanh \t gọn  \n\n\n\n lịch sự  ", "Nhanh gọn\n\nlịch sự"),
        ("<p> </p>", None),
        ("Tốt<br>lắm", "Tốt\nlắm"),
        ("<![if x]>Ổn<![''aD0#;#c> <!-- chưa đóng", "Ổn"),
        ("3 < 5 sao thì hơi ít", "3 < 5 sao thì hơi ít"),
    ],
)
def test_comments_are_stored_as_plain_text_without_personal_data(
    api: Api, recorded: str, comment: str, stored: str | None
) -> None:
    response = api.client.post("/api/v1/ratings", json=rating_body(comment=comment))

    assert response.status_code == 201, response.text
    assert response.json()["comment"] == stored
    assert api.query("SELECT comment FROM ratings") == [(stored,)]


def test_markup_does_not_count_towards_the_length_limit(api: Api, recorded: str) -> None:
    comment = "<p>" + "Tốt lắm. " * 55 + "Được.</p>"  # 500 characters of text, 507 in all

    response = api.client.post("/api/v1/ratings", json=rating_body(comment=comment))

    assert response.status_code == 201, response.text
    assert len(response.json()["comment"]) == 500


def test_rating_a_suspended_agents_dossier_is_allowed(api: Api, recorded: str) -> None:
    api.client.post(
        f"/api/v1/agents/{recorded}/suspend",
        json={"reason": "Thu phí người dân"},
        headers=api.staff(),
    )

    response = api.client.post("/api/v1/ratings", json=rating_body(stars=1))

    assert response.status_code == 201
    assert response.json()["agent_id"] == recorded


def test_rating_is_rate_limited(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=3) as api:
        statuses = [
            api.client.post("/api/v1/ratings", json=rating_body()).status_code for _ in range(5)
        ]
        written = ratings_count(api)

    assert statuses == [422, 422, 422, 429, 429]
    assert written == 0
