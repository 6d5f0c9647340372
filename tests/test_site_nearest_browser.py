"""The "Tìm điểm gần nhất" page in headless Chromium: its answers must equal a brute-force
geodesic ranking (geopy) over the same places, from the static data or from the API."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.distance import geodesic

from agents_registry.context import VIETNAM
from agents_registry.db import connect
from agents_registry.hours import Closure, holiday, open_state
from agents_registry.place_export import compact, export_files
from agents_registry.places import Place, PlaceKind, catalog_places, load_places
from catalog.load import Catalog
from catalog.models import DAYS, OpeningHours
from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser

NEAREST = "/tim-diem-gan-nhat/"
KIND_RANK = {"b": 0, "r": 1, "a": 2}  # the server's tie-break: distance, kind, id
CITY_CENTRE = (21.0287, 105.8523)
CELL = re.compile(r"^-?[0-9]+_-?[0-9]+\.json$")


class Spot(NamedTuple):
    id: str
    rank: int
    lat: float
    lon: float
    fields: list[str] | None


def cell_files(site_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The grid cells of the places data the build wrote."""
    folder = site_dir / "assets" / "places"
    return {p.name: json.loads(p.read_text()) for p in folder.glob("*.json") if CELL.match(p.name)}


def spots(records: Iterable[dict[str, Any]]) -> list[Spot]:
    return [Spot(r["i"], KIND_RANK[r["k"]], r["y"], r["x"], r["f"]) for r in records]


def catalog_spots(catalog: Catalog) -> list[Spot]:
    return spots(compact(p) for p in catalog_places(catalog))


@pytest.fixture
def built_spots(site_dir: Path, catalog: Catalog) -> list[Spot]:
    """Every place of the build's static data (the catalog's places at least)."""
    result = spots(r for rows in cell_files(site_dir).values() for r in rows)
    assert {s.id for s in catalog_spots(catalog)} <= {s.id for s in result}
    return result


@pytest.fixture
def places_requests(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the places data files the page asks for."""
    asked: list[str] = []
    page.on(
        "request",
        lambda r: (
            asked.append(urlparse(r.url).path.rsplit("/", 1)[-1])
            if "/assets/places/" in r.url
            else None
        ),
    )
    return asked


def serve_places(page, files: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Answer the page's requests for assets/places/* from ``files`` instead of the build."""

    def fulfil(route):  # type: ignore[no-untyped-def]
        name = urlparse(route.request.url).path.split("/assets/places/", 1)[1]
        if name in files:
            route.fulfill(json=files[name])
        else:
            route.fulfill(status=404, body="not found")

    page.route("**/assets/places/**", fulfil)


def block_api(page) -> None:  # type: ignore[no-untyped-def]
    page.route("**/api/v1/**", lambda route: route.abort())


def brute_force(places: Iterable[Spot], lat: float, lon: float, limit: int = 10) -> list[tuple]:
    """(id, distance) of the nearest places: geopy's geodesic, ties by kind then id."""
    rows = sorted((geodesic((lat, lon), (p.lat, p.lon)).meters, p.rank, p.id) for p in places)
    return [(place_id, distance) for distance, _, place_id in rows[:limit]]


def shown(page) -> list[tuple]:  # type: ignore[no-untyped-def]
    items = page.locator("#nearest-results > li")
    return [
        (
            items.nth(i).get_attribute("data-id"),
            float(items.nth(i).get_attribute("data-distance-m")),
        )
        for i in range(items.count())
    ]


def wait_for_results(page, label: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "label => document.getElementById('nearest-status').textContent.includes(label)"
        " && !document.getElementById('nearest').hasAttribute('aria-busy')",
        arg=label,
    )


def assert_same_ranking(actual: list[tuple], expected: list[tuple], abs_m: float = 1e-3) -> None:
    assert [i for i, _ in actual] == [i for i, _ in expected]
    assert [d for _, d in actual] == pytest.approx([d for _, d in expected], abs=abs_m)


def use_device_location(page, server: str, lat: float, lon: float) -> None:  # type: ignore[no-untyped-def]
    page.context.grant_permissions(["geolocation"], origin=server)
    page.context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 20})
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")
    page.click("#nearest-geo")
    wait_for_results(page, "gần vị trí của bạn nhất")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        CITY_CENTRE,
        (21.0588, 105.8198),  # beside branch 1 and the reception point at its address (a tie)
        (20.95, 105.55),  # between the city and the western communes
        (20.8449, 106.6881),  # Hải Phòng: outside the city, every place is far
    ],
)
def test_device_location_lists_the_brute_force_order_from_the_static_data(
    page, server, built_spots: list[Spot], lat: float, lon: float
) -> None:  # type: ignore[no-untyped-def]
    block_api(page)

    use_device_location(page, server, lat, lon)

    assert_same_ranking(shown(page), brute_force(built_spots, lat, lon))
    assert (
        page.locator("#nearest-status").inner_text() == "Tìm thấy 10 điểm gần vị trí của bạn nhất."
    )
    assert (
        page.locator("#nearest-source")
        .inner_text()
        .startswith("Nguồn: dữ liệu tĩnh (cập nhật lúc ")
    )
    assert page.locator("#nearest").get_attribute("data-source") == "static"


