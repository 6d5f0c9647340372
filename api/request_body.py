"""What a JSON request body must be before a handler sees it.

Handlers declare their body with ``JSONBody[...]``; this check makes the declaration hold at the
edge: there is a body (else 422), the request says it is JSON (else 415), the bytes are UTF-8 (else
400) and the document is not nested past what the decoder can follow (else 400). Litestar would otherwise take a JSON
body sent as ``text/plain`` and answer undecodable or absurdly deep bodies with a 500.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import (
    ClientException,
    HTTPException,
    SerializationException,
    ValidationException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.params import BodyKwarg
from litestar.types import ASGIApp, Receive, Scope, Send


def takes_json(handler: BaseRouteHandler) -> bool:
    """Whether the handler's ``data`` parameter is a JSON body (the default body encoding)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    kwarg = data.kwarg_definition
    return not isinstance(kwarg, BodyKwarg) or kwarg.media_type == RequestEncodingType.JSON


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def json_body_check(app: ASGIApp) -> ASGIApp:
    """Middleware of the API router: refuse a JSON handler's request whose body is not JSON,
    not UTF-8 or nested too deeply, before the handler runs.

    A middleware rather than a guard: Litestar copies the route handler for every guard call,
    on every route, which cost each request more than the check itself.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and takes_json(scope["route_handler"]):
            await check_json_body(Request(scope, receive))
        await app(scope, receive, send)

    return middleware


async def check_json_body(request: Request[Any, Any, Any]) -> None:
    """Raise the 422/415/400 that the body deserves; the body stays cached for the handler."""
    if not await request.body():
        raise ValidationException(
            "A JSON body is required.", extra=[{"key": "body", "message": "is required"}]
        )
    if not is_json_media_type(request.headers.get("content-type", "")):
        raise HTTPException(
            status_code=415,
            detail="The body must be JSON, sent with 'Content-Type: application/json'.",
            extra=[{"key": "Content-Type", "message": "must be application/json"}],
        )
    try:
        await request.json()  # cached in the scope: the handler's decoding reuses the body
    except UnicodeDecodeError as exc:
        raise ClientException(f"The body is not valid UTF-8 (byte {exc.start}).") from exc
    except RecursionError as exc:
        raise ClientException("The JSON body is nested too deeply.") from exc
    except SerializationException as exc:
        raise ClientException(exc.detail) from exc  # "JSON is malformed: ..."
