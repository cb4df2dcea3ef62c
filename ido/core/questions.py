"""The one place that writes questions: check, record, change and delete, each audited.

Every rule a question must meet is checked here (the privacy guard included), so a caller
that skips the forms (an import, a sync worker) cannot skip a rule; the forms call the same
checks to put each message at its field. Services flush; the caller commits.
"""

import functools
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, Subquery, Table, func, insert, literal_column, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from ido.core.audit import Actor, audit
from ido.core.checks import has_bad_characters
from ido.core.db import db
from ido.core.exceptions import IdConflict, InvalidQuestion
from ido.core.models import (
    LINKS,
    Agency,
    Branch,
    Category,
    Channel,
    Help,
    Link,
    Outcome,
    Question,
    Topic,
    joined_codes,
    link_rows,
    utcnow,
)
from ido.core.privacy import personal_data_kinds, personal_data_message
from ido.core.timeutil import LOCAL_TZ, day_text, local_columns, start_of_month

log = logging.getLogger(__name__)
MAX_NOTE = 500
MIN_MINUTES, MAX_MINUTES = 1, 480
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_YEAR = 2000  # as far back as reports go (ido.core.report_params.FIRST_YEAR)
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


def note_problem(note: str | None) -> Problem | None:
    """Why the note cannot be stored: too long, or it holds a visitor's personal data."""
    if note and len(note) > MAX_NOTE:
        return ("too_long", _("The note can be at most 500 characters."))
    if note and has_bad_characters(note):
        return ("invalid_character", _("The note holds a character that cannot be stored."))
    kinds = personal_data_kinds(note)
    if kinds:  # the message names the kind of data, never the text itself
        log.info("note refused: personal data of kind %s", ",".join(kinds))
        return ("personal_data", personal_data_message(kinds))
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
        "note": note_problem(data.note),
    }
    errors = {name: [problem] for name, problem in problems.items() if problem}
    if errors:
        raise InvalidQuestion(errors)


def with_parents(topics: list[Topic]) -> list[Topic]:
    """The topics plus the parent of each follow-up (a DigiD follow-up implies DigiD)."""
    result = list(dict.fromkeys(topics))
    for topic in topics:  # by parent_id first: a parent (even an inactive one) loads nothing
        if topic.parent_id is not None and topic.parent not in result:
            result.append(cast(Topic, topic.parent))
    return result


def _chosen(data: QuestionData) -> dict[Link, list[Category]]:
    """The categories of each link, without repeats (a follow-up brings its parent along)."""
    lists: dict[str, Sequence[Category]] = {
        "topics": with_parents(data.topics),
        "agencies": data.agencies,
        "referrals": data.referrals,
        "help": data.help,
    }
    return {link: list(dict.fromkeys(lists[link.relation])) for link in LINKS}


def _codes(items: Iterable[Category]) -> list[str]:
    return sorted(item.code for item in items)


def clean_note(note: str | None) -> str | None:
    """A note as it is stored: trimmed, line breaks as \\n (a browser sends \\r\\n), None when
    empty; so that a note sent again compares equal."""
    return (note or "").replace("\r\n", "\n").replace("\r", "\n").strip() or None


def _moment_text(source: Question | QuestionData) -> str | None:
    """The moment as the audit trail and comparisons see it: in UTC (the same moment typed in
    Amsterdam time is no change), or only its Amsterdam day when the time is not known."""
    if source.asked_at is None:
        return None
    time_known = (
        source.local_hour is not None if isinstance(source, Question) else source.time_known
    )
    if not time_known:
        return source.asked_at.astimezone(LOCAL_TZ).date().isoformat()
    return source.asked_at.astimezone(UTC).isoformat()


def snapshot(source: Question | QuestionData) -> dict[str, Any]:
    """The content of a question as plain values, for comparing and for the audit trail."""
    asked_at = _moment_text(source)
    return {
        "branch": source.branch.code,
        "asked_at": asked_at,
        "topics": _codes(with_parents(source.topics)),
        "agencies": _codes(source.agencies),
        "referrals": _codes(source.referrals),
        "help": _codes(source.help),
        "channel": source.channel.code,
        "outcome": source.outcome.code,
        "duration_minutes": source.duration_minutes,
        "note": clean_note(source.note),  # as stored: a resend compares equal
    }


NOTE_GIVEN, NOTE_CHANGED = "given", "changed"  # all the audit trail says of a note


