"""The OpenAPI 3.1 description of API v1; tests validate real responses against it."""

from typing import Any

from ido.core.counts import DIMENSIONS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(description: str) -> dict:
    return _json(_ref("Errors"), description)


CODE_LIST = {"type": "array", "items": {"type": "string"}}
CATEGORY: dict[str, Any] = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
SCHEMAS = {
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
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
        },
    },
    "QuestionInput": {
        "type": "object",
        "required": ["branch", "topics"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "branch": {"type": "string"},
            "asked_at": {
                "type": "string",
                "anyOf": [{"format": "date-time"}, {"format": "date"}],
                "description": (
                    "ISO 8601 with offset; default now. A date alone (YYYY-MM-DD): that day, "
                    "its time unknown (a paper tally sheet). A volunteer's token goes back to the "
                    "first day of the previous month (IDO_BACKDATE_MONTHS), a coordinator's "
                    "further"
                ),
            },
            "topics": {**CODE_LIST, "minItems": 1},
            "agencies": CODE_LIST,
            "referrals": CODE_LIST,
            "help": CODE_LIST,
            "channel": {"type": "string", "default": "balie"},
            "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 480, "default": 10},
            "outcome": {"type": "string", "default": "geholpen"},
            "note": {"type": ["string", "null"], "maxLength": 500},
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
                        "kind": {"enum": ["npd", "government", "partner"]},
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


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


UNAUTHORIZED = _errors("No valid token or session")
PATHS = {
    "/taxonomy": {
        "get": {
            "summary": "Branches in scope and every active category",
            "responses": {"200": _json(_ref("Taxonomy"), "The lists"), "401": UNAUTHORIZED},
        }
    },
    "/questions": {
        "post": {
            "summary": "Log a question (idempotent by id)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("QuestionInput")}},
            },
            "responses": {
                "201": _json(_ref("Question"), "Stored"),
                "200": _json(_ref("Question"), "Already stored with this id and content"),
                "400": _errors("The body is not a JSON object"),
                "401": UNAUTHORIZED,
                "403": _errors("The branch is outside the user's scope"),
                "422": _errors(
                    "Invalid input; codes: required, unknown_code, invalid, future, "
                    "out_of_range, too_long, personal_data, id_conflict"
                ),
            },
        },
        "get": {
            "summary": "Questions in scope, newest first, 50 a page",
            "parameters": [
                _query("branch", "A branch code"),
                _query("from", "First local date", {"type": "string", "format": "date"}),
                _query("to", "Last local date", {"type": "string", "format": "date"}),
                _query("page", "Page number from 1", {"type": "integer", "minimum": 1}),
            ],
            "responses": {
                "200": _json(_ref("QuestionPage"), "A page of questions"),
                "401": UNAUTHORIZED,
                "403": _errors("Branch outside scope"),
                "422": _errors("Bad parameter"),
            },
        },
    },
    "/questions/{id}": {
        "delete": {
            "summary": "Delete a question (within the desk's rules)",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "204": {"description": "Deleted"},
                "401": UNAUTHORIZED,
                "403": _errors("Not allowed (any more)"),
                "404": _errors("No such question in scope"),
            },
        }
    },
    "/counts": {
        "get": {
            "summary": "Question counts per month, branch and category",
            "parameters": [
                _query("from", "First month, YYYY-MM (default: 11 months before 'to')"),
                _query("to", "Last month, YYYY-MM (default: this month)"),
                _query("by", "Dimension", {"enum": list(DIMENSIONS)}),
                _query("branch", "Comma-separated branch codes (default: all in scope)"),
                _query("municipality", "Only the branches serving this municipality"),
            ],
            "responses": {
                "200": _json(_ref("Counts"), "Count rows"),
                "401": UNAUTHORIZED,
                "403": _errors("Branch outside scope"),
                "422": _errors("Bad parameter"),
            },
        }
    },
}


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
