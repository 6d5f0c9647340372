"""The audit counters equal a GROUP BY over raw rows: after random writes over HTTP (some
back-dated), and after a reconciliation."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from agents_registry import audit_counters, audit_store
from agents_registry.db import connect
from catalog.load import Catalog
from tests.api_client import running_api
from tests.factories import submission_body, tax_code

VN = dt.timezone(dt.timedelta(hours=7))


def _check(db_path: Any) -> None:
    db = connect(db_path)
    try:
        assert audit_counters.mismatches(db) == []
        today = dt.datetime.now(VN).date()
        first = today - dt.timedelta(days=40)
        since, until = audit_counters.day_bounds(first, today)
        raw = {r["agent_id"]: r for r in audit_store.raw_figures(db, since, until)}
        counted = audit_store.period_figures(db, first.isoformat(), today.isoformat())
        for row in counted:
            expected = raw.get(row["agent_id"])
            if expected is None:
                assert row["n"] == 0
                continue
            for key in ("n", "full_online", "verified", "returned", "completed", "on_time"):
                assert row[key] == expected[key], key
            assert row["active_days"] == expected["active_days"]
            assert row["last_day"] == expected["last_day"]
    finally:
        db.conn.close()


def test_counters_equal_raw_rows_after_random_writes(tmp_path: Any, catalog: Catalog) -> None:
    rng = random.Random(7)
    with running_api(tmp_path, catalog) as api:
        auths = [api.new_agent()[1]]
        auths.append(
            api.new_agent(business_name="Đại lý Cầu Giấy", tax_code=tax_code("010004752"))[1]
        )
        now = dt.datetime.now(VN)
        for i in range(60):
            back = dt.timedelta(
                days=rng.randint(0, 25), hours=rng.randint(0, 23), minutes=rng.randint(2, 59)
            )
            body = submission_body(
                dossier_code=f"000.00.01.H26-RND-{i:04d}",
                mode=rng.choice(["full_online", "partial_online"]),
                submitted_at=(now - back).isoformat(timespec="seconds"),
            )
            response = api.client.post("/api/v1/submissions", json=body, headers=rng.choice(auths))
            assert response.status_code == 201, response.text
        _check(api.db_path)
        received = (now - dt.timedelta(days=1)).isoformat(timespec="seconds")
        csv = "dossier_code,procedure_code,received_at,status,due_at,completed_at\n" + "".join(
            f"000.00.01.H26-RND-{i:04d},1.001193,{received},returned,,{now.isoformat(timespec='seconds')}\n"
            for i in range(0, 60, 3)
        )
        response = api.client.post(
            "/api/v1/audit/reconciliations", content=csv.encode(), headers=api.staff()
        )
        assert response.status_code == 201, response.text
        _check(api.db_path)