def audited(content: dict[str, Any]) -> dict[str, Any]:
    """A snapshot as the audit trail keeps it: whether there was a note, never its text
    (notes are emptied after a while, and must leave no copy behind)."""
    return {**content, "note": NOTE_GIVEN if content.get("note") else None}


def _same_content(question: Question, data: QuestionData, fields: set[str] | None) -> bool:
    given = {
        k: v
        for k, v in snapshot(data).items()
        if (fields is None or k in fields or k == "branch") and not (k == "asked_at" and v is None)
    }
    stored = snapshot(question)
    return all(stored[key] == value for key, value in given.items())


def _apply(question: Question, data: QuestionData, chosen: dict[Link, list[Category]]) -> None:
    """Set the question's own columns (its code copies included) from the data."""
    question.branch = data.branch
    if data.asked_at is not None or question.asked_at is None:
        question.asked_at = data.asked_at or utcnow().replace(second=0, microsecond=0)
    for column, value in local_columns(question.asked_at).items():
        setattr(question, column, value)
    if not data.time_known:
        question.local_hour = None
    for link, items in chosen.items():
        setattr(question, link.column, joined_codes(items))
    # by id: the categories may be the process's shared lists, which no session may take in
    question.channel_id, question.outcome_id = data.channel.id, data.outcome.id
    set_committed_value(question, "channel", data.channel)
    set_committed_value(question, "outcome", data.outcome)
    question.duration_minutes = data.duration_minutes
    question.note = clean_note(data.note)


def _write_links(
    question: Question,
    chosen: dict[Link, list[Category]],
    before: dict[Link | str, list[int] | tuple[date, int]] | None,
) -> None:
    """Write the link rows whole: month, branch and counted state in the same INSERT.

    ``before`` ({link: ids} plus the month and branch the rows had) is None for a new
    question; links that did not change are left alone.
    """
    place = (question.local_month, question.branch_id)
    for link, items in chosen.items():
        ids = sorted(item.id for item in items)
        if before is not None:
            if before["place"] == place and before[link] == ids:
                continue
            db.session.execute(link.table.delete().where(link.table.c.question_id == question.id))
        if ids:
            db.session.execute(insert(link.table), link_rows(link, question.id, ids, *place))
    _show_links(question, chosen)


def _show_links(question: Question, chosen: dict[Link, list[Category]]) -> None:
    """The question's (read-only) link lists as written: no reload needed to show them."""
    for link, items in chosen.items():
        ordered = sorted(items, key=lambda item: (item.position, item.id))
        set_committed_value(question, link.relation, ordered)


def _existing(question_id: uuid.UUID, data: QuestionData, fields: set[str] | None) -> Question:
    existing = db.session.get(Question, question_id)
    if existing is None or not _same_content(existing, data, fields):
        raise IdConflict(str(question_id))
    return existing


@functools.cache
def _insert_unless_taken(dialect: str) -> ReturningInsert[tuple[uuid.UUID]]:
    """INSERT a question's row unless its id is taken; returns the id when stored (not every
    driver tells the row count). Built once per process."""
    table = Question.__table__
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_nothing(index_elements=[table.c.id]).returning(table.c.id)


def _insert_new(question: Question) -> bool:
    """Store the question's row unless its id is taken (then nothing: False). No error, so no
    rollback and no ERROR line in PostgreSQL's log for a form sent again; a concurrent INSERT
    of the same id is waited for."""
    values = {column.key: getattr(question, column.key) for column in Question.__table__.columns}
    statement = _insert_unless_taken(db.session.get_bind().dialect.name)
    return db.session.execute(statement, values).first() is not None


