"""Open data exports: every file built and served, each active agent and procedure exactly once,
no private value in any file, HSDS 3 valid against the official schemas (read from
``../shared/standards/hsds-3``, $refs resolved locally), the page lists and links every file."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from agents_registry.hsds import DEMO_LABEL, hsds_id
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.conftest import ROOT, copy_db
from tests.factories import application_body, submission_body, tax_code


@functools.cache
def hsds_schemas() -> Path:
    """The official HSDS 3 schemas, read in place (never copied into the project): the
    ``shared/standards/hsds-3`` folder beside this checkout, or beside one of its parents
    (a CI clone may sit a level deeper)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "standards" / "hsds-3"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no shared/standards/hsds-3 beside {ROOT} or its parents")


FILES = [
    "dia-diem.csv",
    "dia-diem.geojson",
    "thu-tuc.csv",
    "thu-tuc.json",
    "hsds/hsds.json",
    "hsds/datapackage.json",
    "hsds/hsds-3-csv.zip",
    "index.json",
]


@dataclass
class World:
    """The registry behind the exports: who is active, and the private values planted in it."""

    active: set[str] = field(default_factory=set)
    demo: set[str] = field(default_factory=set)
    private: set[str] = field(default_factory=set)
    hidden_agents: set[str] = field(default_factory=set)
    built: dict[str, bytes] = field(default_factory=dict)
    served: dict[str, bytes] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    site: Path = Path()


def run_cli(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, check=True, capture_output=True, env=env
    )


def plant(api: Api, world: World) -> None:
    """A real agent, a suspended one, pending and rejected applications, a citizen's submission."""
    staff = api.staff()
    agent, auth = api.new_agent(
        tax_code=tax_code("010999000"),
        email="rieng-tu.dai-ly@example.vn",
        legal_representative="Phạm Thị Kín Đáo",
        business_name="Cửa hàng Viettel Hàng Bài",
    )
    world.private.add(auth["Authorization"].removeprefix("Bearer "))
    hours = {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    assert api.client.put("/api/v1/me/hours", json=hours, headers=auth).status_code == 200
    recorded = api.client.post(
        "/api/v1/submissions",
        json=submission_body(citizen_id="001203099817", notes="Ghi chú nội bộ QX-5531"),
        headers=auth,
    )
    assert recorded.status_code == 201, recorded.text
    world.private |= {"001203099817", "Ghi chú nội bộ QX-5531", recorded.json()["dossier_code"]}
    hidden, hidden_auth = api.new_agent(
        tax_code=tax_code("010999002"), email="bi-dinh-chi@example.vn"
    )
    reason = "Lý do đình chỉ nội bộ SUSP-4471"
    suspended = api.client.post(
        f"/api/v1/agents/{hidden}/suspend", json={"reason": reason}, headers=staff
    )
    assert suspended.status_code == 200, suspended.text
    world.hidden_agents.add(hidden)
    world.private |= {reason, hidden_auth["Authorization"].removeprefix("Bearer "), api.staff_token}
    for i, prefix in enumerate(("010999003", "010999004")):
        body = application_body(
            tax_code=tax_code(prefix), phone=f"0987 65{i} 321", email=f"nop-don-{i}@example.vn"
        )
        created = api.client.post("/api/v1/applications", json=body)
        assert created.status_code == 201, created.text
        world.private |= {created.json()["secret"], body["email"], f"098765{i}321"}
        if i == 1:
            reject = {"reason": "Lý do từ chối NOI-BO-8812"}
            path = f"/api/v1/applications/{created.json()['id']}/reject"
            assert api.client.post(path, json=reject, headers=staff).status_code == 200
            world.private.add(reject["reason"])
    world.history = api.client.get(f"/api/v1/agents/{agent}/history").json()


def stored_private_values(api: Api) -> set[str]:
    """Every tax code, e-mail, secret and token hash and citizen hash the registry holds."""
    values: set[str] = set()
    for sql in (
        "SELECT tax_code, email FROM agents",
        "SELECT tax_code, email, secret_hash FROM applications",
        "SELECT token_hash FROM tokens",
        "SELECT citizen_hash FROM submissions WHERE citizen_hash IS NOT NULL",
    ):
        for row in api.query(sql):
            values |= {str(v) for v in row if v}
    return values


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, demo_db: Path
) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("open-data")
    env = {
        **os.environ,
        "HCC_DB": str(copy_db(demo_db, tmp / "hcc.db")),
        "HCC_SECRET_KEY": "test-secret",
    }
    world = World(site=tmp / "site")
    with running_api(tmp, catalog) as api:
        plant(api, world)
        for row in api.query("SELECT id, demo FROM agents WHERE status = 'active'"):
            world.active.add(row[0])
            if row[1]:
                world.demo.add(row[0])
        world.private |= stored_private_values(api)
        run_cli("build", "--site-dir", str(world.site), env=env)
        index = api.client.get("/api/v1/open-data").json()
        for item in index["files"]:
            response = api.client.get(f"/api/v1/open-data/{item['path']}")
            assert response.status_code == 200, item
            assert response.headers["content-type"].startswith(item["media_type"].split(";")[0])
            world.served[item["path"]] = response.content
    for path in (world.site / "du-lieu-mo").rglob("*"):
        if path.is_file() and path.suffix != ".html":
            world.built[path.relative_to(world.site / "du-lieu-mo").as_posix()] = path.read_bytes()
    yield world


