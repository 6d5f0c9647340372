"""Open data generated live (the same files as the site's /du-lieu-mo/)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.params import FromPath

from agents_registry import open_data
from agents_registry.errors import NotFound
from agents_registry.open_data import OpenDataIndex
from api.deps import Db, RegistryContext
from api.routes.common import catalog_times_of


class OpenDataController(Controller):
    path = "/open-data"
    tags = ["open data"]

    @get("/", operation_id="listOpenData", sync_to_thread=True)
    def index(self, db: Db, ctx: RegistryContext, state: State) -> OpenDataIndex:
        """The open data files with format, licence, date, size and record count."""
        return open_data.live(db, ctx.catalog, catalog_times_of(state), now=ctx.now()).index

    @get("/{path:path}", operation_id="getOpenDataFile", sync_to_thread=True)
    def file(
        self, db: Db, ctx: RegistryContext, state: State, path: FromPath[str]
    ) -> Response[bytes]:
        """One open data file, e.g. dia-diem.csv, thu-tuc.json or hsds/hsds.json."""
        data = open_data.live(db, ctx.catalog, catalog_times_of(state), now=ctx.now())
        name = path.lstrip("/")
        if name not in data.files:
            raise NotFound(f"no open data file {name}")
        filename = name.rsplit("/", 1)[-1]
        return Response(
            data.files[name],
            media_type=data.media_type(name),
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
