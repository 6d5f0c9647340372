"""Open now? Weekly hours, Vietnam's public holidays and temporary closures, in Hanoi time.

Every place (branch, reception point, agent) keeps weekly ``OpeningHours``; on a public holiday
of Vietnam (lunar Tết included, from the ``holidays`` package) or during an announced closure it
is closed. Times are compared in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import cache

import holidays
import msgspec

from agents_registry.context import VIETNAM
from catalog.models import DAYS, OpeningHours

LOOKAHEAD_DAYS = 14  # days without a holiday or closure to look through for the next opening
MAX_SCAN_DAYS = 400
END_OF_DAY = dt.time(23, 59)


class Closure(msgspec.Struct, frozen=True, kw_only=True):
    """A temporary closure from ``starts_on`` to ``ends_on`` (local dates, inclusive).

    ``id`` is the stored closure's id (None for one that was never stored).
    """

    starts_on: dt.date
    ends_on: dt.date
    reason: str
    id: int | None = None


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


Range = tuple[dt.datetime, dt.datetime]


def _ranges(hours: OpeningHours, day: dt.date) -> list[Range]:
    """The day's ranges as local datetimes; an end of 23:59 means "until midnight"."""
    result = []
    for time_range in getattr(hours, DAYS[day.weekday()]):
        start, end = (dt.time.fromisoformat(t) for t in time_range.split("-"))
        ends = (
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), VIETNAM)
            if end == END_OF_DAY
            else dt.datetime.combine(day, end, VIETNAM)
        )
        result.append((dt.datetime.combine(day, start, VIETNAM), ends))
    return result


def _open_ranges(
    hours: OpeningHours, closures: Sequence[Closure], first: dt.date
) -> Iterator[Range]:
    """Opening ranges in time order from ``first`` on, skipping holidays and closures.

    Closed days do not use up the look-ahead, so a place shut for a month still says when it
    reopens.
    """
    open_days = 0
    for offset in range(MAX_SCAN_DAYS):
        day = first + dt.timedelta(days=offset)
        if closed_reason(day, closures) is not None:
            continue
        yield from _ranges(hours, day)
        open_days += 1
        if open_days > LOOKAHEAD_DAYS:
            return


def open_state(hours: OpeningHours, closures: Sequence[Closure], at: dt.datetime) -> OpenState:
    """Whether the place is open at ``at``, until when, or when it opens next.

    Ranges that touch (18:00-23:59 then 00:00-02:00 the next day) count as one opening, so a
    place open through midnight reports when it really closes.
    """
    local = at.astimezone(VIETNAM)
    today = local.date()
    ranges = _open_ranges(hours, closures, today)
    for start, end in ranges:
        if end <= local:
            continue
        if start > local:
            return OpenState(
                open_now=False, opens_at=start, closed_reason=closed_reason(today, closures)
            )
        for next_start, next_end in ranges:
            if next_start != end:
                break
            end = next_end
        return OpenState(open_now=True, closes_at=end)
    return OpenState(open_now=False, closed_reason=closed_reason(today, closures))
