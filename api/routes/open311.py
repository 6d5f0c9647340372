"""Open311 GeoReport v2 over citizens' reports, for existing Open311 clients (JSON format).

Errors on this sub-API use the spec's shape, an array: ``[{"code": 400, "description": "..."}]``.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter, RawBody
from litestar.types import ExceptionHandlersMap

from agents_registry import open311
from agents_registry.errors import InvalidInput, NotFound, RegistryError
from agents_registry.feedback_models import REPORT_BODY_MAX_BYTES
from api.deps import Db, RegistryContext
from api.errors import STATUS
from api.routes.common import ModifiedAfter, modified_after_utc

Query = Annotated[str | None, QueryParameter(max_length=2000)]


class Open311Error(msgspec.Struct, kw_only=True):
    """One GeoReport v2 error; this sub-API answers with a list of them."""

    code: int
    description: str


# Documented so that the OpenAPI document (and clients generated from it) know the array shape.
BAD_REQUEST = {
    400: ResponseSpec(
        data_container=list[Open311Error],
        description="GeoReport v2 errors",
        generate_examples=False,
    )
}


def _errors(status: int, descriptions: list[str]) -> Response[list[dict[str, Any]]]:
    return Response([{"code": status, "description": d} for d in descriptions], status_code=status)


def registry_error(_: Request, exc: RegistryError) -> Response[list[dict[str, Any]]]:
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
    if isinstance(exc, InvalidInput):
        return _errors(400, [f"{key}: {message}" for key, message in exc.problems.items()])
    return _errors(status, [exc.message])


def http_error(_: Request, exc: HTTPException) -> Response[list[dict[str, Any]]]:
    status = 400 if isinstance(exc, ValidationException) else exc.status_code
    items = exc.extra if isinstance(exc.extra, list) else []
    details = [f"{i.get('key')}: {i.get('message')}" for i in items if isinstance(i, dict)]
    return _errors(status, details or [exc.detail])


# ValidationException by name too: the app's own handler for it would otherwise win (Litestar
# looks a handler up by the exception's class first), answering a bad query parameter in the
# native shape instead of the spec's.
OPEN311_ERRORS: ExceptionHandlersMap = {
    RegistryError: registry_error,
    ValidationException: http_error,
    HTTPException: http_error,
}


def _json_name(name: str) -> str:
    """``PA-....json`` -> ``PA-...``; only the JSON format is offered."""
    if not name.endswith(".json"):
        raise NotFound("only the .json format is available")
    return name.removesuffix(".json")


class Open311Controller(Controller):
    path = "/open311"
    tags = ["open311"]
    exception_handlers = OPEN311_ERRORS

    @get("/services.json", operation_id="open311Services", sync_to_thread=False)
    def services(self) -> list[dict[str, Any]]:
        """Service list: one service per report kind."""
        return open311.services()

    @get("/services/{name:str}", operation_id="open311ServiceDefinition", sync_to_thread=False)
    def service_definition(self, name: FromPath[str]) -> dict[str, Any]:
        """Service definition (``/services/{service_code}.json``): the subject attributes."""
        return open311.service_definition(_json_name(name))

    @get(
        "/requests.json",
        operation_id="open311ListRequests",
        sync_to_thread=True,
        responses=BAD_REQUEST,
    )
    def list_requests(
        self,
        db: Db,
        ctx: RegistryContext,
        service_request_id: Query = None,
        service_code: Query = None,
        status: Query = None,
        start_date: Query = None,
        end_date: Query = None,
        modified_after: ModifiedAfter = None,
    ) -> list[dict[str, Any]]:
        """Service requests, newest first (the last 90 days unless dates, ids or modified_after)."""
        return open311.list_requests(
            db,
            ctx,
            ids=service_request_id,
            service_code=service_code,
            status=status,
            start_date=start_date,
            end_date=end_date,
            modified_after=modified_after_utc(modified_after),
        )

    @post(
        "/requests.json",
        operation_id="open311CreateRequest",
        status_code=201,
        sync_to_thread=True,
        opt={"rate_limited": True},
        request_max_body_size=REPORT_BODY_MAX_BYTES,
        responses=BAD_REQUEST,
    )
    def create_request(
        self, db: Db, ctx: RegistryContext, request: Request, body: RawBody
    ) -> list[dict[str, Any]]:
        """Create a service request from a form-encoded or JSON body."""
        data = open311.parse_request(request.headers.get("content-type", ""), body)
        return open311.create(db, ctx, data)

    @get("/requests/{name:str}", operation_id="open311GetRequest", sync_to_thread=True)
    def get_request(
        self, db: Db, ctx: RegistryContext, name: FromPath[str]
    ) -> list[dict[str, Any]]:
        """One service request (``/requests/{service_request_id}.json``), as a one-item array."""
        return open311.get_request(db, ctx, _json_name(name))