def test_only_the_cells_around_the_position_are_fetched(
    page, server, site_dir: Path, places_requests: list[str]
) -> None:  # type: ignore[no-untyped-def]
    block_api(page)

    use_device_location(page, server, *CITY_CENTRE)

    fetched = [name for name in places_requests if CELL.match(name)]
    assert len(fetched) == len(set(fetched))
    assert 0 < len(fetched) < len(cell_files(site_dir)) / 2


def live_spots(server_env: dict[str, str], catalog: Catalog) -> list[Spot]:
    """Every place the running server knows: the catalog's and the agents other tests approved."""
    db = connect(server_env["HCC_DB"])
    try:
        return spots(compact(p) for p in load_places(db, catalog))
    finally:
        db.conn.close()


def test_the_answer_with_the_api_running_is_the_same_ranking(
    page, server, server_env: dict[str, str], catalog: Catalog, built_spots: list[Spot]
) -> None:  # type: ignore[no-untyped-def]
    use_device_location(page, server, *CITY_CENTRE)

    source = page.locator("#nearest").get_attribute("data-source")
    label = page.locator("#nearest-source").inner_text()
    assert (source, label.split(" (")[0].rstrip(".")) in {
        ("live", "Nguồn: dữ liệu trực tiếp từ máy chủ của Trung tâm"),
        ("static", "Nguồn: dữ liệu tĩnh"),
    }
    # Live answers hold the server's places (distances rounded to 0.1 m).
    if source == "live":
        assert_same_ranking(
            shown(page), brute_force(live_spots(server_env, catalog), *CITY_CENTRE), 0.051
        )
    else:
        assert_same_ranking(shown(page), brute_force(built_spots, *CITY_CENTRE))


def test_refusing_the_location_explains_the_other_ways(page, server) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_permissions()
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    page.click("#nearest-geo")

    status = page.locator("#nearest-geo-status")
    status.filter(has_text="chưa cho phép").wait_for()
    assert "chọn xã, phường hoặc bấm vào bản đồ" in status.inner_text()
    assert page.locator("#nearest-results > li").count() == 0


def test_the_ward_picker_lists_the_nearest_places_to_the_ward(
    page, server, catalog: Catalog, built_spots: list[Spot]
) -> None:  # type: ignore[no-untyped-def]
    block_api(page)
    ward = next(w for w in catalog.wards if w.name == "Phường Hoàn Kiếm")
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    assert page.locator("#nearest-ward option").count() == len(catalog.wards) + 1
    page.select_option("#nearest-ward", ward.code)
    wait_for_results(page, f"gần {ward.name} nhất")

    assert_same_ranking(shown(page), brute_force(built_spots, ward.lat, ward.lon))
    first = page.locator("#nearest-results > li").first
    assert first.locator("h3").count() == 1
    assert first.locator("a[href^='tel:']").count() == 1
    directions = first.locator("a[href^='https://www.openstreetmap.org/directions']")
    to = parse_qs(urlparse(directions.get_attribute("href")).query)["to"][0]
    place = next(p for p in built_spots if p.id == first.get_attribute("data-id"))
    assert to == f"{place.lat},{place.lon}"


