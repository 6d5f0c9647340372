"""Settings, read once from the environment into a typed object (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from catalog.maps import OSM_TILES

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(SystemExit):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    site_dir: Path = PROJECT_ROOT / "build" / "site"
    db_path: Path = PROJECT_ROOT / "var" / "hcc.db"
    secret_key: str | None = None
    submission_window_days: int = 30
    public_rate_limit_per_minute: int = 20
    max_body_bytes: int = 64 * 1024
    workers: int = 1
    tile_url: str = OSM_TILES
    cors_origins: tuple[str, ...] = ()
    metrics_token: str | None = None
    db_readonly: bool = False
    db_max_mb: float | None = None
    public_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        mode = env.get("HCC_ENV", "development")
        if mode not in {"development", "production"}:
            raise SettingsError(f"HCC_ENV must be 'development' or 'production', got {mode!r}")
        if mode == "production" and not env.get("HCC_SECRET_KEY"):
            raise SettingsError(
                "HCC_ENV=production needs HCC_SECRET_KEY: set it to a long random value, e.g. "
                "`export HCC_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')`, "
                "and keep it: citizen-ID hashes depend on it."
            )
        return cls(
            env=mode,
            host=env.get("HCC_HOST", "127.0.0.1"),
            port=_int(env, "HCC_PORT", 8000),
            site_dir=Path(env.get("HCC_SITE_DIR") or PROJECT_ROOT / "build" / "site"),
            db_path=Path(env.get("HCC_DB") or PROJECT_ROOT / "var" / "hcc.db"),
            secret_key=env.get("HCC_SECRET_KEY") or None,
            submission_window_days=_int(env, "HCC_SUBMISSION_WINDOW_DAYS", 30),
            public_rate_limit_per_minute=_int(env, "HCC_RATE_LIMIT_PER_MINUTE", 20),
            workers=_int(env, "HCC_WORKERS", 1),
            tile_url=env.get("HCC_TILE_URL") or OSM_TILES,
            cors_origins=_origins(env.get("HCC_CORS_ORIGINS", "")),
            metrics_token=env.get("HCC_METRICS_TOKEN") or None,
            db_readonly=_flag(env, "HCC_DB_READONLY"),
            db_max_mb=_megabytes(env, "HCC_DB_MAX_MB"),
            public_url=public_url(env),
        )

    def resolved_secret_key(self) -> bytes:
        """The secret key; in development one is generated once into var/secret_key."""
        if self.secret_key:
            return self.secret_key.encode()
        if self.env == "production":
            raise SettingsError("HCC_SECRET_KEY is required in production")
        path = self.db_path.parent / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return path.read_text().strip().encode()


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in {"", "0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")


def _megabytes(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number of megabytes, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def public_url(env: Mapping[str, str]) -> str | None:
    """``HCC_PUBLIC_URL``: the address citizens reach the portal at (``https://host[/path]``),
    without a trailing slash; read by the app (poster QR codes) and the site build (sitemap)."""
    raw = env.get("HCC_PUBLIC_URL", "").strip().rstrip("/")
    if not raw:
        return None
    if not _is_http_url(raw, path_allowed=True):
        raise SettingsError(
            f"HCC_PUBLIC_URL must be the portal's address like https://dichvucong.example.vn, got {raw!r}"
        )
    return raw


def _origins(raw: str) -> tuple[str, ...]:
    """Comma-separated origins such as ``https://portal.example.vn``, each without a path."""
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if not _is_http_url(origin, path_allowed=False):
            raise SettingsError(
                f"HCC_CORS_ORIGINS must list origins like https://portal.example.vn, got {origin!r}"
            )
    return origins


def _is_http_url(value: str, *, path_allowed: bool) -> bool:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and not (parts.username or parts.password or parts.query or parts.fragment)
        and (path_allowed or not parts.path)
        and not any(c in value for c in " \\\"'<>")
    )
