"""Schemathesis: requests generated from the OpenAPI document against the ASGI app. No answer
may be a 500, and every answer must match the status codes, content types and schemas the
document declares. Bounded (a few examples per operation) so it runs in seconds.

The app gets its own instance here: schemathesis runs it (and its lifespan) on its own event
loop thread.
"""

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.api.app import create_app
from services.api.settings import ApiSettings
from tests.api.builders import PROVIDERS, SCHOOLS, Account, Accounts

EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
async def callers(accounts: Accounts) -> list[Account]:
    """A school and a provider user: each side's routes get past authorisation once."""
    return [
        await accounts.create("school", SCHOOLS[0]),
        await accounts.create("provider", PROVIDERS[0]),
    ]


@pytest.fixture(scope="module")
def api_schema(stack: object) -> Iterator[schemathesis.BaseSchema]:
    """The OpenAPI document of a fresh app instance, loaded over ASGI."""
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(ApiSettings()))
    asgi.shutdown_lifespans()


# schemathesis' pytest plugin (``parametrize``) does not run on pytest 9 yet; its Python API
# does: one Hypothesis run per operation.
def test_generated_requests_get_documented_answers(
    api_schema: schemathesis.BaseSchema, callers: list[Account]
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: schemathesis.Case) -> None:
            for caller in callers:
                answer = case.call_and_validate(headers=caller.bearer, checks=CHECKS)
                statuses[answer.status_code] += 1

        answers_as_documented()
    print(f"schemathesis: {len(operations)} operations, answers by status {dict(statuses)}")
    assert statuses[200] and statuses[422]
