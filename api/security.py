"""Security headers on every response (site, API, docs) and CORS limited to configured origins.

The policy allows only the portal's own scripts and styles: the site moves Material's small
inline scripts into files (site/overrides/partials/javascripts/) and the API docs start Swagger
UI from a file (api/static/swagger-ui/swagger-init.js). Map tiles come from ``HCC_TILE_URL``'s
host. docs/deploy.md repeats these headers for nginx, which serves the static site itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.config.cors import CORSConfig
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from api.settings import Settings


def tile_source(tile_url: str) -> str:
    """The CSP source of a tile URL template: its origin, ``{s}`` subdomains as a wildcard."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings) -> str:
    images = " ".join(s for s in ("'self'", "data:", tile_source(settings.tile_url)) if s)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }


def security_headers_hook(settings: Settings) -> BeforeMessageSendHookHandler:
    """A ``before_send`` hook: it sees every response, including 404s and errors.

    The headers are encoded once; per response the hook drops any same-named header and appends
    them (async: no thread hop on every request).
    """
    encoded = [
        (name.lower().encode(), value.encode())
        for name, value in security_headers(settings).items()
    ]
    names = frozenset(name for name, _ in encoded)

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            current = message.get("headers") or []
            if any(name.lower() in names for name, _ in current):
                current = [(n, v) for n, v in current if n.lower() not in names]
            message["headers"] = [*current, *encoded]

    return add_headers


def cors_config(settings: Settings) -> CORSConfig | None:
    """CORS for the configured origins only; none configured means same-origin only."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Application-Secret"],
        max_age=600,
    )
