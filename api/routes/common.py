"""Shapes and parameters shared by the route modules."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

PageNumber = Annotated[int, QueryParameter(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, QueryParameter(ge=1, le=500, description="Items per page (at most 500).")]


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list: ``items`` with the ``total`` count across all pages."""

    items: list[T]
    total: int
    page: int
    page_size: int