def test_keyboard_navigation_reaches_the_list(page, server, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    block_api(page)
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")
    page.focus("#nearest-ward")
    page.keyboard.press("ArrowDown")
    wait_for_results(page, "Tìm thấy 10 điểm gần")

    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#nearest-results')"):
            break
    assert (
        page.evaluate("document.activeElement.closest('#nearest-results > li').dataset.id")
        == (shown(page)[0][0])
    )


def test_a_click_on_the_map_searches_around_that_point(page, server) -> None:  # type: ignore[no-untyped-def]
    block_api(page)
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    page.locator("#nearest-map").click(position={"x": 120, "y": 100})
    wait_for_results(page, "gần điểm đã chọn trên bản đồ nhất")
    distances = [d for _, d in shown(page)]

    assert len(distances) == 10
    assert distances == sorted(distances)
    assert page.locator("#nearest-map .leaflet-interactive").count() == 11  # position + results


def test_the_procedure_page_links_to_the_nearest_places_for_it(
    page, server, catalog: Catalog
) -> None:  # type: ignore[no-untyped-def]
    procedure = catalog.procedure("dang-ky-khai-sinh")
    assert procedure is not None
    page.goto(server + f"/thu-tuc/{procedure.id}/")

    link = page.get_by_role("link", name="Tìm nơi gần nhất làm thủ tục này")
    assert parse_qs(urlparse(link.get_attribute("href")).query) == {"procedure": [procedure.key]}
    link.click()
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    assert page.input_value("#nearest-procedure") == procedure.name
    assert procedure.name in page.locator("#nearest-procedure-chosen").inner_text()


def test_the_procedure_filter_keeps_agents_of_its_field(page, server, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    block_api(page)
    procedure = catalog.procedure("dang-ky-khai-sinh")
    assert procedure is not None
    hours = OpeningHours(**{day: ["00:00-23:59"] for day in DAYS})
    agents = [
        Place(
            kind=PlaceKind.AGENT,
            id=f"DL-{n:04d}",
            name=f"Đại lý {n}",
            address="Hà Nội",
            ward_code=catalog.wards[0].code,
            lat=CITY_CENTRE[0] + n * 1e-4,
            lon=CITY_CENTRE[1],
            phone="0241234567",
            opening_hours=hours,
            fields=fields,
            branch_number=1,
        )
        for n, fields in [(1, ("dat-dai",)), (2, (procedure.field,)), (3, ())]
    ]
    places = agents + catalog_places(catalog)
    now = dt.datetime.now(VIETNAM)
    files = export_files(
        places, catalog, now=now, today=now.date(), agents_source="database", tiles={}
    )
    serve_places(page, files)
    page.goto(server + NEAREST + f"?procedure={procedure.key}")
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    page.context.grant_permissions(["geolocation"], origin=server)
    page.context.set_geolocation({"latitude": CITY_CENTRE[0], "longitude": CITY_CENTRE[1]})
    page.click("#nearest-geo")
    wait_for_results(page, "gần vị trí của bạn nhất")

    handling = [p for p in places if p.handles(procedure)]
    assert_same_ranking(shown(page), brute_force(spots(map(compact, handling)), *CITY_CENTRE))
    assert shown(page)[0][0] == "DL-0002"

    page.uncheck("#nearest-kind-branch")
    page.uncheck("#nearest-kind-reception_point")
    wait_for_results(page, "Tìm thấy 1 điểm gần vị trí của bạn nhất.")
    assert [i for i, _ in shown(page)] == ["DL-0002"]


def test_the_browser_geodesic_equals_geopy(page, server) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(4)
    pairs = [
        (
            rng.uniform(20.5, 21.4),
            rng.uniform(105.2, 106.1),
            rng.uniform(-60, 60),
            rng.uniform(-180, 180),
        )
        for _ in range(200)
    ]
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    actual = page.evaluate(
        "pairs => pairs.map(p => window.hccPlaces.geodesic(p[0], p[1], p[2], p[3]))", pairs
    )

    expected = [geodesic((a, b), (c, d)).meters for a, b, c, d in pairs]
    assert actual == pytest.approx(expected, abs=1e-3)


OFFICE = OpeningHours(
    **{day: ["08:00-12:00", "13:00-17:00"] for day in DAYS[:5]}, sat=["08:00-12:00"]
)
LATE = OpeningHours(**{day: ["18:00-23:59"] for day in DAYS})
THROUGH_MIDNIGHT = OpeningHours(mon=["18:00-23:59"], tue=["00:00-02:00", "08:00-12:00"])
LONG_CLOSURE = (
    Closure(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 15), reason="Sửa chữa"),
)
CLOSED_WEEK = (
    Closure(starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 13), reason="Sửa chữa"),
)


