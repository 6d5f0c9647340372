"""The staff "Kiểm tra đại lý" pages in headless Chromium, against `hcc up` serving the demo network.

The demo is seeded once for the module with `hcc demo seed`; the staff token comes from
`hcc staff add`. Tests that change the registry (approve, reject, suspend) act on rows no other
test here reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import ROOT, guarded_page, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_env(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A registry holding the whole demo network (520 agents, a year of submissions)."""
    var = tmp_path_factory.mktemp("staff-var")
    env = {
        "HCC_SITE_DIR": str(site_dir),
        "HCC_DB": str(var / "hcc.db"),
        "HCC_SECRET_KEY": "staff-browser-secret",
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }
    cli(env, "demo", "seed")
    return env


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def demo_server(demo_env: dict[str, str]) -> Iterator[str]:
    with running_server(demo_env) as base:
        yield base


@pytest.fixture(scope="module")
def staff_token(demo_env: dict[str, str]) -> str:
    return cli(demo_env, "staff", "add", "Cán bộ kiểm tra").strip().splitlines()[-1]


@pytest.fixture
def staff_page(browser, demo_server):  # type: ignore[no-untyped-def]
    with guarded_page(browser, demo_server) as pg:
        yield pg


def api(server: str, token: str, path: str, body: object | None = None) -> object:
    request = urllib.request.Request(
        f"{server}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def sign_in(page, server: str, path: str, token: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + path)
    page.fill("#staff-token", token)
    page.click("#staff-login-submit")
    page.locator("#staff-app").wait_for()


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    """Nothing in the page's content is wider than the phone (wide tables scroll in their box)."""
    return bool(
        page.evaluate(
            "() => { const c = document.querySelector('.md-content__inner');"
            " return c.scrollWidth <= c.clientWidth && c.getBoundingClientRect().right <= innerWidth; }"
        )
    )


def serious_violations(page) -> list[object]:  # type: ignore[no-untyped-def]
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_wrong_token_is_refused_with_a_message(staff_page, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    staff_page.goto(demo_server + "/kiem-tra/don-dang-ky/")
    staff_page.fill("#staff-token", "not-a-real-token")
    staff_page.click("#staff-login-submit")

    error = staff_page.locator("#staff-token-error")
    error.wait_for()
    assert "không hợp lệ" in error.inner_text()
    assert staff_page.locator("#staff-app").is_hidden()


def test_staff_approves_one_application_and_rejects_another_with_a_reason(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, staff_token: str
) -> None:
    pending = api(demo_server, staff_token, "/applications?status=pending&page_size=2")
    first, second = (item["id"] for item in pending["items"])  # type: ignore[index]
    sign_in(staff_page, demo_server, "/kiem-tra/don-dang-ky/", staff_token)

    staff_page.click(f"#app-{first}-approve")
    staff_page.locator(f"#app-{first}-token").wait_for()
    agent_id = staff_page.locator(f"#app-{first}-agent").inner_text().strip()
    token = staff_page.locator(f"#app-{first}-token").inner_text().strip()
    staff_page.locator(f"#app-{first}").wait_for(state="detached")

    staff_page.click(f"#app-{second}-reject-open")
    staff_page.click(f"#app-{second}-reject-submit")
    assert "lý do" in staff_page.locator(f"#app-{second}-reason-error").inner_text()
    staff_page.fill(f"#app-{second}-reason", "Địa điểm chưa đủ điều kiện phục vụ người dân.")
    staff_page.click(f"#app-{second}-reject-submit")
    staff_page.locator(f"#app-{second}-rejected").wait_for()
    assert staff_page.locator(f"#app-{first}-token").inner_text().strip() == token

    agent = api(demo_server, token, "/me")
    assert agent["id"] == agent_id  # type: ignore[index]
    rejected = api(demo_server, staff_token, f"/applications/{second}")
    assert rejected["status"] == "rejected"  # type: ignore[index]
    assert rejected["reason"] == "Địa điểm chưa đủ điều kiện phục vụ người dân."  # type: ignore[index]
    assert staff_page.outside_requests == []


def test_the_queue_is_accessible_on_a_phone(staff_page, demo_server: str, staff_token: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(staff_page, demo_server, "/kiem-tra/don-dang-ky/", staff_token)
    staff_page.locator(".hcc-queue__item").first.wait_for()

    assert fits_the_screen(staff_page)
    assert serious_violations(staff_page) == []
