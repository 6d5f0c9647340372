"""Operations: liveness and readiness."""

from __future__ import annotations

from litestar import get
from litestar.exceptions import HTTPException

from agents_registry.migrations import is_current
from api.deps import Db


@get("/healthz", operation_id="healthz", tags=["ops"], sync_to_thread=False)
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get("/readyz", operation_id="readyz", tags=["ops"], sync_to_thread=True)
def readyz(db: Db) -> dict[str, str]:
    """The database answers and its schema is current."""
    if not is_current(db):
        raise HTTPException(status_code=503, detail="database migrations are pending")
    return {"status": "ready"}
