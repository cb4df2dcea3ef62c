"""The questions' part of the OpenAPI document (ido.api.openapi puts it together): the
lists a desk logs with, a question in and out, a batch of them, and deleting one."""

from ido.api.openapi_parts import (
    BAD_PARAMETER,
    CATEGORY,
    CODE_LIST,
    CODE_TEXT,
    CODES,
    DAY,
    ERRORS_BY_FIELD,
    NOTE,
    UNAUTHORIZED,
    YEAR,
    errors,
    json_answer,
    or_null,
    query,
    ref,
    text,
)
from ido.api.shapes import UUID, moment_spelling
from ido.core.models import AGENCY_KINDS
from ido.core.questions import MAX_MINUTES, MIN_MINUTES

SCHEMAS = {
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
            "id": or_null(text(UUID, format="uuid")),
            "branch": CODE_TEXT,
            "asked_at": or_null(
                text(
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
            "agencies": or_null(CODES),
            "referrals": or_null(CODES),
            "help": or_null(CODES),
            "channel": or_null({**CODE_TEXT, "default": "balie"}),
            "duration_minutes": or_null(
                {"type": "integer", "minimum": MIN_MINUTES, "maximum": MAX_MINUTES, "default": 10}
            ),
            "outcome": or_null({**CODE_TEXT, "default": "geholpen"}),
            "note": or_null(NOTE),
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
                        "question": ref("Question"),
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
            "questions": {"type": "array", "items": ref("Question")},
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
}
# A stored question's id, for the client that deletes it next (and for stateful testing)
DELETE_LINK = {
    "DeleteQuestion": {"operationId": "deleteQuestion", "parameters": {"id": "$response.body#/id"}}
}
PATHS = {
    "/taxonomy": {
        "get": {
            "operationId": "taxonomy",
            "summary": "Branches in scope and every active category",
            "responses": {"200": json_answer(ref("Taxonomy"), "The lists"), "401": UNAUTHORIZED},
        }
    },
    "/questions": {
        "post": {
            "operationId": "createQuestion",
            "summary": "Log a question (idempotent by id)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("QuestionInput")}},
            },
            "responses": {
                "201": {**json_answer(ref("Question"), "Stored"), "links": DELETE_LINK},
                "200": {
                    **json_answer(ref("Question"), "Already stored with this id and content"),
                    "links": DELETE_LINK,
                },
                "400": errors("The body is not a JSON object"),
                "401": UNAUTHORIZED,
                "403": errors("The branch is outside the user's scope"),
                "413": errors("The body is larger than 1 MiB"),
                "422": errors(
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
                query("branch", "A branch code (default: every branch in scope)", CODE_TEXT),
                query("from", "First local date", DAY),
                query("to", "Last local date", DAY),
                query(
                    "page",
                    "Page number from 1 (past the last: no questions)",
                    {"type": "integer", "minimum": 1, "maximum": 999_999},  # PAGE_PATTERN
                ),
            ],
            "responses": {
                "200": json_answer(ref("QuestionPage"), "A page of questions"),
                "401": UNAUTHORIZED,
                "403": errors("Branch outside scope"),
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
                "content": {"application/json": {"schema": ref("QuestionBatch")}},
            },
            "responses": {
                "200": json_answer(ref("BatchResults"), "Each question's result, in order"),
                "400": errors("Not an object with a list of 1 to 100 objects"),
                "401": UNAUTHORIZED,
                "413": errors("The body is larger than 1 MiB"),
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
                    "schema": text(UUID, format="uuid"),
                }
            ],
            "responses": {
                "204": {"description": "Deleted"},
                "401": UNAUTHORIZED,
                "403": errors("Not allowed (any more)"),
                "404": errors("No such question in scope (or no UUID)"),
            },
        }
    },
}
