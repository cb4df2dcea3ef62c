"""The API's JSON shapes: questions out, request bodies and query parameters in."""

import re
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict

from ido.core import defaults
from ido.core.checks import CODE_PATTERN
from ido.core.exceptions import ParamError
from ido.core.models import Question
from ido.core.timeutil import to_local

# The spellings the API takes, published in its OpenAPI document (ido.api.openapi) and
# checked here whole (re.fullmatch). The desk's form is kinder (it trims, and takes a time
# without seconds or offset); a program is held to the one spelling its document gives.
CODE = CODE_PATTERN.pattern.removeprefix("^").removesuffix("$")
UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
MONTH_DAY = "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"  # 02-30 passes: the date check refuses it
# RFC 3339 as Python reads it: T and Z in capitals, no leap second
HOUR, MINUTE = "([01][0-9]|2[0-3])", "[0-5][0-9]"
TIME = rf"T{HOUR}:{MINUTE}:{MINUTE}(\.[0-9]+)?(Z|[+-]{HOUR}:{MINUTE})"


def moment_spelling(year: str = "[0-9]{4}") -> str:
    """asked_at: a day (YYYY-MM-DD), or a day and a time with its offset."""
    return f"{year}{MONTH_DAY}({TIME})?"


SPELLINGS = {
    "id": (UUID, _l("This form is damaged. Reload the page.")),
    "asked_at": (moment_spelling(), _l("Give the time as ISO 8601 with an offset.")),
}
# Query parameters whose parsers (shared with the report pages, where an empty field means
# "not given") would take an empty value as left out; with what each says to a bad value.
LIST_PARAMETERS = {
    "branch": _l("Give the branch code."),
    "from": _l("Give a date as YYYY-MM-DD."),
    "to": _l("Give a date as YYYY-MM-DD."),
    "page": _l("The page must be a whole number from 1."),
}
COUNT_PARAMETERS = {
    "from": _l("Give a month as YYYY-MM."),
    "to": _l("Give a month as YYYY-MM."),
    "branch": _l("Give the branch code."),
    "municipality": _l("Give the municipality."),
}
LIST_FIELDS = ("topics", "agencies", "referrals", "help")
TEXT_FIELDS = ("id", "branch", "asked_at", "channel", "outcome")
KNOWN_FIELDS = {*LIST_FIELDS, *TEXT_FIELDS, "duration_minutes", "note"}


def refuse_empty(args: Mapping[str, str], parameters: Mapping[str, LazyString]) -> None:
    """A query parameter given empty is refused like any other bad value (422): a client
    that wants the default leaves the parameter out."""
    for name, message in parameters.items():
        if args.get(name) == "":
            raise ParamError(name, "invalid", str(message))


def check_branch_codes(text: str | None, several: bool = False) -> None:
    """A branch code (or comma-separated codes) as the document spells it: no spaces, no
    empty item. (The report pages and the command line take "a1, a2" too.)"""
    spelling = f"{CODE}(,{CODE})*" if several else CODE
    if text is not None and not re.fullmatch(spelling, text):
        raise ParamError(
            "branch", "invalid", _("A code is 1 to 40 lowercase letters, digits, - or _.")
        )


def question_json(question: Question) -> dict:
    """A question as the API returns it: codes, not objects; times with their offset."""
    return {
        "id": str(question.id),
        "branch": question.branch.code,
        # a question typed in from paper without a time: its day alone, as it was given
        "asked_at": (
            to_local(question.asked_at).date().isoformat()
            if question.local_hour is None
            else to_local(question.asked_at).isoformat()
        ),
        "topics": [t.code for t in question.topics],
        "agencies": [a.code for a in question.agencies],
        "referrals": [a.code for a in question.referrals],
        "help": [h.code for h in question.help],
        "channel": question.channel.code,
        "duration_minutes": question.duration_minutes,
        "outcome": question.outcome.code,
        "note": question.note,
        "created_at": to_local(question.created_at).isoformat(),
    }


def body_to_formdata(body: dict) -> tuple[MultiDict, dict, set[str]]:
    """Turn a JSON body into form data for the shared QuestionForm.

    Returns the form data, type errors per field, and the fields the body gave.
    """
    data: MultiDict[str, str]
    data, errors = MultiDict(), {}
    given = {key for key in body if key in KNOWN_FIELDS and body[key] is not None}

    def wrong(field, message):
        errors[field] = [{"code": "invalid", "message": message}]

    for field in LIST_FIELDS:
        value = body.get(field, [])
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            wrong(field, _("Give a list of codes."))
            continue
        for item in value:
            data.add(field, item)
    for field in TEXT_FIELDS:
        value = body.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            wrong(field, _("Give a text."))
            continue
        if field in SPELLINGS and not re.fullmatch(SPELLINGS[field][0], value):
            wrong(field, str(SPELLINGS[field][1]))
            continue
        data[field] = value
    duration = body.get("duration_minutes")
    if isinstance(duration, float) and duration.is_integer():
        duration = int(duration)  # 10.0 is a whole number in JSON (and in JSON Schema)
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, int):
            wrong("duration_minutes", _("Give a whole number."))
        else:
            data["duration_minutes"] = str(duration)
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        wrong("note", _("Give a text or null."))
    elif note:
        data["note"] = note
    for field, default in defaults.DESK_DEFAULTS.items():
        data.setdefault(field, str(default))
    return data, errors, given  # other keys (created_at, say) are ignored
