"""Schemathesis generates requests from /api/v1/openapi.json: no 5xx, and every response
matches the document (status code, content type, schema). A bounded number of examples.

(Schemathesis's own pytest plugin does not run under pytest 9, so the test draws its cases
from the schema's Hypothesis strategy itself.)"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ido.core.db import db
from ido.core.tokens import create_token

from .helpers import user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.once  # the document's shapes; bad input on both databases: test_route_fuzz
def test_api_conforms_to_its_openapi_document(counted):
    org = counted  # questions to count and list, in branches of the token's user
    with org.app_context():
        token = create_token(user("vol2@a.example"), "fuzz")[1]
        db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", org)
    # Schemathesis's in-process WSGI transport sends requests' Accept-Encoding but does not
    # decode: ask for plain JSON (compression has its own tests in test_serving.py).
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    seen = set()

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def exercise(data):
        case = data.draw(schema.as_strategy())
        seen.add((case.method, case.path))
        case.call_and_validate(headers=headers, checks=CHECKS)

    exercise()
    assert len(seen) >= 5  # every operation was tried
