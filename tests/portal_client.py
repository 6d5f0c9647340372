"""Driving a running portal (the `server` fixture) from browser tests: JSON calls, a freshly
approved agent (with the `staff_token` fixture), and the axe audit."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from axe_playwright_python.sync_playwright import Axe

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


def approved_agent(server: str, staff_token: str, **application: Any) -> tuple[str, str]:
    """Apply with ``application_body(**application)`` and approve: the agent's id and token."""
    created = call(server, "POST", "/api/v1/applications", application_body(**application))
    approved = call(
        server, "POST", f"/api/v1/applications/{created['id']}/approve", {}, staff_token
    )
    return str(approved["agent_id"]), str(approved["token"])


def serious_axe_violations(page) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on the page: (rule, first targets)."""
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
