"""Applications to become an agent: apply (public), follow (applicant), review (staff)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody

from agents_registry import applications
from agents_registry.models import (
    Application,
    ApplicationCreated,
    ApplicationIn,
    ApplicationStatus,
    ApplicationStatusView,
    Approval,
    Decision,
)
from api.deps import Caller, Db, RegistryContext
from api.routes.common import ModifiedAfter, Page, PageNumber, PageSize, modified_after_utc


class ApplicationController(Controller):
    path = "/applications"
    tags = ["applications"]

    @post(
        "/",
        operation_id="createApplication",
        status_code=201,
        sync_to_thread=True,
        opt={"rate_limited": True},
    )
    def create(
        self, db: Db, ctx: RegistryContext, data: JSONBody[ApplicationIn]
    ) -> ApplicationCreated:
        """A business applies; the response holds the application id and its status secret (once)."""
        return applications.apply(db, ctx, data)

    @get("/", operation_id="listApplications", sync_to_thread=True)
    def list_(
        self,
        db: Db,
        staff: Caller,
        status: FromQuery[ApplicationStatus | None] = None,
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> Page[Application]:
        """Applications for staff review, oldest first."""
        since = modified_after_utc(modified_after)
        items, total = applications.list_(db, status, page, page_size, since)
        return Page(items=items, total=total, page=page, page_size=page_size)

    @get("/{application_id:str}", operation_id="getApplicationStatus", sync_to_thread=True)
    def status(
        self,
        db: Db,
        principal: Caller,
        application_id: FromPath[str],
        secret: Annotated[
            str | None, HeaderParameter(name="X-Application-Secret", max_length=200)
        ] = None,
    ) -> ApplicationStatusView:
        """An application's status, for the applicant (X-Application-Secret) or staff."""
        return applications.status(db, application_id, secret=secret, principal=principal)

    @post(
        "/{application_id:str}/approve",
        operation_id="approveApplication",
        status_code=200,
        sync_to_thread=True,
    )
    def approve(
        self, db: Db, ctx: RegistryContext, staff: Caller, application_id: FromPath[str]
    ) -> Approval:
        """Approve: creates the agent and returns its token — the only time it is shown."""
        return applications.approve(db, ctx, application_id, principal=staff)

    @post(
        "/{application_id:str}/reject",
        operation_id="rejectApplication",
        status_code=200,
        sync_to_thread=True,
    )
    def reject(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        application_id: FromPath[str],
        data: JSONBody[Decision],
    ) -> Application:
        """Reject with a reason the applicant will see."""
        return applications.reject(db, ctx, application_id, data.reason, principal=staff)
