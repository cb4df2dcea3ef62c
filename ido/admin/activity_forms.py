"""Forms of the activity pages: an activity with its rule, moving or cancelling one session."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ido.admin.forms import no_personal_data
from ido.web.forms import INVALID_CHOICE, Form, plain_text

FORM_NAMES = {
    "in_person": _l("In person"),
    "telephone": _l("By telephone"),
    "online": _l("Online"),
}
REPEAT_NAMES = {
    "once": _l("Once"),
    "weekly": _l("Every week"),
    "even_weeks": _l("In even weeks"),
    "odd_weeks": _l("In odd weeks"),
    "monthly": _l("Once a month"),
}
NTH_NAMES = {
    "1": _l("the first"),
    "2": _l("the second"),
    "3": _l("the third"),
    "-1": _l("the last"),
}


def _listed(names: dict) -> list[SelectChoice]:
    """Choices with translated labels (a dict of lazy strings is deprecated in WTForms)."""
    return [SelectChoice(key, label) for key, label in names.items()]


GIVE_DAY = _l("Give a date.")
GIVE_TIME = _l("Give a time as HH:MM.")


class ActivityForm(Form):
    branch = SelectField(_l("Branch"), invalid_choice_message=INVALID_CHOICE)
    kind = SelectField(_l("Kind"), invalid_choice_message=INVALID_CHOICE)
    partner = SelectField(_l("Run by"), invalid_choice_message=INVALID_CHOICE, default="")
    title = StringField(
        _l("Name (optional)"),
        validators=[Length(max=200), plain_text, no_personal_data],
        description=_l("For example Belastingspreekuur with the Humanitas volunteers"),
    )
    form = RadioField(
        _l("Form"),
        choices=_listed(FORM_NAMES),
        default="in_person",
        invalid_choice_message=INVALID_CHOICE,
    )
    convenant = BooleanField(_l("Counts for the Belastingdienst/Toeslagen convenant"))
    topics = SelectMultipleField(_l("Topics"), invalid_choice_message=INVALID_CHOICE)
    first_day = DateField(
        _l("Day (the first, when it repeats)"), validators=[InputRequired(GIVE_DAY)]
    )
    start_time = TimeField(_l("From"), validators=[InputRequired(GIVE_TIME)])
    end_time = TimeField(_l("Until"), validators=[InputRequired(GIVE_TIME)])
    repeat = SelectField(
        _l("Repeats"),
        choices=_listed(REPEAT_NAMES),
        default="once",
        invalid_choice_message=INVALID_CHOICE,
    )
    nth = SelectField(
        _l("Which weekday of the month"),
        choices=_listed(NTH_NAMES),
        default="1",
        invalid_choice_message=INVALID_CHOICE,
    )
    until = DateField(_l("Last day it repeats"), validators=[Optional()])


class MoveForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(GIVE_DAY)])
    start_time = TimeField(_l("From"), validators=[InputRequired(GIVE_TIME)])
    end_time = TimeField(_l("Until"), validators=[InputRequired(GIVE_TIME)])


class CancelForm(Form):
    cancelled = BooleanField(_l("Cancelled"))
