"""The OpenAPI 3.1 description of API v1: it says what the server takes and what it refuses
(the patterns are the ones ido.api.shapes and the core parsers check), and the tests hold
real requests and responses to it (tests/test_api_fuzz.py)."""

from typing import Any

from ido.api.shapes import CODE, MONTH_DAY, UUID, moment_spelling
from ido.core.checks import INVISIBLE
from ido.core.models import AGENCY_KINDS
from ido.core.questions import MAX_MINUTES, MAX_NOTE, MIN_MINUTES
from ido.core.reporting.counts import DIMENSIONS
from ido.core.reporting.params import MAX_MONTHS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(description: str) -> dict:
    return _json(_ref("Errors"), description)


def _text(spelling: str, **extra: Any) -> dict:
    """A string spelled so from start to end (a JSON Schema pattern matches anywhere)."""
    return {"type": "string", "pattern": f"^{spelling}$", **extra}


def _or_null(schema: dict) -> dict:
    """An optional field: null counts as left out."""
    return {**schema, "type": [schema["type"], "null"]}


YEAR = "20[0-9]{2}"  # report_params.FIRST_YEAR to LAST_YEAR: 2000 to 2099 (a test checks)
DAY = _text(YEAR + MONTH_DAY, format="date")
MONTH = _text(f"{YEAR}-(0[1-9]|1[0-2])")
CODE_TEXT = _text(CODE, maxLength=40)
CODES = {"type": "array", "items": CODE_TEXT}
# A note holds no control character (tab and line breaks aside) and none of the invisible
# ones of ido.core.checks (a half surrogate pair cannot be written in a pattern; it is
# refused too)
BAD_CHARACTERS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f" + "".join(
    f"\\u{ord(c):04x}" for c in sorted(INVISIBLE)
)
NOTE = _text(f"[^{BAD_CHARACTERS}]*", maxLength=MAX_NOTE)
CODE_LIST = {"type": "array", "items": {"type": "string"}}
CATEGORY: dict[str, Any] = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
ERRORS_BY_FIELD = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    },
}
SCHEMAS = {
    "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": ERRORS_BY_FIELD}},
    "QuestionInput": {
        "type": "object",
        "required": ["branch", "topics"],
        "description": "Other keys are ignored; null is the same as leaving a key out. "
        "Refused with 422 although well-formed: a code that does not exist or is not active "
        "for the branch (unknown_code), a moment in the future (future) or before the token's "
        "earliest day (too_early), personal data in the note (personal_data), an id already "
        "used for other content (id_conflict), the outcome of an appointment made without "
        "the agency or partner it was made with among the referrals (referral_required)",
        "properties": {
            "id": _or_null(_text(UUID, format="uuid")),
            "branch": CODE_TEXT,
            "asked_at": _or_null(
                _text(
                    moment_spelling(YEAR),
                    anyOf=[{"format": "date-time"}, {"format": "date"}],
                    description=(
                        "RFC 3339 with Z or an offset (seconds required; T and Z in capitals); "
                        "default now. A date alone (YYYY-MM-DD): that day, its time unknown (a "
                        "paper tally sheet). A volunteer's token goes back to the first day of "
                        "the previous month (IDO_BACKDATE_MONTHS), a coordinator's further"
                    ),
                )
            ),
            "topics": {**CODES, "minItems": 1},
            "agencies": _or_null(CODES),
            "referrals": _or_null(CODES),
            "help": _or_null(CODES),
            "channel": _or_null({**CODE_TEXT, "default": "balie"}),
            "duration_minutes": _or_null(
                {"type": "integer", "minimum": MIN_MINUTES, "maximum": MAX_MINUTES, "default": 10}
            ),
            "outcome": _or_null({**CODE_TEXT, "default": "geholpen"}),
            "note": _or_null(NOTE),
        },
    },
    "QuestionBatch": {
        "type": "object",
        "required": ["questions"],
        "properties": {
            "questions": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,  # views.BATCH_MAX
                # each one is held to QuestionInput on its own: its result says what is wrong
                "items": {"type": "object"},
            }
        },
    },
    "BatchResults": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "status"],
                    "properties": {
                        "id": {"type": ["string", "null"]},
                        "status": {"type": "integer", "enum": [200, 201, 403, 422]},
                        "question": _ref("Question"),
                        "errors": ERRORS_BY_FIELD,
                    },
                },
            }
        },
    },
    "Question": {
        "type": "object",
        "required": [
            "id",
            "branch",
            "asked_at",
            "topics",
            "agencies",
            "referrals",
            "help",
            "channel",
            "duration_minutes",
            "outcome",
            "note",
            "created_at",
        ],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "branch": {"type": "string"},
            "asked_at": {
                "type": "string",
                "anyOf": [{"format": "date-time"}, {"format": "date"}],
                "description": "With its offset; the day alone when its time is not known",
            },
            "topics": CODE_LIST,
            "agencies": CODE_LIST,
            "referrals": CODE_LIST,
            "help": CODE_LIST,
            "channel": {"type": "string"},
            "duration_minutes": {"type": "integer"},
            "outcome": {"type": "string"},
            "note": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "QuestionPage": {
        "type": "object",
        "required": ["questions", "page", "pages", "total"],
        "properties": {
            "questions": {"type": "array", "items": _ref("Question")},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
    "Taxonomy": {
        "type": "object",
        "required": ["branches", "topics", "agencies", "help", "channels", "outcomes"],
        "properties": {
            "branches": {
                "type": "array",
                "items": {
                    **CATEGORY,
                    "properties": {**CATEGORY["properties"], "municipality": {"type": "string"}},
                },
            },
            "topics": {
                "type": "array",
                "items": {
                    **CATEGORY,
                    "required": ["code", "name", "group", "parent"],
                    "properties": {
                        **CATEGORY["properties"],
                        "group": {"enum": ["overheid", "bibliotheek", "overig"]},
                        "parent": {"type": ["string", "null"]},
                    },
                },
            },
            "agencies": {
                "type": "array",
                "items": {
                    **CATEGORY,
                    "required": ["code", "name", "kind"],
                    "properties": {
                        **CATEGORY["properties"],
                        "kind": {"enum": list(AGENCY_KINDS)},
                        "level": {
                            "enum": ["rijk", "uitvoering", "gemeente", "provincie", "overig"]
                        },
                    },
                },
            },
            "help": {"type": "array", "items": CATEGORY},
            "channels": {"type": "array", "items": CATEGORY},
            "outcomes": {"type": "array", "items": CATEGORY},
        },
    },
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


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


UNAUTHORIZED = _errors("No valid token or session")
BAD_PARAMETER = _errors(
    "A parameter that breaks its schema (given empty, too: leave it out for its default), "
    "or a well-formed branch code that does not exist or is inactive (unknown_code)"
)
# A stored question's id, for the client that deletes it next (and for stateful testing)
DELETE_LINK = {
    "DeleteQuestion": {"operationId": "deleteQuestion", "parameters": {"id": "$response.body#/id"}}
}
PATHS = {
    "/taxonomy": {
        "get": {
            "operationId": "taxonomy",
            "summary": "Branches in scope and every active category",
            "responses": {"200": _json(_ref("Taxonomy"), "The lists"), "401": UNAUTHORIZED},
        }
    },
    "/questions": {
        "post": {
            "operationId": "createQuestion",
            "summary": "Log a question (idempotent by id)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("QuestionInput")}},
            },
            "responses": {
                "201": {**_json(_ref("Question"), "Stored"), "links": DELETE_LINK},
                "200": {
                    **_json(_ref("Question"), "Already stored with this id and content"),
                    "links": DELETE_LINK,
                },
                "400": _errors("The body is not a JSON object"),
                "401": UNAUTHORIZED,
                "403": _errors("The branch is outside the user's scope"),
                "413": _errors("The body is larger than 1 MiB"),
                "422": _errors(
                    "Invalid input; codes: required, invalid, unknown_code, future, too_early, "
                    "out_of_range, too_long, invalid_character, personal_data, id_conflict, "
                    "referral_required"
                ),
            },
        },
        "get": {
            "operationId": "listQuestions",
            "summary": "Questions in scope, newest first, 50 a page",
            "parameters": [
                _query("branch", "A branch code (default: every branch in scope)", CODE_TEXT),
                _query("from", "First local date", DAY),
                _query("to", "Last local date", DAY),
                _query(
                    "page",
                    "Page number from 1 (past the last: no questions)",
                    {"type": "integer", "minimum": 1, "maximum": 999_999},  # PAGE_PATTERN
                ),
            ],
            "responses": {
                "200": _json(_ref("QuestionPage"), "A page of questions"),
                "401": UNAUTHORIZED,
                "403": _errors("Branch outside scope"),
                "422": BAD_PARAMETER,
            },
        },
    },
    "/batch/questions": {
        "post": {
            "operationId": "createQuestions",
            "summary": "Log several questions at once (each idempotent by id, each on its own)",
            "description": "Each question is stored as POST /questions stores it; one refused "
            "changes nothing of the others. The results list, in order, each one's status "
            "(201, 200, or the 4xx POST /questions would answer) with the question or errors.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("QuestionBatch")}},
            },
            "responses": {
                "200": _json(_ref("BatchResults"), "Each question's result, in order"),
                "400": _errors("Not an object with a list of 1 to 100 objects"),
                "401": UNAUTHORIZED,
                "413": _errors("The body is larger than 1 MiB"),
            },
        }
    },
    "/questions/{id}": {
        "delete": {
            "operationId": "deleteQuestion",
            "summary": "Delete a question (within the desk's rules)",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": _text(UUID, format="uuid"),
                }
            ],
            "responses": {
                "204": {"description": "Deleted"},
                "401": UNAUTHORIZED,
                "403": _errors("Not allowed (any more)"),
                "404": _errors("No such question in scope (or no UUID)"),
            },
        }
    },
    "/counts": {
        "get": {
            "operationId": "counts",
            "summary": "Question counts per month, branch and category",
            "description": "Refused with 422 although well-formed: 'from' after 'to' (with 'to' "
            f"left out: after this month), or a period of more than {MAX_MONTHS} months",
            "parameters": [
                _query("from", "First month (default: 11 months before 'to')", MONTH),
                _query("to", "Last month (default: this month)", MONTH),
                _query("by", "Dimension", {"type": "string", "enum": list(DIMENSIONS)}),
                _query(
                    "branch",
                    "Comma-separated branch codes, no spaces (default: all in scope)",
                    _text(f"{CODE}(,{CODE})*"),
                ),
                _query(
                    "municipality",
                    "Only the branches serving this municipality (none: no rows)",
                    {"type": "string", "minLength": 1},
                ),
            ],
            "responses": {
                "200": _json(_ref("Counts"), "Count rows"),
                "401": UNAUTHORIZED,
                "403": _errors("Branch outside scope"),
                "422": BAD_PARAMETER,
            },
        }
    },
}


def document() -> dict:
    """The whole OpenAPI document."""
    from ido.api import openapi_activities as activities

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
        "paths": {**PATHS, **activities.PATHS},
        "components": {
            "schemas": {**SCHEMAS, **activities.SCHEMAS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
