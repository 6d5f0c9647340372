"""The demo agent network: deterministic, plausible, and with something true for the audit to find."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlite_utils import Database

from agents_registry import store
from agents_registry.applications import check_application
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.demo import DemoSummary, seed
from agents_registry.errors import Conflict
from agents_registry.geo import position_problem, supervising_branch
from agents_registry.migrations import migrate
from agents_registry.models import ApplicationIn
from agents_registry.validation import MOBILE_CARRIERS, normalize_phone, tax_code_problem
from catalog.load import load_catalog
from catalog.models import OpeningHours

SECRET = b"demo-test-secret-key-0123456789ab"
TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime.combine(TODAY, dt.time(), tzinfo=VIETNAM)
DOSSIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}$")
CORE = {
    f"Quận {n}"
    for n in [
        "Hoàn Kiếm",
        "Ba Đình",
        "Đống Đa",
        "Hai Bà Trưng",
        "Cầu Giấy",
        "Thanh Xuân",
        "Tây Hồ",
        "Hoàng Mai",
        "Long Biên",
        "Nam Từ Liêm",
        "Bắc Từ Liêm",
        "Hà Đông",
    ]
}


def rows(db: Database, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(VIETNAM)


def open_at(hours: OpeningHours, moment: dt.datetime) -> bool:
    hhmm = moment.strftime("%H:%M:%S")
    return any(
        start <= hhmm[:5] and hhmm < end + ":00"
        for start, end in (r.split("-") for r in hours.day(moment.weekday()))
    )


def fresh_db(path: Path) -> Database:
    db = connect(path)
    migrate(db)
    return db


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(
        catalog=load_catalog(), secret_key=SECRET, clock=lambda: NOW + dt.timedelta(hours=9)
    )


@dataclass
class Seeded:
    db: Database
    summary: DemoSummary
    progress: list[tuple[str, int, int]]
    agents: dict[str, dict[str, Any]]
    submissions: list[dict[str, Any]]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> Iterator[Seeded]:
    """The default-size network (520 agents), seeded once for the module."""
    db = fresh_db(tmp_path_factory.mktemp("demo") / "hcc.db")
    calls: list[tuple[str, int, int]] = []
    summary = seed(
        db, ctx, today=TODAY, progress=lambda step, done, total: calls.append((step, done, total))
    )
    agents = {a["id"]: a for a in rows(db, "SELECT * FROM agents")}
    for agent in agents.values():
        agent["hours"] = msgspec.json.decode(agent["opening_hours"], type=OpeningHours)
        agent["field_list"] = msgspec.json.decode(agent["fields"], type=list[str])
    submissions = rows(db, "SELECT * FROM submissions ORDER BY id")
    yield Seeded(db, summary, calls, agents, submissions)
    db.close()


def test_default_size_counts_and_summary(seeded: Seeded) -> None:
    db, summary = seeded.db, seeded.summary
    assert summary.agents >= 520 and summary.submissions >= 150_000
    assert summary == DemoSummary(
        agents=store.count_rows(db, "agents"),
        active=db.execute("SELECT count(*) FROM agents WHERE status = 'active'").fetchone()[0],
        suspended=db.execute("SELECT count(*) FROM agents WHERE status = 'suspended'").fetchone()[
            0
        ],
        submissions=store.count_rows(db, "submissions"),
        pending_applications=15,
        rejected_applications=5,
        contested_claims=store.count_rows(db, "contested_claims"),
    )
    assert 0.01 <= summary.suspended / summary.agents <= 0.03 and summary.contested_claims > 0
    for table in ("applications", "agents", "submissions"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE demo != 1").fetchone()[0] == 0


def test_progress_is_reported_per_step(seeded: Seeded) -> None:
    last: dict[str, tuple[int, int]] = {}
    for step, done, total in seeded.progress:
        assert 0 <= done <= total and done >= last.get(step, (0, 0))[0]  # 0: the step starts
        last[step] = (done, total)
    assert len(last) >= 2 and all(done == total for done, total in last.values())
    assert last["Writing submissions"][1] == seeded.summary.submissions


def test_every_agent_has_its_approved_application(seeded: Seeded) -> None:
    applications = {a["id"]: a for a in rows(seeded.db, "SELECT * FROM applications")}
    for agent in seeded.agents.values():
        application = applications[agent["application_id"]]
        assert (application["status"], application["agent_id"]) == ("approved", agent["id"])
        assert (
            application["tax_code"] == agent["tax_code"]
            and application["created_at"] < agent["created_at"]
        )


def test_agents_sit_in_real_wards_denser_in_the_urban_core(seeded: Seeded, ctx: Context) -> None:
    catalog = ctx.catalog
    per_ward = Counter(a["ward_code"] for a in seeded.agents.values())
    for agent in seeded.agents.values():
        ward = catalog.ward(agent["ward_code"])
        assert ward is not None
        assert position_problem(catalog, ward, agent["lat"], agent["lon"]) is None
        assert (
            agent["branch_number"]
            == supervising_branch(catalog, ward.code, agent["lat"], agent["lon"]).number
        )
        assert agent["address"].endswith(f"{ward.kind} {ward.name.split(' ', 1)[1]}")
    core = [w for w in catalog.wards if w.kind == "phường" and w.former_district in CORE]
    assert min(per_ward[w.code] for w in core) >= 3
    rural = [w for w in catalog.wards if w.kind == "xã"]
    assert (
        statistics.mean(per_ward[w.code] for w in rural)
        < statistics.mean(per_ward[w.code] for w in core) / 2
    )
    assert sum(per_ward[w.code] == 0 for w in rural) >= 5  # gaps for the coverage audit
    first = seeded.agents["DL-0001"]
    assert (first["name"], first["ward_code"], first["kind"]) == (
        "Bưu điện Trung tâm Hoàn Kiếm",
        "00070",
        "post_office",
    )
    assert "75 phố Đinh Tiên Hoàng" in first["address"]


def test_agent_identifiers_hours_and_fields_are_valid(seeded: Seeded, ctx: Context) -> None:
    field_slugs = {f.slug for f in ctx.catalog.fields}
    agents = list(seeded.agents.values())
    for agent in agents:
        assert tax_code_problem(agent["tax_code"]) is None
        assert (
            normalize_phone(agent["phone"]) == agent["phone"]
            and agent["phone"][:3] in MOBILE_CARRIERS
        )
        assert re.fullmatch(r"[a-z0-9.]+@[a-z0-9-]+\.example", agent["email"])
        assert agent["field_list"] and set(agent["field_list"]) <= field_slugs
        assert any(agent["hours"].day(d) for d in range(5))
        assert (agent["status"] == "suspended") == (agent["status_reason"] is not None)
    for column in ("tax_code", "phone", "email", "name"):
        assert len({a[column] for a in agents}) == len(agents), column
    kinds = Counter(a["kind"] for a in agents)
    assert kinds.most_common(1)[0][0] == "post_office" and len(kinds) == 8
    post_offices = [a for a in agents if a["kind"] == "post_office"]
    assert all(a["hours"].sat for a in post_offices) and any(a["hours"].sun for a in post_offices)
    notaries = [a for a in agents if a["kind"] == "notary_office"]
    assert all({"chung-thuc", "ho-tich"} <= set(a["field_list"]) for a in notaries)
    created = sorted(a["created_at"] for a in agents)
    assert created[0] >= store.iso(NOW - dt.timedelta(days=365)) and created[-1] < store.iso(NOW)
    assert [
        a["id"] for a in sorted(agents, key=lambda a: (a["created_at"], a["number"]))
    ] == sorted(seeded.agents)


def test_submissions_are_consistent_records(seeded: Seeded, ctx: Context) -> None:
    subs = seeded.submissions
    codes = [s["dossier_code"] for s in subs]
    assert len(set(codes)) == len(codes) and all(DOSSIER.match(c) for c in codes)
    for s in subs[:: max(1, len(subs) // 20_000)] + subs[-2000:]:
        agent = seeded.agents[s["agent_id"]]
        procedure = ctx.catalog.procedure(s["procedure_code"])
        assert procedure is not None and procedure.key == s["procedure_code"]
        assert procedure.field in agent["field_list"]
        assert agent["created_at"] < s["submitted_at"] <= s["recorded_at"] < store.iso(NOW)
        assert local(s["recorded_at"]) - local(s["submitted_at"]) < dt.timedelta(hours=24)
        assert store.iso(dt.datetime.fromisoformat(s["submitted_at"])) == s["submitted_at"]
        assert s["dossier_code"].startswith(
            f"000.00.{agent['branch_number']:02d}.H26-{local(s['submitted_at']):%y%m%d}-"
        )
        assert s["idempotency_key"] is None and s["mode"] in ("full_online", "partial_online")
    assert subs[0]["submitted_at"] >= store.iso(NOW - dt.timedelta(days=365))
    assert max(s["submitted_at"] for s in subs) < store.iso(NOW)
    hashed = sum(s["citizen_hash"] is not None for s in subs) / len(subs)
    assert 0.65 < hashed < 0.75


def test_citizen_ids_are_never_stored_in_clear(seeded: Seeded) -> None:
    twelve_digits = re.compile(r"(?<!\d)\d{12}(?!\d)")
    hashes = ("citizen_hash", "secret_hash")
    for s in seeded.submissions:
        assert s["citizen_hash"] is None or re.fullmatch(r"[0-9a-f]{64}", s["citizen_hash"])
    for table in ("applications", "agents", "submissions", "contested_claims", "audit_log"):
        columns = [
            c.name for c in seeded.db[table].columns if c.type == "TEXT" and c.name not in hashes
        ]
        for row in seeded.db.execute(f"SELECT {', '.join(columns)} FROM {table}"):
            for value in row:
                assert value is None or not twelve_digits.search(value), (table, value)


def test_submissions_fall_inside_opening_hours_except_for_off_hours_agents(seeded: Seeded) -> None:
    outside: Counter[str] = Counter()
    for s in seeded.submissions:
        if not open_at(seeded.agents[s["agent_id"]]["hours"], local(s["submitted_at"])):
            outside[s["agent_id"]] += 1
    assert 1 <= len(outside) <= 0.02 * len(seeded.agents)
    assert all(count >= 20 for count in outside.values())


def test_rhythm_of_the_year(seeded: Seeded) -> None:
    by_weekday = Counter(local(s["submitted_at"]).weekday() for s in seeded.submissions)
    assert min(by_weekday[d] for d in range(5)) > 1.5 * by_weekday[5] > 3 * by_weekday[6]
    by_day = Counter(local(s["submitted_at"]).date() for s in seeded.submissions)
    tet = dt.date(2026, 2, 17)
    around_tet = sum(by_day[tet + dt.timedelta(days=i)] for i in range(4))
    weeks_after = sum(by_day[tet + dt.timedelta(days=i)] for i in range(14, 18))
    assert around_tet < weeks_after / 10
    by_month = Counter(local(s["submitted_at"]).month for s in seeded.submissions)
    assert by_month[9] > by_month[11] and by_month[8] > by_month[6]


def test_fully_online_share_rises_and_some_agents_stay_below_target(seeded: Seeded) -> None:
    def share(items: list[dict[str, Any]]) -> float:
        return sum(s["mode"] == "full_online" for s in items) / len(items)

    first_quarter = store.iso(NOW - dt.timedelta(days=365 - 91))
    last_quarter = store.iso(NOW - dt.timedelta(days=91))
    first = [s for s in seeded.submissions if s["submitted_at"] < first_quarter]
    last = [s for s in seeded.submissions if s["submitted_at"] >= last_quarter]
    assert share(first) < 0.2 < share(last) and share(last) - share(first) > 0.1
    by_agent: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in last:
        by_agent[s["agent_id"]].append(s)
    busy = {agent: share(items) for agent, items in by_agent.items() if len(items) >= 30}
    below = [agent for agent, value in busy.items() if value < 0.2]
    assert 0.05 * len(busy) < len(below) < 0.6 * len(busy)


def test_inactive_suspended_and_suspicious_agents_exist(seeded: Seeded) -> None:
    db = seeded.db
    last_seen = dict(
        db.execute(
            "SELECT agent_id, max(submitted_at) FROM submissions GROUP BY agent_id"
        ).fetchall()
    )
    old = [
        a
        for a in seeded.agents.values()
        if a["created_at"] < store.iso(NOW - dt.timedelta(days=150))
    ]
    quiet = [
        a
        for a in old
        if a["status"] == "active"
        and last_seen.get(a["id"], "") < store.iso(NOW - dt.timedelta(days=30))
    ]
    assert 0.03 * len(seeded.agents) <= len(quiet) <= 0.08 * len(seeded.agents)
    for agent in (a for a in seeded.agents.values() if a["status"] == "suspended"):
        assert last_seen[agent["id"]] < agent["updated_at"] < store.iso(NOW)
    per_day: Counter[tuple[str, dt.date]] = Counter(
        (s["agent_id"], local(s["submitted_at"]).date()) for s in seeded.submissions
    )
    days_of: defaultdict[str, list[int]] = defaultdict(list)
    for (agent_id, _), count in per_day.items():
        days_of[agent_id].append(count)
    bursts = [
        a for a, counts in days_of.items() if max(counts) >= max(20, 10 * statistics.median(counts))
    ]
    assert 1 <= len(bursts) <= 0.03 * len(seeded.agents)
    owners = {s["dossier_code"]: s for s in seeded.submissions}
    claims = rows(db, "SELECT * FROM contested_claims")
    assert len({c["claimed_by"] for c in claims}) >= 3
    for claim in claims:
        owner = owners[claim["dossier_code"]]
        assert claim["owner"] == owner["agent_id"] != claim["claimed_by"]
        assert owner["recorded_at"] < claim["at"] < store.iso(NOW)


def test_pending_and_rejected_applications_pass_the_public_checks(
    seeded: Seeded, ctx: Context
) -> None:
    others = rows(
        seeded.db, "SELECT * FROM applications WHERE status != 'approved' ORDER BY created_at"
    )
    assert Counter(a["status"] for a in others) == {"pending": 15, "rejected": 5}
    taken = {a["tax_code"] for a in seeded.agents.values()}
    for row in others:
        data = msgspec.convert(
            {
                **{
                    name: row[name]
                    for name in ApplicationIn.__struct_fields__
                    if name not in ("opening_hours", "fields")
                },
                "opening_hours": msgspec.json.decode(row["opening_hours"]),
                "fields": msgspec.json.decode(row["fields"]),
            },
            ApplicationIn,
        )
        assert check_application(ctx, data) == {}
        assert re.fullmatch(r"[0-9a-f]{64}", row["secret_hash"]) and row["agent_id"] is None
        assert (row["status"] == "rejected") == (row["reason"] is not None)
        assert row["tax_code"] not in taken and row["created_at"] <= row["updated_at"] < store.iso(
            NOW
        )
    assert len({row["tax_code"] for row in others}) == len(others)


def test_one_audit_entry_per_bulk_step(seeded: Seeded) -> None:
    entries = rows(seeded.db, "SELECT * FROM audit_log ORDER BY id")
    assert {(e["actor"], e["action"], e["at"]) for e in entries} == {
        ("demo", "demo.seed", store.iso(NOW))
    }
    assert [e["entity"] for e in entries] == [
        "applications",
        "agents",
        "submissions",
        "contested_claims",
        "ratings",
        "reports",
    ]
    assert store.from_json(entries[2]["after"])["count"] == seeded.summary.submissions


def test_seeding_a_registry_with_agents_is_refused(seeded: Seeded, ctx: Context) -> None:
    with pytest.raises(Conflict):
        seed(seeded.db, ctx, today=TODAY, agents=5)
    assert store.count_rows(seeded.db, "agents") == seeded.summary.agents


def test_same_seed_and_day_give_identical_content(tmp_path: Path, ctx: Context) -> None:
    first, second = fresh_db(tmp_path / "a.db"), fresh_db(tmp_path / "b.db")
    seed(first, ctx, today=TODAY, agents=60)
    seed(second, ctx, today=TODAY, agents=60)
    for table in ("applications", "agents", "submissions", "contested_claims", "audit_log"):
        sql = f"SELECT * FROM {table} ORDER BY 1"
        assert first.execute(sql).fetchall() == second.execute(sql).fetchall(), table
    other = fresh_db(tmp_path / "c.db")
    seed(other, ctx, today=TODAY, agents=60, seed=7)
    assert (
        other.execute("SELECT name FROM agents").fetchall()
        != first.execute("SELECT name FROM agents").fetchall()
    )


def test_today_defaults_to_the_context_date_in_hanoi(tmp_path: Path, ctx: Context) -> None:
    late_evening_utc = dt.datetime(2026, 3, 14, 18, 30, tzinfo=dt.UTC)  # already 15 March in Hanoi
    ctx = Context(catalog=ctx.catalog, secret_key=SECRET, clock=lambda: late_evening_utc)
    db = fresh_db(tmp_path / "d.db")
    summary = seed(db, ctx, agents=8)
    assert summary.agents == 8 and summary.submissions > 0
    at = db.execute("SELECT DISTINCT at FROM audit_log").fetchall()
    assert at == [(store.iso(NOW),)]
    assert db.execute("SELECT max(submitted_at) FROM submissions").fetchone()[0] < store.iso(NOW)


def test_nothing_lies_in_the_future_when_seeded_now(tmp_path: Path, ctx: Context) -> None:
    db = fresh_db(tmp_path / "e.db")
    seed(db, Context(catalog=ctx.catalog, secret_key=SECRET), agents=8)
    latest = db.execute(
        "SELECT max(max(submitted_at), max(recorded_at)) FROM submissions"
    ).fetchone()[0]
    assert latest < store.iso(dt.datetime.now(dt.UTC))
