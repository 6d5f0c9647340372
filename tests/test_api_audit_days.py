"""One agent's report carries its daily series: every local day with activity over the period,
with the counts recorded that day (the staff agent page charts it). Days are Hanoi days: a
submission at 06:30 in Hanoi counts on that day, not on the UTC day before."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.load import Catalog
from tests.api_client import running_api
from tests.factories import submission_body

VN = dt.timezone(dt.timedelta(hours=7))


def recent_weekdays(count: int) -> list[dt.date]:
    """The last ``count`` Mondays-to-Fridays before today in Hanoi, oldest first."""
    today = dt.datetime.now(VN).date()
    days = [today - dt.timedelta(days=n) for n in range(1, 15)]
    return sorted(d for d in days if d.weekday() < 5)[-count:]


def test_days_list_each_local_day_with_its_counts(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> None:
    older, newer = recent_weekdays(2)
    recorded = [  # (day, local time, mode); the factory's agent opens 07:30-12:00, 13:00-18:00
        (older, "09:00", "full_online"),
        (older, "10:00", "partial_online"),
        (older, "15:00", "partial_online"),
        (newer, "06:30", "partial_online"),  # before opening; 23:30 UTC the day before
        (newer, "10:30", "full_online"),
        (newer, "20:15", "partial_online"),  # after closing time
    ]
    with running_api(tmp_path_factory.mktemp("audit-days"), catalog) as api:
        agent, auth = api.new_agent()
        for i, (day, time, mode) in enumerate(recorded):
            at = dt.datetime.combine(day, dt.time.fromisoformat(time), tzinfo=VN)
            body = submission_body(
                dossier_code=f"000.00.01.H26-DAYS-{i:04d}", mode=mode, submitted_at=at.isoformat()
            )
            assert (
                api.client.post("/api/v1/submissions", json=body, headers=auth).status_code == 201
            )

        response = api.client.get(
            f"/api/v1/audit/agents/{agent}?date_from={older - dt.timedelta(days=3)}&date_to={newer}",
            headers=api.staff(),
        )

    assert response.status_code == 200
    assert response.json()["days"] == [
        {"day": str(older), "submissions": 3, "full_online": 1, "off_hours": 0, "burst": False},
        {"day": str(newer), "submissions": 3, "full_online": 1, "off_hours": 2, "burst": False},
    ]
