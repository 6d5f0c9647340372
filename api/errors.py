"""One error shape for the whole API: {"status_code", "detail", "extra": [{"key", "message"}]}.

Domain errors are mapped here, and only here, to HTTP statuses.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from agents_registry.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RegistryError,
    Unauthorized,
)

log = logging.getLogger("hcc.api")

UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
MISSING_PARAMETER = re.compile(r"Missing required (?:query|header|path|cookie) parameter '([^']+)'")
STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, Forbidden: 403, Unauthorized: 401}


def error_response(
    status: int,
    detail: str,
    extra: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def registry_error(_: Request, exc: RegistryError) -> Response[dict[str, Any]]:
    status = (
        next(code for kind, code in STATUS.items() if isinstance(exc, kind))
        if type(exc) is not RegistryError
        else 400
    )
    extra = None
    if isinstance(exc, InvalidInput):
        extra = [{"key": key, "message": message} for key, message in exc.problems.items()]
    elif isinstance(exc, Conflict) and exc.field:
        extra = [{"key": exc.field, "message": exc.message}]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return error_response(status, exc.message, extra, headers)


def validation_error(_: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    """Malformed requests (decoding, constraints) are 422 with the offending field named."""
    extra = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else None)
    for item in extra or []:
        unknown = (
            UNKNOWN_FIELD.search(str(item.get("message", ""))) if isinstance(item, dict) else None
        )
        if unknown and item.get("key") in {"data", None, ""}:
            item["key"] = unknown.group(1)
    detail = exc.detail
    missing = MISSING_PARAMETER.search(detail or "")
    if not extra and missing:
        extra = [{"key": missing.group(1), "message": detail, "source": "query"}]
    if extra and isinstance(extra[0], dict) and extra[0].get("message"):
        first = extra[0]
        detail = f"Invalid {first.get('key') or 'request'}: {first['message']}"
    return error_response(422, detail, extra)


def http_error(_: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    extra = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else None)
    return error_response(exc.status_code, exc.detail, extra, exc.headers)


STORAGE_TROUBLE = {
    "readonly": "The registry is read-only (maintenance): nothing was saved. Reading still works.",
    "full": "The registry's storage is full: nothing was saved. Reading still works.",
}


def database_error(request: Request, exc: sqlite3.Error) -> Response[dict[str, Any]]:
    """Storage trouble (locked past the timeout, read-only, disk full) is a 503, never a 500."""
    log.error("database error on %s %s: %s", request.method, request.url.path, exc)
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        detail = STORAGE_TROUBLE["readonly"]
    elif "full" in text:
        detail = STORAGE_TROUBLE["full"]
    else:
        detail = "The service is temporarily unavailable; please retry."
    return error_response(503, detail, headers={"Retry-After": "30"})


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    RegistryError: registry_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    sqlite3.Error: database_error,
}
