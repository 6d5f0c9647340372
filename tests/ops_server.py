"""The operations tests' helpers: the CLI, a staff user, an approved agent over HTTP (the server
itself: ``tests.conftest.running_server``)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tests.conftest import ROOT
from tests.factories import application_body
from tests.test_api_crash import call


def hcc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def add_staff(env: dict[str, str]) -> str:
    """A new staff user's token (`hcc staff add` prints it alone on its last line)."""
    return hcc(env, "staff", "add", "Kiểm thử").stdout.strip().splitlines()[-1]


def new_agent(base: str, staff_token: str, **overrides: Any) -> tuple[str, str]:
    """Apply and approve over HTTP; the agent's id and token."""
    _, created = call(f"{base}/api/v1/applications", application_body(**overrides))
    _, approved = call(f"{base}/api/v1/applications/{created['id']}/approve", {}, staff_token)
    return str(approved["agent_id"]), str(approved["token"])
