"""The public agent page's API: one agent, its 12-month scorecard, its printable poster."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import submission_body, tax_code

VN = dt.timezone(dt.timedelta(hours=7))
SVG = "{http://www.w3.org/2000/svg}"
# (days ago, mode) of the submissions the agent records; the oldest fall outside 12 months.
HISTORY = [
    (0.05, "full_online"),
    (0.1, "partial_online"),
    (2, "partial_online"),
    (20, "full_online"),
    (33, "partial_online"),
    (64, "partial_online"),
    (64.5, "full_online"),
    (101, "partial_online"),
    (180, "partial_online"),
    (250, "full_online"),
    (300, "partial_online"),
    (330, "partial_online"),
    (345, "full_online"),
    (362, "partial_online"),
    (380, "full_online"),
    (395, "partial_online"),
]
STARS = [5, 4, 4, 1]


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog, submission_window_days=400) as running:
        yield running


def record(api: Api, auth: dict[str, str], code: str, when: dt.datetime, mode: str) -> None:
    body = submission_body(
        dossier_code=code, mode=mode, submitted_at=when.isoformat(timespec="seconds")
    )
    response = api.client.post("/api/v1/submissions", json=body, headers=auth)
    assert response.status_code == 201, response.text


@pytest.fixture
def history(api: Api) -> tuple[str, list[tuple[dt.datetime, str]]]:
    """An agent with HISTORY recorded and STARS rated, beside another busy agent."""
    agent_id, auth = api.new_agent()
    _, other_auth = api.new_agent(
        tax_code=tax_code("010010002"), business_name="Cửa hàng Viettel Hàng Bài"
    )
    now = dt.datetime.now(VN)
    made = []
    for i, (days, mode) in enumerate(HISTORY):
        when = now - dt.timedelta(days=days)
        record(api, auth, f"000.00.12.H26-AG-{i:04d}", when, mode)
        made.append((when, mode))
    for i in range(5):
        record(
            api, other_auth, f"000.00.12.H26-OT-{i:04d}", now - dt.timedelta(days=i), "full_online"
        )
    for i, stars in enumerate(STARS):
        body = {
            "dossier_code": f"000.00.12.H26-AG-{i:04d}",
            "stars": stars,
            "comment": "Chị Hoa 0912 345 678",
        }
        assert api.client.post("/api/v1/ratings", json=body).status_code == 201
    assert (
        api.client.post(
            "/api/v1/ratings", json={"dossier_code": "000.00.12.H26-OT-0000", "stars": 2}
        ).status_code
        == 201
    )
    return agent_id, made


def test_an_agent_has_the_public_fields_of_the_list(api: Api) -> None:
    agent_id, _ = api.new_agent()

    one = api.client.get(f"/api/v1/agents/{agent_id}")
    listed = api.client.get("/api/v1/agents").json()["items"]

    assert one.status_code == 200
    assert [one.json()] == listed
    assert not {"tax_code", "email", "legal_representative"} & set(one.json())


def test_unknown_and_suspended_agents_are_not_found(api: Api) -> None:
    agent_id, _ = api.new_agent()
    api.client.post(
        f"/api/v1/agents/{agent_id}/suspend", json={"reason": "Thu phí"}, headers=api.staff()
    )

    for path in ["DL-9999", agent_id, f"{agent_id}/scorecard", f"{agent_id}/poster.svg"]:
        response = api.client.get(f"/api/v1/agents/{path}")
        assert response.status_code == 404, path
        assert response.json()["status_code"] == 404


def test_the_scorecard_counts_the_agents_last_twelve_months(api: Api, history) -> None:  # type: ignore[no-untyped-def]
    agent_id, made = history

    card = api.client.get(f"/api/v1/agents/{agent_id}/scorecard").json()

    start = dt.date.fromisoformat(card["date_from"])
    today = dt.date.fromisoformat(card["date_to"])
    assert (
        start.day == 1 and (today.year * 12 + today.month) - (start.year * 12 + start.month) == 11
    )
    inside = [(w.astimezone(VN), m) for w, m in made if w.astimezone(VN).date() >= start]
    months = Counter(w.strftime("%Y-%m") for w, _ in inside)
    full = Counter(w.strftime("%Y-%m") for w, m in inside if m == "full_online")
    assert 0 < len(inside) < len(HISTORY)
    assert card["submissions"] == len(inside)
    assert card["full_online"] == sum(full.values())
    assert card["full_online_share"] == round(sum(full.values()) / len(inside), 4)
    assert card["target_full_online_share"] == 0.2
    assert len(card["months"]) == 12
    assert card["months"][0]["month"] == start.strftime("%Y-%m")
    assert card["months"][-1]["month"] == today.strftime("%Y-%m")
    assert {m["month"]: m["submissions"] for m in card["months"] if m["submissions"]} == months
    assert {m["month"]: m["full_online"] for m in card["months"] if m["full_online"]} == full
    assert card["ratings"] == {
        "count": 4,
        "average": round(sum(STARS) / len(STARS), 2),
        "by_stars": [1, 0, 0, 2, 1],
    }
    assert card["agent_id"] == agent_id and card["demo"] is False


def test_the_scorecard_publishes_no_personal_data(api: Api, history) -> None:  # type: ignore[no-untyped-def]
    agent_id, _ = history

    text = api.client.get(f"/api/v1/agents/{agent_id}/scorecard").text

    for secret in ["Hoa", "0912", "[đã ẩn]", "H26-AG", "001203012345", "citizen", "comment"]:
        assert secret not in text


def svg_matrix(path_data: str, size: int) -> list[list[int]]:
    """The module matrix drawn by the poster's QR path of horizontal runs."""
    matrix = [[0] * size for _ in range(size)]
    for x, y, run in re.findall(r"M([0-9]+) ([0-9]+)h([0-9]+)v1h-[0-9]+z", path_data):
        for col in range(int(x), int(x) + int(run)):
            matrix[int(y)][col] = 1
    assert len(re.findall(r"M", path_data)) == len(re.findall(r"z", path_data))
    return matrix


