"""The question form, shared by the desk pages and the API: parsing here, rules in the core."""

import uuid
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)

from ido.core import defaults
from ido.core.categories import Categories
from ido.core.questions import (
    QuestionData,
    duration_problem,
    moment_problem,
    note_problem,
    topics_problem,
)
from ido.core.timeutil import LOCAL_TZ, now_local
from ido.web.forms import INVALID_CHOICE, Form, Required, choices, coded

AGENCY_ORDER = ("manifestgroep", "government", "partner")


def _refuse(problem) -> None:
    """A core rule's (code, message) as this field's error."""
    if problem:
        raise ValidationError(coded(*problem))


class MomentField(DateTimeLocalField):
    """The desk's local date and time, or (from the API) ISO 8601 with an offset."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None  # empty: now (or unchanged, when editing)
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


class MinutesField(IntegerField):
    """Whole minutes, 1 to 480, with one clear message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(coded("invalid", _("Enter the duration in whole minutes."))) from None

    def pre_validate(self, form):
        if self.data is not None:
            _refuse(duration_problem(self.data))


def _choices(categories: Categories) -> dict[str, list]:
    """The fields' choices in this language, worked out once per set of lists (the process
    keeps the lists until the taxonomy changes): the form never changes them."""
    key = ("choices", str(get_locale()))
    made = categories.memo.get(key)
    if made is None:
        grouped = sorted(categories.agencies, key=lambda a: AGENCY_ORDER.index(a.kind))
        made = {
            "topics": choices(
                categories.topics,
                hint=lambda t: t.hint,
                parent=lambda t: t.parent and t.parent.code,
            ),
            "agencies": choices(grouped, kind=lambda a: a.kind),
            "help": choices(categories.help),
            "channels": choices(categories.channels),
            "outcomes": choices(categories.outcomes),
        }
        categories.memo[key] = made
    return made


MOMENT_FORMAT = "%Y-%m-%dT%H:%M"  # a datetime-local input's value


class QuestionForm(Form):
    """One visitor question: topics, agencies, referrals, help, channel, duration, outcome."""

    id = HiddenField()
    topics = SelectMultipleField(_l("Topic"), invalid_choice_message=INVALID_CHOICE)
    agencies = SelectMultipleField(_l("Concerns agency"), invalid_choice_message=INVALID_CHOICE)
    referrals = SelectMultipleField(_l("Referred to"), invalid_choice_message=INVALID_CHOICE)
    help = SelectMultipleField(_l("Help given"), invalid_choice_message=INVALID_CHOICE)
    channel = RadioField(
        _l("Channel"),
        validators=[Required(_l("Choose a channel."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    outcome = RadioField(
        _l("Outcome"),
        validators=[Required(_l("Choose an outcome."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    duration_minutes = MinutesField(
        _l("Duration (minutes)"), validators=[Required(_l("Choose how long it took."))]
    )
    asked_at = MomentField(_l("Other date and time"), format=MOMENT_FORMAT, tz=LOCAL_TZ)
    note = TextAreaField(_l("Note (optional, no personal details)"))

    def __init__(self, categories: Categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        made = _choices(categories)
        self.topics.choices = made["topics"]
        self.agencies.choices = made["agencies"]
        self.referrals.choices = made["agencies"]
        self.help.choices = made["help"]
        self.channel.choices = made["channels"]
        self.outcome.choices = made["outcomes"]
        self.asked_at.render_kw = {"max": now_local().strftime(MOMENT_FORMAT)}
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
                    coded("invalid", _("This form is damaged. Reload the page."))
                ) from None

    def validate_topics(self, field) -> None:
        _refuse(topics_problem(field.data))

    def validate_asked_at(self, field) -> None:
        _refuse(moment_problem(field.data))

    def validate_note(self, field) -> None:
        _refuse(note_problem(field.data))

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
