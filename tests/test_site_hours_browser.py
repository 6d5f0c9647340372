"""The agent console's "Giờ mở cửa và tạm nghỉ" section in a real browser, with an axe audit."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.request
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import ROOT
from tests.factories import application_body, tax_code

pytestmark = pytest.mark.browser


def call(server: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def agent(server_env: dict[str, str], server: str) -> tuple[str, str]:
    """A fresh approved agent: its id and token."""
    staff = (
        subprocess.run(
            [sys.executable, "-m", "api.cli", "staff", "add", "Cán bộ giờ mở cửa"],
            cwd=ROOT,
            env=server_env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    created = call(
        server,
        "POST",
        "/api/v1/applications",
        application_body(tax_code=tax_code("010010006"), business_name="Cửa hàng in Hàng Gai"),
    )
    approved = call(server, "POST", f"/api/v1/applications/{created['id']}/approve", {}, staff)
    return approved["agent_id"], approved["token"]


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

    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []

    page.get_by_role("button", name="Hủy thông báo tạm nghỉ").click()
    page.locator("#closure-list", has_text="Không có lần tạm nghỉ nào sắp tới").wait_for()
    assert call(server, "GET", f"/api/v1/places/agent/{agent_id}")["closures"] == []
    assert page.outside_requests == []
