"""Schemathesis against our own OpenAPI schema, as the system administrator: no 5xx, no response off-schema.

Every operation in `/api/schema/` gets generated requests (bounded, derandomised so CI is repeatable).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from wenming.core.testing import api_token_for
from wenming.wsgi import application

EXAMPLES_PER_OPERATION = 10


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app runs Django's request signals, whose connection cleanup would close the test's transaction
    on PostgreSQL; Django's own test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "office"])
def test_api_never_errors_and_keeps_to_its_schema(cast, persona):
    headers = {"Authorization": f"Token {api_token_for(cast[persona])}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operations"

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        exercise()
