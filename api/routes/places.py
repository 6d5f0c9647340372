"""Places: open now for citizens; hours and temporary closures for agents (their own) and staff."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody, PathParameter
from litestar.types import ExceptionHandlersMap

from agents_registry import place_hours
from agents_registry.hours import Closure
from agents_registry.models import AgentPublic
from agents_registry.place_hours import ClosureIn
from agents_registry.places import PlaceKind, PlaceView, get_place, local_today, view
from api.deps import Caller, Db, RegistryContext
from api.errors import validation_error
from api.routes.common import ModifiedAfter, modified_after_utc
from catalog.models import DAYS, OpeningHours

PLACE = "/{kind:str}/{place_id:str}"
# SQLite integers are 64-bit: a larger id overflowed the query into a 500 instead of a 404.
ClosureId = Annotated[int, PathParameter(ge=1, le=2**63 - 1, description="The closure's id.")]
DAY_PROBLEM = re.compile(rf"^({'|'.join(DAYS)}): ")


def hours_error(request: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    """Name the day when OpeningHours refuses a whole body ("mon: ... overlaps ...")."""
    for item in exc.extra if isinstance(exc.extra, list) else []:
        day = DAY_PROBLEM.match(str(item.get("message", ""))) if isinstance(item, dict) else None
        if day and item.get("key") in {"data", None, ""}:
            item["key"] = day.group(1)
            item["message"] = item["message"][day.end() :]
    return validation_error(request, exc)


HOURS_ERRORS: ExceptionHandlersMap = {ValidationException: hours_error}


def _place_view(db: Db, ctx: RegistryContext, kind: PlaceKind, place_id: str) -> PlaceView:
    place = get_place(db, ctx.catalog, kind, place_id, today=local_today(ctx))
    return view(place, ctx.now())


class MyPlaceController(Controller):
    """The calling agent's own weekly hours and temporary closures."""

    path = "/me"
    tags = ["agent"]

    @put(
        "/hours",
        operation_id="setMyHours",
        sync_to_thread=True,
        exception_handlers=HOURS_ERRORS,
    )
    def set_hours(
        self, db: Db, ctx: RegistryContext, agent: Caller, data: JSONBody[OpeningHours]
    ) -> AgentPublic:
        """Replace the calling agent's weekly opening hours; returns its public profile."""
        return place_hours.set_agent_hours(
            db, ctx, agent_id=agent.subject, hours=data, principal=agent
        )

    @get("/closures", operation_id="listMyClosures", sync_to_thread=True)
    def closures(
        self, db: Db, ctx: RegistryContext, agent: Caller, modified_after: ModifiedAfter = None
    ) -> list[Closure]:
        """The calling agent's current and upcoming closures, earliest first."""
        return place_hours.list_closures(
            db,
            ctx,
            kind=PlaceKind.AGENT,
            place_id=agent.subject,
            modified_after=modified_after_utc(modified_after),
        )

    @post("/closures", operation_id="addMyClosure", status_code=201, sync_to_thread=True)
    def add_closure(
        self, db: Db, ctx: RegistryContext, agent: Caller, data: JSONBody[ClosureIn]
    ) -> Closure:
        """Announce a temporary closure of the calling agent (local dates, both inclusive)."""
        return place_hours.add_closure(
            db,
            ctx,
            kind=PlaceKind.AGENT,
            place_id=agent.subject,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            reason=data.reason,
            principal=agent,
        )

    @delete(
        "/closures/{closure_id:int}",
        operation_id="removeMyClosure",
        status_code=200,
        sync_to_thread=True,
    )
    def remove_closure(
        self, db: Db, ctx: RegistryContext, agent: Caller, closure_id: ClosureId
    ) -> Closure:
        """Withdraw one of the calling agent's closures and return it (another agent's: 404)."""
        return place_hours.remove_closure(
            db,
            ctx,
            kind=PlaceKind.AGENT,
            place_id=agent.subject,
            closure_id=closure_id,
            principal=agent,
        )


class PlaceController(Controller):
    """Any place: its state for citizens; its hours and closures for staff."""

    path = "/places"
    tags = ["places"]

    @get(PLACE, operation_id="getPlace", sync_to_thread=True)
    def show(
        self, db: Db, ctx: RegistryContext, kind: FromPath[PlaceKind], place_id: FromPath[str]
    ) -> PlaceView:
        """A place with its hours, upcoming closures and whether it is open now (Hanoi time)."""
        return _place_view(db, ctx, kind, place_id)

    @put(
        f"{PLACE}/hours",
        operation_id="setPlaceHours",
        sync_to_thread=True,
        exception_handlers=HOURS_ERRORS,
    )
    def set_hours(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        kind: FromPath[PlaceKind],
        place_id: FromPath[str],
        data: JSONBody[OpeningHours],
    ) -> PlaceView:
        """Replace a place's weekly hours (an override of the catalog's for branches and points)."""
        place_hours.set_place_hours(
            db, ctx, kind=kind, place_id=place_id, hours=data, principal=staff
        )
        return _place_view(db, ctx, kind, place_id)

    @delete(f"{PLACE}/hours", operation_id="resetPlaceHours", status_code=200, sync_to_thread=True)
    def reset_hours(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        kind: FromPath[PlaceKind],
        place_id: FromPath[str],
    ) -> PlaceView:
        """Remove a staff override: the catalog's weekly hours apply again."""
        place_hours.reset_place_hours(db, ctx, kind=kind, place_id=place_id, principal=staff)
        return _place_view(db, ctx, kind, place_id)

    @post(f"{PLACE}/closures", operation_id="addPlaceClosure", status_code=201, sync_to_thread=True)
    def add_closure(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        kind: FromPath[PlaceKind],
        place_id: FromPath[str],
        data: JSONBody[ClosureIn],
    ) -> Closure:
        """Announce a temporary closure of any place (local dates, both inclusive)."""
        return place_hours.add_closure(
            db,
            ctx,
            kind=kind,
            place_id=place_id,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            reason=data.reason,
            principal=staff,
        )

    @delete(
        f"{PLACE}/closures/{{closure_id:int}}",
        operation_id="removePlaceClosure",
        status_code=200,
        sync_to_thread=True,
    )
    def remove_closure(
        self,
        db: Db,
        ctx: RegistryContext,
        staff: Caller,
        kind: FromPath[PlaceKind],
        place_id: FromPath[str],
        closure_id: ClosureId,
    ) -> Closure:
        """Withdraw a closure of the place and return it."""
        return place_hours.remove_closure(
            db, ctx, kind=kind, place_id=place_id, closure_id=closure_id, principal=staff
        )
