"""The public agent directory: SQLite encodes the page, and it must equal the AgentPublic model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from agents_registry import agents, store
from agents_registry.db import connect
from agents_registry.models import AgentPublic
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import tax_code

WEEKDAYS = ["08:00-12:00", "13:30-17:00"]


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog) as running:
        yield running


def stored_profiles(api: Api) -> dict[str, object]:
    db = connect(api.db_path)
    try:
        rows = [store.get_agent(db, r[0]) for r in api.query("SELECT id FROM agents")]
        return {r["id"]: msgspec.to_builtins(agents.to_public(r)) for r in rows if r}
    finally:
        db.conn.close()


def test_every_listed_agent_equals_its_public_model(api: Api) -> None:
    hours = [
        {"mon": WEEKDAYS, "tue": WEEKDAYS, "wed": [], "thu": [], "fri": [], "sat": [], "sun": []},
        {d: ["07:30-11:30"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        {"mon": ["18:00-21:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []},
    ]
    ids = [
        api.new_agent(
            tax_code=tax_code(f"01002010{n}"),
            business_name=f"Đại lý số {n} — Phố Huế",
            opening_hours=hours[n % 3],
            fields=["ho-tich", "dat-dai"][: 1 + n % 2],
            lat=21.0285 + n / 10000,
        )[0]
        for n in range(1, 6)
    ]
    api.query("UPDATE agents SET demo = 1 WHERE id = ?", [ids[0]])
    suspended = api.client.post(
        f"/api/v1/agents/{ids[1]}/suspend", json={"reason": "Tạm dừng"}, headers=api.staff()
    )
    assert suspended.status_code == 200

    first = api.client.get("/api/v1/agents?page_size=2").json()
    rest = api.client.get("/api/v1/agents?page_size=2&page=2").json()
    last = api.client.get("/api/v1/agents?page_size=2&page=3").json()

    profiles = stored_profiles(api)
    listed = first["items"] + rest["items"] + last["items"]
    assert [a["id"] for a in listed] == [i for i in ids if i != ids[1]]
    assert listed == [profiles[a["id"]] for a in listed]
    assert set(listed[0]) == set(AgentPublic.__struct_fields__)
    assert [p["total"] for p in (first, rest, last)] == [4, 4, 4]
    assert [(p["page"], p["page_size"]) for p in (first, rest, last)] == [(1, 2), (2, 2), (3, 2)]
    assert listed[0]["demo"] is True and listed[1]["demo"] is False


def test_the_schema_still_documents_a_page_of_public_agents(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()

    ok = schema["paths"]["/api/v1/agents"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    items = schema["components"]["schemas"][ref]["properties"]["items"]
    assert items["items"]["$ref"].endswith("/AgentPublic")
