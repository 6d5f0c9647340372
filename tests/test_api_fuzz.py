"""Schemathesis against the app's own OpenAPI document, as an anonymous caller, an agent and staff.

Every operation of `/schema/openapi.json` gets a fixed number of generated requests (valid ones,
and invalid ones where the operation has something to get wrong), derandomized so that every run
sends the same requests. Checks: no 5xx, every response matches the schema documented for its
status, and every 4xx has the API's one error shape. The count of requests sent is asserted so
that the suite cannot silently shrink.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from catalog.load import Catalog
from tests.api_world import World, running_world

FUZZED_ROLES = ("anonymous", "agent_a", "staff")
VALID_EXAMPLES = 12  # per operation and role
INVALID_EXAMPLES = 8  # per operation and role, where a parameter or body can be made invalid
MIN_CASES_PER_ROLE = 700  # 3 roles x 700 >= 2,000 cases in all
CHECKS = [not_a_server_error, response_schema_conformance]
CONSTRAINTS = {"pattern", "enum", "minLength", "maxLength", "format", "minimum", "maximum"}


@dataclass
class Run:
    """Requests sent and problems found, by operation."""

    world: World
    role: str
    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def quiet_request_logs() -> Iterator[None]:
    """Thousands of requests: keep their INFO lines out of the captured output."""
    logging.disable(logging.INFO)
    yield
    logging.disable(logging.NOTSET)


def can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether schemathesis can make an invalid request: a body, or a typed/constrained parameter."""
    if "requestBody" in operation:
        return True
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] != "path" or schema.get("type") != "string" or CONSTRAINTS & set(schema):
            return True
    return False


def send(run: Run, case: Any) -> None:
    """One generated request, sent with the role's credentials; problems are recorded, not raised."""
    request = case.as_transport_kwargs(base_url=str(run.world.api.client.base_url))
    request.pop("allow_redirects", None)
    request.pop("cookies", None)
    if isinstance(request.get("data"), bytes | str):  # requests' raw body is httpx's content
        request["content"] = request.pop("data")
    headers = {**(request.pop("headers", None) or {}), **run.world.headers(run.role)}
    response = run.world.api.client.request(
        request.pop("method"), request.pop("url"), headers=headers, **request
    )
    run.cases += 1
    key = f"{case.operation.label} [{case.meta.generation.mode.value if case.meta else '?'}]"
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as failure:  # what schemathesis found, with a curl line to reproduce it
        run.failures.setdefault(key, f"{response.status_code}: {failure}"[:1500])
    if not error_shape_holds(case.operation.path, response):
        run.failures.setdefault(key, f"not the one error shape: {response.text[:500]}")


def error_shape_holds(path: str, response: Any) -> bool:
    """A 4xx is {"status_code", "detail", "extra"?} (Open311 keeps its spec's error array)."""
    if not 400 <= response.status_code < 500 or path.startswith("/api/v1/open311/"):
        return True
    body = response.json()
    return (
        isinstance(body, dict)
        and set(body) <= {"status_code", "detail", "extra"}
        and body.get("status_code") == response.status_code
        and isinstance(body.get("detail"), str)
    )


def fuzz(run: Run, operation: Any, mode: GenerationMode, examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def each(case: Any) -> None:
        send(run, case)

    with contextlib.suppress(Unsatisfiable):  # nothing of it could be made invalid after all
        each()


@pytest.mark.parametrize("role", FUZZED_ROLES)
def test_generated_requests_get_no_5xx_and_documented_responses(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, role: str
) -> None:
    with running_world(tmp_path_factory.mktemp(f"fuzz-{role}"), catalog) as world:
        document = world.api.client.get("/schema/openapi.json").json()
        schema = schemathesis.openapi.from_dict(document)
        run = Run(world, role)

        for result in schema.get_all_operations():
            operation = result.ok()
            fuzz(run, operation, GenerationMode.POSITIVE, VALID_EXAMPLES)
            if can_be_invalid(document["paths"][operation.path][operation.method.lower()]):
                fuzz(run, operation, GenerationMode.NEGATIVE, INVALID_EXAMPLES)

    assert not run.failures, "\n\n".join(f"{k}\n{v}" for k, v in run.failures.items())
    assert run.cases >= MIN_CASES_PER_ROLE, f"only {run.cases} requests were generated"
