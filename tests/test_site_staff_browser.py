"""The staff "Kiểm tra đại lý" pages in headless Chromium, against `hcc up` serving the demo network.

The demo network is the session's `hcc demo seed` (conftest ``demo_db``), copied for the
module; the staff token comes from
`hcc staff add`. Tests that change the registry (approve, reject, suspend) act on rows no other
test here reads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import DEMO_SECRET, ROOT, copy_db, guarded_page, running_server
from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser

VN = dt.timezone(dt.timedelta(hours=7))
SUSPICIOUS = ("burst", "off_hours", "contested")


def last_month() -> str:
    """The previous calendar month in Hanoi: wholly inside the demo's year, whatever today is."""
    first = dt.datetime.now(VN).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


@pytest.fixture(scope="module")
def demo_env(
    site_dir: Path, demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """A registry holding the whole demo network (520 agents, a year of submissions)."""
    var = tmp_path_factory.mktemp("staff-var")
    return {
        "HCC_SITE_DIR": str(site_dir),
        "HCC_DB": str(copy_db(demo_db, var / "hcc.db")),
        "HCC_SECRET_KEY": DEMO_SECRET,
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }


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
def demo_staff_token(demo_env: dict[str, str]) -> str:
    return cli(demo_env, "staff", "add", "Cán bộ kiểm tra").strip().splitlines()[-1]


@pytest.fixture
def staff_page(browser, demo_server):  # type: ignore[no-untyped-def]
    with guarded_page(browser, demo_server) as pg:
        yield pg


def api(server: str, token: str, path: str, body: object | None = None) -> Any:
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


def test_a_wrong_token_is_refused_with_a_message(staff_page, demo_server: str) -> None:  # type: ignore[no-untyped-def]
    staff_page.goto(demo_server + "/kiem-tra/don-dang-ky/")
    staff_page.fill("#staff-token", "not-a-real-token")
    staff_page.click("#staff-login-submit")

    error = staff_page.locator("#staff-token-error")
    error.wait_for()
    assert "không hợp lệ" in error.inner_text()
    assert staff_page.locator("#staff-app").is_hidden()


def test_staff_approves_one_application_and_rejects_another_with_a_reason(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str
) -> None:
    pending = api(demo_server, demo_staff_token, "/applications?status=pending&page_size=2")
    first, second = (item["id"] for item in pending["items"])
    sign_in(staff_page, demo_server, "/kiem-tra/don-dang-ky/", demo_staff_token)

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
    assert agent["id"] == agent_id
    rejected = api(demo_server, demo_staff_token, f"/applications/{second}")
    assert rejected["status"] == "rejected"
    assert rejected["reason"] == "Địa điểm chưa đủ điều kiện phục vụ người dân."
    assert staff_page.outside_requests == []


def test_the_queue_is_accessible_on_a_phone(
    staff_page, demo_server: str, demo_staff_token: str
) -> None:  # type: ignore[no-untyped-def]
    sign_in(staff_page, demo_server, "/kiem-tra/don-dang-ky/", demo_staff_token)
    staff_page.locator(".hcc-queue__item").first.wait_for()

    assert fits_the_screen(staff_page)
    assert serious_axe_violations(staff_page) == []


def vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_the_dashboard_shows_the_targets_and_leads_to_the_flagged_agents(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str
) -> None:
    month = last_month()
    summary = api(demo_server, demo_staff_token, f"/audit/summary?month={month}")
    sign_in(staff_page, demo_server, f"/kiem-tra/?month={month}", demo_staff_token)
    staff_page.locator("#summary-flag-counts").wait_for()

    kpis = staff_page.locator("#summary-kpi-list").inner_text()
    assert vn_number(summary["network"]["submissions"]) in kpis
    assert "chỉ tiêu ≥ 20%" in kpis
    assert staff_page.locator("#summary-branches tbody tr").count() == len(summary["branches"])
    shares = staff_page.locator("#chart-shares")
    assert shares.locator("canvas[role=img]").get_attribute("aria-label")
    assert shares.locator("tbody tr").count() == len(summary["series"]) == 12
    flagged = {code: n for code, n in summary["network"]["flags"].items() if n}
    assert flagged.keys() & {"inactive", *SUSPICIOUS}  # the demo has something to find
    for code, n in flagged.items():
        link = staff_page.locator(f"[data-flag-link={code}]")
        assert link.inner_text() == f"{vn_number(n)} đại lý"

    staff_page.locator(f"[data-flag-link={sorted(flagged)[0]}]").click()
    staff_page.locator("#ranking tbody tr").first.wait_for()
    assert f"flag={sorted(flagged)[0]}" in staff_page.url
    assert staff_page.outside_requests == []


def test_the_ranking_flags_the_suspicious_agents_and_one_shows_its_evidence(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str
) -> None:
    month = last_month()
    found = {
        code: api(demo_server, demo_staff_token, f"/audit/agents?month={month}&flag={code}")[
            "items"
        ]
        for code in SUSPICIOUS
    }
    code, agents = next((c, items) for c, items in found.items() if items)
    sign_in(
        staff_page, demo_server, f"/kiem-tra/xep-hang/?month={month}&flag={code}", demo_staff_token
    )
    rows = staff_page.locator("#ranking tbody tr")
    rows.first.wait_for()

    assert rows.count() == len(agents)
    for i, agent in enumerate(agents):
        assert agent["agent_id"] in rows.nth(i).inner_text()
        assert rows.nth(i).locator(f".hcc-badge[data-flag={code}]").count() == 1

    rows.first.locator("a").click()
    section = staff_page.locator(f"section.hcc-flag[data-flag={code}]")
    section.wait_for()
    report = api(
        demo_server, demo_staff_token, f"/audit/agents/{agents[0]['agent_id']}?month={month}"
    )
    flag = next(f for f in report["agent"]["flags"] if f["code"] == code)
    assert flag["evidence"]
    assert section.locator("tbody tr").count() == len(flag["evidence"])
    assert flag["message"] in section.inner_text()
    daily = staff_page.locator("#agent-series details").first.locator("tbody tr")
    assert daily.count() == len(report["days"])
    assert staff_page.locator("#agent-procedure-table tbody tr").count() == len(
        report["by_procedure"]
    )
    assert staff_page.outside_requests == []


def test_the_month_exported_as_xlsx_has_the_api_totals(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str, tmp_path: Path
) -> None:
    month = last_month()
    sign_in(staff_page, demo_server, f"/kiem-tra/xep-hang/?month={month}", demo_staff_token)
    staff_page.locator("#ranking tbody tr").first.wait_for()

    with staff_page.expect_download() as info:
        staff_page.click("#export-box-xlsx")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)

    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    items = []
    for page in (1, 2):
        items += api(
            demo_server, demo_staff_token, f"/audit/agents?month={month}&page_size=500&page={page}"
        )["items"]
    assert len(rows) == len(items)
    for name, key in [
        ("Số hồ sơ", "submissions"),
        ("Hồ sơ toàn trình", "full_online"),
        ("Hồ sơ ngoài giờ", "off_hours"),
        ("Ngày đột biến", "bursts"),
    ]:
        assert sum(r[column[name]] for r in rows) == sum(k[key] for k in items), name
    assert sorted(r[column["Mã đại lý"]] for r in rows) == sorted(k["agent_id"] for k in items)
    summary = api(demo_server, demo_staff_token, f"/audit/summary?month={month}")
    assert sum(r[column["Số hồ sơ"]] for r in rows) == summary["network"]["submissions"]
    assert path.name.endswith(".xlsx")


