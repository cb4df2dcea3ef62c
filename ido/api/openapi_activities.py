"""The activity part of the OpenAPI document (ido.api.openapi puts it together): sessions, a count
of the people who came, and the figures per branch and year."""

from ido.api.openapi_parts import (
    BAD_PARAMETER,
    DAY,
    UNAUTHORIZED,
    errors,
    json_answer,
    query,
    ref,
    text,
)
from ido.api.shapes import CODE
from ido.core.models import ACTIVITY_FORMS, MAX_ATTENDANCE

BRANCHES = text(f"{CODE}(,{CODE})*")
SESSION = {
    "type": "object",
    "required": ["id", "branch", "kind", "day", "start", "end", "cancelled", "attendance"],
    "properties": {
        "id": {"type": "integer"},
        "branch": {"type": "string"},
        "activity": {"type": "integer"},
        "kind": {"type": "string"},
        "title": {"type": "string"},
        "partner": {"type": ["string", "null"]},
        "form": {"type": "string", "enum": list(ACTIVITY_FORMS)},
        "convenant": {"type": "boolean"},
        "day": {"type": "string", "format": "date"},
        "start": {"type": "string"},
        "end": {"type": "string"},
        "cancelled": {"type": "boolean"},
        "moved": {"type": "boolean"},
        "attendance": {"type": ["integer", "null"]},
    },
}
FIGURES_ROW = {
    "type": "object",
    "required": ["branch", "takes_part", "held", "reached", "reached_other_form", "by_kind"],
    "properties": {
        "branch": {"type": "string"},
        "branch_name": {"type": "string"},
        "municipality": {"type": "string"},
        "takes_part": {
            "type": "boolean",
            "description": "Signed up for the Belastingdienst/Toeslagen convenant this year "
            "(set per branch on its management page), with or without activities",
        },
        "convenant_held": {"type": "integer"},
        "convenant_minimum": {"type": ["integer", "null"]},
        "still_needed": {"type": ["integer", "null"]},
        "held": {"type": "integer", "description": "Sessions not cancelled whose day has come"},
        "planned": {"type": "integer"},
        "reached": {"type": "integer"},
        "reached_other_form": {"type": "integer", "description": "By telephone or online"},
        "by_kind": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}
SCHEMAS = {
    "Session": SESSION,
    "Sessions": {
        "type": "object",
        "required": ["sessions"],
        "properties": {"sessions": {"type": "array", "items": ref("Session")}},
    },
    "Attendance": {
        "type": "object",
        "required": ["count"],
        "description": "Other keys are ignored. Refused with 422 although well-formed: a "
        "session still to come (future) or cancelled (cancelled)",
        "properties": {"count": {"type": "integer", "minimum": 0, "maximum": MAX_ATTENDANCE}},
    },
    "ActivityFigures": {
        "type": "object",
        "required": ["year", "rows"],
        "properties": {
            "year": {"type": "integer"},
            "rows": {"type": "array", "items": FIGURES_ROW},
        },
    },
}
PATHS = {
    "/sessions": {
        "get": {
            "operationId": "listSessions",
            "summary": "Sessions of activities in scope (default: a week either side of today)",
            "description": "Refused with 422 although well-formed: 'from' after 'to', or more "
            "than a year between them",
            "parameters": [
                query("branch", "Comma-separated branch codes (default: all in scope)", BRANCHES),
                query("from", "First day", DAY),
                query("to", "Last day", DAY),
            ],
            "responses": {
                "200": json_answer(ref("Sessions"), "Sessions by day and time"),
                "401": UNAUTHORIZED,
                "403": errors("Branch outside scope"),
                "422": BAD_PARAMETER,
            },
        }
    },
    "/sessions/{id}/attendance": {
        "put": {
            "operationId": "putAttendance",
            "summary": "How many people came to a session (the same count again changes nothing)",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("Attendance")}},
            },
            "responses": {
                "200": json_answer(ref("Session"), "Stored"),
                "400": errors("The body is not a JSON object"),
                "401": UNAUTHORIZED,
                "404": errors("No such session in scope"),
                "413": errors("The body is larger than 1 MiB"),
                "422": errors(
                    "Invalid count; codes: required, invalid, out_of_range, future, cancelled"
                ),
            },
        }
    },
    "/activities/figures": {
        "get": {
            "operationId": "activityFigures",
            "summary": "Activities per branch and year: held by kind, the convenant's minimum "
            "of 4, people reached",
            "parameters": [
                query("year", "The year (default: this year)", text("20[0-9]{2}")),
                query("branch", "Comma-separated branch codes (default: all in scope)", BRANCHES),
            ],
            "responses": {
                "200": json_answer(ref("ActivityFigures"), "A row per branch"),
                "401": UNAUTHORIZED,
                "403": errors("Branch outside scope"),
                "422": BAD_PARAMETER,
            },
        }
    },
}
