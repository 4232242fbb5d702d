"""Schemathesis against the app's own OpenAPI document, in process: every operation, valid
and invalid input, a bounded number of examples each. No server error, and every answer
conforms to the document (status, content type, headers, body schema); schema-valid input is
accepted. `make fuzz` runs the same checks over HTTP with thousands of requests."""

from __future__ import annotations

import os
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings

from service.app import create_app
from service.settings import Settings
from tests.fuzz_checks import schema_valid_input_is_not_invalid_request

EXAMPLES = int(os.environ.get("AMENDS_FUZZ_EXAMPLES", "10"))

# Built at collection, before any fixture runs: the store goes to a directory of its own.
_DATA_DIR = tempfile.mkdtemp(prefix="amends-schemathesis-")
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(_env_file=None, data_dir=_DATA_DIR))
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(additional_checks=[schema_valid_input_is_not_invalid_request])
