"""The demo network's reports in headless Chromium: the staff queue has work from the start, and
demo reports say they are illustrative there and on the public status page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agents_registry.auth import add_staff
from agents_registry.context import Context
from agents_registry.db import connect
from catalog.load import Catalog
from tests.conftest import DEMO_SECRET, copy_db, guarded_page, running_server

pytestmark = pytest.mark.browser

DEMO_LABEL = "Dữ liệu minh họa"


@pytest.fixture(scope="module")
def demo(
    site_dir: Path, demo_db: Path, catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, str]]:
    """`hcc up` over a copy of the demo network: its URL, a staff token, a resolved report."""
    var = tmp_path_factory.mktemp("demo-reports-var")
    db = connect(copy_db(demo_db, var / "hcc.db"))
    ctx = Context(catalog=catalog, secret_key=DEMO_SECRET.encode())
    _, token = add_staff(db, ctx, "Cán bộ xử lý phản ánh")
    [(code,)] = db.execute(
        "SELECT code FROM reports WHERE status = 'resolved' AND demo = 1 "
        "ORDER BY received_at DESC LIMIT 1"
    ).fetchall()
    db.conn.close()
    env = {
        "HCC_SITE_DIR": str(site_dir),
        "HCC_DB": str(var / "hcc.db"),
        "HCC_SECRET_KEY": DEMO_SECRET,
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }
    with running_server(env) as base:
        yield base, token, code


def test_the_staff_queue_opens_with_labelled_demo_reports(browser, demo) -> None:  # type: ignore[no-untyped-def]
    base, token, _ = demo
    with guarded_page(browser, base) as page:
        page.goto(base + "/kiem-tra/phan-anh/")
        page.fill("#staff-token", token)
        page.click("#staff-login-submit")
        cards = page.locator(".hcc-report-card")
        cards.first.wait_for()

        assert cards.count() >= 5
        assert cards.filter(has_text=DEMO_LABEL).count() == cards.count()
        assert page.locator(".hcc-report-card--overdue").count() >= 1
        assert page.outside_requests == []


def test_a_demo_report_status_page_says_it_is_illustrative(browser, demo) -> None:  # type: ignore[no-untyped-def]
    base, _, code = demo
    with guarded_page(browser, base) as page:
        page.goto(base + f"/phan-anh/tra-cuu/?ma={code}")
        page.locator("#report-state").wait_for()

        assert page.locator("#report-state").inner_text() == "Đã giải quyết"
        assert page.locator("#report-demo").inner_text().startswith(DEMO_LABEL)
        assert page.locator("#report-note").inner_text()
