"""An agent's public page shows its public change history (audit log, sanitized) in a browser."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.factories import application_body, tax_code

pytestmark = pytest.mark.browser

REASON = "Lý do nội bộ HIST-7731 của cán bộ"


def call(server: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server + "/api/v1" + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def agent_id(server_env: dict[str, str], server: str) -> str:
    """An agent that changed its hours and was suspended then reinstated (with a reason)."""
    staff = subprocess.run(
        [sys.executable, "-m", "api.cli", "staff", "add", "Cán bộ lịch sử"],
        cwd=ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    body = application_body(tax_code=tax_code("010999005"), business_name="Cửa hàng Lịch Sử")
    created = call(server, "POST", "/applications", body)
    approved = call(server, "POST", f"/applications/{created['id']}/approve", token=staff)
    hours = {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    call(server, "PUT", "/me/hours", hours, token=approved["token"])
    for action in ("suspend", "reinstate"):
        call(server, "POST", f"/agents/{approved['agent_id']}/{action}", {"reason": REASON}, staff)
    return str(approved["agent_id"])


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
