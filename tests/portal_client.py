"""Driving a running portal (the `server` fixture) from browser tests: JSON calls, a staff
token from the CLI, and a freshly approved agent."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

from tests.conftest import ROOT
from tests.factories import application_body


def call(server: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    """One JSON request; raises urllib's HTTPError on a 4xx/5xx answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def staff_token(server_env: dict[str, str], name: str) -> str:
    """A new staff member's token, from `hcc staff add` on the server's database."""
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "staff", "add", name],
        cwd=ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def approved_agent(
    server: str, server_env: dict[str, str], staff_name: str, **application: Any
) -> tuple[str, str]:
    """Apply with ``application_body(**application)`` and approve: the agent's id and token."""
    staff = staff_token(server_env, staff_name)
    created = call(server, "POST", "/api/v1/applications", application_body(**application))
    approved = call(server, "POST", f"/api/v1/applications/{created['id']}/approve", {}, staff)
    return str(approved["agent_id"]), str(approved["token"])
