"""The API's JSON shapes: questions out, request bodies in."""

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ido.core import defaults
from ido.core.models import Question
from ido.core.timeutil import to_local

LIST_FIELDS = ("topics", "agencies", "referrals", "help")
TEXT_FIELDS = ("id", "branch", "asked_at", "channel", "outcome")
KNOWN_FIELDS = {*LIST_FIELDS, *TEXT_FIELDS, "duration_minutes", "note"}


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
        data[field] = value
    duration = body.get("duration_minutes")
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
