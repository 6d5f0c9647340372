"""The ASGI application: the built static site (and, later, the API) in one process."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.static_files import create_static_files_router

from api.settings import Settings


def create_app(settings: Settings) -> Litestar:
    """Serve ``settings.site_dir`` at ``/`` (directory URLs resolve to their index.html)."""
    site = create_static_files_router(
        path="/",
        directories=[settings.site_dir],
        html_mode=True,
        name="site",
        include_in_schema=False,
    )
    return Litestar(
        route_handlers=[site],
        compression_config=CompressionConfig(backend="gzip", minimum_size=500),
    )
