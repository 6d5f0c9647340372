"""Request metrics (Prometheus, at /metrics) and one JSON log line per request.

A log line holds the method, the route *template* (``/api/v1/places/{kind}/{place_id}``),
the status and the duration: never the query string, the body or any header, so citizen IDs and
tokens cannot reach the logs. With several worker processes, ``hcc up`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder and /metrics adds up every worker's figures.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import sys
import time
from typing import cast

import msgspec
from litestar import Request, Response, get
from litestar.exceptions import NotAuthorizedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from api.settings import Settings

REQUESTS = Counter(
    "hcc_http_requests",
    "HTTP requests by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "hcc_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter(
    "hcc_http_errors",
    "Responses with a 5xx status, by route template and status.",
    ["route", "status"],
)
SUBMISSIONS = Counter(
    "hcc_submissions_recorded", "Assisted submissions recorded (new records; replays not counted)."
)
RECORD_SUBMISSION = "recordSubmission"
_json_line = msgspec.json.Encoder()
_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

access_log = logging.getLogger("hcc.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: the request fields, or the level, logger and message."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            )
        }
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line.update(
                level=record.levelname.lower(), logger=record.name, message=record.getMessage()
            )
        return _json_line.encode(line).decode()


def configure_logging() -> None:
    """JSON lines on stderr for the ``hcc`` loggers (once per process)."""
    logger = logging.getLogger("hcc")
    if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def observe_requests(app: ASGIApp) -> ASGIApp:
    """Middleware: count, time and log every HTTP request by its route template."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        finally:
            record_request(scope, status, time.perf_counter() - start)

    return middleware


def labelled(method: str, route: str, status: int) -> tuple[Counter, Histogram]:
    """The request counter and latency histogram of one label set, looked up once per process."""
    key = (method, route, status)
    children = _children.get(key)
    if children is None:
        children = REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route)
        _children[key] = children
    return children


def record_request(scope: Scope, status: int, seconds: float) -> None:
    method = cast("str", scope.get("method", ""))  # an HTTP scope always has one
    route = scope.get("path_template") or "unmatched"
    count, latency = labelled(method, route, status)
    count.inc()
    latency.observe(seconds)
    if status >= 500:
        ERRORS.labels(route, str(status)).inc()
    handler = scope.get("route_handler")
    if status == 201 and getattr(handler, "operation_id", None) == RECORD_SUBMISSION:
        SUBMISSIONS.inc()
    fields = {
        "event": "request",
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "pid": os.getpid(),
    }
    access_log.info("request", extra={"fields": fields})


def metrics_registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@get("/metrics", operation_id="metrics", tags=["ops"], sync_to_thread=False)
def metrics(request: Request) -> Response[bytes]:
    """Prometheus metrics; behind ``Authorization: Bearer HCC_METRICS_TOKEN`` when that is set."""
    settings: Settings = request.app.state.settings
    if settings.metrics_token:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), settings.metrics_token.encode()
        ):
            raise NotAuthorizedException(
                detail="/metrics needs 'Authorization: Bearer <HCC_METRICS_TOKEN>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
    return Response(generate_latest(metrics_registry()), media_type=CONTENT_TYPE_LATEST)