def record_question(
    data: QuestionData,
    actor: Actor | None,
    question_id: uuid.UUID | None = None,
    fields: set[str] | None = None,
) -> tuple[Question, bool]:
    """Store a new question; the same id again with the same content returns the stored one.

    ``fields`` names the fields a client gave (None: all); only those are compared. Raises
    InvalidQuestion for a broken rule and IdConflict for an id used for other content.
    """
    try:
        check_question(data, actor)
    except InvalidQuestion:
        # a question stored before answers as stored, even where today's rules refuse it
        if question_id is not None and db.session.get(Question, question_id) is not None:
            return _existing(question_id, data, fields), False
        raise
    question = Question(id=question_id or uuid.uuid4(), branch_id=data.branch.id)
    if actor is not None:  # a person, or an enrolled desk tablet (then no person is known)
        question.logged_by_id, question.device_id = actor.id, actor.device_id
    chosen = _chosen(data)
    _apply(question, data, chosen)
    question.created_at = question.updated_at = utcnow()
    question.deleted_at = None
    # Not looked up first: a new id, by far the most common, costs no query. The id is taken
    # when a form is sent again (a double tap, a retry after a lost answer) or raced.
    if not _insert_new(question):
        if question_id is None:
            raise IdConflict(str(question.id))  # a random id taken: not in this universe
        log.info("question %s was stored before", question_id)
        return _existing(question_id, data, fields), False
    make_transient_to_detached(question)  # stored: the session takes it as it is
    db.session.add(question)
    _write_links(question, chosen, None)
    audit(
        actor,
        "create",
        "question",
        question.id,
        data.branch.library_id,
        audited(snapshot(question)),
    )
    db.session.flush()
    return question, True


def update_question(
    question: Question, data: QuestionData, actor: Actor | None
) -> dict[str, list[Any]]:
    """Change a question; returns what changed, as the audit trail keeps it (a changed note
    is only said to have changed)."""
    check_question(data, actor, kept=question.asked_at)
    before = snapshot(question)
    links_before: dict[Link | str, list[int] | tuple[date, int]] = {
        link: sorted(item.id for item in getattr(question, link.relation)) for link in LINKS
    }
    links_before["place"] = (question.local_month, question.branch_id)
    chosen = _chosen(data)
    _apply(question, data, chosen)
    db.session.flush()
    _write_links(question, chosen, links_before)
    after = snapshot(question)
    changes: dict[str, Any] = {
        key: [before[key], after[key]] for key in after if before[key] != after[key]
    }
    if "note" in changes:
        changes["note"] = NOTE_CHANGED
    if changes:
        audit(actor, "update", "question", question.id, question.branch.library_id, changes)
    db.session.flush()
    return changes


def delete_question(question: Question, actor: Actor | None) -> None:
    """Soft-delete a question: it stays for the audit trail but no longer counts."""
    question.deleted_at = utcnow()
    for link in LINKS:
        db.session.execute(
            update(link.table).where(link.table.c.question_id == question.id).values(counted=False)
        )
    audit(actor, "delete", "question", question.id, question.branch.library_id)
    db.session.flush()


def _joined_codes_per_question(link: Link) -> Subquery:
    """(question_id, codes) of every question with rows in a link table: as `joined_codes`."""
    table, model = link.table, link.model
    pairs: Select[*tuple[Any, ...]] = db.select(table.c.question_id, model.code).join(
        model, model.id == table.c[link.key]
    )
    if db.engine.dialect.name == "postgresql":
        codes = func.string_agg(model.code, aggregate_order_by(literal_column("'|'"), model.code))
        return (
            pairs.with_only_columns(table.c.question_id, codes.label("codes"))
            .group_by(table.c.question_id)
            .subquery()
        )
    # SQLite (3.40 on Debian 12) has no ORDER BY inside group_concat, which joins in the order
    # it reads; a sorted subquery under an aggregate is read in its order.
    ordered = pairs.order_by(table.c.question_id, model.code).subquery()
    return cast(
        Subquery,
        db.select(ordered.c.question_id, func.group_concat(ordered.c.code, "|").label("codes"))
        .group_by(ordered.c.question_id)
        .subquery(),
    )


def resync_links() -> None:
    """Bring every link row and code copy in step with its question (a repair after a bulk
    insert that wrote incomplete rows; the service and the generators write them whole)."""
    questions: Table = Question.__table__
    for link in LINKS:
        joined, column = _joined_codes_per_question(link), questions.c[link.column]
        db.session.execute(update(questions).where(column != "").values({column: ""}))
        db.session.execute(
            update(questions)
            .values({column: joined.c.codes})
            .where(questions.c.id == joined.c.question_id)
        )
        table = link.table
        of_question = db.select(Question).where(Question.id == table.c.question_id)
        db.session.execute(
            update(table).values(
                local_month=of_question.with_only_columns(Question.local_month).scalar_subquery(),
                branch_id=of_question.with_only_columns(Question.branch_id).scalar_subquery(),
                counted=of_question.with_only_columns(
                    Question.deleted_at.is_(None)
                ).scalar_subquery(),
            )
        )
    db.session.flush()
