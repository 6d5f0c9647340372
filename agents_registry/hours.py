"""Open now? Weekly hours, Vietnam's public holidays and temporary closures, in Hanoi time.

Every place (branch, reception point, agent) keeps weekly ``OpeningHours``; on a public holiday
of Vietnam (lunar Tết included, from the ``holidays`` package) or during an announced closure it
is closed. Times are compared in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import holidays
import msgspec

from agents_registry.context import VIETNAM
from catalog.models import DAYS, OpeningHours

LOOKAHEAD_DAYS = 14


class Closure(msgspec.Struct, frozen=True, kw_only=True):
    """A temporary closure from ``starts_on`` to ``ends_on`` (local dates, inclusive)."""

    starts_on: dt.date
    ends_on: dt.date
    reason: str


class OpenState(msgspec.Struct, frozen=True, kw_only=True):
    open_now: bool
    closes_at: dt.datetime | None = None
    opens_at: dt.datetime | None = None
    closed_reason: str | None = None


@cache
def _holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=[year], language="vi").items())


def holiday(day: dt.date) -> str | None:
    """The name of the public holiday on ``day`` in Vietnam, if any."""
    return _holidays(day.year).get(day)


def _closure(closures: Sequence[Closure], day: dt.date) -> Closure | None:
    return next((c for c in closures if c.starts_on <= day <= c.ends_on), None)


def closed_reason(day: dt.date, closures: Sequence[Closure]) -> str | None:
    """Why the place is closed all of ``day`` (holiday or closure), or None."""
    closure = _closure(closures, day)
    if closure is not None:
        return closure.reason
    name = holiday(day)
    return f"Nghỉ lễ: {name}" if name else None


def _ranges(hours: OpeningHours, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    result = []
    for time_range in getattr(hours, DAYS[day.weekday()]):
        start, end = (dt.time.fromisoformat(t) for t in time_range.split("-"))
        result.append(
            (dt.datetime.combine(day, start, VIETNAM), dt.datetime.combine(day, end, VIETNAM))
        )
    return result


def open_state(hours: OpeningHours, closures: Sequence[Closure], at: dt.datetime) -> OpenState:
    """Whether the place is open at ``at``, until when, or when it opens next (within 2 weeks)."""
    local = at.astimezone(VIETNAM)
    today = local.date()
    reason = closed_reason(today, closures)
    if reason is None:
        for start, end in _ranges(hours, today):
            if start <= local < end:
                return OpenState(open_now=True, closes_at=end)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        if closed_reason(day, closures) is not None:
            continue
        for start, _ in _ranges(hours, day):
            if start > local:
                return OpenState(open_now=False, opens_at=start, closed_reason=reason)
    return OpenState(open_now=False, closed_reason=reason)
