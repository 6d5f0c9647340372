"""An agent's public page shows its public change history (audit log, sanitized) in a browser."""

from __future__ import annotations

import pytest

from tests.factories import tax_code
from tests.portal_client import approved_agent, call

pytestmark = pytest.mark.browser

REASON = "Lý do nội bộ HIST-7731 của cán bộ"


@pytest.fixture(scope="module")
def agent_id(server: str, staff_token: str) -> str:
    """An agent that changed its hours and was suspended then reinstated (with a reason)."""
    agent, token = approved_agent(
        server, staff_token, tax_code=tax_code("010999005"), business_name="Cửa hàng Lịch Sử"
    )
    hours = {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    call(server, "PUT", "/api/v1/me/hours", hours, token)
    for action in ("suspend", "reinstate"):
        call(server, "POST", f"/api/v1/agents/{agent}/{action}", {"reason": REASON}, staff_token)
    return agent


def test_the_agent_page_lists_its_public_changes(page, server: str, agent_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")
    history = page.locator("#hcc-page-extras .hcc-history")
    history.get_by_role("heading", name="Lịch sử cập nhật").wait_for()

    items = history.locator("li").all_inner_texts()

    assert [item.split(": ", 1)[1] for item in items] == [
        "Hoạt động trở lại",
        "Tạm ngừng hoạt động",
        "Thay đổi giờ làm việc",
        "Được công nhận là đại lý dịch vụ công trực tuyến",
    ]
    assert "cập nhật lần cuối ngày" in history.inner_text()
    assert REASON not in page.content()
