"""The library file's format: JSON Lines (gzip optional), one record per line, each held to
the schema of its type. The first line is the header, the last the end record with the
counts, so a file cut short is told apart from a whole one.

A new version of the format raises VERSION; an instance reads the versions up to its own and
refuses a newer file, which a newer release of the app wrote. Types added to a version once
files of it exist are OPTIONAL: a file written before them has none, and reads as such.
"""

import functools
from typing import TYPE_CHECKING, Any

from ido.core.models import ACTIVITY_FORMS, MAX_ATTENDANCE, REPEATS

if TYPE_CHECKING:  # jsonschema is imported when a library file is first read or written
    from jsonschema import Draft202012Validator

FORMAT = "ido-logboek-library"
VERSION = 1
# The order of the records in a file: a type may follow only the types before it or itself.
ORDER = (
    "header",
    "branch",
    "partner",
    "contact",
    "desk",
    "person",
    "device",
    "question",
    "activity",
    "session",
    "audit",
    "national_form",
    "end",
)
# Types that version 1 gained later (with activities and contact details): an older file of
# version 1 has none of them, neither as records nor in its end record's counts.
OPTIONAL = ("contact", "activity", "session")
# The shared categories a header lists, by kind; a kind added later may be absent.
USES = ("topic", "agency", "help", "channel", "outcome")
USES_OPTIONAL = ("activity_kind",)

CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_.-]{0,39}$"}
# one line of text: no control character (PostgreSQL refuses NUL, a CSV breaks on a line break)
LINE = {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}
TEXT = {
    "type": ["string", "null"],
    "maxLength": 500,
    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$",
}
MOMENT = {"type": "string", "pattern": "^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]\\d\\d:\\d\\d$"}
MAYBE_MOMENT = {**MOMENT, "type": ["string", "null"]}  # a pattern holds for strings only
DAY = {"type": "string", "pattern": "^\\d{4}-\\d\\d-\\d\\d$"}
EMAIL = {"type": "string", "maxLength": 254, "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"}
MAYBE_EMAIL = {**EMAIL, "type": ["string", "null"]}
CODES = {"type": "array", "items": CODE, "uniqueItems": True}
KEY = {"type": ["integer", "null"], "minimum": 1}
NUMBER = {"type": "integer", "minimum": 1}  # a row's key in the file (its id where it came from)
CLOCK = {"type": "string", "pattern": "^\\d\\d:\\d\\d(:\\d\\d)?$"}
MAYBE_DAY = {**DAY, "type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2099}


def _text(limit: int, multiline: bool = False) -> dict[str, Any]:
    """Free text of a contact detail: one line, or several (address, times, what to bring)."""
    return {**(TEXT if multiline else LINE), "type": "string", "maxLength": limit}


def _record(
    kind: str, properties: dict[str, Any], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A record of one type: all its fields required but the `optional` ones (fields added
    once files of the version existed), no others."""
    return {
        "type": "object",
        "properties": {"type": {"const": kind}, **properties},
        "required": ["type", *(name for name in properties if name not in optional)],
        "additionalProperties": False,
    }


RECORDS: dict[str, dict[str, Any]] = {
    "header": _record(
        "header",
        {
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": 1},
            "exported_at": MOMENT,
            "library": {
                "type": "object",
                "properties": {"code": CODE, "name": LINE, "active": {"type": "boolean"}},
                "required": ["code", "name", "active"],
                "additionalProperties": False,
            },
            # the shared categories the records use, by kind: checked before anything is read
            "uses": {
                "type": "object",
                "properties": {kind: CODES for kind in USES + USES_OPTIONAL},
                "required": list(USES),
                "additionalProperties": False,
            },
        },
    ),
    "branch": _record(
        "branch",
        {
            "code": CODE,
            "name": LINE,
            "municipality": LINE,
            "in_library": {"type": "boolean"},
            "active": {"type": "boolean"},
            # the years it takes part in the convenant (added later: an older file has none)
            "convenant_years": {"type": "array", "items": YEAR, "uniqueItems": True},
        },
        optional=("convenant_years",),
    ),
    "partner": _record(
        "partner",
        {
            "code": CODE,
            "name_nl": LINE,
            "name_en": LINE,
            "kind": {"enum": ["npd", "government", "partner"]},
            "level": {"enum": ["rijk", "uitvoering", "gemeente", "provincie", "overig"]},
            "position": {"type": "integer"},
            "active": {"type": "boolean"},
        },
    ),
    # the library's own details of a partner (its own, or a default partner's)
    "contact": _record(
        "contact",
        {
            "partner": CODE,
            "website": _text(300),
            "phone": _text(40),
            "address": _text(300, multiline=True),
            "hours": _text(500, multiline=True),
            "bring": _text(300, multiline=True),
            "updated_at": MOMENT,
        },
    ),
    "desk": _record(
        "desk",
        {
            "branch": CODE,
            "kind": {"enum": ["topic", "partner"]},
            "category": CODE,
            "position": {"type": "integer"},
        },
    ),
    "person": _record(
        "person",
        {
            "email": EMAIL,
            "name": LINE,
            "role": {"enum": ["volunteer", "coordinator"]},
            "active": {"type": "boolean"},
            "created_at": MOMENT,
            "branches": CODES,
        },
    ),
    "device": _record(
        "device",
        {
            "key": {"type": "integer", "minimum": 1},
            "branch": CODE,
            "name": LINE,
            "created_by": MAYBE_EMAIL,
            "created_at": MOMENT,
            "enrolled_at": MAYBE_MOMENT,
            "last_seen_at": MAYBE_MOMENT,
            "revoked_at": MAYBE_MOMENT,
        },
    ),
    "question": _record(
        "question",
        {
            "id": {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"},
            "branch": CODE,
            "asked_at": MOMENT,
            "local_hour": {"type": ["integer", "null"], "minimum": 0, "maximum": 23},
            "logged_by": MAYBE_EMAIL,
            "device": KEY,
            "channel": CODE,
            "outcome": CODE,
            "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 480},
            "note": TEXT,
            "topics": {**CODES, "minItems": 1},
            "agencies": CODES,
            "referrals": CODES,
            "help": CODES,
            "created_at": MOMENT,
            "updated_at": MOMENT,
            "deleted_at": MAYBE_MOMENT,
        },
    ),
    "activity": _record(
        "activity",
        {
            "key": NUMBER,
            "branch": CODE,
            "kind": CODE,
            "partner": {**CODE, "type": ["string", "null"]},  # None: the library runs it
            "title": LINE,
            "form": {"enum": list(ACTIVITY_FORMS)},
            "convenant": {"type": "boolean"},
            "repeat": {"enum": list(REPEATS)},
            "first_day": DAY,
            "until": MAYBE_DAY,
            "nth": {"enum": [1, 2, 3, -1, None]},
            "start_time": CLOCK,
            "end_time": CLOCK,
            "topics": CODES,
            "created_at": MOMENT,
        },
    ),
    "session": _record(
        "session",
        {
            "key": NUMBER,
            "activity": NUMBER,  # an activity's key, earlier in the file
            "rule_day": DAY,
            "day": DAY,
            "start_time": CLOCK,
            "end_time": CLOCK,
            "cancelled": {"type": "boolean"},
            "moved": {"type": "boolean"},
            "attendance": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_ATTENDANCE},
            "counted_at": MAYBE_MOMENT,
        },
    ),
    "audit": _record(
        "audit",
        {
            "at": MOMENT,
            "actor": MAYBE_EMAIL,
            "device": KEY,
            "scoped": {"type": "boolean"},  # the event belongs to the library's trail
            "action": {"type": "string", "maxLength": 20},
            "entity": {"type": "string", "maxLength": 40},
            "entity_id": {"type": "string", "maxLength": 254},
            "changes": {"type": "object"},
        },
    ),
    "national_form": _record(
        "national_form",
        {"valid_from": DAY, "saved_at": MOMENT, "mapping": {"type": "object"}},
    ),
    "end": _record(
        "end",
        {
            "counts": {
                "type": "object",
                "properties": {kind: COUNT for kind in ORDER[1:-1]},
                "required": [kind for kind in ORDER[1:-1] if kind not in OPTIONAL],
                "additionalProperties": False,
            }
        },
    ),
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "One line of an IDO Logboek library file",
    "oneOf": list(RECORDS.values()),
}


@functools.cache
def validators() -> "dict[str, Draft202012Validator]":
    """A validator per record type (checked once per process)."""
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    for schema in RECORDS.values():
        Draft202012Validator.check_schema(schema)
    return {kind: Draft202012Validator(schema) for kind, schema in RECORDS.items()}


def problem(record: Any) -> str | None:
    """What is wrong with a record, in a few words; None when it fits its type's schema."""
    if not isinstance(record, dict) or record.get("type") not in RECORDS:
        return "a record without a known type"
    validator = validators()[record["type"]]
    if validator.is_valid(record):  # the common case: no error objects made
        return None
    error = next(iter(validator.iter_errors(record)))
    where = "/".join(str(part) for part in error.absolute_path) or "the record"
    if error.validator in ("pattern", "maxLength", "format"):  # never repeat free text
        return f"{where} is not allowed there ({error.validator})"
    return f"{where}: {error.message[:120]}"