def test_staff_suspends_and_reinstates_an_agent_with_a_reason(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str
) -> None:
    active = api(
        demo_server, demo_staff_token, "/audit/agents?status=active&sort=number&page_size=1"
    )
    agent_id = active["items"][0]["agent_id"]
    sign_in(staff_page, demo_server, f"/kiem-tra/dai-ly/?id={agent_id}", demo_staff_token)
    staff_page.locator("#lifecycle-form").wait_for()

    staff_page.click("#lifecycle-submit")
    assert "lý do" in staff_page.locator("#lifecycle-reason-error").inner_text()
    staff_page.fill("#lifecycle-reason", "Kiểm tra đột xuất: nghi ghi nhận hồ sơ khống.")
    staff_page.click("#lifecycle-submit")
    staff_page.locator("#lifecycle-state", has_text="Đang tạm dừng").wait_for()
    assert "Tạm dừng hoạt động" in staff_page.locator("#agent-audit-table").inner_text()
    assert api(demo_server, demo_staff_token, f"/audit/agents/{agent_id}")["agent"]["status"] == (
        "suspended"
    )

    staff_page.fill("#lifecycle-reason", "Đã xác minh, đại lý hoạt động bình thường.")
    staff_page.click("#lifecycle-submit")
    staff_page.locator("#lifecycle-state", has_text="Đang hoạt động").wait_for()
    report = api(demo_server, demo_staff_token, f"/audit/agents/{agent_id}")
    assert report["agent"]["status"] == "active"
    assert [e["action"] for e in report["audit_log"][:2]] == ["agent.active", "agent.suspended"]


