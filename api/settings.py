"""Settings, read once from the environment into a typed object (see docs/settings in README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    site_dir: Path = PROJECT_ROOT / "build" / "site"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        try:
            port = int(env.get("HCC_PORT", "8000"))
        except ValueError as exc:
            raise SystemExit(f"HCC_PORT must be a port number, got {env['HCC_PORT']!r}") from exc
        return cls(
            env=env.get("HCC_ENV", "development"),
            host=env.get("HCC_HOST", "127.0.0.1"),
            port=port,
            site_dir=Path(env.get("HCC_SITE_DIR") or PROJECT_ROOT / "build" / "site"),
        )
