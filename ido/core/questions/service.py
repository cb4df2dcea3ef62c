"""Recording, changing and deleting questions, each audited, with their link rows and code
copies kept in step. Services flush; the caller commits."""

import functools
import logging
import uuid
from datetime import date
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Select, Subquery, Table, func, insert, literal_column, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.exceptions import IdConflict, InvalidQuestion, ParamError
from ido.core.models import (
    LINKS,
    Category,
    Link,
    Question,
    joined_codes,
    link_rows,
    utcnow,
)
from ido.core.questions.content import (
    NOTE_CHANGED,
    _chosen,
    _same_content,
    audited,
    clean_note,
    snapshot,
)
from ido.core.questions.rules import QuestionData, check_question
from ido.core.timeutil import local_columns

log = logging.getLogger(__name__)


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
            db.session.execute(link.table.delete().where(link.table.c.question_key == question.key))
        if ids:
            db.session.execute(insert(link.table), link_rows(link, question.key, ids, *place))
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
def _insert_unless_taken(dialect: str) -> ReturningInsert[tuple[int]]:
    """INSERT a question's row unless its id is taken; returns the key the database gave it
    when stored (not every driver tells the row count). Built once per process."""
    table = Question.__table__
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_nothing(index_elements=[table.c.id]).returning(table.c.key)


def _insert_new(question: Question) -> bool:
    """Store the question's row unless its id is taken (then nothing: False), and give it the
    key the database chose. No error, so no rollback and no ERROR line in PostgreSQL's log for
    a form sent again; a concurrent INSERT of the same id is waited for."""
    values = {
        column.key: getattr(question, column.key)
        for column in Question.__table__.columns
        if column.key != "key"
    }
    statement = _insert_unless_taken(db.session.get_bind().dialect.name)
    stored = db.session.execute(statement, values).first()
    if stored is None:
        return False
    question.key = stored.key
    return True


def record_question(
    data: QuestionData,
    actor: Actor | None,
    question_id: uuid.UUID | None = None,
    fields: set[str] | None = None,
) -> tuple[Question, bool]:
    """Store a new question; the same id again with the same content returns the stored one.

    ``fields`` names the fields a client gave (None: all); only those are compared. Raises
    InvalidQuestion for a broken rule and IdConflict for an id used for other content, both
    before it writes anything (the API's batch relies on that: a refused question of a batch
    leaves nothing behind).
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


def _taken(question: Question) -> None:
    """Take the question's row for this request's transaction and read it again: PostgreSQL
    locks the row, SQLite takes its write lock (both with an UPDATE that changes nothing), so
    an edit or delete of it by another request waits for this one's commit, and one committed
    before is seen here. Without it, a delete that came between reading the question and
    changing it left the deleted question counted (its link rows written as counted again), and
    two edits at once left its links in the month the other edit moved it out of."""
    db.session.execute(
        update(Question)
        .where(Question.key == question.key)
        .values(deleted_at=Question.deleted_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(question)


def update_question(
    question: Question, data: QuestionData, actor: Actor | None
) -> dict[str, list[Any]]:
    """Change a question; returns what changed, as the audit trail keeps it (a changed note
    is only said to have changed). ParamError (409) when it was deleted meanwhile."""
    _taken(question)
    if question.deleted_at is not None:
        raise ParamError(
            "id", "deleted", _("This question was deleted meanwhile. Nothing was changed."), 409
        )
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
    """Soft-delete a question: it stays for the audit trail but no longer counts (deleted
    already, by another request meanwhile: nothing more to do)."""
    _taken(question)
    if question.deleted_at is not None:
        return
    question.deleted_at = utcnow()
    for link in LINKS:
        db.session.execute(
            update(link.table)
            .where(link.table.c.question_key == question.key)
            .values(counted=False)
        )
    audit(actor, "delete", "question", question.id, question.branch.library_id)
    db.session.flush()


def _joined_codes_per_question(link: Link) -> Subquery:
    """(question_key, codes) of every question with rows in a link table: as `joined_codes`."""
    table, model = link.table, link.model
    pairs: Select[*tuple[Any, ...]] = db.select(table.c.question_key, model.code).join(
        model, model.id == table.c[link.key]
    )
    if db.engine.dialect.name == "postgresql":
        codes = func.string_agg(model.code, aggregate_order_by(literal_column("'|'"), model.code))
        return (
            pairs.with_only_columns(table.c.question_key, codes.label("codes"))
            .group_by(table.c.question_key)
            .subquery()
        )
    # SQLite (3.40 on Debian 12) has no ORDER BY inside group_concat, which joins in the order
    # it reads; a sorted subquery under an aggregate is read in its order.
    ordered = pairs.order_by(table.c.question_key, model.code).subquery()
    return cast(
        Subquery,
        db.select(ordered.c.question_key, func.group_concat(ordered.c.code, "|").label("codes"))
        .group_by(ordered.c.question_key)
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
            .where(questions.c.key == joined.c.question_key)
        )
        table = link.table
        of_question = db.select(Question).where(Question.key == table.c.question_key)
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
