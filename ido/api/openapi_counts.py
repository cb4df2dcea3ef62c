"""The counts' part of the OpenAPI document (ido.api.openapi puts it together): counts per
month, branch and category, as the reports and the national form read them."""

from ido.api.openapi_parts import (
    BAD_PARAMETER,
    MONTH,
    UNAUTHORIZED,
    errors,
    json_answer,
    query,
    ref,
    text,
)
from ido.api.shapes import CODE
from ido.core.reporting.counts import DIMENSIONS
from ido.core.reporting.params import MAX_MONTHS

SCHEMAS = {
    "Counts": {
        "type": "object",
        "required": ["rows"],
        "properties": {
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["month", "branch", "key", "count"],
                    "properties": {
                        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                        "branch": {"type": "string"},
                        "key": {"type": ["string", "null"]},
                        "count": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "Visitors (entries) with this category, or in all",
                        },
                        "questions": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "by=total only: questions (each topic of an entry "
                            "one, a follow-up with its topic one)",
                        },
                        "minutes": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "by=total only: minutes of help given",
                        },
                    },
                },
            }
        },
    },
}
PATHS = {
    "/counts": {
        "get": {
            "operationId": "counts",
            "summary": "Question counts per month, branch and category",
            "description": "Refused with 422 although well-formed: 'from' after 'to' (with 'to' "
            f"left out: after this month), or a period of more than {MAX_MONTHS} months",
            "parameters": [
                query("from", "First month (default: 11 months before 'to')", MONTH),
                query("to", "Last month (default: this month)", MONTH),
                query("by", "Dimension", {"type": "string", "enum": list(DIMENSIONS)}),
                query(
                    "branch",
                    "Comma-separated branch codes, no spaces (default: all in scope)",
                    text(f"{CODE}(,{CODE})*"),
                ),
                query(
                    "municipality",
                    "Only the branches serving this municipality (none: no rows)",
                    {"type": "string", "minLength": 1},
                ),
            ],
            "responses": {
                "200": json_answer(ref("Counts"), "Count rows"),
                "401": UNAUTHORIZED,
                "403": errors("Branch outside scope"),
                "422": BAD_PARAMETER,
            },
        }
    },
}
