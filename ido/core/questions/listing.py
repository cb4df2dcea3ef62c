"""Finding questions again: today's list at a desk, a volunteer's own recent ones, a
coordinator's search, the API's list. One shape of row for the pages, one set of filters."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, exists, or_

from ido.core.db import db
from ido.core.models import DeskDevice, Question, User
from ido.core.models.question import question_agencies, question_referrals, question_topics

PAGE_SIZE = 50


def row_query(*where: ColumnElement[bool]) -> Select[Any]:
    """What a list shows of each (not deleted) question, as columns in one query: questions as
    objects with their links cost a page milliseconds. Names come from the code copies."""
    query: Select[Any] = (
        db.select(
            Question.id,
            Question.branch_id,
            Question.asked_at,
            Question.local_hour,
            Question.created_at,
            Question.deleted_at,
            Question.logged_by_id,
            Question.device_id,
            Question.topic_codes,
            Question.referral_codes,
            User.name.label("person"),
            DeskDevice.name.label("tablet"),
        )
        .outerjoin(User, User.id == Question.logged_by_id)
        .outerjoin(DeskDevice, DeskDevice.id == Question.device_id)
        .where(Question.deleted_at.is_(None), *where)
    )
    return query


NEWEST_FIRST = (Question.asked_at.desc(), Question.created_at.desc())


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions: always within `branch_ids` (the caller's scope, checked by the caller),
    then by local day, topic, agency (concerned or referred to), and who logged them."""

    branch_ids: tuple[int, ...]
    first: date | None = None
    last: date | None = None
    topic_id: int | None = None
    agency_id: int | None = None
    logged_by_id: int | None = None
    device_id: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [
            Question.deleted_at.is_(None),
            Question.branch_id.in_(self.branch_ids),
        ]
        if self.first is not None:
            found.append(Question.local_date >= self.first)
        if self.last is not None:
            found.append(Question.local_date <= self.last)
        if self.topic_id is not None:
            found.append(_linked(question_topics, "topic_id", self.topic_id))
        if self.agency_id is not None:
            found.append(
                or_(
                    _linked(question_agencies, "agency_id", self.agency_id),
                    _linked(question_referrals, "agency_id", self.agency_id),
                )
            )
        if self.logged_by_id is not None:
            found.append(Question.logged_by_id == self.logged_by_id)
        if self.device_id is not None:
            found.append(Question.device_id == self.device_id)
        return found


def _linked(table: Table, column: str, category_id: int) -> ColumnElement[bool]:
    return exists().where(table.c.question_key == Question.key, table.c[column] == category_id)


def find_rows(found: QuestionFilter, page: int) -> tuple[list[Any], int]:
    """One page of the rows that meet the filter, newest first, and how many there are."""
    conditions = found.conditions()
    total = db.session.scalar(db.select(db.func.count(Question.id)).where(*conditions)) or 0
    query = row_query(*conditions).order_by(*NEWEST_FIRST)
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return list(rows), total


def own_recent_rows(user_id: int | None, device_id: int | None, limit: int = 50) -> list[Any]:
    """The latest questions a person (or a desk tablet) logged, in the order they were saved
    (a back-dated one among them, where it was logged)."""
    mine = (
        Question.logged_by_id == user_id if user_id is not None else Question.device_id == device_id
    )
    query = row_query(mine).order_by(Question.created_at.desc()).limit(limit)
    return list(db.session.execute(query))