OPEN_NOW_CASES = [
    (OFFICE, (), "2026-03-02T07:59"),  # Monday before opening
    (OFFICE, (), "2026-03-02T08:00"),
    (OFFICE, (), "2026-03-02T12:00"),  # lunch break
    (OFFICE, (), "2026-03-02T16:59"),
    (OFFICE, (), "2026-03-07T12:30"),  # Saturday afternoon -> Monday
    (OFFICE, (), "2026-03-08T23:59"),  # Sunday, just before midnight
    (LATE, (), "2026-03-02T23:59"),
    (LATE, (), "2026-03-03T00:00"),  # midnight
    (OFFICE, (), "2026-04-27T09:00"),  # Hùng Kings' day (observed)
    (OFFICE, (), "2026-04-29T17:30"),  # before 30/4 and 1/5
    (OFFICE, (), "2026-08-29T12:30"),  # Saturday before the 31/8 - 2/9 holidays
    (OFFICE, (), "2026-09-01T10:00"),  # National Day
    (OFFICE, (), "2026-02-13T17:30"),  # Friday before Tết
    (OFFICE, (), "2026-02-17T10:00"),  # Tết
    (OFFICE, CLOSED_WEEK, "2026-03-10T10:00"),
    (OFFICE, CLOSED_WEEK, "2026-03-06T17:00"),
    (OFFICE, LONG_CLOSURE, "2026-03-02T09:00"),  # reopens after more than two weeks
    (THROUGH_MIDNIGHT, (), "2026-03-02T20:00"),  # one opening through midnight
    (THROUGH_MIDNIGHT, (), "2026-03-03T01:59"),
    (THROUGH_MIDNIGHT, (), "2026-03-03T02:00"),
]


def expected_state(hours: OpeningHours, closures: tuple[Closure, ...], at: dt.datetime) -> dict:
    state = open_state(hours, closures, at)
    moment = state.closes_at or state.opens_at
    when = {"day": moment.date().isoformat(), "time": f"{moment:%H:%M}"} if moment else None
    return {"open": state.open_now, "when": when, "closed_for": state.closed_reason is not None}


def test_open_now_in_the_browser_follows_the_registry_rules(page, server) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (hours, closures, dt.datetime.fromisoformat(local).replace(tzinfo=VIETNAM))
        for hours, closures, local in OPEN_NOW_CASES
    ]
    days = (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(366))
    holidays = {d.isoformat(): holiday(d) for d in days if holiday(d)}
    records = [
        {
            "h": {day: getattr(hours, day) for day in DAYS},
            "c": [[c.starts_on.isoformat(), c.ends_on.isoformat(), c.reason] for c in closures],
            "at": at.isoformat(),
        }
        for hours, closures, at in cases
    ]
    page.goto(server + NEAREST)
    page.locator("#nearest[data-ready]").wait_for(state="attached")

    actual = page.evaluate(
        """([records, holidays]) => records.map(r => {
            const s = window.hccPlaces.openState(r, holidays, new Date(r.at));
            return {open: s.open, when: (s.open ? s.closes : s.opens) || null,
                    closed_for: s.reason !== undefined && s.reason !== null};
        })""",
        [records, holidays],
    )

    assert actual == [expected_state(*case) for case in cases]


def test_no_serious_accessibility_violation_with_results(page, server) -> None:  # type: ignore[no-untyped-def]
    block_api(page)
    page.goto(server + NEAREST + "?procedure=1.001193")
    page.locator("#nearest[data-ready]").wait_for(state="attached")
    page.select_option("#nearest-ward", index=5)
    wait_for_results(page, "Tìm thấy 10 điểm gần")

    assert serious_axe_violations(page) == []
