"""The one place that writes questions: record, change and delete, each with its audit event."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Table, func, literal_column, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import (
    Agency,
    AuditEvent,
    Branch,
    Channel,
    Help,
    Outcome,
    Question,
    Topic,
    User,
    utcnow,
)
from .models.question import (
    LINK_TABLES,
    question_agencies,
    question_help,
    question_referrals,
    question_topics,
)
from .timeutil import local_columns


class IdConflict(Exception):
    """A question with this id exists with different content."""


@dataclass
class QuestionData:
    """A validated question. ``asked_at`` None means now (or unchanged, when editing)."""

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


def with_parents(topics: list[Topic]) -> list[Topic]:
    """The topics plus the parent of each follow-up (a DigiD follow-up implies DigiD)."""
    result = list(dict.fromkeys(topics))
    for topic in topics:
        if topic.parent is not None and topic.parent not in result:
            result.append(topic.parent)
    return result


def _codes(items) -> list[str]:
    return sorted(item.code for item in items)


class CodeCopy(NamedTuple):
    """A column of the question that copies one link table's codes, sorted and "|"-joined."""

    column: str
    relation: str  # the question's relationship to the categories
    table: Table
    key: str  # the link table's category column
    model: type


CODE_COPIES = (CodeCopy("topic_codes", "topics", question_topics, "topic_id", Topic),
               CodeCopy("agency_codes", "agencies", question_agencies, "agency_id", Agency),
               CodeCopy("referral_codes", "referrals", question_referrals, "agency_id", Agency),
               CodeCopy("help_codes", "help", question_help, "help_id", Help))


def joined_codes(items) -> str:
    """Codes sorted and joined with "|", as the question row keeps a copy of its links."""
    return "|".join(_codes(items))


def snapshot(source: Question | QuestionData) -> dict:
    """The content of a question as plain values, for comparing and for the audit trail."""
    asked_at = source.asked_at.isoformat() if source.asked_at else None
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
        "note": source.note or None,
    }


def _same_content(question: Question, data: QuestionData, fields: set[str] | None) -> bool:
    given = {k: v for k, v in snapshot(data).items()
             if (fields is None or k in fields or k == "branch")
             and not (k == "asked_at" and v is None)}
    stored = snapshot(question)
    if "asked_at" in given:
        given["asked_at"] = datetime.fromisoformat(given["asked_at"])
        stored["asked_at"] = question.asked_at
    return all(stored[key] == value for key, value in given.items())


def _apply(question: Question, data: QuestionData) -> None:
    question.branch = data.branch
    if data.asked_at is not None or question.asked_at is None:
        question.asked_at = data.asked_at or utcnow().replace(second=0, microsecond=0)
    for column, value in local_columns(question.asked_at).items():
        setattr(question, column, value)
    question.topics = with_parents(data.topics)
    question.agencies = list(dict.fromkeys(data.agencies))
    question.referrals = list(dict.fromkeys(data.referrals))
    question.help = list(dict.fromkeys(data.help))
    for copy in CODE_COPIES:
        setattr(question, copy.column, joined_codes(getattr(question, copy.relation)))
    question.channel = data.channel
    question.outcome = data.outcome
    question.duration_minutes = data.duration_minutes
    question.note = (data.note or "").strip() or None


def _sync_links(question: Question) -> None:
    """Copy the question's month, branch and counted state onto its link rows (for counts)."""
    db.session.flush()
    for table in LINK_TABLES:
        db.session.execute(update(table).where(table.c.question_id == question.id).values(
            local_month=question.local_month, branch_id=question.branch_id,
            counted=question.deleted_at is None))


def _joined_codes_per_question(copy: CodeCopy):
    """(question_id, codes) of every question with rows in a link table: as `joined_codes`."""
    table, model = copy.table, copy.model
    pairs = db.select(table.c.question_id, model.code).join(model, model.id == table.c[copy.key])
    if db.engine.dialect.name == "postgresql":
        codes = func.string_agg(model.code, aggregate_order_by(literal_column("'|'"), model.code))
        return pairs.with_only_columns(table.c.question_id, codes.label("codes")).group_by(
            table.c.question_id).subquery()
    # SQLite (3.40 on Debian 12) has no ORDER BY inside group_concat, which joins in the order
    # it reads; a sorted subquery under an aggregate is read in its order.
    ordered = pairs.order_by(table.c.question_id, model.code).subquery()
    return (db.select(ordered.c.question_id, func.group_concat(ordered.c.code, "|").label("codes"))
            .group_by(ordered.c.question_id).subquery())


def resync_links() -> None:
    """Bring every link row and code copy in step with its question (after a bulk insert)."""
    questions = Question.__table__
    for copy in CODE_COPIES:
        joined, column = _joined_codes_per_question(copy), questions.c[copy.column]
        db.session.execute(update(questions).where(column != "").values({column: ""}))
        db.session.execute(update(questions).values({column: joined.c.codes})
                           .where(questions.c.id == joined.c.question_id))
    for table in LINK_TABLES:
        of_question = db.select(Question).where(Question.id == table.c.question_id)
        db.session.execute(update(table).values(
            local_month=of_question.with_only_columns(Question.local_month).scalar_subquery(),
            branch_id=of_question.with_only_columns(Question.branch_id).scalar_subquery(),
            counted=of_question.with_only_columns(
                Question.deleted_at.is_(None)).scalar_subquery()))
    db.session.commit()


def _audit(user: User | None, action: str, question: Question, changes: dict) -> None:
    db.session.add(AuditEvent(
        user_id=user.id if user else None, device_id=user.device_id if user else None,
        library_id=question.branch.library_id, action=action, entity="question",
        entity_id=str(question.id), changes=changes,
    ))


def _existing(question_id: uuid.UUID, data: QuestionData, fields: set[str] | None) -> Question:
    existing = db.session.get(Question, question_id)
    if not _same_content(existing, data, fields):
        raise IdConflict(str(question_id))
    return existing


def record_question(data: QuestionData, user: User | None, question_id: uuid.UUID | None = None,
                    fields: set[str] | None = None) -> tuple[Question, bool]:
    """Store a new question; the same id again with the same content returns the stored one.

    ``fields`` names the fields a client gave (None: all); only those are compared.
    """
    if question_id is not None and db.session.get(Question, question_id) is not None:
        return _existing(question_id, data, fields), False
    question = Question(id=question_id or uuid.uuid4())
    if user is not None:  # a person, or an enrolled desk tablet (then no person is known)
        question.logged_by_id, question.device_id = user.id, user.device_id
    _apply(question, data)
    db.session.add(question)
    _sync_links(question)
    _audit(user, "create", question, snapshot(question))
    try:
        db.session.commit()
    except IntegrityError:
        # Two copies of the same form raced; the first one won.
        db.session.rollback()
        if question_id is None or db.session.get(Question, question_id) is None:
            raise
        return _existing(question_id, data, fields), False
    return question, True


def update_question(question: Question, data: QuestionData, user: User) -> dict:
    """Change a question; returns what changed (also written to the audit trail)."""
    before = snapshot(question)
    _apply(question, data)
    after = snapshot(question)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    _sync_links(question)
    if changes:
        _audit(user, "update", question, changes)
    db.session.commit()
    return changes


def delete_question(question: Question, user: User) -> None:
    """Soft-delete a question: it stays for the audit trail but no longer counts."""
    question.deleted_at = utcnow()
    _sync_links(question)
    _audit(user, "delete", question, {})
    db.session.commit()
