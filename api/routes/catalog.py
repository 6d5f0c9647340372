"""Public read access to the procedure catalog, branches and wards."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from api.routes.common import (
    ModifiedAfter,
    Page,
    PageNumber,
    PageSize,
    catalog_times_of,
    modified_after_utc,
)
from catalog.history import changed_since
from catalog.models import Branch, Level, Procedure, Ward
from catalog.search import search


class CatalogController(Controller):
    path = "/"
    tags = ["catalog"]

    @get("/procedures", operation_id="listProcedures", sync_to_thread=False)
    def list_procedures(
        self,
        state: State,
        q: FromQuery[str | None] = None,
        field: FromQuery[str | None] = None,
        level: FromQuery[Level | None] = None,
        modified_after: ModifiedAfter = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> Page[Procedure]:
        """Procedures, searched without regard to diacritics (`q`), filtered by field and level."""
        catalog = state.ctx.catalog
        since, times = modified_after_utc(modified_after), catalog_times_of(state)
        if q:
            keys = [e.key for e in search(state.search_entries, q, limit=len(catalog.procedures))]
            found = [catalog.procedure(k) for k in keys]
            procedures = [p for p in found if p is not None]
        else:
            procedures = list(catalog.procedures)
        procedures = [
            p
            for p in procedures
            if (not field or p.field == field)
            and (not level or p.level == level)
            and changed_since(times.procedure(p), since)
        ]
        start = (page - 1) * page_size
        return Page(
            items=procedures[start : start + page_size],
            total=len(procedures),
            page=page,
            page_size=page_size,
        )

    @get("/procedures/{key:str}", operation_id="getProcedure", sync_to_thread=False)
    def get_procedure(self, state: State, key: FromPath[str]) -> Procedure:
        """One procedure by national code (e.g. 1.001193) or catalog id."""
        procedure = state.ctx.catalog.procedure(key)
        if procedure is None:
            raise NotFoundException(f"procedure {key} not found")
        return procedure

    @get("/branches", operation_id="listBranches", sync_to_thread=False)
    def list_branches(self, state: State, modified_after: ModifiedAfter = None) -> list[Branch]:
        """The center's branches with their reception points and the wards they serve."""
        since = modified_after_utc(modified_after)
        if not changed_since(catalog_times_of(state).branches, since):
            return []
        return list(state.ctx.catalog.branches)

    @get("/wards", operation_id="listWards", sync_to_thread=False)
    def list_wards(self, state: State, modified_after: ModifiedAfter = None) -> list[Ward]:
        """Hanoi's 126 communes and wards (official codes since 1 July 2025)."""
        since = modified_after_utc(modified_after)
        if not changed_since(catalog_times_of(state).wards, since):
            return []
        return list(state.ctx.catalog.wards)