def both(world: World) -> list[tuple[str, dict[str, bytes]]]:
    return [("built", world.built), ("served", world.served)]


def unpacked(files: dict[str, bytes]) -> dict[str, str]:
    """Every file as text, the zip's members included."""
    texts = {}
    for name, content in files.items():
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for member in archive.namelist():
                    texts[f"{name}!{member}"] = archive.read(member).decode()
        else:
            texts[name] = content.decode()
    return texts


def csv_rows(content: bytes | str) -> list[dict[str, str]]:
    text = content.decode() if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


def test_every_file_is_built_and_served(world: World) -> None:
    index = json.loads(world.built["index.json"])
    listed = {item["path"] for item in index["files"]}

    assert set(FILES) - {"index.json"} <= listed
    assert set(world.built) == listed | {"index.json"}
    assert set(world.served) == listed
    for item in index["files"]:
        assert item["size"] == len(world.built[item["path"]])
        assert item["license"] == "CC-BY-4.0"
    assert index["demo"] is True
    assert index["agents_source"] == "database"


@pytest.mark.parametrize("source", ["built", "served"])
def test_each_active_agent_exactly_once_in_every_export(world: World, source: str) -> None:
    files = dict(both(world))[source]
    places = csv_rows(files["dia-diem.csv"])
    features = json.loads(files["dia-diem.geojson"])["features"]
    hsds = json.loads(files["hsds/hsds.json"])
    locations = [loc for org in hsds["organizations"] for loc in org.get("locations", [])]
    tabular = csv_rows(unpacked(files)["hsds/hsds-3-csv.zip!locations.csv"])
    help_services = Counter(
        sal["location_id"]
        for s in hsds["services"]
        if s["name"] == "Hỗ trợ nộp hồ sơ dịch vụ công trực tuyến"
        for sal in s["service_at_locations"]
    )

    expected = Counter(world.active)
    assert Counter(r["id"] for r in places if r["kind"] == "agent") == expected
    assert (
        Counter(f["properties"]["id"] for f in features if f["properties"]["kind"] == "agent")
        == expected
    )
    for rows in (locations, tabular):
        agents = [r for r in rows if r["external_identifier_type"] == "hcc:agent"]
        assert Counter(r["external_identifier"] for r in agents) == expected
    assert help_services == Counter(hsds_id("location", f"agent:{a}") for a in world.active)
    assert not world.hidden_agents & {r["id"] for r in places}


@pytest.mark.parametrize("source", ["built", "served"])
def test_each_procedure_exactly_once_in_every_export(
    world: World, catalog: Catalog, source: str
) -> None:
    files = dict(both(world))[source]
    expected = Counter(p.id for p in catalog.procedures)
    hsds = json.loads(files["hsds/hsds.json"])
    services = csv_rows(unpacked(files)["hsds/hsds-3-csv.zip!services.csv"])
    service_ids = {hsds_id("service", p.id): p.id for p in catalog.procedures}

    assert Counter(r["id"] for r in csv_rows(files["thu-tuc.csv"])) == expected
    assert Counter(p["id"] for p in json.loads(files["thu-tuc.json"])["procedures"]) == expected
    for rows in (hsds["services"], services):
        assert Counter(service_ids[r["id"]] for r in rows if r["id"] in service_ids) == expected


def test_demo_agents_are_labelled_in_every_export(world: World) -> None:
    places = {r["id"]: r for r in csv_rows(world.built["dia-diem.csv"]) if r["kind"] == "agent"}
    features = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads(world.built["dia-diem.geojson"])["features"]
    }
    hsds = json.loads(world.built["hsds/hsds.json"])
    organizations = {
        org["locations"][0]["external_identifier"]: org for org in hsds["organizations"][1:]
    }

    for agent in world.active:
        demo = agent in world.demo
        assert places[agent]["demo"] == ("true" if demo else "false")
        assert features[agent]["demo"] is demo
        assert organizations[agent]["description"].startswith(DEMO_LABEL) is demo
        assert organizations[agent]["locations"][0]["description"].startswith(DEMO_LABEL) is demo
    assert world.demo and world.active - world.demo


TOKENS = (r"[0-9]+", r"[A-Za-z0-9_-]+", r"[A-Za-z0-9_.@+-]*[A-Za-z0-9_-]")


def leak_finder(private: set[str]) -> Callable[[str], set[str]]:
    """A function giving the private values found in a text: as whole tokens (codes, hashes,
    secrets, e-mail addresses; a tax code inside a longer number does not count) or as phrases.
    The ~100,000 values are sorted into tokens and phrases once, not once per text."""
    single = {v for v in private if re.fullmatch(r"[A-Za-z0-9_.@+-]+", v)}
    phrases = private - single

    def leaked(text: str) -> set[str]:
        tokens = {t for pattern in TOKENS for t in re.findall(pattern, text)}
        return (single & tokens) | {v for v in phrases if v in text}

    return leaked


