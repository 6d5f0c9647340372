"""The open data page in a real browser: accessible, and every listed file downloads from `hcc up`."""

from __future__ import annotations

import json

import pytest

from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser


def test_the_open_data_page_is_accessible_and_its_files_download(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/du-lieu-mo/")
    page.wait_for_load_state("networkidle")
    index = json.loads(page.request.get(server + "/du-lieu-mo/index.json").body())

    serious = serious_axe_violations(page)
    links = page.locator("article table a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    downloads = {href: page.request.get(f"{server}/du-lieu-mo/{href}") for href in hrefs}

    assert serious == []
    assert hrefs == [item["path"] for item in index["files"]]
    assert {href: r.status for href, r in downloads.items()} == dict.fromkeys(hrefs, 200)
    assert {href: len(r.body()) for href, r in downloads.items()} == {
        item["path"]: item["size"] for item in index["files"]
    }
    assert page.get_by_role("heading", name="Dữ liệu mở", level=1).is_visible()
