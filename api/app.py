"""The ASGI application: the built static site at `/`, the API at `/api/v1`, docs at `/schema`."""

from __future__ import annotations

import gc
from pathlib import Path

from litestar import Litestar, Request, Router
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from agents_registry.context import Context
from agents_registry.db import GroupCommit, Pool, connect
from agents_registry.limits import Limits, set_limits
from agents_registry.migrations import migrate
from api.deps import (
    provide_ctx,
    provide_db,
    provide_principal,
    provide_recorder,
    require_agent,
    require_staff,
)
from api.docs_ui import SwaggerFromFiles
from api.errors import EXCEPTION_HANDLERS
from api.observability import configure_logging, metrics, observe_requests
from api.request_body import json_body_check
from api.routes.agents import AgentController
from api.routes.applications import ApplicationController
from api.routes.audit import AuditController
from api.routes.catalog import CatalogController
from api.routes.feedback import ReportController
from api.routes.health import healthz, readyz
from api.routes.nearest import NearestController
from api.routes.open311 import Open311Controller
from api.routes.open_data import OpenDataController
from api.routes.places import MyPlaceController, PlaceController
from api.routes.ratings import RatingController
from api.routes.submissions import SubmissionController
from api.security import cors_config, security_headers_hook
from api.settings import Settings
from catalog.load import Catalog, load_catalog
from catalog.search import index_entry

DOCS_ASSETS = Path(__file__).parent / "static" / "swagger-ui"


async def _rate_limited(request: Request) -> bool:  # async: a sync check runs in a thread
    return bool(request.route_handler.opt.get("rate_limited"))


def _openapi() -> OpenAPIConfig:
    swagger = SwaggerFromFiles(
        js_url="/schema-assets/swagger-ui-bundle.js",
        css_url="/schema-assets/swagger-ui.css",
        standalone_preset_js_url="/schema-assets/swagger-ui-standalone-preset.js",
        path="/",
        favicon="",
    )
    return OpenAPIConfig(
        title="hcc — Public Administrative Service Center API",
        version="1",
        description="Procedure catalog, online public service agents and their assisted submissions.",
        path="/schema",
        render_plugins=[swagger],
    )


def freeze_startup_objects() -> None:
    """Keep what start-up built (the catalog, indexes, routes) out of every later GC pass.

    About 100,000 long-lived objects: a full collection walked them all in ~75 ms, a pause
    every request in flight waited through (the p99 of the submissions benchmark). For a
    serving process only (``hcc up`` and its workers): it freezes the whole process's objects.
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, catalog: Catalog | None = None) -> Litestar:
    """Build the app; the database is migrated before the first request."""
    catalog = catalog or load_catalog()
    ctx = Context(
        catalog=catalog,
        secret_key=settings.resolved_secret_key(),
        submission_window_days=settings.submission_window_days,
    )

    max_bytes = int(settings.db_max_mb * 1024 * 1024) if settings.db_max_mb else None
    set_limits(settings.db_path, Limits(read_only=settings.db_readonly, max_bytes=max_bytes))
    pool = Pool(settings.db_path)

    def migrate_database(app: Litestar) -> None:
        db = connect(settings.db_path)
        try:
            if not settings.db_readonly:  # a read-only database is served as it is
                migrate(db)
        finally:
            db.conn.close()
        app.state.committer = GroupCommit(settings.db_path)

    def close_database(app: Litestar) -> None:
        if "committer" in app.state:
            app.state.committer.close()
        pool.close()

    api = Router(
        path="/api/v1",
        route_handlers=[
            CatalogController,
            ApplicationController,
            AgentController,
            SubmissionController,
            MyPlaceController,
            PlaceController,
            NearestController,
            OpenDataController,
            ReportController,
            Open311Controller,
            RatingController,
            AuditController,
        ],
        dependencies={
            "principal": Provide(provide_principal, sync_to_thread=False),
            "staff": Provide(require_staff, sync_to_thread=False),
            "agent": Provide(require_agent, sync_to_thread=False),
        },
        middleware=[json_body_check],
    )
    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.public_rate_limit_per_minute),
        check_throttle_handler=_rate_limited,
    )
    handlers: list[ControllerRouterHandler] = [
        api,
        healthz,
        readyz,
        metrics,
        create_static_files_router(
            path="/schema-assets",
            directories=[DOCS_ASSETS],
            name="docs-assets",
            include_in_schema=False,
        ),
    ]
    if settings.site_dir.is_dir():
        handlers.append(
            create_static_files_router(
                path="/",
                directories=[settings.site_dir],
                html_mode=True,
                name="site",
                include_in_schema=False,
            )
        )
    return Litestar(
        route_handlers=handlers,
        dependencies={
            "db": Provide(provide_db),
            "ctx": Provide(provide_ctx, sync_to_thread=False),
            "recorder": Provide(provide_recorder, sync_to_thread=False),
        },
        on_shutdown=[close_database],
        state=State(
            {
                "pool": pool,
                "settings": settings,
                "ctx": ctx,
                "search_entries": [index_entry(catalog, p) for p in catalog.procedures],
            }
        ),
        on_startup=[migrate_database],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[observe_requests, rate_limit.middleware],
        before_send=[security_headers_hook(settings)],
        cors_config=cors_config(settings),
        openapi_config=_openapi(),
        compression_config=CompressionConfig(backend="gzip", minimum_size=500),
        request_max_body_size=settings.max_body_bytes,
    )


def create_app_from_env() -> Litestar:
    """The app from the ``HCC_*`` environment: the factory each ``hcc up --workers N`` worker runs."""
    configure_logging()
    app = create_app(Settings.from_env())
    freeze_startup_objects()
    return app
