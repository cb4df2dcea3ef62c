"""What the desk reads: today's list and count at a branch, one row of it, a paper day's rows
and branch names. Beside `listing`, whose row shape they share; the statements the desk runs
on every page are built once per process and bound per request."""

import functools
import uuid
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func

from ido.core.db import db
from ido.core.models import Branch, Question
from ido.core.questions.listing import NEWEST_FIRST, row_query
from ido.core.timeutil import now_local

TODAY_SHOWN = 20  # the desk lists the latest ones (a tablet screen or two); "show all" lists all


@functools.cache
def _list_query(by: str, limited: bool) -> Select[Any]:
    """The desk list's rows (newest first) of a branch's day (`by="day"`) or of one id
    (`by="id"`). Built once per process, bound per request."""
    where = (
        (Question.branch_id == bindparam("branch_id"), Question.local_date == bindparam("day"))
        if by == "day"
        else (Question.branch_id == bindparam("branch_id"), Question.id == bindparam("id"))
    )
    query = row_query(*where).order_by(*NEWEST_FIRST)
    return query.limit(bindparam("limit", type_=Integer)) if limited else query


@functools.cache
def _count_query() -> Select[tuple[int]]:
    """How many questions a branch's day holds (the list shows the latest)."""
    query: Select[tuple[int]] = (
        db.select(func.count())
        .select_from(Question)
        .where(
            Question.deleted_at.is_(None),
            Question.branch_id == bindparam("branch_id"),
            Question.local_date == bindparam("day"),
        )
    )
    return query


def todays_questions(branch: Branch, limit: int | None) -> tuple[list[Any], int]:
    """Today's (Amsterdam) questions at this branch, newest first (the latest `limit`, or
    all), and how many there are today."""
    today = {"branch_id": branch.id, "day": now_local().date()}
    if limit is None:
        rows = list(db.session.execute(_list_query("day", limited=False), today))
    else:
        rows = list(db.session.execute(_list_query("day", limited=True), {**today, "limit": limit}))
    if limit is not None and len(rows) == limit:  # a busy day: count them all
        return rows, db.session.scalar(_count_query(), today) or 0
    return rows, len(rows)


def desk_row(branch: Branch, question_id: uuid.UUID) -> list[Any]:
    """One question of the branch as the desk list shows it (none when deleted or elsewhere)."""
    where = {"branch_id": branch.id, "id": question_id}
    return list(db.session.execute(_list_query("id", limited=False), where))


def paper_rows(branch: Branch, day: date, user_id: int | None, device_id: int | None) -> list[Any]:
    """What a person (or a desk tablet) logged at this branch on a paper sheet's day, the
    latest saved first."""
    mine = Question.device_id == device_id if user_id is None else Question.logged_by_id == user_id
    query = row_query(Question.branch_id == branch.id, Question.local_date == day, mine)
    return list(db.session.execute(query.order_by(Question.created_at.desc())))


def branch_names(branch_ids: set[int]) -> dict[int, str]:
    """The names of these branches, by id."""
    if not branch_ids:
        return {}
    wanted = db.select(Branch.id, Branch.name).where(Branch.id.in_(branch_ids))
    return {branch_id: name for branch_id, name in db.session.execute(wanted)}
