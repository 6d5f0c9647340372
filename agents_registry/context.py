"""What every registry service needs besides the database: catalog, secret, clock, limits."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

from catalog.load import Catalog

VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    secret_key: bytes
    submission_window_days: int = 30
    clock_skew: dt.timedelta = dt.timedelta(minutes=5)
    target_full_online_share: float = 0.20
    clock: Callable[[], dt.datetime] = field(default=utc_now)

    def now(self) -> dt.datetime:
        return self.clock()

    def keyed_hash(self, purpose: str, value: str) -> str:
        """HMAC-SHA256 of ``value``: citizen IDs are kept only in this form."""
        return hmac.new(self.secret_key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
