"""The question form, shared by the desk page (and later the API), and the desk's small forms."""

import uuid
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from .. import defaults
from ..categories import Categories
from ..privacy import personal_data_kinds, personal_data_message
from ..questions import QuestionData
from ..timeutil import LOCAL_TZ, now_local

FUTURE_TOLERANCE = timedelta(minutes=5)


def _choices(items, **extra) -> list[SelectChoice]:
    return [SelectChoice(value=item.code, label=item.name,
                         render_kw={key: fn(item) for key, fn in extra.items()})
            for item in items]


INVALID_CHOICE = _l("This choice is not (or no longer) available. Reload the page.")


class Coded(str):
    """An error message that also carries a stable code, for the API's error objects."""

    code = "invalid"


def coded(code: str, message) -> Coded:
    error = Coded(str(message))
    error.code = code
    return error


def error_code(message: str) -> str:
    """The code of a form error: its own, or unknown_code for a choice that does not exist."""
    if isinstance(message, Coded):
        return message.code
    return "unknown_code" if message == str(INVALID_CHOICE) else "invalid"


class Required:
    """Stops validation with a coded message when the field was not sent or is empty."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not field.raw_data or not any(str(v).strip() for v in field.raw_data):
            field.errors[:] = []
            raise StopValidation(coded("required", self.message))


class MomentField(DateTimeLocalField):
    """The desk's local date and time, or (from the API) ISO 8601 with an offset."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None  # empty: now (or unchanged, when editing)
            return
        if ("+" in text[10:] or text.endswith("Z") or text[10:].count("-")):
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


class MinutesField(IntegerField):
    """Whole minutes, 1 to 480, with one clear message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(coded("invalid", _("Enter the duration in whole minutes."))) from None

    def pre_validate(self, form):
        if self.data is not None and not 1 <= self.data <= 480:
            raise ValidationError(coded(
                "out_of_range", _("The duration must be between 1 and 480 minutes.")))


class QuestionForm(FlaskForm):
    """One visitor question: topics, agencies, referrals, help, channel, duration, outcome."""

    id = HiddenField()
    topics = SelectMultipleField(_l("Topic"), invalid_choice_message=INVALID_CHOICE)
    agencies = SelectMultipleField(_l("Concerns agency"), invalid_choice_message=INVALID_CHOICE)
    referrals = SelectMultipleField(_l("Referred to"), invalid_choice_message=INVALID_CHOICE)
    help = SelectMultipleField(_l("Help given"), invalid_choice_message=INVALID_CHOICE)
    channel = RadioField(_l("Channel"), validators=[Required(_l("Choose a channel."))],
                         invalid_choice_message=INVALID_CHOICE)
    outcome = RadioField(_l("Outcome"), validators=[Required(_l("Choose an outcome."))],
                         invalid_choice_message=INVALID_CHOICE)
    duration_minutes = MinutesField(
        _l("Duration (minutes)"), validators=[Required(_l("Choose how long it took."))]
    )
    asked_at = MomentField(_l("Other date and time"), format="%Y-%m-%dT%H:%M", tz=LOCAL_TZ)
    note = TextAreaField(_l("Note (optional, no personal details)"))

    def __init__(self, categories: Categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.topics.choices = _choices(
            categories.topics, hint=lambda t: t.hint, parent=lambda t: t.parent and t.parent.code
        )
        grouped = sorted(categories.agencies, key=lambda a: ("manifestgroep", "government",
                                                             "partner").index(a.kind))
        self.agencies.choices = _choices(grouped, kind=lambda a: a.kind)
        self.referrals.choices = _choices(grouped, kind=lambda a: a.kind)
        self.help.choices = _choices(categories.help)
        self.channel.choices = _choices(categories.channels)
        self.outcome.choices = _choices(categories.outcomes)
        self.asked_at.render_kw = {"max": now_local().strftime("%Y-%m-%dT%H:%M")}
        if not self.is_submitted() and "data" not in kwargs:
            self.set_desk_defaults()

    def set_desk_defaults(self) -> None:
        self.id.data = str(uuid.uuid4())
        self.channel.data = defaults.DESK_DEFAULTS["channel"]
        self.outcome.data = defaults.DESK_DEFAULTS["outcome"]
        self.duration_minutes.data = defaults.DESK_DEFAULTS["duration_minutes"]

    def validate_id(self, field) -> None:
        if field.data:
            try:
                uuid.UUID(field.data)
            except ValueError:
                raise ValidationError(
                    coded("invalid", _("This form is damaged. Reload the page."))) from None

    def validate_topics(self, field) -> None:
        if not field.data:
            raise ValidationError(coded("required", _("Choose at least one topic.")))

    def validate_asked_at(self, field) -> None:
        if field.data and field.data > now_local() + FUTURE_TOLERANCE:
            raise ValidationError(coded("future", _("The time cannot be in the future.")))

    def validate_note(self, field) -> None:
        if field.data and len(field.data) > 500:
            raise ValidationError(
                coded("too_long", _("The note can be at most 500 characters.")))
        kinds = personal_data_kinds(field.data)
        if kinds:  # the message names the kind of data, never the text itself
            raise ValidationError(coded("personal_data", personal_data_message(kinds)))

    def question_id(self) -> uuid.UUID | None:
        return uuid.UUID(self.id.data) if self.id.data else None

    def to_data(self, branch) -> QuestionData:
        """The validated input as the service takes it."""
        cats = self.categories
        agencies = cats.by_code("agencies")
        return QuestionData(
            branch=branch,
            topics=[cats.by_code("topics")[c] for c in self.topics.data],
            agencies=[agencies[c] for c in self.agencies.data],
            referrals=[agencies[c] for c in self.referrals.data],
            help=[cats.by_code("help")[c] for c in self.help.data],
            channel=cats.by_code("channels")[self.channel.data],
            outcome=cats.by_code("outcomes")[self.outcome.data],
            duration_minutes=self.duration_minutes.data,
            asked_at=self.asked_at.data,
            note=self.note.data,
        )


class QuickForm(FlaskForm):
    """Quick mode: one tap on a topic tile stores a question with the desk's defaults."""

    id = HiddenField()
    topic = StringField()  # sent by the tapped tile (a submit button), so no input of its own


class BranchForm(FlaskForm):
    branch = RadioField(_l("Branch"), validators=[Required(_l("Choose a branch."))],
                        invalid_choice_message=INVALID_CHOICE)


class EnrolForm(FlaskForm):
    code = StringField(_l("Code from your IDO coordinator"),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
