"""The OpenAPI schema: valid (openapi-spec-validator), complete (every field typed and described,
every operation's errors), and the API tested against it by a client no one here wrote.

Schemathesis draws requests from the schema for every operation with a token of each role, and
calls the application in process (WSGI): no answer may be a server error, every answer must be
one the schema declares, with the declared content type and body, and every operation must
refuse a request without its token (``ignored_auth``). Bounded: ``API_FUZZ_EXAMPLES`` examples
per operation and role (3 by default: the whole run in about half a minute on one core).
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import TOKEN_ROLES

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]


def openapi(token: str) -> dict:
    response = Client(headers={"Authorization": f"Bearer {token}"}).get(
        "/api/v1/schema/", {"format": "json"}
    )
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(world):
    validate(openapi(world.tokens["viewer"]))


def test_every_field_is_typed_and_described_and_every_error_declared(world):
    schema = openapi(world.tokens["viewer"])
    untyped, undescribed = [], []
    for name, component in schema["components"]["schemas"].items():
        for field, definition in component.get("properties", {}).items():
            if not ({"type", "$ref", "allOf", "oneOf"} & set(definition)):
                untyped.append(f"{name}.{field}")
            if "description" not in definition and "$ref" not in definition:
                undescribed.append(f"{name}.{field}")
    assert untyped == []
    assert undescribed == []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "429"} <= set(operation["responses"]), (path, method)
            assert operation["security"] == [{"token": []}, {"cookieAuth": []}] or operation[
                "security"
            ][0] == {"token": []}, (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, method, parameter["name"])
    assert len(schema["paths"]) == 17  # 18 operations: an event by reference is read and put


def test_schemathesis_against_every_operation_with_a_token_of_each_role(world, settings_fast):
    schema = schemathesis.openapi.from_dict(openapi(world.tokens["administrator"]))
    schema.app = WSGIHandler()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 18
    calls = []

    def fuzz(operation, headers, mode=schemathesis.GenerationMode.POSITIVE, checks=CHECKS):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(headers=headers, checks=checks)
            calls.append(response.status_code)

        run()

    with connection_kept():
        for role in TOKEN_ROLES:
            for operation in operations:
                fuzz(operation, {"Authorization": f"Bearer {world.tokens[role]}"})
        # Invalid input (wrong types, out of range, missing fields), as the partner's officer, who
        # may write: refused with a 4xx, never taken.
        for operation in operations:
            fuzz(
                operation,
                {"Authorization": f"Bearer {world.tokens['officer']}"},
                schemathesis.GenerationMode.NEGATIVE,
                [*CHECKS, negative_data_rejection],
            )
    # The figures for the closing note: operations, roles, requests and answers by status.
    print(
        f"{len(operations)} operations x ({len(TOKEN_ROLES)} roles + invalid input): {len(calls)}"
    )
    assert len(calls) >= len(operations) * (len(TOKEN_ROLES) + 1)
    assert all(status < 500 for status in calls)


@pytest.fixture
def settings_fast(settings):
    """Schemathesis calls through the WSGI handler with its own host name, inside the test's
    transaction: the handler must not close the connection after each request (Django's test
    client keeps it open the same way)."""
    settings.ALLOWED_HOSTS = ["*"]
    return settings


@contextmanager
def connection_kept():
    """The WSGI handler without its closing of the database connection after each request
    (Django's test client does the same around each of its requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
