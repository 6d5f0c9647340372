"""The planned network: where agents sit, in what order they were approved, which ones the
audit should catch, and the application rows behind them (approved, pending, rejected)."""

from __future__ import annotations

import base64
import datetime as dt
import random
from collections.abc import Callable

import msgspec

from agents_registry import store
from agents_registry.applications import check_application
from agents_registry.auth import hash_secret
from agents_registry.context import VIETNAM, Context
from agents_registry.demo.profiles import Identifiers, PlannedAgent, describe
from agents_registry.demo.vocabulary import (
    HOLIDAYS,
    INNER,
    KINDS,
    REJECTION_REASONS,
    REMOTE,
    SUSPENSION_REASONS,
    tet_factor,
)
from agents_registry.models import AgentKind, ApplicationIn
from catalog.models import Ward

Progress = Callable[[str, int, int], None]

PENDING, REJECTED, GAP_WARDS, PHASE_ONE = 15, 5, 12, 32


def _core(ward: Ward) -> bool:
    return ward.kind == "phường" and ward.former_district in INNER


def _allocate(rng: random.Random, wards: list[Ward], total: int) -> list[Ward]:
    """Ward of each agent: several per urban-core ward, fewer per commune, none in some."""
    remote = sorted(
        (w for w in wards if w.kind == "xã" and w.former_district in REMOTE), key=lambda w: w.code
    )
    gaps = {w.code for w in rng.sample(remote, min(GAP_WARDS, len(remote)))}
    weights = {
        w.code: (8.0 if _core(w) else 4.0 if w.kind == "phường" else 2.2) * rng.uniform(0.75, 1.25)
        for w in wards
        if w.code not in gaps
    }
    scale = total / sum(weights.values())
    counts = {code: int(weight * scale) for code, weight in weights.items()}
    by_remainder = sorted(weights, key=lambda c: (-(weights[c] * scale - counts[c]), c))
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return [w for w in wards for _ in range(counts.get(w.code, 0))]


