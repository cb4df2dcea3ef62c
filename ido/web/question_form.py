"""The question form, shared by the desk pages and the API: parsing here, rules in the core."""

import uuid
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)

from ido.core.audit import Actor
from ido.core.models import AGENCY_KINDS
from ido.core.questions import (
    QuestionData,
    appointment_problem,
    asked_at_problem,
    note_problem,
    topics_problem,
)
from ido.core.taxonomy import Categories, defaults
from ido.core.timeutil import LOCAL_TZ, day_text, now_local
from ido.web.forms import INVALID_CHOICE, Form, Required, choices, coded
from ido.web.question_fields import MinutesField, MomentField, parse_day, parse_time, refuse


def _choices(categories: Categories) -> dict[str, list]:
    """The fields' choices in this language, worked out once per set of lists (the process
    keeps the lists until the taxonomy changes): the form never changes them."""
    key = ("choices", str(get_locale()))
    made = categories.memo.get(key)
    if made is None:
        grouped = sorted(categories.agencies, key=lambda a: AGENCY_KINDS.index(a.kind))
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
    asked_at = MomentField(_l("Other date and time"), format=MOMENT_FORMAT, tz=LOCAL_TZ)  # API
    asked_date = StringField(_l("Date"), description=_l("dd-mm-yyyy"))
    asked_time = StringField(_l("Time"), description=_l("hh:mm"))
    confirm_early = BooleanField(_l("The date is right"))
    note = TextAreaField(_l("Note (optional, no personal details)"))

    def __init__(
        self,
        categories: Categories,
        *args,
        actor: Actor | None,
        kept_moment: datetime | None = None,
        kept_time_known: bool = True,
        library_id: int | None = None,
        **kwargs,
    ):
        """`actor`: who saves (their role sets how far back a moment may go, see
        `ido.core.questions.asked_at_problem`); `kept_moment`: the moment the question has
        (editing), which is kept even when it is older than that."""
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.actor, self.kept_moment = actor, kept_moment
        self.kept_time_known = kept_time_known
        self.library_id = library_id  # the branch's: its partners' public numbers may be noted
        self.moment: datetime | None = None
        self.time_known = True
        self.confirm_asked = False  # a moment before the earliest was typed: confirm it
        made = _choices(categories)
        self.topics.choices = made["topics"]
        self.agencies.choices = made["agencies"]
        self.referrals.choices = made["agencies"]
        self.help.choices = made["help"]
        self.channel.choices = made["channels"]
        self.outcome.choices = made["outcomes"]
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
        refuse(topics_problem(field.data))

    def validate_referrals(self, field) -> None:
        refuse(appointment_problem(self.outcome.data, field.data or []))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._check_moment() and valid

    def _typed_moment(self) -> datetime | None:
        """The moment typed into the date and time fields (None: now), errors at the field."""
        day_typed = (self.asked_date.data or "").strip()
        time_typed = (self.asked_time.data or "").strip()
        day, at = None, None
        if day_typed:
            try:
                day = parse_day(day_typed)
            except ValueError as error:
                self.asked_date.errors.append(error.args[0])
        if time_typed:
            try:
                at = parse_time(time_typed)
            except ValueError as error:
                self.asked_time.errors.append(error.args[0])
        elif day_typed and self._unknown_time_kept(day):
            self.time_known = False  # a question from a paper sheet keeps its unknown time
            return self.kept_moment
        elif day_typed:  # a day alone would be stored at some guessed hour
            message = _("Also fill in the time (hh:mm), as on the paper.")
            self.asked_time.errors.append(coded("required", message))
        if at is None or (day_typed and day is None):
            return None
        return datetime.combine(day or now_local().date(), at, tzinfo=LOCAL_TZ)

    def _check_moment(self) -> bool:
        """Work out `self.moment` (the API's asked_at, or the typed date and time; None: now)
        and check it; a moment before the desk's earliest needs a coordinator's confirmation."""
        if self.asked_at.data is not None or self.asked_at.errors:
            field, moment = self.asked_at, self.asked_at.data
            if self.asked_at.day_only and moment is not None:
                self.time_known = False  # checked as the day's start: noon may be ahead
                self.moment = moment
                return self._moment_allowed(field, moment.replace(hour=0))
        else:
            typed = bool((self.asked_date.data or "").strip())
            field = self.asked_date if typed else self.asked_time
            moment = self._typed_moment()
            if self.asked_date.errors or self.asked_time.errors:
                return False
            kept = self.kept_moment
            if kept is not None and moment == kept.replace(second=0, microsecond=0):
                moment = kept  # shown to the minute: its seconds (from the API) stay
        self.moment = moment
        if moment is None or field.errors or moment == self.kept_moment:
            return not field.errors
        return self._moment_allowed(field, moment)

    def _moment_allowed(self, field, moment: datetime) -> bool:
        """Not in the future, not before the desk's earliest day unless confirmed."""
        problem = asked_at_problem(moment, self.actor, bool(self.confirm_early.data))
        if problem is not None and problem[0] == "confirm_early":
            self.confirm_asked = True
        if problem is not None:
            field.errors.append(coded(*problem))
            return False
        return True

    def _unknown_time_kept(self, day: date | None) -> bool:
        """Whether the question being corrected has no known time and keeps its day."""
        kept = self.kept_moment
        return (
            kept is not None
            and not self.kept_time_known
            and day == kept.astimezone(LOCAL_TZ).date()
        )

    def show_moment(self, moment: datetime, time_known: bool = True) -> None:
        """Put a stored moment into the date and time fields (the edit page); an unknown time
        stays empty."""
        local = moment.astimezone(LOCAL_TZ)
        self.asked_date.data = day_text(local.date())
        self.asked_time.data = local.strftime("%H:%M") if time_known else ""

    def validate_note(self, field) -> None:
        refuse(note_problem(field.data, self.library_id))

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
            asked_at=self.moment,
            time_known=self.time_known,
            note=self.note.data,
            early_confirmed=bool(self.confirm_early.data),
        )
