"""The question form, shared by the desk page (and later the API), and the desk's small forms."""

import uuid
from datetime import timedelta

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
from wtforms.validators import InputRequired, Length, Optional

from .. import defaults
from ..categories import Categories
from ..questions import QuestionData
from ..timeutil import LOCAL_TZ, now_local

FUTURE_TOLERANCE = timedelta(minutes=5)


def _choices(items, **extra) -> list[SelectChoice]:
    return [SelectChoice(value=item.code, label=item.name,
                         render_kw={key: fn(item) for key, fn in extra.items()})
            for item in items]


_invalid = _l("This choice is not (or no longer) available. Reload the page.")


class MinutesField(IntegerField):
    """Whole minutes, 1 to 480, with one clear message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter the duration in whole minutes.")) from None

    def pre_validate(self, form):
        if self.data is not None and not 1 <= self.data <= 480:
            raise ValidationError(_("The duration must be between 1 and 480 minutes."))


class QuestionForm(FlaskForm):
    """One visitor question: topics, agencies, referrals, help, channel, duration, outcome."""

    id = HiddenField()
    topics = SelectMultipleField(_l("Topic"), invalid_choice_message=_invalid)
    agencies = SelectMultipleField(_l("Concerns agency"), invalid_choice_message=_invalid)
    referrals = SelectMultipleField(_l("Referred to"), invalid_choice_message=_invalid)
    help = SelectMultipleField(_l("Help given"), invalid_choice_message=_invalid)
    channel = RadioField(_l("Channel"), validators=[InputRequired(_l("Choose a channel."))],
                         invalid_choice_message=_invalid)
    outcome = RadioField(_l("Outcome"), validators=[InputRequired(_l("Choose an outcome."))],
                         invalid_choice_message=_invalid)
    duration_minutes = MinutesField(
        _l("Duration (minutes)"), validators=[InputRequired(_l("Choose how long it took."))]
    )
    asked_at = DateTimeLocalField(
        _l("Other date and time"), format="%Y-%m-%dT%H:%M", tz=LOCAL_TZ,
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("Note (optional, no personal details)"),
        validators=[Length(max=500, message=_l("The note can be at most 500 characters."))],
    )

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
                raise ValidationError(_("This form is damaged. Reload the page.")) from None

    def validate_topics(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one topic."))

    def validate_asked_at(self, field) -> None:
        if field.data and field.data > now_local() + FUTURE_TOLERANCE:
            raise ValidationError(_("The time cannot be in the future."))

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
    branch = RadioField(_l("Branch"), validators=[InputRequired(_l("Choose a branch."))],
                        invalid_choice_message=_invalid)
