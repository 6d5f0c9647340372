"""Shapes and parameters shared by the route modules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.datastructures import State
from litestar.params import QueryParameter

from agents_registry.errors import InvalidInput
from catalog.history import CatalogTimes, catalog_times, load_history

T = TypeVar("T")

# Bounded so that the row offset (page - 1) * page_size always fits SQLite's 64-bit integers.
PageNumber = Annotated[
    int,
    QueryParameter(ge=1, le=10_000_000, description="Page number, from 1 (at most 10,000,000)."),
]
PageSize = Annotated[int, QueryParameter(ge=1, le=500, description="Items per page (at most 500).")]
ModifiedAfter = Annotated[
    dt.datetime | None,
    QueryParameter(
        name="modified_after",
        description="Only items created or changed after this moment, for syncing: ISO 8601 "
        "with a UTC offset, e.g. 2026-01-01T00:00:00+07:00.",
    ),
]


def modified_after_utc(value: dt.datetime | None) -> dt.datetime | None:
    """The ``modified_after`` parameter in UTC; a moment without a UTC offset is refused."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise InvalidInput({"modified_after": "needs a UTC offset, e.g. 2026-01-01T00:00:00+07:00"})
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # year 1 at +14:00, year 9999 at -14:00: not a moment in UTC
        raise InvalidInput({"modified_after": "is out of range"}) from None


def catalog_times_of(state: State) -> CatalogTimes:
    """When each catalog record last changed (git history of the data files, read once)."""
    times: CatalogTimes | None = state.get("catalog_times")
    if times is None:
        times = catalog_times(state.ctx.catalog, load_history())
        state.catalog_times = times
    return times


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list: ``items`` with the ``total`` count across all pages."""

    items: list[T]
    total: int
    page: int
    page_size: int
