"""The question form's own fields and how they read what was typed: a moment (the desk's
local date and time, or the API's ISO 8601), whole minutes, a day and a time typed the Dutch
way (paper mode)."""

import re
from datetime import date, datetime, time

from flask_babel import gettext as _
from wtforms import DateTimeLocalField, IntegerField, ValidationError

from ido.core.questions import duration_problem
from ido.core.timeutil import LOCAL_TZ, day_text, now_local
from ido.web.forms import coded


def refuse(problem) -> None:
    """A core rule's (code, message) as this field's error."""
    if problem:
        raise ValidationError(coded(*problem))


class MomentField(DateTimeLocalField):
    """The desk's local date and time, or (from the API) ISO 8601 with an offset."""

    day_only = False  # the API gave a day without a time: the time is unknown

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None  # empty: now (or unchanged, when editing)
            return
        if _API_DAY.fullmatch(text):  # a day alone (a paper tally sheet): its time unknown
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise ValueError(coded("invalid", _("This date does not exist."))) from None
            self.data, self.day_only = datetime.combine(day, NOON, tzinfo=LOCAL_TZ), True
            return
        if "+" in text[10:] or text.endswith("Z") or text[10:].count("-"):
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                raise ValueError(coded("invalid", _("Give the time as ISO 8601 with an offset.")))
            self.data = moment
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(coded("invalid", _("Enter a valid date and time."))) from None


_API_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the API's asked_at as a day alone
NOON = time(12)  # where a question of a known day but unknown time is put, for ordering

# dd-mm-jjjj, also with / . or , between (a tablet's number keyboard has . or , but no -)
_DAY = re.compile(r"(\d{1,2})[-/.,](\d{1,2})[-/.,](\d{4})", re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)  # jjjj-mm-dd: a date widget's value
_TIME = re.compile(r"(\d{1,2})[:.,](\d{2})", re.ASCII)  # uu:mm, also uu.mm


def parse_day(text: str) -> date:
    """A day typed the Dutch way (dd-mm-jjjj), whatever the browser's language; a ValueError
    with a coded message for anything else (a year of two digits, a month name, 31-02)."""
    text = text.strip()
    found = _DAY.fullmatch(text)
    if found is not None:
        day, month, year = (int(part) for part in found.groups())
    elif (found := _ISO_DAY.fullmatch(text)) is not None:
        year, month, day = (int(part) for part in found.groups())
    else:
        example = day_text(now_local().date())
        raise ValueError(
            coded("invalid", _("Write the date as dd-mm-yyyy, for example %(day)s.", day=example))
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(coded("invalid", _("This date does not exist."))) from None


def parse_time(text: str) -> time:
    """A time typed as uu:mm (or uu.mm); a ValueError with a coded message otherwise."""
    found = _TIME.fullmatch(text.strip())
    hour, minute = (int(part) for part in found.groups()) if found else (99, 99)
    if hour > 23 or minute > 59:
        raise ValueError(coded("invalid", _("Write the time as hh:mm, for example 14:30.")))
    return time(hour, minute)


class MinutesField(IntegerField):
    """Whole minutes, 1 to 480, with one clear message for anything else."""

    grouped = True  # shown as a row of radio buttons (the desk's presets)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(coded("invalid", _("Enter the duration in whole minutes."))) from None

    def pre_validate(self, form):
        if self.data is not None:
            refuse(duration_problem(self.data))
