"""The edge over real HTTP: `hcc up` (the production server) refuses callers outside their role
and hostile bodies as the in-process tests expect — tokens, size limit, content type, encoding.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, running_server
from tests.factories import application_body


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("edge")
    site = var / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>hcc</title>", encoding="utf-8")
    return {
        "HCC_SITE_DIR": str(site),
        "HCC_DB": str(var / "hcc.db"),
        "HCC_SECRET_KEY": "edge-test-secret",
        "HCC_RATE_LIMIT_PER_MINUTE": "1000",
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }


@pytest.fixture(scope="module")
def client(env: dict[str, str]) -> Iterator[httpx.Client]:
    with running_server(env) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


@pytest.fixture(scope="module")
def staff(env: dict[str, str], client: httpx.Client) -> dict[str, str]:
    """A staff token made with the CLI, as an operator would (once the server has migrated)."""
    added = subprocess.run(
        [sys.executable, "-m", "api.cli", "staff", "add", "Cán bộ kiểm tra"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return {"Authorization": f"Bearer {added.stdout.strip().splitlines()[-1]}"}


def count(env: dict[str, str], table: str) -> int:
    with sqlite3.connect(Path(env["HCC_DB"])) as db:
        return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_roles_are_enforced_by_the_running_server(
    client: httpx.Client, staff: dict[str, str]
) -> None:
    anonymous = client.get("/api/v1/applications")
    forged = client.get("/api/v1/applications", headers={"Authorization": "Bearer forged-token"})
    as_staff = client.get("/api/v1/applications", headers=staff)
    staff_as_agent = client.get("/api/v1/me", headers=staff)

    assert (anonymous.status_code, forged.status_code) == (401, 401)
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert as_staff.status_code == 200, as_staff.text
    assert staff_as_agent.status_code == 403


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"equipment": "' + b"x" * 70_000 + b'"}', "application/json", 413),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400),
        (b'{"business_name": "\xff\xfe"}', "application/json", 400),
        (b"business_name=x", "application/x-www-form-urlencoded", 415),
        (b"", "application/json", 422),
    ],
    ids=["huge", "deep", "not UTF-8", "form", "empty"],
)
def test_hostile_bodies_are_refused_by_the_running_server(
    client: httpx.Client, env: dict[str, str], content: bytes, content_type: str, status: int
) -> None:
    before = count(env, "applications"), count(env, "audit_log")

    response = client.post(
        "/api/v1/applications", content=content, headers={"Content-Type": content_type}
    )

    assert response.status_code == status, response.text
    assert response.json()["status_code"] == status
    assert (count(env, "applications"), count(env, "audit_log")) == before


def test_a_valid_application_still_goes_through(client: httpx.Client, env: dict[str, str]) -> None:
    response = client.post("/api/v1/applications", json=application_body())

    assert response.status_code == 201, response.text
    assert count(env, "applications") == 1
