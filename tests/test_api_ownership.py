"""Agents read and write only their own records: submissions, output, hours, closures, profile.

The authorization matrix (test_api_authorization.py) checks who may call each route; these tests
check what an allowed agent then sees and changes, with two agents working side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_world import World, running_world

LATE = {"mon": ["13:00-21:00"], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}


@pytest.fixture
def world(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("own"), catalog) as running:
        yield running


def record(world: World, role: str) -> dict[str, Any]:
    response = world.api.client.post(
        "/api/v1/submissions", json=world.submission_body(), headers=world.headers(role)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def dossiers(world: World, role: str) -> set[str]:
    listed = world.api.client.get("/api/v1/me/submissions", headers=world.headers(role))
    assert listed.status_code == 200, listed.text
    return {item["dossier_code"] for item in listed.json()["items"]}


def test_each_agent_lists_and_counts_only_its_own_submissions(world: World) -> None:
    mine = {record(world, "agent_a")["dossier_code"] for _ in range(3)}
    theirs = {record(world, "agent_b")["dossier_code"]}

    output_a = world.api.client.get("/api/v1/me/output", headers=world.headers("agent_a"))
    output_b = world.api.client.get("/api/v1/me/output", headers=world.headers("agent_b"))

    assert dossiers(world, "agent_a") == mine
    assert dossiers(world, "agent_b") == theirs
    assert (output_a.json()["total"], output_b.json()["total"]) == (3, 1)
    assert world.api.client.get("/api/v1/me", headers=world.headers("agent_b")).json()["id"] == (
        world.agent_b
    )


def test_an_agent_cannot_claim_a_dossier_another_agent_recorded(world: World) -> None:
    original = record(world, "agent_a")
    claim = {**world.submission_body(), "dossier_code": original["dossier_code"]}

    response = world.api.client.post(
        "/api/v1/submissions", json=claim, headers=world.headers("agent_b")
    )

    assert response.status_code == 409, response.text
    assert original["dossier_code"] not in dossiers(world, "agent_b")
    assert original["dossier_code"] in dossiers(world, "agent_a")
    assert world.api.query(
        "SELECT agent_id FROM submissions WHERE dossier_code = ?", [original["dossier_code"]]
    ) == [(world.agent_a,)]


def test_an_agent_changes_its_own_hours_and_closures_only(world: World) -> None:
    client, a, b = world.api.client, world.headers("agent_a"), world.headers("agent_b")
    hours_a = client.get(f"/api/v1/places/agent/{world.agent_a}").json()["opening_hours"]
    closure = world.closure_of_a()

    own_hours = client.put("/api/v1/me/hours", json=LATE, headers=b)
    other_hours = client.put(f"/api/v1/places/agent/{world.agent_a}/hours", json=LATE, headers=b)
    other_closure = client.delete(f"/api/v1/me/closures/{closure}", headers=b)

    assert own_hours.status_code == 200 and own_hours.json()["id"] == world.agent_b
    assert other_hours.status_code == 403, other_hours.text
    assert other_closure.status_code == 404, other_closure.text
    assert client.get(f"/api/v1/places/agent/{world.agent_a}").json()["opening_hours"] == hours_a
    assert closure in [c["id"] for c in client.get("/api/v1/me/closures", headers=a).json()]
    assert closure not in [c["id"] for c in client.get("/api/v1/me/closures", headers=b).json()]
