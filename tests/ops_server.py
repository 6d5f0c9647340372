"""A real `hcc up` for the operations tests: the CLI, a served registry, an approved agent."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, free_port, wait_until_up
from tests.factories import application_body
from tests.test_api_crash import call

UP = [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo"]


def hcc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def add_staff(env: dict[str, str]) -> str:
    """A new staff user's token (`hcc staff add` prints it alone on its last line)."""
    return hcc(env, "staff", "add", "Kiểm thử").stdout.strip().splitlines()[-1]


@contextmanager
def served(
    env: dict[str, str], *, log: Path | None = None, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """`hcc up` on ``port`` (a free one by default), stderr into ``log``; yields the base URL."""
    port = port or free_port()
    with open(log or os.devnull, "wb") as stderr:
        server = subprocess.Popen(
            [*UP, "--port", str(port), "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/healthz", server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


def new_agent(base: str, staff_token: str, **overrides: Any) -> tuple[str, str]:
    """Apply and approve over HTTP; the agent's id and token."""
    _, created = call(f"{base}/api/v1/applications", application_body(**overrides))
    _, approved = call(f"{base}/api/v1/applications/{created['id']}/approve", {}, staff_token)
    return str(approved["agent_id"]), str(approved["token"])
