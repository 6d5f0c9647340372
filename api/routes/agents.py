"""Agents: the public directory, and staff lifecycle actions."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from agents_registry import agents
from agents_registry.models import AgentPublic, Decision, TokenIssued
from api.deps import Caller, Db, RegistryContext
from api.routes.common import Page, PageNumber, PageSize


class AgentController(Controller):
    path = "/agents"
    tags = ["agents"]

    @get("/", operation_id="listAgents", sync_to_thread=True)
    def list_(
        self,
        db: Db,
        ward: FromQuery[str | None] = None,
        field: FromQuery[str | None] = None,
        page: PageNumber = 1,
        page_size: PageSize = 100,
    ) -> Page[AgentPublic]:
        """Active agents with their public fields, filtered by ward code and procedure field."""
        items, total = agents.public_list(
            db, ward_code=ward, field=field, page=page, page_size=page_size
        )
        return Page(items=items, total=total, page=page, page_size=page_size)

    @post(
        "/{agent_id:str}/suspend", operation_id="suspendAgent", status_code=200, sync_to_thread=True
    )
    def suspend(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        agent_id: FromPath[str],
        data: JSONBody[Decision],
    ) -> AgentPublic:
        """Suspend an active agent (its tokens stop working until reinstated)."""
        return agents.suspend(db, ctx, agent_id, data.reason, principal=staff)

    @post(
        "/{agent_id:str}/reinstate",
        operation_id="reinstateAgent",
        status_code=200,
        sync_to_thread=True,
    )
    def reinstate(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        agent_id: FromPath[str],
        data: JSONBody[Decision],
    ) -> AgentPublic:
        """Reinstate a suspended agent."""
        return agents.reinstate(db, ctx, agent_id, data.reason, principal=staff)

    @post(
        "/{agent_id:str}/tokens",
        operation_id="rotateAgentToken",
        status_code=201,
        sync_to_thread=True,
    )
    def rotate_token(
        self, db: Db, ctx: RegistryContext, staff: Caller, agent_id: FromPath[str]
    ) -> TokenIssued:
        """Revoke the agent's tokens and issue a new one (shown once)."""
        return agents.rotate_token(db, ctx, agent_id, principal=staff)
