"""The demo agent network: a deterministic, ILLUSTRATIVE year of agents and submissions.

Every row written here is marked ``demo = 1`` and is invented, except the geography: agents sit
in Hanoi's real wards (catalog/data/wards.yaml) and report to the real branches, and they file
the catalog's real procedures. Businesses, people, tax codes, phone numbers, dossier codes and
citizen IDs are synthetic. Only agent DL-0001 is modelled on a real one (the first agent opened
at Bưu điện Trung tâm Hoàn Kiếm, 75 Đinh Tiên Hoàng); non-postal kinds of agent are synthetic
(research notes §5). E-mail addresses use the reserved ``.example`` domain so nobody is mailed.

The audit must have something true to find, so the year contains growth of the network, weekly
and seasonal rhythm (Tết, school enrolment), a rising fully-online share with agents that stay
below the target, inactive and suspended agents, bursts, off-hours recording, contested
dossier codes, pending and rejected applications, and rural wards with no agent.

Output depends only on ``seed``, ``today``, the catalog and the context's secret key: "now" is
the start of ``today`` in Hanoi, so the year ends at the last second of yesterday and nothing
lies in the future whatever the time of day the seed runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from agents_registry import audit_counters, feedback_store, ratings_store, store
from agents_registry.context import VIETNAM, Context
from agents_registry.db import write
from agents_registry.demo.activity import contested_claims, submissions
from agents_registry.demo.network import (
    PENDING,
    REJECTED,
    Progress,
    agent_row,
    application_row,
    assign_behaviour,
    other_applications,
    plan_agents,
)
from agents_registry.demo.profiles import Identifiers
from agents_registry.demo.ratings import ratings as demo_ratings
from agents_registry.demo.reports import reports as demo_reports
from agents_registry.errors import Conflict

__all__ = ["DEFAULT_SEED", "DemoSummary", "Progress", "seed"]

DEFAULT_SEED = 20250205
BATCH = 10_000


@dataclass(frozen=True)
class DemoSummary:
    """What ``seed`` wrote (the CLI prints it)."""

    agents: int
    active: int
    suspended: int
    submissions: int
    pending_applications: int
    rejected_applications: int
    contested_claims: int


def seed(
    db: Database,
    ctx: Context,
    *,
    today: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    agents: int = 520,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty registry with the demo network and return what was written.

    Raises Conflict if the registry already has an agent. "Now" is the start of ``today``
    (default: the context clock's date in Hanoi); the data covers the 365 days before it and
    is a function of ``seed``, ``today``, ``agents``, the catalog and the context's secret key.
    Everything is written in one transaction, with one ``demo.seed`` audit entry per table.
    ``progress(step, done, total)`` is called as each step advances.
    """
    if agents < 1:
        raise ValueError("agents must be at least 1")
    _refuse_if_seeded(db)
    today = today or ctx.now().astimezone(VIETNAM).date()
    report: Progress = progress or (lambda step, done, total: None)
    now = dt.datetime.combine(today, dt.time(), tzinfo=VIETNAM)
    start = today - dt.timedelta(days=365)
    rng = random.Random(f"hcc-demo:{seed}:{today.isoformat()}")
    ids = Identifiers(random.Random(rng.getrandbits(64)))
    network = plan_agents(ctx, random.Random(rng.getrandbits(64)), ids, agents, start, report)
    assign_behaviour(random.Random(rng.getrandbits(64)), network, start)
    applications = [
        application_row(ctx, random.Random(rng.getrandbits(64)), ids, a) for a in network
    ]
    others = other_applications(ctx, random.Random(rng.getrandbits(64)), ids, network, now)
    rows = submissions(ctx, rng.getrandbits(64), network, start, report)
    claims = contested_claims(random.Random(rng.getrandbits(64)), network, rows, now)
    rated = demo_ratings(random.Random(rng.getrandbits(64)), network, rows, now)
    agent_rows = [agent_row(a, start) for a in network]
    reported = demo_reports(
        random.Random(rng.getrandbits(64)), ctx.catalog, network, agent_rows, now
    )
    suspended = sum(a.behaviour == "suspended" for a in network)
    with write(db):
        _refuse_if_seeded(db)
        store.insert_applications(db, applications + others)
        store.insert_agents(db, agent_rows)
        for i in range(0, len(rows), BATCH):
            store.insert_submissions(db, rows[i : i + BATCH])
            report("Writing submissions", min(i + BATCH, len(rows)), len(rows))
        for dossier_code, claimed_by, owner, at in claims:
            store.insert_contested_claim(db, dossier_code, claimed_by, owner, at)
        ratings_store.insert_ratings(db, rated)
        for report_row in reported.reports:
            feedback_store.insert_report(db, report_row)
        for event in reported.events:
            feedback_store.insert_event(db, event)
        report("Rebuilding the audit counters", 0, 1)
        audit_counters.rebuild(db)
        report("Rebuilding the audit counters", 1, 1)
        counts = {
            "applications": {
                "approved": len(applications),
                "pending": PENDING,
                "rejected": REJECTED,
            },
            "agents": {
                "count": len(network),
                "active": len(network) - suspended,
                "suspended": suspended,
            },
            "submissions": {"count": len(rows)},
            "contested_claims": {"count": len(claims)},
            "ratings": {"count": len(rated)},
            "reports": {
                "count": len(reported.reports),
                **Counter(r["status"] for r in reported.reports),
            },
        }
        for entity, after in counts.items():
            store.append_audit(
                db,
                at=now,
                actor="demo",
                action="demo.seed",
                entity=entity,
                entity_id=f"seed-{seed}",
                after={**after, "seed": seed, "today": today.isoformat()},
            )
    return DemoSummary(
        agents=len(network),
        active=len(network) - suspended,
        suspended=suspended,
        submissions=len(rows),
        pending_applications=PENDING,
        rejected_applications=REJECTED,
        contested_claims=len(claims),
    )


def _refuse_if_seeded(db: Database) -> None:
    if store.count_rows(db, "agents"):
        raise Conflict(
            "the registry already has agents; the demo network seeds only an empty one",
            field="agents",
        )
