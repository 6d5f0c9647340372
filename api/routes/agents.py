"""Agents: the public directory and pages (profile, scorecard, history, poster), staff actions."""

from __future__ import annotations

from urllib.parse import quote

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from agents_registry import agents
from agents_registry.agent_history import HistoryEntry, public_history
from agents_registry.models import AgentPublic, Decision, TokenIssued
from agents_registry.poster import poster_svg
from agents_registry.scorecard import Scorecard, scorecard
from api.deps import Caller, Db, RegistryContext
from api.routes.common import ModifiedAfter, Page, PageNumber, PageSize, modified_after_utc
from api.settings import Settings


class EncodedPage(msgspec.Struct, kw_only=True):
    """A list page whose items are already-encoded JSON (same wire shape as ``Page``)."""

    items: msgspec.Raw
    total: int
    page: int
    page_size: int


class AgentController(Controller):
    path = "/agents"
    tags = ["agents"]

    @get(
        "/",
        operation_id="listAgents",
        sync_to_thread=True,
        responses={
            200: ResponseSpec(
                Page[AgentPublic], description="A page of active agents", generate_examples=False
            )
        },
    )
    def list_(
        self,
        db: Db,
        ward: FromQuery[str | None] = None,
        field: FromQuery[str | None] = None,
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 100,
    ) -> Response[bytes]:
        """Active agents with their public fields, filtered by ward code and procedure field."""
        items, total = agents.public_list_json(
            db,
            ward_code=ward,
            field=field,
            page=page,
            page_size=page_size,
            modified_after=modified_after_utc(modified_after),
        )
        body = EncodedPage(items=msgspec.Raw(items), total=total, page=page, page_size=page_size)
        return Response(msgspec.json.encode(body), media_type=MediaType.JSON)

    @get("/{agent_id:str}", operation_id="getAgent", sync_to_thread=True)
    def show(self, db: Db, agent_id: FromPath[str]) -> AgentPublic:
        """One active agent's public profile (unknown or non-active agents: 404)."""
        return agents.public_one(db, agent_id)

    @get("/{agent_id:str}/scorecard", operation_id="getAgentScorecard", sync_to_thread=True)
    def scorecard(self, db: Db, ctx: RegistryContext, agent_id: FromPath[str]) -> Scorecard:
        """An active agent's last 12 months: volume, fully-online share, citizens' ratings."""
        return scorecard(db, ctx, agent_id)

    @get("/{agent_id:str}/history", operation_id="getAgentHistory", sync_to_thread=True)
    def history(
        self, db: Db, agent_id: FromPath[str], modified_after: ModifiedAfter = None
    ) -> list[HistoryEntry]:
        """An active agent's public change history: when and which public fields changed."""
        return public_history(db, agent_id, modified_after=modified_after_utc(modified_after))

    @get(
        "/{agent_id:str}/poster.svg",
        operation_id="getAgentPoster",
        media_type="image/svg+xml; charset=utf-8",
        sync_to_thread=True,
    )
    def poster(self, db: Db, request: Request, agent_id: FromPath[str]) -> Response[str]:
        """A printable A4 poster (SVG): "free of charge" and a QR code to the agent's page."""
        agent = agents.public_one(db, agent_id)
        settings: Settings = request.app.state.settings
        portal = settings.public_url or str(request.base_url).rstrip("/")
        page = f"{portal}/dai-ly/thong-tin/?id={quote(agent.id)}"
        return Response(
            poster_svg(agent, page),
            media_type="image/svg+xml; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="ap-phich-{agent.id}.svg"'},
        )

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