def test_reconciling_the_official_export_shows_the_counts_and_a_bad_file_its_rows(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str, demo_env: dict[str, str], tmp_path: Path
) -> None:
    official = tmp_path / "official.csv"
    cli(demo_env, "demo", "official-export", last_month(), str(official))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "dossier_code,procedure_code,received_at,status,due_at,completed_at\n"
        "000.00.01.H26-261001-9999,1.001193,2026-10-01T08:00:00+07:00,completed,,\n"
        "x,1.001193,hôm qua,lost,,\n",
        encoding="utf-8",
    )
    sign_in(staff_page, demo_server, "/kiem-tra/doi-chieu/", demo_staff_token)

    staff_page.set_input_files("#reconcile-file", str(bad))
    staff_page.click("#reconcile-submit")
    bad_rows = staff_page.locator("#reconcile-bad-rows tbody tr")
    bad_rows.first.wait_for()
    lines = [bad_rows.nth(i).locator("td").first.inner_text() for i in range(bad_rows.count())]
    assert sorted(set(lines)) == ["2", "3"] and len(lines) == 4
    assert "chưa có gì thay đổi" in staff_page.locator("#reconcile-errors").inner_text()

    staff_page.set_input_files("#reconcile-file", str(official))
    staff_page.click("#reconcile-submit")
    staff_page.locator("#reconcile-done").wait_for()
    shown = [
        int(dd.replace(".", ""))
        for dd in staff_page.locator("#reconcile-counts dd").all_inner_texts()
    ]
    again = urllib.request.Request(
        f"{demo_server}/api/v1/audit/reconciliations?filename=official.csv",
        data=official.read_bytes(),
        method="POST",
        headers={"Authorization": f"Bearer {demo_staff_token}", "Content-Type": "text/csv"},
    )
    with urllib.request.urlopen(again) as response:
        report = json.loads(response.read())
    assert report["changed"] == 0  # the browser's import was applied
    assert shown == [report["rows"], report["matched"], report["unmatched"], report["conflicting"]]
    assert report["matched"] > 0


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/kiem-tra/", "#summary-flag-counts"),
        ("/kiem-tra/xep-hang/", "#ranking tbody tr"),
        ("/kiem-tra/dai-ly/?id=DL-0001", "#agent-procedure-table"),
        ("/kiem-tra/vung-chua-phu/", "#coverage-wards"),
        ("/kiem-tra/doi-chieu/", "#reconcile-form"),
    ],
)
def test_the_staff_pages_fit_a_phone_and_pass_axe(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str, path: str, ready: str
) -> None:
    sign_in(staff_page, demo_server, path, demo_staff_token)
    staff_page.locator(ready).first.wait_for()
    staff_page.wait_for_load_state("networkidle")

    assert fits_the_screen(staff_page)
    assert serious_axe_violations(staff_page) == []


def test_the_staff_pages_say_when_the_api_cannot_be_reached(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str
) -> None:
    staff_page.route("**/api/v1/**", lambda route: route.abort())
    staff_page.goto(demo_server + "/kiem-tra/")

    notice = staff_page.locator("#api-unreachable")
    notice.wait_for()
    assert "Không kết nối được máy chủ" in notice.inner_text()


def test_without_the_chart_library_the_dashboard_shows_its_numbers_as_tables(  # type: ignore[no-untyped-def]
    staff_page, demo_server: str, demo_staff_token: str
) -> None:
    staff_page.route("**/assets/vendor/chart.js/**", lambda route: route.abort())
    sign_in(staff_page, demo_server, f"/kiem-tra/?month={last_month()}", demo_staff_token)
    shares = staff_page.locator("#chart-shares")
    shares.locator("tbody tr").first.wait_for()

    assert shares.locator("tbody tr").count() == 12
    assert shares.locator("canvas").count() == 0
    assert "Không tải được thư viện biểu đồ" in shares.inner_text()
    assert shares.locator("details").get_attribute("open") is not None
    assert staff_page.locator("#chart-counts tbody tr").count() == 12
