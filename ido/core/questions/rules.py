"""Every rule a question must meet: a caller that skips the forms (an import, a sync worker)
cannot skip one. The forms call the same checks to put each message at its field."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, partial

from flask import current_app
from flask_babel import gettext as _

from ido.core.audit import Actor
from ido.core.checks import has_bad_characters
from ido.core.exceptions import InvalidQuestion
from ido.core.models import (
    Agency,
    Branch,
    Channel,
    Help,
    Outcome,
    Topic,
    utcnow,
)
from ido.core.questions.privacy import personal_data_kinds, personal_data_message
from ido.core.taxonomy.contacts import known_numbers
from ido.core.timeutil import LOCAL_TZ, day_text, start_of_month

log = logging.getLogger(__name__)
MAX_NOTE = 500
MIN_MINUTES, MAX_MINUTES = 1, 480
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_YEAR = 2000  # as far back as reports go (ido.core.timeutil.FIRST_YEAR)
Problem = tuple[str, str]  # (code, message)


@dataclass
class QuestionData:
    """A question to store. ``asked_at`` None means now (or unchanged, when editing)."""

    branch: Branch
    topics: list[Topic]
    channel: Channel
    outcome: Outcome
    duration_minutes: int
    asked_at: datetime | None = None
    agencies: list[Agency] = field(default_factory=list)
    referrals: list[Agency] = field(default_factory=list)
    help: list[Help] = field(default_factory=list)
    note: str | None = None
    time_known: bool = True  # False: only the day of asked_at is known (a paper tally sheet)
    # the person confirmed a moment before the desk's earliest day ("The date is right")
    early_confirmed: bool = False


def topics_problem(topics: Sequence[object]) -> Problem | None:
    """Why the topics cannot be stored, if they cannot."""
    return None if topics else ("required", _("Choose at least one topic."))


def duration_problem(minutes: int | None) -> Problem | None:
    """Why the duration cannot be stored, if it cannot."""
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return ("out_of_range", _("The duration must be between 1 and 480 minutes."))
    return None


def moment_problem(moment: datetime | None) -> Problem | None:
    """Why the moment cannot be stored, if it cannot (later than a few minutes from now)."""
    if moment is not None and moment > utcnow() + FUTURE_TOLERANCE:
        return ("future", _("The time cannot be in the future."))
    if moment is not None and moment.year < EARLIEST_YEAR:
        return ("too_early", _("The date is too far in the past."))
    return None


def may_backdate(actor: Actor | None) -> bool:
    """Whether the actor may date a question before the desk's earliest day, after confirming
    it: a coordinator or an administrator, and a command the operator runs (no actor). A
    volunteer and a desk tablet may not."""
    if actor is None:
        return True
    return bool(getattr(actor, "is_admin", False) or getattr(actor, "is_coordinator", False))


def confirmed_by_program(actor: Actor | None) -> bool:
    """A program (the API) has no box to tick: the request of someone who may go back further
    is its own confirmation (an import of last year's tally sheets)."""
    return may_backdate(actor)


def earliest_moment() -> datetime:
    """The desk's earliest moment: midnight on the first day of the month IDO_BACKDATE_MONTHS
    months ago (1: the previous month)."""
    return start_of_month(current_app.config["IDO_BACKDATE_MONTHS"])


def asked_at_problem(
    moment: datetime | None, actor: Actor | None, confirmed: bool
) -> Problem | None:
    """Every rule of a typed moment: not in the future, not before 2000, and not before the
    desk's earliest day unless the actor may go further and confirmed it (code
    `confirm_early`: ask for the confirmation). A command the operator runs (no actor) has
    nothing to tick: it is its own confirmation."""
    confirmed = confirmed or actor is None
    problem = moment_problem(moment)
    if problem is None and moment is not None:
        problem = backdate_problem(moment, earliest_moment(), may_backdate(actor))
        if problem is not None and problem[0] == "confirm_early" and confirmed:
            problem = None
    return problem


def backdate_problem(moment: datetime, earliest: datetime, may_go_further: bool) -> Problem | None:
    """Why a typed moment before the desk's earliest (see `start_of_month`) is not taken as
    it is: a volunteer cannot go back further; a coordinator can, after confirming (a typo in
    the year would otherwise land in a month that was reported long ago)."""
    if moment >= earliest:
        return None
    day = day_text(earliest.date())
    if may_go_further:
        return (
            "confirm_early",
            _(
                'This date is before %(day)s. If it is right, tick "The date is right" and '
                "save again.",
                day=day,
            ),
        )
    return (
        "too_early",
        _("Questions from before %(day)s can only be entered by a coordinator.", day=day),
    )


def note_problem(note: str | None, library_id: int | None = None) -> Problem | None:
    """Why the note cannot be stored: too long, or it holds a visitor's personal data. The
    public numbers kept as contact details for the library (of the note's branch) pass."""
    if note and len(note) > MAX_NOTE:
        return ("too_long", _("The note can be at most 500 characters."))
    if note and has_bad_characters(note):
        return ("invalid_character", _("The note holds a character that cannot be stored."))
    kinds = personal_data_kinds(note, known=cache(partial(known_numbers, library_id)))
    if kinds:  # the message names the kind of data, never the text itself
        log.info("note refused: personal data of kind %s", ",".join(kinds))
        return ("personal_data", personal_data_message(kinds))
    return None


APPOINTMENT = "afspraak"  # the outcome "Afspraak gemaakt bij …": with whom, the referral says


def appointment_problem(outcome_code: str | None, referrals: Sequence[object]) -> Problem | None:
    """An appointment made needs the agency or partner it was made with, as a referral: that
    names it, and counts the question as referred on the national form."""
    if outcome_code == APPOINTMENT and not referrals:
        message = _("With whom was the appointment made? Tick the agency or partner referred to.")
        return ("referral_required", message)
    return None


def check_question(data: QuestionData, actor: Actor | None, kept: datetime | None = None) -> None:
    """Raise InvalidQuestion with every broken rule, per field. The actor's role sets how far
    back the moment may go (see `asked_at_problem`); `kept` is the moment a corrected question
    has, which it may keep however old it is."""
    moment = data.asked_at
    if moment is not None and not data.time_known:  # a day alone: its start must be past
        moment = moment.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    problems = {
        "topics": topics_problem(data.topics),
        "duration_minutes": duration_problem(data.duration_minutes),
        "asked_at": (
            None
            if data.asked_at is not None and data.asked_at == kept
            else asked_at_problem(moment, actor, data.early_confirmed)
        ),
        "note": note_problem(data.note, data.branch.library_id),
        "referrals": appointment_problem(data.outcome.code, data.referrals),
    }
    errors = {name: [problem] for name, problem in problems.items() if problem}
    if errors:
        raise InvalidQuestion(errors)
