"""GET /api/v1/nearest over HTTP: brute-force order, filters, open-now, the index cache, 422s."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from agents_registry.db import connect
from agents_registry.nearest import KIND_RANK, geodesic_m
from agents_registry.places import Place, load_places
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import tax_code

# Positions inside Phường Hoàn Kiếm (the factory's ward); two agents share one.
AGENTS = [
    ("010010002", "Cửa hàng Viettel Hàng Bài", 21.0245, 105.8530),
    ("010010004", "Văn phòng công chứng Tràng Tiền", 21.0255, 105.8560),
    ("010010005", "Cửa hàng in Hàng Bông", 21.0300, 105.8470),
    ("010010006", "Bưu cục Hàng Gai", 21.0300, 105.8470),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path_factory.mktemp("nearest"), catalog) as running:
        running.new_agent()  # DL-0001 at 21.0285, 105.8525, fields ho-tich, cu-tru, chung-thuc
        for prefix, name, lat, lon in AGENTS:
            running.new_agent(
                tax_code=tax_code(prefix),
                business_name=name,
                lat=lat,
                lon=lon,
                fields=["dat-dai"],
            )
        yield running


def places(api: Api, catalog: Catalog) -> list[Place]:
    db = connect(api.db_path)
    try:
        return load_places(db, catalog)
    finally:
        db.conn.close()


def nearest(api: Api, **params: Any) -> Any:
    response = api.client.get("/api/v1/nearest", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_order_equals_brute_force(api: Api, catalog: Catalog) -> None:
    everything = places(api, catalog)
    rng = random.Random(9)
    points = [(rng.uniform(20.6, 21.35), rng.uniform(105.4, 106.0)) for _ in range(4)]
    points += [(21.0300, 105.8470), (21.0285, 105.8525), (10.7769, 106.7009)]
    for lat, lon in points:
        expected = sorted(
            (geodesic_m(lat, lon, p.lat, p.lon), KIND_RANK[p.kind], p.id) for p in everything
        )[:25]

        body = nearest(api, lat=lat, lon=lon, limit=25)

        assert [(i["kind"], i["id"]) for i in body["items"]] == [
            (next(p.kind for p in everything if p.id == e[2]), e[2]) for e in expected
        ]
        assert [i["distance_m"] for i in body["items"]] == [round(e[0], 1) for e in expected]
        assert (body["total"], body["page"], body["page_size"]) == (25, 1, 25)


def test_an_item_has_the_documented_fields(api: Api) -> None:
    item = nearest(api, lat=21.0285, lon=105.8525, limit=1)["items"][0]

    assert set(item) == {
        "kind",
        "id",
        "name",
        "address",
        "lat",
        "lon",
        "distance_m",
        "open_now",
        "opens_at",
        "closes_at",
        "phone",
        "ward_code",
    }
    assert (item["kind"], item["id"], item["distance_m"]) == ("agent", "DL-0001", 0.0)
    assert isinstance(item["open_now"], bool)
    assert (item["closes_at"] if item["open_now"] else item["opens_at"]) is not None


def test_kind_filter_repeated_or_comma_list(api: Api) -> None:
    only_agents = nearest(api, lat=21.03, lon=105.85, kind="agent", limit=50)["items"]
    centre = nearest(api, lat=21.03, lon=105.85, kind="branch,reception_point", limit=50)["items"]
    repeated = api.client.get(
        "/api/v1/nearest?lat=21.03&lon=105.85&kind=branch&kind=reception_point&limit=50"
    ).json()["items"]

    assert {i["kind"] for i in only_agents} == {"agent"}
    assert len(only_agents) == 5
    assert {i["kind"] for i in centre} == {"branch", "reception_point"}
    assert repeated == centre


def test_procedure_filter_keeps_only_places_that_handle_it(api: Api, catalog: Catalog) -> None:
    everything = {p.id: p for p in places(api, catalog)}
    for key in ("dat-dai", "ho-tich"):
        procedure = next(p for p in catalog.procedures if p.field == key)
        for param in (procedure.code, procedure.id):
            if param is None:
                continue
            items = nearest(api, lat=21.03, lon=105.85, procedure=param, limit=50)["items"]

            assert items
            assert all(everything[i["id"]].handles(procedure) for i in items)
            handling = [p for p in everything.values() if p.handles(procedure)]
            assert len(items) == min(50, len(handling))


def test_radius_limits_the_answer(api: Api) -> None:
    items = nearest(api, lat=21.0300, lon=105.8470, radius_m=600)["items"]

    assert items
    assert all(i["distance_m"] <= 600 for i in items)
    assert [i["id"] for i in items[:2]] == ["DL-0004", "DL-0005"]  # same position: by id


def test_the_index_follows_approvals_and_suspensions(api: Api) -> None:
    here = {"lat": 21.0285, "lon": 105.8525, "limit": 2, "kind": "agent"}
    before = nearest(api, **here)["items"]
    agent_id, _ = api.new_agent(tax_code=tax_code("010010007"), business_name="Bưu cục Bờ Hồ")
    after_approval = nearest(api, **here)["items"]
    suspended = api.client.post(
        f"/api/v1/agents/{agent_id}/suspend", json={"reason": "Tạm ngừng"}, headers=api.staff()
    )
    after_suspension = nearest(api, **here)["items"]

    assert agent_id not in [i["id"] for i in before]
    assert [i["id"] for i in after_approval] == ["DL-0001", agent_id]  # same spot: by id
    assert suspended.status_code == 200
    assert [i["id"] for i in after_suspension] == [i["id"] for i in before]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("lat=91&lon=105.8", "lat"),
        ("lat=-90.5&lon=105.8", "lat"),
        ("lat=nan&lon=105.8", "lat"),
        ("lat=21&lon=181", "lon"),
        ("lat=21&lon=inf", "lon"),
        ("lat=abc&lon=105.8", "lat"),
        ("lon=105.8", "lat"),
        ("lat=21", "lon"),
        ("lat=21&lon=105.8&kind=hospital", "kind"),
        ("lat=21&lon=105.8&kind=agent,bank", "kind"),
        ("lat=21&lon=105.8&procedure=9.999999", "procedure"),
        ("lat=21&lon=105.8&limit=0", "limit"),
        ("lat=21&lon=105.8&limit=51", "limit"),
        ("lat=21&lon=105.8&radius_m=-1", "radius_m"),
        ("lat=21&lon=105.8&radius_m=nan", "radius_m"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(api: Api, query: str, key: str) -> None:
    response = api.client.get(f"/api/v1/nearest?{query}")

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status_code"] == 422
    assert key in body["detail"]
    # Litestar reports a missing parameter in `detail` only; every other case names it in `extra`.
    assert key in [e["key"] for e in body.get("extra", [])] or "Missing" in body["detail"]