def plan_agents(
    ctx: Context, rng: random.Random, ids: Identifiers, total: int, start: dt.date, report: Progress
) -> list[PlannedAgent]:
    catalog = ctx.catalog
    first_ward = catalog.ward("00070")
    assert first_ward is not None
    placed = _allocate(rng, catalog.wards, total - 1)
    agents = [PlannedAgent(number=0, ward=w, kind=pick_kind(rng, w)) for w in placed]
    # Approval order: the postal partners' phase 1 first, then the others over the year (growth).
    rng.shuffle(agents)
    postal = (AgentKind.POST_OFFICE, AgentKind.VIETTEL_POST)
    phase_one = {id(a) for a in [a for a in agents if a.kind in postal][: PHASE_ONE - 1]}
    agents.sort(key=lambda a: id(a) not in phase_one)
    agents.insert(0, PlannedAgent(number=0, ward=first_ward, kind=AgentKind.POST_OFFICE))
    workdays = [
        d
        for d in (start + dt.timedelta(days=i) for i in range(365))
        if d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS and tet_factor(d) > 0.5
    ]
    offsets = sorted(
        min(i // 7, 4) if i < PHASE_ONE else 5 + int((len(workdays) - 6) * rng.random() ** 2)
        for i in range(len(agents))
    )
    approvals = sorted(
        dt.datetime.combine(workdays[offset], dt.time(8), tzinfo=VIETNAM)
        + dt.timedelta(seconds=rng.randrange(9 * 3600))
        for offset in offsets
    )
    for i, (agent, approved) in enumerate(zip(agents, approvals, strict=True)):
        agent.number, agent.created = i + 1, approved
        describe(ctx, rng, ids, agent)
        report("Planning agents", i + 1, len(agents))
    return agents


def pick_kind(rng: random.Random, ward: Ward) -> AgentKind:
    kinds = list(KINDS)
    weights = [KINDS[k].core_weight if _core(ward) else KINDS[k].weight for k in kinds]
    return rng.choices(kinds, weights=weights)[0]


def assign_behaviour(rng: random.Random, network: list[PlannedAgent], start: dt.date) -> None:
    """Mark the agents the audit should catch; only agents with a long enough history qualify."""
    n = len(network)
    for agent in network:
        laggard = rng.random() < 0.15
        agent.share = (
            (rng.uniform(0.03, 0.09), rng.uniform(0.08, 0.17))
            if laggard
            else (rng.uniform(0.07, 0.17), rng.uniform(0.24, 0.44))
        )
    eligible = [a for a in network[1:] if (a.created.date() - start).days < 365 - 150]
    rng.shuffle(eligible)
    plan = [
        ("inactive", round(0.05 * n)),
        ("suspended", round(0.02 * n)),
        ("burst", max(1, round(0.01 * n))),
        ("off_hours", max(1, round(0.01 * n))),
        ("contested", max(1, round(0.01 * n))),
    ]
    for behaviour, count in plan:
        for agent in eligible[:count]:
            agent.behaviour = behaviour
            if behaviour == "inactive":
                agent.stop = 365 - rng.randint(30, 90)
            elif behaviour == "suspended":
                agent.stop = 365 - rng.randint(10, 120)
            elif behaviour == "off_hours":
                agent.hours = msgspec.structs.replace(agent.hours, sun=[])
        eligible = eligible[count:]


def agent_row(agent: PlannedAgent, start: dt.date) -> store.Row:
    created = store.iso(agent.created)
    updated, reason, status = created, None, "active"
    if agent.behaviour == "suspended" and agent.stop is not None:
        status, reason = "suspended", SUSPENSION_REASONS[agent.number % len(SUSPENSION_REASONS)]
        updated = store.iso(
            dt.datetime.combine(
                start + dt.timedelta(days=agent.stop), dt.time(9, 30), tzinfo=VIETNAM
            )
        )
    return {
        "id": agent.id,
        "number": agent.number,
        "application_id": agent.application_id,
        "name": agent.name,
        "kind": agent.kind.value,
        "tax_code": agent.tax_code,
        "address": agent.address,
        "ward_code": agent.ward.code,
        "lat": agent.lat,
        "lon": agent.lon,
        "phone": agent.phone,
        "email": agent.email,
        "opening_hours": store.to_json(agent.hours),
        "fields": store.to_json(agent.fields),
        "branch_number": agent.branch_number,
        "status": status,
        "status_reason": reason,
        "demo": 1,
        "created_at": created,
        "updated_at": updated,
    }


# --- applications ---------------------------------------------------------------------------


def application_row(
    ctx: Context,
    rng: random.Random,
    ids: Identifiers,
    agent: PlannedAgent,
    *,
    status: str = "approved",
    created: dt.datetime | None = None,
    updated: dt.datetime | None = None,
    reason: str | None = None,
) -> store.Row:
    """An application row whose data passes the same checks as POST /applications."""
    data = msgspec.convert(
        {
            "business_name": agent.name,
            "kind": agent.kind.value,
            "tax_code": agent.tax_code,
            "legal_representative": agent.representative,
            "address": agent.address,
            "ward_code": agent.ward.code,
            "lat": agent.lat,
            "lon": agent.lon,
            "phone": agent.phone,
            "email": agent.email,
            "opening_hours": msgspec.to_builtins(agent.hours),
            "staff_count": agent.staff_count,
            "equipment": agent.equipment,
            "fields": agent.fields,
        },
        ApplicationIn,
    )
    problems = check_application(ctx, data)
    if problems:
        raise RuntimeError(f"demo application for {agent.name!r} is invalid: {problems}")
    agent.application_id = ids.application_id()
    if status == "approved":
        updated = agent.created
        created = agent.created - dt.timedelta(days=rng.randint(3, 15), hours=rng.randint(0, 6))
    assert created is not None and updated is not None
    secret = (
        base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).rstrip(b"=").decode()
    )
    return {
        **msgspec.to_builtins(data),
        "id": agent.application_id,
        "opening_hours": store.to_json(data.opening_hours),
        "fields": store.to_json(data.fields),
        "status": status,
        "reason": reason,
        "secret_hash": hash_secret(secret),
        "agent_id": agent.id if status == "approved" else None,
        "demo": 1,
        "created_at": store.iso(created),
        "updated_at": store.iso(updated),
    }


def other_applications(
    ctx: Context,
    rng: random.Random,
    ids: Identifiers,
    network: list[PlannedAgent],
    now: dt.datetime,
) -> list[store.Row]:
    """Pending applications for staff to review (some from wards with no agent) and rejected ones."""
    covered = {a.ward.code for a in network}
    gaps = [w for w in ctx.catalog.wards if w.code not in covered]
    rows = []
    for i in range(PENDING + REJECTED):
        ward = rng.choice(gaps) if gaps and i % 3 == 0 else rng.choice(ctx.catalog.wards)
        applicant = PlannedAgent(number=0, ward=ward, kind=pick_kind(rng, ward))
        describe(ctx, rng, ids, applicant)
        hour = dt.timedelta(seconds=rng.randrange(7 * 3600, 15 * 3600))
        if i < PENDING:
            created = now - dt.timedelta(days=rng.randint(1, 20)) - hour
            row = application_row(
                ctx, rng, ids, applicant, status="pending", created=created, updated=created
            )
        else:
            created = now - dt.timedelta(days=rng.randint(40, 200)) - hour
            row = application_row(
                ctx,
                rng,
                ids,
                applicant,
                status="rejected",
                created=created,
                updated=created + dt.timedelta(days=rng.randint(2, 10)),
                reason=REJECTION_REASONS[i % len(REJECTION_REASONS)],
            )
        rows.append(row)
    return rows
