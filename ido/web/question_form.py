"""The question form, shared by the desk pages and the API: parsing here, rules in the core."""

import re
import uuid
from datetime import date, datetime, time

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
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
    duration_problem,
    note_problem,
    topics_problem,
)
from ido.core.taxonomy import Categories, defaults
from ido.core.timeutil import LOCAL_TZ, day_text, now_local
from ido.web.forms import INVALID_CHOICE, Form, Required, choices, coded


def _refuse(problem) -> None:
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
            _refuse(duration_problem(self.data))


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
        _refuse(topics_problem(field.data))

    def validate_referrals(self, field) -> None:
        _refuse(appointment_problem(self.outcome.data, field.data or []))

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
        _refuse(note_problem(field.data, self.library_id))

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
