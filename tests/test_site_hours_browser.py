"""The agent console's "Giờ mở cửa và tạm nghỉ" section in a real browser, with an axe audit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import tax_code
from tests.portal_client import approved_agent, call, serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def agent(server: str, staff_token: str) -> tuple[str, str]:
    """A fresh approved agent: its id and token."""
    return approved_agent(
        server,
        staff_token,
        tax_code=tax_code("010010006"),
        business_name="Cửa hàng in Hàng Gai",
    )


def test_an_agent_edits_its_hours_and_announces_a_closure(page, server, agent) -> None:  # type: ignore[no-untyped-def]
    agent_id, token = agent
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    page.goto(server + "/dai-ly/cong-dai-ly/")
    page.fill("#agent-token", token)
    page.click("#agent-login-submit")
    page.locator("#agent-console").wait_for()
    assert page.input_value("#hours-mon") == "07:30-12:00, 13:00-18:00"

    page.fill("#hours-tue", "08:00-12:00, 11:00-13:00")
    page.click("#hours-submit")
    page.locator("#hours-opening_hours-error", has_text="Thứ Ba").wait_for()
    assert page.locator("#hours-tue").get_attribute("aria-invalid") == "true"

    page.fill("#hours-tue", "8h-12h; 13h30-17h")
    page.click("#hours-submit")
    page.locator("#hours-result", has_text="Đã lưu giờ mở cửa").wait_for()
    assert page.input_value("#hours-tue") == "08:00-12:00, 13:30-17:00"
    place = call(server, "GET", f"/api/v1/places/agent/{agent_id}")
    assert place["opening_hours"]["tue"] == ["08:00-12:00", "13:30-17:00"]

    page.fill("#closure-starts_on", today.isoformat())
    page.fill("#closure-ends_on", (today + dt.timedelta(days=1)).isoformat())
    page.fill("#closure-reason", "Nghỉ sửa chữa cửa hàng")
    page.click("#closure-submit")
    page.locator("#closure-list", has_text="Nghỉ sửa chữa cửa hàng").wait_for()
    page.locator("#agent-open-state", has_text="Nghỉ sửa chữa cửa hàng").wait_for()

    assert serious_axe_violations(page) == []

    page.get_by_role("button", name="Hủy thông báo tạm nghỉ").click()
    page.locator("#closure-list", has_text="Không có lần tạm nghỉ nào sắp tới").wait_for()
    assert call(server, "GET", f"/api/v1/places/agent/{agent_id}")["closures"] == []
    assert page.outside_requests == []
