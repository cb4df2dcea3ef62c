"""The OpenAPI 3.1 description of API v1: it says what the server takes and what it refuses
(the patterns are the ones ido.api.shapes and the core parsers check), and the tests hold
real requests and responses to it (tests/test_api_fuzz.py).

Put together from its parts: the shared pieces (`openapi_parts`), the questions
(`openapi_questions`), the counts (`openapi_counts`) and the activities
(`openapi_activities`)."""

from ido.api import openapi_activities as activities
from ido.api import openapi_counts as counts
from ido.api import openapi_questions as questions
from ido.api.openapi_parts import ERRORS_BY_FIELD

SCHEMAS = {
    "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": ERRORS_BY_FIELD}},
    **questions.SCHEMAS,
    **counts.SCHEMAS,
    **activities.SCHEMAS,
}
PATHS = {**questions.PATHS, **counts.PATHS, **activities.PATHS}


def document() -> dict:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IDO Logboek API",
            "version": "1.0.0",
            "description": "Log and count the questions of IDO desks. Authenticate with "
            "'Authorization: Bearer <token>'.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
