"""The pieces the parts of the OpenAPI document share (ido.api.openapi puts them together):
how a schema refers to another, answers in JSON, the spellings of days, months, codes and
notes, and the answers to a missing token and a bad parameter."""

from typing import Any

from ido.api.shapes import CODE, MONTH_DAY
from ido.core.checks import INVISIBLE
from ido.core.questions import MAX_NOTE


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(description: str) -> dict:
    return json_answer(ref("Errors"), description)


def text(spelling: str, **extra: Any) -> dict:
    """A string spelled so from start to end (a JSON Schema pattern matches anywhere)."""
    return {"type": "string", "pattern": f"^{spelling}$", **extra}


def or_null(schema: dict) -> dict:
    """An optional field: null counts as left out."""
    return {**schema, "type": [schema["type"], "null"]}


YEAR = "20[0-9]{2}"  # timeutil.FIRST_YEAR to LAST_YEAR: 2000 to 2099 (a test checks)
DAY = text(YEAR + MONTH_DAY, format="date")
MONTH = text(f"{YEAR}-(0[1-9]|1[0-2])")
CODE_TEXT = text(CODE, maxLength=40)
CODES = {"type": "array", "items": CODE_TEXT}
# A note holds no control character (tab and line breaks aside) and none of the invisible
# ones of ido.core.checks (a half surrogate pair cannot be written in a pattern; it is
# refused too)
BAD_CHARACTERS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f" + "".join(
    f"\\u{ord(c):04x}" for c in sorted(INVISIBLE)
)
NOTE = text(f"[^{BAD_CHARACTERS}]*", maxLength=MAX_NOTE)
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


def query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


UNAUTHORIZED = errors("No valid token or session")
BAD_PARAMETER = errors(
    "A parameter that breaks its schema (given empty, too: leave it out for its default), "
    "or a well-formed branch code that does not exist or is inactive (unknown_code)"
)
