"""A small world for the security tests: one API with an agent of every kind and a staff user.

Roles: ``anonymous``; ``agent_a`` and ``agent_b`` (active agents); ``suspended`` (the token of
a suspended agent); ``revoked`` (agent A's first token, revoked by a staff rotation); ``staff``.
Fresh targets (a pending application, an active agent, a closure of agent A) are made on demand
so that each request of a test acts on its own record.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import application_body, submission_body
from tests.factories import tax_code as tax_code_from

ROLES = ("anonymous", "agent_a", "agent_b", "suspended", "revoked", "staff")
VN = dt.timezone(dt.timedelta(hours=7))
HIGH_RATE_LIMIT = 1_000_000


@dataclass
class World:
    api: Api
    agent_a: str
    agent_b: str
    suspended_agent: str
    tokens: dict[str, str]
    staff_id: str
    _serial: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def unique_tax_code(self) -> str:
        """A valid tax code no other application of this world uses."""
        while True:
            prefix = f"0108{next(self._serial):05d}"
            code = tax_code_from(prefix) if _has_check_digit(prefix) else None
            if code:
                return code

    def dossier_code(self) -> str:
        return f"000.00.12.H26-{dt.date.today():%y%m%d}-{next(self._serial):04d}"

    def application_body(self, **overrides: Any) -> dict[str, Any]:
        return application_body(**{"tax_code": self.unique_tax_code(), **overrides})

    def submission_body(self, **overrides: Any) -> dict[str, Any]:
        return submission_body(**{"dossier_code": self.dossier_code(), **overrides})

    def pending_application(self) -> dict[str, Any]:
        """A new pending application: its id and status secret."""
        created = self.api.client.post("/api/v1/applications", json=self.application_body())
        assert created.status_code == 201, created.text
        body: dict[str, Any] = created.json()
        return body

    def active_agent(self) -> tuple[str, str]:
        """A new active agent: its id and token."""
        application = self.pending_application()
        approved = self.api.client.post(
            f"/api/v1/applications/{application['id']}/approve", headers=self.api.staff()
        )
        assert approved.status_code == 200, approved.text
        return approved.json()["agent_id"], approved.json()["token"]

    def suspend(self, agent_id: str) -> str:
        suspended = self.api.client.post(
            f"/api/v1/agents/{agent_id}/suspend",
            json={"reason": "Kiểm tra số liệu bất thường"},
            headers=self.api.staff(),
        )
        assert suspended.status_code == 200, suspended.text
        return agent_id

    def suspended_agent_id(self) -> str:
        """A new suspended agent."""
        return self.suspend(self.active_agent()[0])

    def closure_body(self) -> dict[str, str]:
        """A one-day closure on a day no earlier call of this world used."""
        day = dt.datetime.now(VN).date() + dt.timedelta(days=next(self._serial) % 300 + 1)
        return {"starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "Nghỉ kiểm kê"}

    def closure_of_a(self) -> int:
        """A new closure announced by agent A."""
        created = self.api.client.post(
            "/api/v1/me/closures", json=self.closure_body(), headers=self.headers("agent_a")
        )
        assert created.status_code == 201, created.text
        closure_id: int = created.json()["id"]
        return closure_id

    def snapshot(self) -> dict[str, Any]:
        """Row counts of every table and the last audit event: equal before and after = no write."""
        tables = [
            name
            for (name,) in self.api.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts: dict[str, Any] = {
            t: self.api.query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables
        }
        counts["last audit event"] = self.api.query("SELECT max(id) FROM audit_log")[0][0]
        counts["agents by status"] = self.api.query(
            "SELECT status, count(*) FROM agents GROUP BY status ORDER BY status"
        )
        return counts


def _has_check_digit(prefix: str) -> bool:
    from agents_registry.validation import tax_code_check_digit

    return tax_code_check_digit(prefix) is not None


@contextmanager
def running_world(tmp_path: Path, catalog: Catalog, **settings: Any) -> Iterator[World]:
    """An API (high rate limit unless given) with agents A and B, a suspended agent, a revoked token."""
    settings.setdefault("public_rate_limit_per_minute", HIGH_RATE_LIMIT)
    with running_api(tmp_path, catalog, **settings) as api:
        staff_id = api.query("SELECT subject FROM tokens WHERE role = 'staff'")[0][0]
        world = World(
            api=api, agent_a="", agent_b="", suspended_agent="", tokens={}, staff_id=staff_id
        )
        world.agent_a, revoked = world.active_agent()
        rotated = api.client.post(f"/api/v1/agents/{world.agent_a}/tokens", headers=api.staff())
        assert rotated.status_code == 201, rotated.text
        world.agent_b, token_b = world.active_agent()
        world.suspended_agent, token_s = world.active_agent()
        world.suspend(world.suspended_agent)
        world.tokens = {
            "agent_a": rotated.json()["token"],
            "agent_b": token_b,
            "suspended": token_s,
            "revoked": revoked,
            "staff": api.staff_token,
        }
        yield world
