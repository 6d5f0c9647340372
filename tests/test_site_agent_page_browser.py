"""An agent's public page in a real browser: profile, scorecard, rating form, poster link."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from catalog.maps import OSM_TILES
from tests.factories import submission_body, tax_code
from tests.portal_client import approved_agent, call, serious_axe_violations

pytestmark = pytest.mark.browser

DOSSIERS = [
    ("000.00.31.H26-261123-0101", "full_online"),
    ("000.00.31.H26-261123-0102", "full_online"),
    ("000.00.31.H26-261123-0103", "partial_online"),
]


@pytest.fixture(scope="module")
def agent_id(server: str, staff_token: str) -> str:
    """An approved agent that recorded DOSSIERS through the API."""
    agent, token = approved_agent(
        server,
        staff_token,
        tax_code=tax_code("010020002"),
        business_name="Bưu cục Văn Miếu",
    )
    for code, mode in DOSSIERS:
        call(
            server,
            "POST",
            "/api/v1/submissions",
            submission_body(dossier_code=code, mode=mode),
            token,
        )
    return agent


def test_a_citizen_sees_the_scorecard_and_rates_the_agent(page, server, agent_id) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")

    page.locator("#agent-page").wait_for()
    assert page.locator("#agent-name").inner_text() == "Bưu cục Văn Miếu"
    assert "dịch vụ miễn phí" in page.locator("#agent-free").inner_text().lower()
    facts = page.locator("#agent-facts").inner_text()
    assert agent_id in facts and "Số 75 Đinh Tiên Hoàng" in facts
    kpis = page.locator("#scorecard-kpis")
    kpis.wait_for()
    assert "Hồ sơ đã hỗ trợ nộp\n3" in kpis.inner_text()
    assert "66,7%" in kpis.inner_text()
    assert "Đạt mục tiêu" in page.locator("#agent-scorecard").inner_text()
    poster = page.locator("#agent-poster").get_attribute("href")
    assert poster == f"/api/v1/agents/{agent_id}/poster.svg"
    assert page.locator("#hcc-page-extras").get_attribute("data-agent-id") == agent_id

    page.fill("#rating-dossier_code", DOSSIERS[0][0])
    page.check("#rating-stars-4")
    page.fill("#rating-comment", "Chị nhân viên hướng dẫn <b>rất</b> kỹ, gọi 0912 345 678")
    page.click("#rating-submit")

    confirmation = page.locator("#rating-confirmation")
    confirmation.wait_for()
    assert "4 sao" in confirmation.inner_text() and DOSSIERS[0][0] in confirmation.inner_text()
    assert "gọi [đã ẩn]" in confirmation.inner_text() and "<b>" not in confirmation.inner_text()
    page.locator("#scorecard-kpis", has_text="4/5").wait_for()
    assert only_tiles_left(page)
    assert serious_axe_violations(page) == []


def test_rating_errors_appear_next_to_their_field(page, server, agent_id) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")
    page.locator("#agent-page").wait_for()

    page.click("#rating-submit")
    page.locator("#rating-stars-error").wait_for()
    assert page.locator("#rating-dossier_code").get_attribute("aria-invalid") == "true"

    page.fill("#rating-dossier_code", "000.00.31.H26-261123-9999")
    page.check("#rating-stars-5")
    page.click("#rating-submit")
    error = page.locator("#rating-dossier_code-error", has_text="Không tìm thấy hồ sơ")
    error.wait_for()
    assert not page.locator("#rating-confirmation").is_visible()

    page.fill("#rating-dossier_code", DOSSIERS[1][0])
    page.click("#rating-submit")
    page.locator("#rating-confirmation").wait_for()
    page.fill("#rating-dossier_code", DOSSIERS[1][0])
    page.check("#rating-stars-1")
    page.click("#rating-submit")
    page.locator("#rating-dossier_code-error", has_text="đã được đánh giá").wait_for()


def test_an_unknown_agent_is_explained(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/dai-ly/thong-tin/?id=DL-9999")

    missing = page.locator("#agent-missing")
    missing.wait_for()
    assert "Không tìm thấy đại lý DL-9999" in missing.inner_text()
    assert not page.locator("#agent-page").is_visible()


def test_the_page_says_when_the_api_cannot_be_reached(page, server, agent_id) -> None:  # type: ignore[no-untyped-def]
    page.route("**/api/v1/**", lambda route: route.abort())
    page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")

    notice = page.locator("#api-unreachable")
    notice.wait_for()
    assert "Không kết nối được máy chủ" in notice.inner_text()
    assert not page.locator("#agent-page").is_visible()
    assert page.locator("#agent-free").is_visible()


def test_without_javascript_the_page_says_what_it_needs(browser, server, agent_id) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")

    notice = page.locator("noscript p")  # Playwright's text search skips <noscript>
    assert notice.is_visible()
    assert "Trang thông tin đại lý cần JavaScript" in notice.inner_text()
    assert page.locator("#agent-free").is_visible()
    assert not page.locator("#agent-page").is_visible()
    assert not page.locator("#rating-form").is_visible()
    context.close()


def only_tiles_left(page) -> bool:  # type: ignore[no-untyped-def]
    host = urlparse(OSM_TILES).hostname
    return all(urlparse(url).hostname == host for url in page.outside_requests)


def test_the_network_map_list_links_to_the_agent_page(page, server, agent_id) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/ban-do/")
    page.locator("#hcc-netmap[data-all-loaded]").wait_for(state="attached")
    page.fill("#hcc-list-q", "van mieu")

    link = page.locator("#hcc-list-body a", has_text="Bưu cục Văn Miếu")
    link.wait_for()
    link.click()

    page.locator("#agent-name", has_text="Bưu cục Văn Miếu").wait_for()
    assert page.url.endswith(f"/dai-ly/thong-tin/?id={agent_id}")
