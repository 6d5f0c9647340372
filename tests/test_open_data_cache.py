"""The live open data (and the nearest-place index) are rebuilt when a place changes, not on
every recorded submission: exporting every file takes seconds and submissions never stop."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from agents_registry import nearest, open_data
from agents_registry.db import connect
from catalog.history import CatalogTimes
from catalog.load import Catalog
from tests.api_client import running_api
from tests.factories import submission_body, tax_code


def agent_hours(data: open_data.OpenData, agent_id: str) -> str:
    rows = csv.DictReader(io.StringIO(data.files["dia-diem.csv"].decode()))
    return next(r["opening_hours"] for r in rows if r["id"] == agent_id)


def test_a_submission_keeps_the_export_and_an_hours_change_renews_it(
    tmp_path: Path, catalog: Catalog
) -> None:
    times = CatalogTimes(procedures={}, branches=None, wards=None)
    now = dt.datetime.now(dt.UTC)
    hours = {d: ["07:00-11:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    with running_api(tmp_path, catalog) as api:
        agent, auth = api.new_agent(tax_code=tax_code("010999006"))
        db = connect(api.db_path)
        try:
            before = open_data.live(db, catalog, times, now=now)
            version = nearest.places_version(db)
            recorded = api.client.post("/api/v1/submissions", json=submission_body(), headers=auth)
            assert recorded.status_code == 201, recorded.text
            audited = api.query("SELECT count(*) FROM audit_log WHERE entity = 'submission'")
            after_submission = open_data.live(db, catalog, times, now=now)
            version_after_submission = nearest.places_version(db)
            changed = api.client.put("/api/v1/me/hours", json=hours, headers=auth)
            assert changed.status_code == 200, changed.text
            after_hours = open_data.live(db, catalog, times, now=now)
            version_after_hours = nearest.places_version(db)
        finally:
            db.conn.close()

    assert audited == [(1,)]  # the submission was audited, and yet:
    assert after_submission is before
    assert version_after_submission == version
    assert after_hours is not before
    assert version_after_hours != version
    assert "07:00-11:00" in agent_hours(after_hours, agent)
    assert "07:00-11:00" not in agent_hours(before, agent)
