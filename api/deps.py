"""Dependencies: one SQLite connection per request, the registry context, the caller's role."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from typing import TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlite_utils import Database

from agents_registry.auth import PUBLIC, Principal, authenticate
from agents_registry.context import Context
from agents_registry.db import GroupCommit, Pool
from agents_registry.errors import Forbidden, Unauthorized

# Explicitly named dependencies (the handler parameter name selects the provider).
Db = NamedDependency[Database]
RegistryContext = NamedDependency[Context]
Caller = NamedDependency[Principal]

T = TypeVar("T")


class Committer:
    """Runs a write job in the process's group commit and awaits its durable result."""

    def __init__(self, group: GroupCommit) -> None:
        self.group = group

    async def run(self, job: Callable[[Database], T]) -> T:
        return await asyncio.wrap_future(self.group.submit(job))


Writes = NamedDependency[Committer]


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


def provide_writes(state: State) -> Committer:
    return Committer(state.committer)


def provide_ctx(state: State) -> Context:
    ctx: Context = state.ctx
    return ctx


def provide_principal(request: Request, db: Db) -> Principal:
    """Who is calling: anonymous, or the owner of a valid bearer token."""
    header = request.headers.get("authorization")
    if not header:
        return PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    return authenticate(db, token.strip())


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
