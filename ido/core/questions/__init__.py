"""Questions: the one place that writes them (check, record, change and delete, each audited),
and where they are found again.

- `rules`: every rule a question must meet, the privacy guard and back-dating included;
  `check_question` holds every caller to them (the forms call the same checks to put each
  message at its field)
- `content`: what a question holds, as compared and audited
- `service`: record, update and delete, with the audit trail and the link rows
- `bulk`: many questions written straight into the tables, each with its link rows whole
- `listing`, `desk_rows`: finding questions again (lists, search, the desk's day)
- `privacy`: the guard that refuses a note holding a visitor's personal data

Services flush; the caller commits."""

from ido.core.questions.bulk import insert_questions
from ido.core.questions.content import (
    NOTE_CHANGED,
    NOTE_GIVEN,
    audited,
    clean_note,
    snapshot,
    with_parents,
)
from ido.core.questions.rules import (
    EARLIEST_YEAR,
    MAX_MINUTES,
    MAX_NOTE,
    MIN_MINUTES,
    Problem,
    QuestionData,
    appointment_problem,
    asked_at_problem,
    backdate_problem,
    check_question,
    confirmed_by_program,
    duration_problem,
    earliest_moment,
    may_backdate,
    moment_problem,
    note_problem,
    topics_problem,
)
from ido.core.questions.service import (
    delete_question,
    record_question,
    resync_links,
    update_question,
)

__all__ = [
    "EARLIEST_YEAR",
    "MAX_MINUTES",
    "MAX_NOTE",
    "MIN_MINUTES",
    "NOTE_CHANGED",
    "NOTE_GIVEN",
    "Problem",
    "QuestionData",
    "asked_at_problem",
    "audited",
    "backdate_problem",
    "appointment_problem",
    "check_question",
    "clean_note",
    "confirmed_by_program",
    "delete_question",
    "duration_problem",
    "earliest_moment",
    "insert_questions",
    "may_backdate",
    "moment_problem",
    "note_problem",
    "record_question",
    "resync_links",
    "snapshot",
    "topics_problem",
    "update_question",
    "with_parents",
]
