"""Citizens' reports: report and follow (public, by tracking code); the staff queue and decisions."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from agents_registry import feedback
from agents_registry.feedback_models import (
    REPORT_BODY_MAX_BYTES,
    AssignIn,
    ProgressIn,
    PublicReport,
    QueueStatus,
    ReportCreated,
    ReportIn,
    ReportKind,
    ResolutionIn,
    StaffReport,
    SubjectKind,
)
from agents_registry.feedback_store import QueueFilter
from api.deps import Caller, Db, RegistryContext
from api.routes.common import ModifiedAfter, Page, PageNumber, PageSize, modified_after_utc

CODE = "/{code:str}"


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @post(
        "/",
        operation_id="createReport",
        status_code=201,
        sync_to_thread=True,
        opt={"rate_limited": True},
        request_max_body_size=REPORT_BODY_MAX_BYTES,
    )
    def create(self, db: Db, ctx: RegistryContext, data: JSONBody[ReportIn]) -> ReportCreated:
        """A citizen reports wrong information or being charged; returns the tracking code."""
        return feedback.create(db, ctx, data)

    @get(CODE, operation_id="getReport", sync_to_thread=True)
    def status(self, db: Db, ctx: RegistryContext, code: FromPath[str]) -> PublicReport:
        """A report's status, history and resolution note, for whoever holds the tracking code."""
        return feedback.get_public(db, ctx, code)

    @get("/", operation_id="listReports", sync_to_thread=True)
    def queue(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        status: FromQuery[QueueStatus | None] = None,
        kind: FromQuery[ReportKind | None] = None,
        overdue: FromQuery[bool] = False,
        subject_kind: FromQuery[SubjectKind | None] = None,
        subject_id: FromQuery[str | None] = None,
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> Page[StaffReport]:
        """The staff queue, earliest deadline first, with contact details; modified_after syncs."""
        filters = QueueFilter(
            status=status, kind=kind, subject_kind=subject_kind, subject_id=subject_id
        )
        items, total = feedback.queue(
            db,
            ctx,
            filters,
            overdue=overdue,
            modified_after=modified_after_utc(modified_after),
            page=page,
            page_size=page_size,
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @post(CODE + "/assign", operation_id="assignReport", status_code=200, sync_to_thread=True)
    def assign(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        code: FromPath[str],
        data: JSONBody[AssignIn],
    ) -> StaffReport:
        """Give the report to a staff member (the caller when no assignee is named)."""
        return feedback.assign(db, ctx, code, data.assignee, principal=staff)

    @post(CODE + "/progress", operation_id="progressReport", status_code=200, sync_to_thread=True)
    def progress(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        code: FromPath[str],
        data: JSONBody[ProgressIn],
    ) -> StaffReport:
        """Mark the report as in progress, optionally with a note for the citizen."""
        return feedback.progress(db, ctx, code, data.note, principal=staff)

    @post(CODE + "/resolve", operation_id="resolveReport", status_code=200, sync_to_thread=True)
    def resolve(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        code: FromPath[str],
        data: JSONBody[ResolutionIn],
    ) -> StaffReport:
        """Resolve the report with a note the citizen reads."""
        return feedback.close(db, ctx, code, data.note, resolved=True, principal=staff)

    @post(CODE + "/reject", operation_id="rejectReport", status_code=200, sync_to_thread=True)
    def reject(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        code: FromPath[str],
        data: JSONBody[ResolutionIn],
    ) -> StaffReport:
        """Reject the report with a note explaining why."""
        return feedback.close(db, ctx, code, data.note, resolved=False, principal=staff)
