"""Shapes and parameters shared by the route modules."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

# Bounded so that the row offset (page - 1) * page_size always fits SQLite's 64-bit integers.
PageNumber = Annotated[
    int,
    QueryParameter(ge=1, le=10_000_000, description="Page number, from 1 (at most 10,000,000)."),
]
PageSize = Annotated[int, QueryParameter(ge=1, le=500, description="Items per page (at most 500).")]


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list: ``items`` with the ``total`` count across all pages."""

    items: list[T]
    total: int
    page: int
    page_size: int
