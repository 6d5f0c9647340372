"""The audit's summary (network, branches, months) and one agent's full report with evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlite_utils import Database

from agents_registry import audit_store, feedback_store, store
from agents_registry.audit import all_kpis, figures, month_series, targets
from agents_registry.audit_counters import day_bounds
from agents_registry.audit_models import (
    AgentKpis,
    AgentReport,
    AuditEntry,
    AuditSummary,
    BranchTotals,
    DayPoint,
    Evidence,
    FlagCode,
    Period,
    ProcedureKpis,
    Totals,
)
from agents_registry.context import Context
from agents_registry.errors import NotFound
from agents_registry.feedback_models import STATUS_NAMES

EVIDENCE_LIMIT = 50


def _totals(items: list[AgentKpis]) -> dict[str, Any]:
    sums = {
        key: sum(getattr(k, key) for k in items)
        for key in ("full_online", "verified", "returned", "completed", "on_time", "off_hours")
    }
    row = {
        **sums,
        "n": sum(k.submissions for k in items),
        "active_days": sum(k.active_days for k in items),
        "bursts": sum(k.bursts for k in items),
    }
    counts = Counter(f.code.value for k in items for f in k.flags)
    return {
        **figures(row),
        "agents": len(items),
        "active_agents": sum(k.submissions > 0 for k in items),
        "flagged_agents": sum(bool(k.flags) for k in items),
        "flags": {code.value: counts[code.value] for code in FlagCode},
    }


def summary(
    db: Database, ctx: Context, period: Period, branch_number: int | None = None
) -> AuditSummary:
    """Network (or one branch's) figures, each branch's, and 12 months up to the period end."""
    items = [
        k
        for k in all_kpis(db, ctx, period)
        if branch_number is None or k.branch_number == branch_number
    ]
    names = {b.number: b.name for b in ctx.catalog.branches}
    branches = [
        BranchTotals(
            **_totals([k for k in items if k.branch_number == number]),
            branch_number=number,
            name=names.get(number, f"Chi nhánh {number}"),
        )
        for number in sorted({k.branch_number for k in items})
    ]
    since, until = day_bounds(period.date_from, period.date_to)
    return AuditSummary(
        period=period,
        targets=targets(ctx),
        reconciled_records=audit_store.official_count(db, since, until),
        network=Totals(**_totals(items)),
        branches=branches,
        series=month_series(db, ctx, period.date_to, branch_number=branch_number),
    )


def _evidence(
    db: Database, agent: store.Row, kpis: AgentKpis, period: Period
) -> dict[FlagCode, list[Evidence]]:
    since, until = day_bounds(period.date_from, period.date_to)
    start, end = period.date_from.isoformat(), period.date_to.isoformat()
    found: dict[FlagCode, list[Evidence]] = {}
    codes = {f.code for f in kpis.flags}
    if FlagCode.burst in codes:
        found[FlagCode.burst] = [
            Evidence(day=dt.date.fromisoformat(d["day"]), count=d["n"], detail="hồ sơ trong ngày")
            for d in audit_store.agent_days(db, agent["id"], start, end)
            if d["burst"]
        ]
    if FlagCode.off_hours in codes:
        found[FlagCode.off_hours] = [
            Evidence(
                at=dt.datetime.fromisoformat(r["submitted_at"]),
                dossier_code=r["dossier_code"],
                detail="ngoài giờ mở cửa",
            )
            for r in audit_store.off_hours_submissions(
                db, agent["id"], since, until, EVIDENCE_LIMIT
            )
        ]
    if FlagCode.contested in codes:
        found[FlagCode.contested] = [
            Evidence(
                at=dt.datetime.fromisoformat(c["at"]),
                dossier_code=c["dossier_code"],
                detail=f"đã do đại lý {c['owner']} ghi nhận",
            )
            for c in audit_store.contested_claims(db, since, until, agent["id"])
        ][:EVIDENCE_LIMIT]
    if FlagCode.charged in codes:
        found[FlagCode.charged] = [
            Evidence(
                at=dt.datetime.fromisoformat(r["received_at"]),
                report_code=r["code"],
                detail=f"phản ánh {r['code']} về việc bị thu phí ({STATUS_NAMES[r['status']]})",
            )
            for r in feedback_store.charged_reports(db, since, until, agent["id"])
        ][:EVIDENCE_LIMIT]
    if FlagCode.inactive in codes:
        found[FlagCode.inactive] = [
            Evidence(day=kpis.last_activity, detail="ngày có hồ sơ gần nhất")
        ]
    found[FlagCode.below_target] = [
        Evidence(count=kpis.full_online, detail=f"hồ sơ toàn trình / {kpis.submissions} hồ sơ")
    ]
    found[FlagCode.low_verified] = [
        Evidence(count=kpis.verified, detail=f"hồ sơ khớp dữ liệu chính thức / {kpis.submissions}")
    ]
    found[FlagCode.low_ratings] = [Evidence(count=kpis.rating_count, detail="lượt đánh giá")]
    return found


def agent_report(db: Database, ctx: Context, agent_id: str, period: Period) -> AgentReport:
    """One agent over the period: KPIs, flags with evidence, 12 months, procedures, audit log."""
    agent = store.get_agent(db, agent_id)
    if agent is None:
        raise NotFound(f"agent {agent_id} does not exist")
    (kpis,) = all_kpis(db, ctx, period, agent)
    evidence = _evidence(db, agent, kpis, period)
    for flag in kpis.flags:
        flag.evidence = evidence.get(flag.code, [])
    since, until = day_bounds(period.date_from, period.date_to)
    procedures = []
    for r in audit_store.by_procedure(db, agent_id, since, until):
        procedure = ctx.catalog.procedure(r["procedure_code"])
        procedures.append(
            ProcedureKpis(
                procedure_code=r["procedure_code"],
                name=procedure.name if procedure else r["procedure_code"],
                submissions=r["n"],
                full_online=r["full_online"],
                verified=r["verified"],
                returned=r["returned"],
                completed=r["completed"],
                on_time=r["on_time"],
            )
        )
    kpis.procedures = len(procedures)
    log = [
        AuditEntry(
            **{k: e[k] for k in ("id", "actor", "action", "entity", "entity_id")},
            at=dt.datetime.fromisoformat(e["at"]),
            before=store.from_json(e["before"]) if e["before"] else None,
            after=store.from_json(e["after"]) if e["after"] else None,
        )
        for e in audit_store.agent_audit_log(db, agent_id)
    ]
    return AgentReport(
        period=period,
        targets=targets(ctx),
        agent=kpis,
        series=month_series(db, ctx, period.date_to, agent_id=agent_id),
        days=[
            DayPoint(
                day=dt.date.fromisoformat(d["day"]),
                submissions=d["n"],
                full_online=d["full_online"],
                off_hours=d["off_hours"],
                burst=bool(d["burst"]),
            )
            for d in audit_store.agent_days(
                db, agent_id, period.date_from.isoformat(), period.date_to.isoformat()
            )
        ],
        by_procedure=procedures,
        audit_log=log,
    )
