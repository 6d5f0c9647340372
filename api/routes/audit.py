"""Staff audit: KPIs and flags per agent, branch and network; coverage; reconciliation; exports."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from agents_registry import audit, audit_export, audit_report, coverage, reconcile
from agents_registry.audit_models import (
    AgentRanking,
    AgentReport,
    AuditSummary,
    Coverage,
    FlagCode,
    Period,
    ReconciliationReport,
    SortKey,
)
from agents_registry.context import Context
from api.deps import Caller, Db, RegistryContext
from api.routes.common import ModifiedAfter, PageNumber, PageSize, modified_after_utc

RECONCILIATION_MAX_BYTES = 20 * 1024 * 1024

Month = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        description="A calendar month (YYYY-MM); instead of date_from/date_to.",
    ),
]
DateFrom = Annotated[
    dt.date | None, QueryParameter(description="First local date (default: 1st of the month).")
]
DateTo = Annotated[dt.date | None, QueryParameter(description="Last local date (default: today).")]
Branch = Annotated[int | None, QueryParameter(ge=1, le=99, description="Supervising branch.")]
AgentStatus = Annotated[
    str | None,
    QueryParameter(pattern=r"^(active|suspended|revoked)$", description="Agent status."),
]
Flagged = Annotated[FlagCode | None, QueryParameter(description="Only agents with this flag.")]
WardCode = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{5}$", description="Ward code.")]
Sort = Annotated[SortKey, QueryParameter(description="Sort key (ties by agent number).")]
Order = Annotated[str, QueryParameter(pattern=r"^(asc|desc)$", description="asc or desc.")]
Radius = Annotated[
    float, QueryParameter(gt=0, le=50, description="Distance to a branch or reception point, km.")
]
FileName = Annotated[
    str, QueryParameter(min_length=1, max_length=200, description="Name of the imported file.")
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ranking(
    db: Db,
    ctx: Context,
    period: Period,
    query: audit.RankingQuery,
    modified_after: dt.datetime | None,
) -> AgentRanking:
    return audit.ranking(db, ctx, period, query, modified_after_utc(modified_after))


EXPORTS = {
    "csv": (audit_export.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (audit_export.to_xlsx, XLSX),
}


def _export(
    db: Db, ctx: Context, period: Period, query: audit.RankingQuery, kind: str
) -> Response[bytes]:
    """Every agent of the ranking as a file to download."""
    render, media_type = EXPORTS[kind]
    name = f"dai-ly-{period.date_from}-{period.date_to}.{kind}"
    return Response(
        render(_ranking(db, ctx, period, query, None)),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]

    @get("/summary", operation_id="getAuditSummary", sync_to_thread=True)
    def summary(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        month: Month = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        branch: Branch = None,
    ) -> AuditSummary:
        """Network (or one branch) KPIs, each branch's, flag counts and 12 months with targets."""
        period = audit.resolve_period(ctx, month, date_from, date_to)
        return audit_report.summary(db, ctx, period, branch)

    @get("/agents", operation_id="listAuditAgents", sync_to_thread=True)
    def agents(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        month: Month = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        branch: Branch = None,
        status: AgentStatus = None,
        flag: Flagged = None,
        ward_code: WardCode = None,
        sort: Sort = SortKey.submissions,
        order: Order = "desc",
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> AgentRanking:
        """The ranking of agents over the period: KPIs and flags, filtered, sorted and paged."""
        period = audit.resolve_period(ctx, month, date_from, date_to)
        query = audit.RankingQuery(
            branch, status, flag, ward_code, sort, order == "desc", page, page_size
        )
        return _ranking(db, ctx, period, query, modified_after)

    @get("/agents.csv", operation_id="exportAuditAgentsCsv", sync_to_thread=True)
    def agents_csv(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        month: Month = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        branch: Branch = None,
        status: AgentStatus = None,
        flag: Flagged = None,
        sort: Sort = SortKey.submissions,
        order: Order = "desc",
    ) -> Response[bytes]:
        """Every agent of the ranking as CSV (UTF-8 with BOM, opens in Excel)."""
        period = audit.resolve_period(ctx, month, date_from, date_to)
        query = audit.RankingQuery(branch, status, flag, None, sort, order == "desc", 1, 1_000_000)
        return _export(db, ctx, period, query, "csv")

    @get("/agents.xlsx", operation_id="exportAuditAgentsXlsx", sync_to_thread=True)
    def agents_xlsx(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        month: Month = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        branch: Branch = None,
        status: AgentStatus = None,
        flag: Flagged = None,
        sort: Sort = SortKey.submissions,
        order: Order = "desc",
    ) -> Response[bytes]:
        """Every agent of the ranking as an Excel workbook."""
        period = audit.resolve_period(ctx, month, date_from, date_to)
        query = audit.RankingQuery(branch, status, flag, None, sort, order == "desc", 1, 1_000_000)
        return _export(db, ctx, period, query, "xlsx")

    @get("/agents/{agent_id:str}", operation_id="getAuditAgent", sync_to_thread=True)
    def agent(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        agent_id: FromPath[str],
        month: Month = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> AgentReport:
        """One agent: KPIs, flags with evidence, 12 months, procedures and its audit-log entries."""
        period = audit.resolve_period(ctx, month, date_from, date_to)
        return audit_report.agent_report(db, ctx, agent_id, period)

    @get("/coverage", operation_id="getAuditCoverage", sync_to_thread=True)
    def coverage(
        self, db: Db, ctx: RegistryContext, staff: Caller, radius_km: Radius = 3.0
    ) -> Coverage:
        """Wards with no active agent and no branch or reception point within radius_km."""
        return coverage.coverage(db, ctx, radius_km)

    @post(
        "/reconciliations",
        operation_id="createReconciliation",
        status_code=201,
        request_max_body_size=RECONCILIATION_MAX_BYTES,
    )
    async def reconcile(
        self,
        request: Request,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        filename: FileName = "upload",
    ) -> ReconciliationReport:
        """Import official records (CSV or XLSX bytes as the body), all or nothing, and report."""
        content = await request.body()
        return await anyio.to_thread.run_sync(
            partial(reconcile.reconcile, db, ctx, content, filename, staff)
        )
