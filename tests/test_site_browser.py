"""The citizen site in a real headless Chromium, on a phone-sized screen, served by `hcc up`."""

from __future__ import annotations

import json
from urllib.parse import quote, urlparse

import pytest

from catalog.load import Catalog
from catalog.maps import OSM_TILES
from catalog.search import index_entry, search
from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser

TILE_HOST = urlparse(OSM_TILES).hostname


def only_tiles_left_the_machine(page) -> bool:  # type: ignore[no-untyped-def]
    return all(urlparse(url).hostname == TILE_HOST for url in page.outside_requests)


@pytest.mark.parametrize(
    ("query", "expected_path", "expected_h1"),
    [
        ("dang ky khai sinh", "/thu-tuc/dang-ky-khai-sinh/", "Đăng ký khai sinh"),
        ("1.001193", "/thu-tuc/dang-ky-khai-sinh/", "Đăng ký khai sinh"),
        ("ho chieu", None, "Cấp hộ chiếu phổ thông"),
        ("so do", None, None),
    ],
)
def test_typing_without_diacritics_opens_the_right_procedure(
    page, server, catalog: Catalog, query: str, expected_path: str | None, expected_h1: str | None
) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.fill("#hcc-home-input", query)
    first = page.locator("#hcc-home-results a").first
    first.wait_for()
    first.click()
    page.wait_for_load_state()

    path = urlparse(page.url).path
    h1 = page.locator("h1").inner_text()
    procedure = catalog.procedure(path.strip("/").split("/")[-1])
    assert procedure is not None
    if expected_path:
        assert path == expected_path
    if expected_h1:
        assert h1.startswith(expected_h1)
    if query == "so do":
        assert procedure.field == "dat-dai"
    assert only_tiles_left_the_machine(page)


def test_the_header_search_works_on_every_page(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/chi-nhanh/")
    page.fill("#hcc-header-input", "dang ky ket hon")
    page.locator("#hcc-header-results a").first.wait_for()

    assert (
        page.locator("#hcc-header-results a")
        .first.inner_text()
        .startswith("Thủ tục đăng ký kết hôn")
    )


@pytest.mark.parametrize(
    "query", ["ho chieu", "Sổ đỏ", "giay phep lao dong", "dang ky", "thue", "1.0"]
)
def test_the_browser_ranks_exactly_like_the_python_search(
    page, server, catalog: Catalog, query: str
) -> None:  # type: ignore[no-untyped-def]
    entries = [index_entry(catalog, p) for p in catalog.procedures]
    expected = [e.name for e in search(entries, query, limit=50)]

    page.goto(f"{server}/thu-tuc/?q={quote(query)}")
    page.locator("#hcc-page-results li").first.wait_for()
    shown = page.locator("#hcc-page-results .hcc-result__name").all_inner_texts()

    assert shown == expected


def test_a_branch_page_shows_its_map_with_markers(page, server, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/chi-nhanh/1/")
    page.locator(".leaflet-marker-icon").first.wait_for()
    markers = page.locator(".leaflet-marker-icon")

    expected = 1 + sum(
        1
        for rp in catalog.branches[0].reception_points
        if (rp.lat, rp.lon) != (catalog.branches[0].lat, catalog.branches[0].lon)
    )
    assert markers.count() == expected
    assert markers.first.get_attribute("alt")
    assert only_tiles_left_the_machine(page)


def test_pages_work_with_javascript_off(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/thu-tuc/dang-ky-khai-sinh/")

    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    assert page.get_by_text("Thành phần hồ sơ").first.is_visible()

    page.goto(server + "/")
    page.fill("#hcc-home-input", "ho chieu")
    page.press("#hcc-home-input", "Enter")
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/thu-tuc/"
    page.get_by_role("link", name="Xuất nhập cảnh").first.click()
    assert page.get_by_role("link", name="Cấp hộ chiếu phổ thông", exact=False).first.is_visible()
    context.close()


CORE_PAGES = ["/", "/thu-tuc/dang-ky-khai-sinh/", "/chi-nhanh/10/", "/thu-tuc/", "/dai-ly/dang-ky/"]


@pytest.mark.parametrize("path", [*CORE_PAGES, "/dai-ly/tra-cuu/", "/dai-ly/cong-dai-ly/"])
def test_no_serious_accessibility_violation(page, server, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + path)
    page.wait_for_load_state("networkidle")

    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("path", [*CORE_PAGES, "/ban-do/", "/tim-diem-gan-nhat/", "/du-lieu-mo/"])
def test_pages_fit_a_phone_without_sideways_scrolling(page, server, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + path)
    page.wait_for_load_state("networkidle")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


def test_a_procedure_page_maps_the_offices_that_receive_it(page, server, site_dir) -> None:  # type: ignore[no-untyped-def]
    offices = json.loads(
        (site_dir / "assets" / "places" / "offices.json").read_text(encoding="utf-8")
    )

    page.goto(server + "/thu-tuc/dang-ky-khai-sinh/")
    page.locator("[data-hcc-office-map] .leaflet-marker-icon").first.wait_for()

    assert page.locator("[data-hcc-office-map] .leaflet-marker-icon").count() == len(offices)
    assert only_tiles_left_the_machine(page)
