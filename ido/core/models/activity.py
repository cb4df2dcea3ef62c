"""Activities a branch holds (spreekuren, an aangiftedag, courses, meetings) and their dated
sessions, each with the number of people who came (no names)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ido.core.db import db
from ido.core.models.org import Branch
from ido.core.models.taxonomy import Agency, CategoryMixin, Topic
from ido.core.models.types import UTCDateTime, utcnow

# How an activity reaches people: the Bibliotheekmonitor asks how many came in another form
# than in person.
ACTIVITY_FORMS = ("in_person", "telephone", "online")
# once; every week; in even or odd ISO weeks; the nth (1-3, or -1: last) weekday of a month
REPEATS = ("once", "weekly", "even_weeks", "odd_weeks", "monthly")
MAX_ATTENDANCE = 1000

activity_topics = Table(
    "activity_topic",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True),
)


class ActivityKind(CategoryMixin, db.Model):  # type: ignore[name-defined]
    """IDO spreekuur, belastinghulp, aangiftedag, Klik & Tik, ...: an editable list."""

    __tablename__ = "activity_kind"


class Activity(db.Model):  # type: ignore[name-defined]
    """One activity of a branch, held once or repeating by a rule; its sessions are dated."""

    __table_args__ = (
        CheckConstraint("form IN ('in_person', 'telephone', 'online')", name="form"),
        CheckConstraint(
            "repeat IN ('once', 'weekly', 'even_weeks', 'odd_weeks', 'monthly')", name="repeat"
        ),
        CheckConstraint("end_time > start_time", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("activity_kind.id"))
    # run by a partner (a shared one or the library's own); None: by the library itself
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    form: Mapped[str] = mapped_column(String(20), default="in_person")
    convenant: Mapped[bool] = mapped_column(default=False)
    repeat: Mapped[str] = mapped_column(String(20), default="once")
    first_day: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    nth: Mapped[int | None] = mapped_column()  # for "monthly": 1, 2, 3 or -1 (the last)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    branch: Mapped[Branch] = relationship()
    kind: Mapped[ActivityKind] = relationship()
    partner: Mapped[Agency | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=activity_topics, order_by=Topic.position)
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="activity",
        order_by="ActivitySession.day",
        cascade="all, delete-orphan",
    )


class ActivitySession(db.Model):  # type: ignore[name-defined]
    """One dated session of an activity: cancelled or moved on its own, and how many came."""

    __tablename__ = "activity_session"
    __table_args__ = (
        CheckConstraint(f"attendance BETWEEN 0 AND {MAX_ATTENDANCE}", name="attendance"),
        CheckConstraint("end_time > start_time", name="times"),
        Index("ix_activity_session_branch_day", "branch_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))  # the activity's, to scope
    rule_day: Mapped[date] = mapped_column(Date)  # the day the rule gave it
    day: Mapped[date] = mapped_column(Date)  # the day it is held: differs once moved
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    cancelled: Mapped[bool] = mapped_column(default=False)
    moved: Mapped[bool] = mapped_column(default=False)
    attendance: Mapped[int | None] = mapped_column()
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[Activity] = relationship(back_populates="sessions")
    branch: Mapped[Branch] = relationship()

    @property
    def held(self) -> bool:
        """Whether people were counted at it: a rule change keeps it as it is."""
        return self.attendance is not None
