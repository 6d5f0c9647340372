"""The network map page in headless Chromium, on a site built from a seeded registry.

The shared ``server`` fixture runs with an empty database; these tests build their own site
from a registry seeded with 40 demo agents and serve it with `hcc up` against that registry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from agents_registry import store
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.hours import Closure, open_state
from agents_registry.migrations import migrate
from agents_registry.place_export import compact, holiday_list
from agents_registry.places import Place, load_places
from catalog.load import Catalog
from catalog.maps import OSM_TILES
from tests.conftest import ROOT, guarded_page, running_server
from tests.factories import application_body, tax_code
from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser

SECRET = "map-browser-secret"
TILE_HOST = urlparse(OSM_TILES).hostname


@pytest.fixture(scope="module")
def map_env(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A registry seeded with 40 demo agents and a site built from it."""
    from agents_registry.demo import seed

    var = tmp_path_factory.mktemp("map-var")
    db = connect(var / "hcc.db")
    migrate(db)
    seed(db, Context(catalog=catalog, secret_key=SECRET.encode()), agents=40)
    db.conn.close()
    env = {
        "HCC_SITE_DIR": str(tmp_path_factory.mktemp("map-site")),
        "HCC_DB": str(var / "hcc.db"),
        "HCC_SECRET_KEY": SECRET,
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }
    subprocess.run(
        [sys.executable, "-m", "api.cli", "build", "--site-dir", env["HCC_SITE_DIR"]],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


@pytest.fixture(scope="module")
def map_server(map_env: dict[str, str]) -> Iterator[str]:
    with running_server(map_env) as base:
        yield base


@pytest.fixture
def map_page(browser, map_server):  # type: ignore[no-untyped-def]
    with guarded_page(browser, map_server) as pg:
        yield pg


def registry_places(map_env: dict[str, str], catalog: Catalog) -> list[Place]:
    db = connect(map_env["HCC_DB"])
    try:
        return load_places(db, catalog)
    finally:
        db.conn.close()


def active_agent_count(map_env: dict[str, str]) -> int:
    db = connect(map_env["HCC_DB"])
    try:
        return len(store.active_agents(db))
    finally:
        db.conn.close()


def open_map(page, server: str, *, api: bool = True, small_limit: int | None = None) -> None:  # type: ignore[no-untyped-def]
    if not api:
        page.route("**/api/v1/**", lambda route: route.abort())
    if small_limit is not None:
        page.add_init_script(f"window.hccMapSmallLimit = {small_limit};")
    page.goto(server + "/ban-do/")
    page.wait_for_selector("#hcc-netmap[data-ready]")
    if small_limit is None:
        page.wait_for_selector("#hcc-netmap[data-all-loaded]")
    if api:
        page.wait_for_function(
            "document.getElementById('hcc-map-status').textContent.includes('trực tiếp')"
        )


def agents_on_map(page) -> int:  # type: ignore[no-untyped-def]
    """Agents shown: the counts of the clusters plus the single agent pins, inside the map."""
    counts = page.locator("#hcc-map .hcc-cluster [data-count]").evaluate_all(
        "nodes => nodes.map(n => Number(n.dataset.count))"
    )
    return sum(counts) + page.locator("#hcc-map .hcc-pin--a").count()


def list_rows(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(kind, id) of every row of the text list, page after page."""
    rows: list[tuple[str, str]] = []
    while True:
        rows += page.locator("#hcc-list-body tr").evaluate_all(
            "trs => trs.map(tr => [tr.dataset.kind, tr.dataset.id])"
        )
        if page.locator("#hcc-list-next").is_disabled():
            break
        page.click("#hcc-list-next")
    return [(k, i) for k, i in rows]


@pytest.mark.parametrize(
    ("api", "small_limit"),
    [(True, None), (False, None), (False, 0)],
    ids=["live-from-api", "static-cells", "precomputed-clusters"],
)
def test_the_map_shows_every_active_agent_inside_its_clusters(
    map_page, map_server, map_env, api: bool, small_limit: int | None
) -> None:  # type: ignore[no-untyped-def]
    open_map(map_page, map_server, api=api, small_limit=small_limit)

    expected = active_agent_count(map_env)
    assert expected > 30
    assert agents_on_map(map_page) == expected
    assert map_page.locator("#hcc-map .hcc-cluster").count() >= 1
    assert not map_page.locator("#hcc-map-demo").is_hidden()
    assert all(urlparse(u).hostname == TILE_HOST for u in map_page.outside_requests)


def test_the_list_holds_the_same_places_and_follows_the_filters(
    map_page, map_server, map_env, catalog: Catalog
) -> None:  # type: ignore[no-untyped-def]
    places = registry_places(map_env, catalog)
    open_map(map_page, map_server)

    assert sorted(list_rows(map_page)) == sorted((compact(p)["k"], p.id) for p in places)

    ward = next(p.ward_code for p in places if p.kind == "agent")
    map_page.select_option("#hcc-map-ward", ward)
    map_page.wait_for_function(
        "w => [...document.querySelectorAll('#hcc-list-body tr')].length > 0", arg=ward
    )
    in_ward = sorted((compact(p)["k"], p.id) for p in places if p.ward_code == ward)
    assert sorted(list_rows(map_page)) == in_ward

    map_page.select_option("#hcc-map-ward", "")
    map_page.select_option("#hcc-map-field", "dat-dai")
    map_page.uncheck("input[name=kind][value=b]")
    map_page.uncheck("input[name=kind][value=r]")
    map_page.wait_for_function(
        "() => [...document.querySelectorAll('#hcc-list-body tr')].every(r => r.dataset.kind === 'a')"
    )
    with_field = sorted(
        ("a", p.id) for p in places if p.kind == "agent" and "dat-dai" in (p.fields or ())
    )
    assert sorted(list_rows(map_page)) == with_field
    assert agents_on_map(map_page) == len(with_field)


def test_the_list_sorts_by_name_both_ways(map_page, map_server) -> None:  # type: ignore[no-untyped-def]
    open_map(map_page, map_server)
    map_page.click("#hcc-list-table button[data-sort=n]")

    header = map_page.locator("#hcc-list-table th", has=map_page.locator("[data-sort=n]"))
    assert header.get_attribute("aria-sort") == "descending"
    names = map_page.locator("#hcc-list-body tr td:first-child strong").all_inner_texts()
    folded = map_page.evaluate("ns => ns.map(n => window.hccSearch.fold(n))", names)
    assert folded == sorted(folded, reverse=True)


def test_a_newly_approved_agent_appears_without_a_rebuild(map_page, map_server, map_env) -> None:  # type: ignore[no-untyped-def]
    staff = (
        subprocess.run(
            [sys.executable, "-m", "api.cli", "staff", "add", "Cán bộ bản đồ"],
            cwd=ROOT,
            env=map_env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    body = application_body(business_name="Đại lý mới duyệt bản đồ", tax_code=tax_code("010998877"))
    created = post_json(f"{map_server}/api/v1/applications", body)
    post_json(f"{map_server}/api/v1/applications/{created['id']}/approve", {}, token=staff)

    open_map(map_page, map_server)
    map_page.fill("#hcc-list-q", "moi duyet ban do")

    assert map_page.locator("#hcc-list-body tr strong").all_inner_texts() == [
        "Đại lý mới duyệt bản đồ"
    ]
    assert agents_on_map(map_page) == active_agent_count(map_env)


def post_json(url: str, body: object, token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(request) as response:
        return dict(json.loads(response.read()))


def test_the_keyboard_reaches_markers_clusters_and_the_list(map_page, map_server) -> None:  # type: ignore[no-untyped-def]
    open_map(map_page, map_server)
    map_page.focus("#hcc-map")
    zoom = int(map_page.locator("#hcc-netmap").get_attribute("data-zoom") or 0)
    map_page.locator("#hcc-map .hcc-cluster").first.focus()
    map_page.keyboard.press("Enter")
    map_page.wait_for_function(
        f"() => Number(document.getElementById('hcc-netmap').dataset.zoom) > {zoom}"
    )

    map_page.locator("#hcc-map .hcc-pin--b").first.focus()
    map_page.keyboard.press("Enter")
    assert "Chi nhánh" in map_page.locator(".leaflet-popup-content").inner_text()

    map_page.focus(".hcc-netmap__skip")
    map_page.keyboard.press("Enter")
    map_page.keyboard.press("Tab")
    assert map_page.evaluate("document.activeElement.id") == "hcc-list-q"
    map_page.keyboard.press("Tab")
    assert map_page.evaluate("document.activeElement.dataset.sort") == "n"


def test_an_open_popup_and_the_focus_survive_a_redraw(map_page, map_server) -> None:  # type: ignore[no-untyped-def]
    """Every move redraws the markers (the popup's own auto-pan too): the open popup and the
    keyboard focus move to the new marker instead of vanishing."""
    open_map(map_page, map_server)
    pin = map_page.locator("#hcc-map .hcc-pin--b").first
    title = pin.get_attribute("title") or ""
    pin.focus()
    map_page.keyboard.press("Enter")
    map_page.locator(".leaflet-popup-content").wait_for()
    draws = int(map_page.locator("#hcc-netmap").get_attribute("data-draws") or 0)

    size = map_page.viewport_size
    map_page.set_viewport_size({"width": size["width"] + 40, "height": size["height"] + 40})
    map_page.wait_for_function(
        f"() => Number(document.getElementById('hcc-netmap').dataset.draws) > {draws}"
    )

    assert map_page.locator(".leaflet-popup").count() == 1
    assert title.split(": ", 1)[1] in map_page.locator(".leaflet-popup-content").inner_text()
    assert map_page.evaluate("document.activeElement.title") == title


def test_dragging_the_map_away_from_an_open_popup_leaves_it_there(map_page, map_server) -> None:  # type: ignore[no-untyped-def]
    """The redraw after a drag reopens the popup where its place now is, without panning the
    map back to it."""
    open_map(map_page, map_server)
    map_page.locator("#hcc-map .hcc-pin--b").first.focus()
    map_page.keyboard.press("Enter")
    popup = map_page.locator(".leaflet-popup")
    popup.wait_for()
    before = popup.bounding_box()
    box = map_page.locator("#hcc-map").bounding_box()
    assert before is not None and box is not None
    draws = int(map_page.locator("#hcc-netmap").get_attribute("data-draws") or 0)

    y = box["y"] + box["height"] - 20  # below the popup, on the map itself
    map_page.mouse.move(box["x"] + 40, y)
    map_page.mouse.down()
    map_page.mouse.move(box["x"] + box["width"] - 40, y, steps=12)
    map_page.mouse.up()
    map_page.wait_for_function(
        f"() => Number(document.getElementById('hcc-netmap').dataset.draws) > {draws}"
    )
    map_page.wait_for_timeout(800)  # an auto-pan back would have run (and redrawn) by now

    after = popup.bounding_box()
    assert after is not None
    assert after["x"] - before["x"] > (box["width"] - 80) * 0.8  # it moved with the map


def test_no_serious_accessibility_violation_on_the_map_page(map_page, map_server) -> None:  # type: ignore[no-untyped-def]
    open_map(map_page, map_server)
    map_page.locator("#hcc-map .hcc-pin--b").first.focus()
    map_page.keyboard.press("Enter")
    # Leaflet fades popups in: audit the colours once the popup is fully opaque.
    map_page.wait_for_function(
        "() => { const p = document.querySelector('.leaflet-popup');"
        " return p && getComputedStyle(p).opacity === '1'; }"
    )

    assert serious_axe_violations(map_page) == []


def _local(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), VIETNAM)


def test_open_now_in_the_page_agrees_with_the_registry(
    map_page, map_server, map_env, catalog: Catalog
) -> None:  # type: ignore[no-untyped-def]
    open_map(map_page, map_server)
    places = registry_places(map_env, catalog)[:60]
    today = dt.datetime.now(VIETNAM).date()
    holidays = [dt.date.fromisoformat(d) for d, _ in holiday_list(today, days=365)[:3]]
    closure = Closure(starts_on=today, ends_on=today + dt.timedelta(days=2), reason="Sửa chữa")
    days = [today + dt.timedelta(days=n) for n in range(7)]
    days += [d + dt.timedelta(days=n) for d in holidays for n in (-1, 0)]
    instants = [
        _local(day, hhmm)
        for day in days
        for hhmm in (
            "00:00",
            "07:59:59",
            "08:00",
            "11:59:59",
            "12:00",
            "13:00",
            "17:00",
            "23:59:59",
        )
    ]
    cases = []
    for i, place in enumerate(places):
        closures = (closure,) if i % 3 == 0 else ()
        record = compact(place)
        record["c"] = [[c.starts_on.isoformat(), c.ends_on.isoformat(), c.reason] for c in closures]
        for at in instants:
            state = open_state(place.opening_hours, closures, at)
            expected = {
                "open": state.open_now,
                "closes": state.closes_at and state.closes_at.strftime("%Y-%m-%d %H:%M"),
                "opens": state.opens_at and state.opens_at.strftime("%Y-%m-%d %H:%M"),
            }
            cases.append((record, int(at.timestamp() * 1000), expected))

    shown = map_page.evaluate(
        "cases => cases.map(([rec, ms]) => { const s = window.hccMap.openState(rec, ms);"
        " return {open: s.open, closes: s.closes || null, opens: s.opens || null}; })",
        [[rec, ms] for rec, ms, _ in cases],
    )

    assert shown == [expected for _, _, expected in cases]
