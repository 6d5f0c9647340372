"""Swagger UI for /schema, started from a file so the page satisfies the site's CSP."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin


class SwaggerFromFiles(SwaggerRenderPlugin):
    """Litestar's Swagger page without inline script or style (see api/security.py)."""

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        title = openapi_schema["info"]["title"]
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <title>{title}</title>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link href="{self.css_url}" rel="stylesheet">
  <script src="{self.js_url}"></script>
  <script src="{self.standalone_preset_js_url}"></script>
</head>
<body>
  <div id="swagger-container" data-spec-url="/schema/openapi.json"></div>
  <script src="/schema-assets/swagger-init.js"></script>
</body>
</html>""".encode()
