"""The API's JSON shapes: questions out, request bodies and query parameters in."""

import re
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

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
