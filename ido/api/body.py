"""A question's JSON body, checked against the API's own document: the OpenAPI schema
`QuestionInput` (ido.api.openapi) says what each field may be, and jsonschema holds the body to
it; what passes becomes form data for the shared QuestionForm, which checks the rest (codes that
exist, the moment's limits, the note's content) as it does for the desk."""

import functools
import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ido.api.openapi import SCHEMAS
from ido.api.shapes import SPELLINGS
from ido.core.taxonomy import defaults

if TYPE_CHECKING:  # jsonschema is imported when the API first checks a body
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

LIST_FIELDS = ("topics", "agencies", "referrals", "help")
# What the form and the question service answer with a code of their own: a missing branch or
# topic (required), a duration out of range (out_of_range), a note too long (too_long) or
# holding a character that cannot be stored (invalid_character).
LEFT_TO_THE_FORM = {
    "required": None,
    "minItems": None,
    "minimum": None,
    "maximum": None,
    "maxLength": "note",
    "pattern": "note",
}


@functools.cache
def _validator() -> "Draft202012Validator":
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    schema = SCHEMAS["QuestionInput"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _message(field: str, error: "ValidationError") -> str:
    """What a person reading the API's answer needs, by field and by what was wrong."""
    if field in SPELLINGS and error.validator == "pattern":
        return str(SPELLINGS[field][1])
    if field in LIST_FIELDS:
        return _("Give a list of codes.")
    if field == "duration_minutes":
        return _("Give a whole number.")
    if field == "note":
        return _("Give a text or null.")
    if error.validator == "pattern":
        return _("A code is 1 to 40 lowercase letters, digits, - or _.")
    return _("Give a text.")


def _refused(error: "ValidationError") -> str | None:
    """The field a schema error refuses (None: the form answers it, or it is not a field)."""
    if not error.absolute_path:
        return None
    field = str(error.absolute_path[0])
    left = LEFT_TO_THE_FORM.get(str(error.validator), "")
    if left is None or left == field:
        return None
    # a well-spelled moment outside 2000-2099: the form says why (future, too_early)
    loose = SPELLINGS["asked_at"][0]
    if field == "asked_at" and re.fullmatch(loose, str(error.instance)):
        return None
    return field


def body_to_formdata(body: dict) -> tuple[MultiDict, dict, set[str]]:
    """Check a JSON body against `QuestionInput` and turn it into form data for the shared
    QuestionForm. Returns the form data, the errors per field (code `invalid`), and the fields
    the body gave. Other keys are ignored; null is the same as leaving a key out."""
    errors: dict[str, list[dict[str, str]]] = {}
    for error in _validator().iter_errors(body):
        field = _refused(error)
        if field is not None and field not in errors:
            errors[field] = [{"code": "invalid", "message": _message(field, error)}]
    given = {key for key in body if key in _validator().schema["properties"]}
    given = {key for key in given if body[key] is not None}
    data: MultiDict[str, str] = MultiDict()
    for field in given - errors.keys():
        value: Any = body[field]
        if field in LIST_FIELDS:
            for item in value:
                data.add(field, item)
        elif field == "duration_minutes":
            data[field] = str(int(value))  # 10.0 is a whole number in JSON Schema
        elif field != "note" or value:
            data[field] = value
    for field, default in defaults.DESK_DEFAULTS.items():
        data.setdefault(field, str(default))
    return data, errors, given
