"""Dependencies: one SQLite connection per request, the registry context, the caller's role."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from functools import partial

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlite_utils import Database

from agents_registry import submissions
from agents_registry.auth import PUBLIC, Principal, authenticate
from agents_registry.context import Context
from agents_registry.db import GroupCommit, Pool
from agents_registry.errors import Forbidden, Unauthorized
from agents_registry.models import Submission, SubmissionIn

# Explicitly named dependencies (the handler parameter name selects the provider).
Db = NamedDependency[Database]
RegistryContext = NamedDependency[Context]
Caller = NamedDependency[Principal]


class Recorder:
    """Records the calling agent's submissions through the process's group commit."""

    def __init__(self, group: GroupCommit, ctx: Context, agent: Principal) -> None:
        self.group, self.ctx, self.agent = group, ctx, agent

    async def record(
        self, data: SubmissionIn, idempotency_key: str | None
    ) -> tuple[Submission, bool]:
        """(record, created) once the batch holding it is committed (see ``submissions.record``)."""
        job = partial(
            submissions.record,
            ctx=self.ctx,
            data=data,
            principal=self.agent,
            idempotency_key=idempotency_key,
        )
        return await asyncio.wrap_future(self.group.submit(job))


AgentRecorder = NamedDependency[Recorder]


async def provide_db(state: State) -> AsyncGenerator[Database, None]:
    """A pooled connection, held by this request only and returned (rolled back) after it.

    Async although nothing is awaited: taking and returning a pooled connection never blocks,
    and a sync generator's cleanup would cost every request a hop through the thread pool.
    """
    pool: Pool = state.pool
    db = pool.acquire()
    try:
        yield db
    finally:
        pool.release(db)


def provide_recorder(agent: Caller, state: State) -> Recorder:
    """The caller's recorder, chained on the caller rather than beside it: Litestar resolves a
    chain one dependency at a time, but gathers siblings in a task group (a quarter of the CPU
    of ``POST /submissions`` went to that task group)."""
    return Recorder(state.committer, state.ctx, agent)


def provide_ctx(state: State) -> Context:
    ctx: Context = state.ctx
    return ctx


def provide_principal(request: Request, state: State) -> Principal:
    """Who is calling: anonymous, or the owner of a valid bearer token.

    It borrows a pooled connection for the token look-up only, so that routes which need no
    connection of their own (recording a submission) do not hold one.
    """
    header = request.headers.get("authorization")
    if not header:
        return PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    pool: Pool = state.pool
    db = pool.acquire()
    try:
        return authenticate(db, token.strip())
    finally:
        pool.release(db)


def require_staff(principal: Caller) -> Principal:
    if principal.role == "public":
        raise Unauthorized("this action needs a staff token")
    if principal.role != "staff":
        raise Forbidden("this action is for center staff only")
    return principal


def require_agent(principal: Caller) -> Principal:
    if principal.role == "public":
        raise Unauthorized("this action needs an agent token")
    if principal.role != "agent":
        raise Forbidden("this action is for agents only")
    return principal