def test_the_poster_is_an_a4_svg_with_a_qr_code_to_the_agent_page(api: Api) -> None:
    agent_id, _ = api.new_agent()
    url = f"http://testserver.local/dai-ly/thong-tin/?id={agent_id}"

    response = api.client.get(f"/api/v1/agents/{agent_id}/poster.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert (root.get("viewBox"), root.get("width"), root.get("height")) == (
        "0 0 210 297",
        "210mm",
        "297mm",
    )
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for expected in [
        agent_id,
        "Bưu điện Trung tâm Hoàn Kiếm",
        "Số 75 Đinh Tiên Hoàng, phường Hoàn Kiếm",
        "Dịch vụ công trực tuyến — hỗ trợ MIỄN PHÍ",
        "Đánh giá đại lý sau khi được hỗ trợ",
        url,
    ]:
        assert expected in texts
    qr = root.find(f".//{SVG}g[@id='qr']")
    assert qr is not None
    path = qr.find(f"{SVG}path")
    assert path is not None
    expected_code = segno.make_qr(url, error="m")
    size = expected_code.symbol_size(border=0)[0]
    assert qr.get("data-modules") == str(size)
    assert svg_matrix(path.get("d", ""), size) == [
        list(row) for row in expected_code.matrix_iter(border=0)
    ]


def test_with_a_public_url_the_poster_points_there_whatever_address_it_was_printed_from(
    tmp_path: Path, catalog: Catalog
) -> None:
    portal = "https://dichvucong.hanoi.gov.vn"
    with running_api(tmp_path, catalog, public_url=portal) as api:
        agent_id, _ = api.new_agent()
        response = api.client.get(
            f"/api/v1/agents/{agent_id}/poster.svg", headers={"Host": "10.2.0.15:8000"}
        )

    root = ET.fromstring(response.content)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    url = f"{portal}/dai-ly/thong-tin/?id={agent_id}"
    assert url in texts and not any("10.2.0.15" in text for text in texts)
    path = root.find(f".//{SVG}g[@id='qr']/{SVG}path")
    code = segno.make_qr(url, error="m")
    assert path is not None
    assert svg_matrix(path.get("d", ""), code.symbol_size(border=0)[0]) == [
        list(row) for row in code.matrix_iter(border=0)
    ]
