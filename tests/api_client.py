"""An API under test: a real app on a temporary SQLite file, driven over HTTP with TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from agents_registry import store
from agents_registry.auth import add_staff
from agents_registry.context import Context
from agents_registry.db import connect
from agents_registry.migrations import migrate
from api.app import create_app
from api.settings import Settings
from catalog.load import Catalog
from tests.factories import application_body


@dataclass
class Api:
    client: TestClient  # type: ignore[type-arg]
    db_path: Path
    staff_token: str

    def staff(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.staff_token}"}

    def count(self, table: str) -> int:
        db = connect(self.db_path)
        try:
            return store.count_rows(db, table)
        finally:
            db.conn.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        db = connect(self.db_path)
        try:
            return list(db.execute(sql, params or []).fetchall())
        finally:
            db.conn.close()

    def new_agent(self, **overrides: Any) -> tuple[str, dict[str, str]]:
        """Apply and approve; return the agent id and its Authorization header."""
        created = self.client.post("/api/v1/applications", json=application_body(**overrides))
        assert created.status_code == 201, created.text
        approved = self.client.post(
            f"/api/v1/applications/{created.json()['id']}/approve", headers=self.staff()
        )
        assert approved.status_code == 200, approved.text
        body = approved.json()
        return body["agent_id"], {"Authorization": f"Bearer {body['token']}"}


@contextmanager
def running_api(tmp_path: Path, catalog: Catalog, **settings: Any) -> Iterator[Api]:
    db_path = tmp_path / "hcc.db"
    defaults: dict[str, Any] = {"site_dir": tmp_path / "no-site", "secret_key": "test-secret"}
    config = Settings(db_path=db_path, **{**defaults, **settings})
    db = connect(db_path)
    migrate(db)
    _, token = add_staff(db, Context(catalog=catalog, secret_key=b"test-secret"), "Trần Văn Kiểm")
    db.conn.close()
    with TestClient(create_app(config, catalog)) as client:
        yield Api(client, db_path, token)