def test_no_private_value_in_any_exported_file(world: World) -> None:
    texts = {f"built/{k}": v for k, v in unpacked(world.built).items()}
    texts |= {f"served/{k}": v for k, v in unpacked(world.served).items()}
    pages = [p for p in world.site.rglob("*.html") if "du-lieu-mo" in p.parts]
    texts |= {str(p): p.read_text() for p in pages}

    leaked = leak_finder(world.private)
    leaks = {name: found for name, text in texts.items() if (found := leaked(text))}

    assert len(world.private) > 1000  # the demo network's tax codes and e-mails are scanned too
    assert leaks == {}
    assert leaked(f"x {sorted(world.private)[0]} y")  # the scan does find them


@functools.cache
def schema_registry() -> Registry:  # type: ignore[type-arg]
    schemas = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in hsds_schemas().glob("*.json")
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(schemas)


def validator(name: str, *, tabular: bool = False) -> Draft202012Validator:
    schema: dict[str, Any] = {"$ref": f"{name}.json"}
    if tabular:
        own = json.loads((hsds_schemas() / f"{name}.json").read_text())
        schema = {"allOf": [schema, {"required": own.get("tabular_required", [])}]}
    return Draft202012Validator(schema, registry=schema_registry())


def test_hsds_json_validates_against_the_official_schemas(world: World) -> None:
    hsds = json.loads(world.built["hsds/hsds.json"])
    organization, service = validator("organization"), validator("service")

    errors = [e.message for org in hsds["organizations"] for e in organization.iter_errors(org)]
    errors += [e.message for s in hsds["services"] for e in service.iter_errors(s)]

    assert errors == []
    assert len(hsds["organizations"]) == 1 + len(world.active)
    broken = json.loads(json.dumps(hsds["organizations"][0]))
    broken["locations"][0]["schedules"][0]["freq"] = "HOURLY"
    assert not organization.is_valid(broken)  # the nested $refs really are checked


def test_hsds_tabular_package_validates(world: World) -> None:
    package = json.loads(world.built["hsds/datapackage.json"])
    tables = {r["name"]: csv_rows(world.built[f"hsds/{r['path']}"]) for r in package["resources"]}
    ids = {name: {row["id"] for row in rows} for name, rows in tables.items()}

    for resource in package["resources"]:
        name, rows = resource["name"], tables[resource["name"]]
        schema = json.loads((hsds_schemas() / f"{name}.json").read_text())
        columns = [f["name"] for f in resource["schema"]["fields"]]
        assert resource["path"] == schema["path"]
        assert list(rows[0]) == columns
        for f in resource["schema"]["fields"]:
            assert schema["properties"][f["name"]]["type"] == f["type"], (name, f)
        numbers = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"}
        required = set(schema.get("required", []))
        check = validator(name, tabular=True)
        for row in rows:
            obj = {
                k: float(v) if k in numbers else v
                for k, v in row.items()
                if v != "" or k in required
            }
            assert list(check.iter_errors(obj)) == [], (name, row)
        assert len(ids[name]) == len(rows) == resource["count"]
        for key in resource["schema"]["foreignKeys"]:
            parent = ids[key["reference"]["resource"]]
            assert {row[key["fields"]] for row in rows} - {""} <= parent, (name, key)


def test_the_page_lists_every_file_and_its_links_resolve(world: World) -> None:
    page = world.site / "du-lieu-mo" / "index.html"
    html = page.read_text()
    index = json.loads(world.built["index.json"])
    links = set(re.findall(r'href="([^":#]+)"', html))

    for item in index["files"]:
        assert item["path"] in links
        assert (page.parent / item["path"]).is_file()
    assert "CC BY 4.0" in html
    assert "Dữ liệu minh họa" in html
    catalogs = [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    assert [c["@type"] for c in catalogs] == ["DataCatalog"]


def test_the_agent_history_is_public_and_sanitized(world: World) -> None:
    events = [(e["event"], e["fields"]) for e in world.history]

    assert events == [("hours_changed", ["opening_hours"]), ("created", [])]
    assert leak_finder(world.private)(json.dumps(world.history)) == set()


def test_processing_times_say_their_unit_in_every_procedure_export(
    world: World, catalog: Catalog
) -> None:
    rows = {r["id"]: r for r in csv_rows(world.built["thu-tuc.csv"])}
    services = {s["id"]: s for s in json.loads(world.built["hsds/hsds.json"])["services"]}
    timed = [p for p in catalog.procedures if p.processing_time and p.processing_time.days]

    for p in timed:
        t = p.processing_time
        assert t is not None and t.days is not None
        days = f"{t.days:g} ngày" + (" làm việc" if t.working_days else "")
        text = rows[p.id]["processing_time"]
        assert text == days or text.startswith(f"{days} ("), (p.id, text)
        assert services[hsds_id("service", p.id)]["wait_time"] == text
    assert len(timed) > 50
