"""A visitor's question as logged at the desk, and the audit trail of changes to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ido.core.db import db
from ido.core.models.org import Branch, DeskDevice, User
from ido.core.models.taxonomy import Agency, Category, Channel, Help, Outcome, Topic
from ido.core.models.types import (
    CompactDate,
    CompactDateTime,
    CompactUuid,
    UTCDateTime,
    integers_only,
    utcnow,
)

# A question's own key: a small integer in the database (SQLite's rowid; a bigint identity on
# PostgreSQL), never shown. Its id (a UUID, which a client may give) is what the app and its
# users name it by; link rows name it by the key (3 bytes where the id takes 16, in every link
# row and its count index: 100 MB of a million questions on SQLite).
QUESTION_KEY = BigInteger().with_variant(Integer, "sqlite")  # SQLite: INTEGER, the rowid


def _link_table(name: str, target: str) -> Table:
    """A question's topics (agencies, ...). Each row also carries the question's local month,
    branch and whether it counts (not deleted), kept in step by the question service, so that
    counting a year at 700 branches reads one index instead of joining a million questions.
    No index on the category alone: no query looks link rows up by category without month and
    branch, and categories are never deleted (they are made inactive). On SQLite the rows are
    kept in their key's order, without a rowid (SQLite's WITHOUT ROWID): the key is then not
    stored a second time, in an index of its own."""
    return Table(
        name,
        db.metadata,
        Column(
            "question_key",
            QUESTION_KEY,
            ForeignKey("question.key", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        Column(f"{target}_id", ForeignKey(f"{target}.id"), primary_key=True),
        Column("local_month", CompactDate),
        Column("branch_id", ForeignKey("branch.id")),
        Column("counted", Boolean),
        Index(f"ix_{name}_counts", "local_month", "branch_id", f"{target}_id", "counted"),
        integers_only(nullable=("local_month",)),
        sqlite_with_rowid=False,
    )


question_topics = _link_table("question_topic", "topic")
question_agencies = _link_table("question_agency", "agency")
question_referrals = _link_table("question_referral", "agency")
question_help = _link_table("question_help", "help")


# the moments and days kept as integers on SQLite (and deleted_at, which may be NULL)
COMPACT = ("asked_at", "local_date", "local_month", "created_at", "updated_at")


class Question(db.Model):  # type: ignore[name-defined]
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 480", name="duration"),
        integers_only(*COMPACT, nullable=("deleted_at",)),
        Index("ix_question_branch_month", "branch_id", "local_month"),
        # A desk's list of today: the latest 50 straight from the index, newest first (with
        # (branch, date) only, a busy day's questions were all read and sorted: 7 ms a page;
        # questions asked at the same moment are put in order of saving among themselves).
        # It covers the quiet branches' questions per day too (with `deleted_at` in it: read
        # from the table, a year of 700 branches took 1 s instead of 0.1 s).
        Index("ix_question_desk_day", "branch_id", "local_date", "deleted_at", "asked_at"),
        # Counts group by month, branch and channel or outcome straight from this index (it
        # covers them, and the minutes, weekday and hour of the dashboard's totals and
        # facets). Not the id: no count reads it (16 bytes a question, since 6e8effd95fd9).
        Index(
            "ix_question_month_counts",
            "local_month",
            "branch_id",
            "channel_id",
            "outcome_id",
            "deleted_at",
            "duration_minutes",
            "local_weekday",
            "local_hour",
        ),
        # Named apart from the id's primary key of before a4c8e2f1b7d3 (`pk_question`): a
        # PostgreSQL backup of either side restores over the other (`restore --replace`
        # drops the dump's constraints by name, and the link rows' foreign keys rely on this).
        PrimaryKeyConstraint("key", name="pk_question_key"),
        # The raw export reads a month's questions in order of asking.
        Index("ix_question_month_asked", "local_month", "asked_at"),
        # What a person or a desk tablet logged ("mine", a paper day): a question has one of
        # the two, so each index holds only the questions that have it.
        *(
            Index(
                f"ix_question_{column}",
                column,
                sqlite_where=text(f"{column} IS NOT NULL"),
                postgresql_where=text(f"{column} IS NOT NULL"),
            )
            for column in ("logged_by_id", "device_id")
        ),
    )
    # The table's primary key is the question's key (QUESTION_KEY above), which the database
    # gives at INSERT; the session knows a question by its id (db.session.get(Question, id)).
    key: Mapped[int] = mapped_column(QUESTION_KEY, Identity(), primary_key=True)
    # the id is known before the INSERT: SQLAlchemy matches the keys a bulk INSERT returns to
    # its rows by it (`insert_sentinel`), so insert_questions writes rows in batches
    id: Mapped[uuid.UUID] = mapped_column(
        CompactUuid, unique=True, default=uuid.uuid4, insert_sentinel=True
    )
    __mapper_args__ = {"primary_key": [id]}
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    # The moments and days in compact types: integers on SQLite (ido/core/models/types.py)
    asked_at: Mapped[datetime] = mapped_column(CompactDateTime)
    # Europe/Amsterdam date and month (its first day), fixed at write time for plain GROUP BY.
    local_date: Mapped[date] = mapped_column(CompactDate)
    local_month: Mapped[date] = mapped_column(CompactDate)
    local_weekday: Mapped[int] = mapped_column()  # 0 = Monday, for staffing the desk
    # None: the time is not known (a paper tally sheet gives the day only; asked_at is then
    # noon of that day, for ordering): such a question counts in every report but busy hours
    local_hour: Mapped[int | None] = mapped_column(nullable=True)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("desk_device.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"))
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id"))
    duration_minutes: Mapped[int] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(500))
    # The codes of the linked topics, agencies, referrals and help, sorted and joined with "|".
    # A copy of the link tables that the question service keeps in step (codes never change),
    # so that the raw export reads one row per question.
    topic_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    agency_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    referral_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    help_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(CompactDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(CompactDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(CompactDateTime)

    branch: Mapped[Branch] = relationship()
    logged_by: Mapped[User | None] = relationship()
    device: Mapped[DeskDevice | None] = relationship()
    # Read-only: the question service writes channel_id and outcome_id, since the categories
    # may be the process's shared lists, which no session may take in (a cascade would).
    channel: Mapped[Channel] = relationship(viewonly=True)
    outcome: Mapped[Outcome] = relationship(viewonly=True)
    # Read-only: the question service writes link rows itself, each with its month, branch and
    # counted state in one INSERT (see LINKS below).
    topics: Mapped[list[Topic]] = relationship(
        secondary=question_topics, order_by=Topic.position, viewonly=True
    )
    agencies: Mapped[list[Agency]] = relationship(
        secondary=question_agencies, order_by=Agency.position, viewonly=True
    )
    referrals: Mapped[list[Agency]] = relationship(
        secondary=question_referrals, order_by=Agency.position, viewonly=True
    )
    help: Mapped[list[Help]] = relationship(
        secondary=question_help, order_by=Help.position, viewonly=True
    )


class Link(NamedTuple):
    """One kind of link between a question and a list of categories, described once.

    The question service writes link rows and code copies from it, the counts read it per
    report dimension, and the demo and benchmark generators fill it.
    """

    dimension: str  # the report dimension: ?by=topic
    table: Table  # the link table
    key: str  # the link table's category column
    model: type[Category]  # the category model
    relation: str  # the question's relationship to the categories
    column: str  # the question's sorted, "|"-joined copy of the codes


LINKS = (
    Link("topic", question_topics, "topic_id", Topic, "topics", "topic_codes"),
    Link("agency", question_agencies, "agency_id", Agency, "agencies", "agency_codes"),
    Link("referral", question_referrals, "agency_id", Agency, "referrals", "referral_codes"),
    Link("help", question_help, "help_id", Help, "help", "help_codes"),
)


def link_rows(
    link: Link,
    question_key: int,
    category_ids: Iterable[int],
    local_month: date,
    branch_id: int,
    counted: bool = True,
) -> list[dict[str, Any]]:
    """The rows of one link table for one question, complete (no later patch needed)."""
    return [
        {
            "question_key": question_key,
            link.key: category_id,
            "local_month": local_month,
            "branch_id": branch_id,
            "counted": counted,
        }
        for category_id in category_ids
    ]


def joined_codes(items: Iterable[Category]) -> str:
    """Codes sorted and joined with "|", as the question row keeps a copy of its links."""
    return "|".join(sorted(item.code for item in items))


class AuditEvent(db.Model):  # type: ignore[name-defined]
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("desk_device.id"))
    library_id: Mapped[int | None] = mapped_column(ForeignKey("library.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()
    device: Mapped[DeskDevice | None] = relationship()
