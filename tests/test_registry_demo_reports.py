"""The demo network's citizens' reports: a staff queue with work in every status, some overdue,
and "charged" reports that make the audit flag the agents the demo suspended for charging."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from agents_registry import feedback, store
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.demo import seed
from agents_registry.demo.vocabulary import SUSPENSION_REASONS
from agents_registry.feedback_store import QueueFilter
from agents_registry.migrations import migrate
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import report_body

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime.combine(TODAY, dt.time(), tzinfo=VIETNAM)
SECRET = b"demo-reports-test-secret-0123456"
CODE = re.compile(r"PA-[A-Z2-7]{10}")


def seeded(path: Path, catalog: Catalog, **options: Any) -> Database:
    db = connect(path)
    migrate(db)
    seed(db, Context(catalog=catalog, secret_key=SECRET), today=TODAY, **options)
    return db


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Api]:
    """The API over a registry holding the full demo network of ``TODAY``."""
    tmp = tmp_path_factory.mktemp("demo-reports")
    seeded(tmp / "hcc.db", catalog).conn.close()
    with running_api(tmp, catalog) as api:
        yield api


def rows(api: Api, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    db = connect(api.db_path)
    try:
        return list(db.query(sql, params or []))
    finally:
        db.conn.close()


def queue_total(api: Api, **params: str) -> int:
    response = api.client.get("/api/v1/reports", params=params, headers=api.staff())
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def test_a_few_dozen_reports_in_every_status_all_demo(api: Api) -> None:
    by_status = {s: queue_total(api, status=s) for s in ("received", "in_progress", "resolved")}
    by_status["rejected"] = queue_total(api, status="rejected")
    total = queue_total(api)

    assert 30 <= total <= 80
    assert sum(by_status.values()) == total
    assert all(count >= 3 for count in by_status.values()), by_status
    assert by_status["resolved"] > by_status["rejected"]
    assert queue_total(api, kind="charged") >= 5
    [seeded_entry] = rows(api, "SELECT after FROM audit_log WHERE entity = 'reports'")
    assert store.from_json(seeded_entry["after"]) == {
        "count": total,
        **by_status,
        "seed": 20250205,
        "today": TODAY.isoformat(),
    }
    [marked] = rows(api, "SELECT sum(demo) AS demo, count(*) AS count FROM reports")
    assert marked == {"demo": total, "count": total}


def test_closed_reports_have_a_note_open_ones_a_few_overdue(api: Api, catalog: Catalog) -> None:
    page = api.client.get("/api/v1/reports", params={"page_size": 500}, headers=api.staff())
    items = page.json()["items"]
    for item in items:
        closed = item["status"] in ("resolved", "rejected")
        assert CODE.fullmatch(item["code"]) and item["demo"] is True
        assert (item["note"] is not None) == closed and (item["closed_at"] is not None) == closed
        assert [e["status"] for e in item["history"]][-1] == item["status"]
        assert item["history"][-1]["at"] == item["updated_at"]
        assert item["contact_name"] is item["contact_email"] is item["contact_phone"] is None
        assert len(item["description"]) >= 10 and not re.search("[0-9]{6,}|@", item["description"])
    ctx = Context(catalog=catalog, secret_key=SECRET, clock=lambda: NOW)
    db = connect(api.db_path)
    overdue, count = feedback.queue(db, ctx, QueueFilter(), overdue=True, page=1, page_size=500)
    opened, _ = feedback.queue(
        db, ctx, QueueFilter(status="open"), overdue=False, page=1, page_size=500
    )
    db.conn.close()
    assert 3 <= count < len(opened)
    assert all(r.overdue and r.due_on < TODAY for r in overdue)


def test_nothing_is_dated_at_or_after_now(api: Api) -> None:
    now = store.iso(NOW)
    [latest] = rows(
        api,
        "SELECT max(r.received_at) AS received, max(r.updated_at) AS updated, max(e.at) AS event "
        "FROM reports r JOIN report_events e ON e.code = r.code",
    )
    assert all(value < now for value in latest.values()), latest
    [earliest] = rows(api, "SELECT min(received_at) AS received FROM reports")
    assert earliest["received"] >= store.iso(NOW - dt.timedelta(days=150))


def test_the_public_status_page_shows_a_demo_report_as_demo(api: Api) -> None:
    [row] = rows(
        api, "SELECT code FROM reports WHERE status = 'resolved' ORDER BY received_at LIMIT 1"
    )
    public = api.client.get(f"/api/v1/reports/{row['code']}").json()

    assert public["demo"] is True and public["note"]
    assert [e["action"] for e in public["history"]] == ["receive", "progress", "resolve"]
    created = api.client.post("/api/v1/reports", json=report_body())
    assert created.status_code == 201, created.text
    assert api.client.get(f"/api/v1/reports/{created.json()['code']}").json()["demo"] is False


def charged_by_month(api: Api) -> dict[str, set[str]]:
    """Agents with a charged report received that (local) month and not rejected."""
    reports = rows(
        api,
        "SELECT subject_id, received_at, status FROM reports WHERE kind = 'charged'",
    )
    months: dict[str, set[str]] = {}
    for r in reports:
        if r["status"] != "rejected":
            month = dt.datetime.fromisoformat(r["received_at"]).astimezone(VIETNAM)
            months.setdefault(f"{month:%Y-%m}", set()).add(r["subject_id"])
    return months


def flagged_charged(api: Api, month: str) -> set[str]:
    response = api.client.get(
        "/api/v1/audit/agents",
        params={"month": month, "flag": "charged", "page_size": 500},
        headers=api.staff(),
    )
    assert response.status_code == 200, response.text
    return {item["agent_id"] for item in response.json()["items"]}


def test_the_audit_flags_exactly_the_agents_reported_for_charging(api: Api) -> None:
    months = charged_by_month(api)
    suspended_for_fees = {
        r["id"]
        for r in rows(
            api,
            "SELECT id FROM agents WHERE status = 'suspended' AND status_reason = ?",
            [SUSPENSION_REASONS[0]],
        )
    }
    [rejected] = rows(
        api, "SELECT subject_id FROM reports WHERE kind = 'charged' AND status = 'rejected'"
    )

    assert suspended_for_fees and suspended_for_fees < set().union(*months.values())
    for month, agents in months.items():
        assert flagged_charged(api, month) == agents, month
    assert rejected["subject_id"] not in set().union(*months.values())
    counts = Counter(
        r["subject_id"] for r in rows(api, "SELECT subject_id FROM reports WHERE kind = 'charged'")
    )
    assert all(counts[agent] >= 2 for agent in suspended_for_fees)


def test_same_seed_and_day_give_the_same_reports(tmp_path: Path, catalog: Catalog) -> None:
    first = seeded(tmp_path / "a.db", catalog, agents=60)
    second = seeded(tmp_path / "b.db", catalog, agents=60)
    for table in ("reports", "report_events"):
        sql = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert first.execute(sql).fetchall() == second.execute(sql).fetchall(), table
    assert first.execute("SELECT count(*) FROM reports").fetchone()[0] >= 30
