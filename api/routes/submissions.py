"""What an agent does with its token: record assisted submissions, see its own records and output."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, JSONBody, QueryParameter

from agents_registry import agents, submissions
from agents_registry.models import AgentPublic, Output, Submission, SubmissionIn
from api.deps import AgentRecorder, Caller, Db, RegistryContext
from api.routes.common import ModifiedAfter, Page, PageNumber, PageSize, modified_after_utc

DateFrom = Annotated[
    dt.date | None, QueryParameter(name="from", description="First local date (inclusive).")
]
DateTo = Annotated[
    dt.date | None, QueryParameter(name="to", description="Last local date (inclusive).")
]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=8,
        max_length=100,
        description="Replays with the same key return the original record.",
    ),
]


class SubmissionController(Controller):
    path = "/"
    tags = ["agent"]

    @post(
        "/submissions",
        operation_id="recordSubmission",
        status_code=201,
        responses={
            200: ResponseSpec(
                data_container=Submission, description="A replay: the original record"
            )
        },
    )
    async def record(
        self,
        recorder: AgentRecorder,
        data: JSONBody[SubmissionIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Submission]:
        """Record one assisted submission: 201 when new, 200 with the original record on a replay."""
        record, created = await recorder.record(data, idempotency_key)
        return Response(record, status_code=201 if created else 200)

    @get("/me", operation_id="getMe", sync_to_thread=True)
    def me(self, db: Db, agent: Caller) -> AgentPublic:
        """The calling agent's profile."""
        return agents.to_public(agents.load(db, agent.subject))

    @get("/me/submissions", operation_id="listMySubmissions", sync_to_thread=True)
    def my_submissions(
        self,
        db: Db,
        agent: Caller,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> Page[Submission]:
        """The calling agent's submissions, newest first, optionally within [from, to] (local dates)."""
        items, total = submissions.list_own(
            db,
            agent.subject,
            date_from,
            date_to,
            page,
            page_size,
            recorded_after=modified_after_utc(modified_after),
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @get("/me/output", operation_id="getMyOutput", sync_to_thread=True)
    def my_output(
        self,
        db: Db,
        ctx: RegistryContext,
        agent: Caller,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> Output:
        """Counts by day and by procedure and the fully-online share (default: the last 30 days)."""
        return submissions.output(db, ctx, agent.subject, date_from, date_to)
