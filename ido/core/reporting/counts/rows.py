"""Counts per month, branch and category, and per duration."""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Integer,
    Select,
    SQLColumnExpression,
    any_,
    bindparam,
    case,
    func,
    literal,
    null,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from ido.core.db import db
from ido.core.models import LINKS, Branch, Category, Channel, Outcome, Question, Topic
from ido.core.models.question import question_referrals, question_topics
from ido.core.taxonomy.defaults import DURATIONS
from ido.core.timeutil import months_between

# dimension: (link table and its column, or the question's own column; the category model)
DIMENSIONS = {
    **{link.dimension: (link.table, link.key, link.model) for link in LINKS},
    "channel": (None, "channel_id", Channel),
    "outcome": (None, "outcome_id", Outcome),
    "total": (None, None, None),
}


class CountRow(NamedTuple):
    month: date
    branch: Branch
    key: Category | None  # the category (Topic, Agency, ...) or None for the total
    count: int  # type: ignore[assignment]  # the field shadows tuple.count


def among(column: SQLColumnExpression[Any], ids: list[int]) -> ColumnElement[bool]:
    """`column IN ids` (branch ids); on PostgreSQL as one array parameter (`= ANY(...)`); no
    condition when they are every branch there is.

    Sent as 700 separate parameters, a branch list cost PostgreSQL some 5 ms to take in and
    plan on every query, which counts month by month repeat twelve times.
    """
    if every_branch(ids):
        return true()
    if db.engine.dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(Integer)))
    return column.in_(ids)


def every_branch(branch_ids: Sequence[int]) -> bool:
    """Whether these are all the instance's branches (a national host's administrator): then
    the counts need no branch filter at all. Looking each row's branch up among 700 took a
    third of a year's count on SQLite."""
    everything = branch_count()
    return everything > 0 and len(set(branch_ids)) >= everything


def branch_count() -> int:
    """How many branches the instance has (inactive ones too)."""
    return db.session.scalar(db.select(func.count()).select_from(Branch)) or 0


def in_period(
    query: Select[*tuple[Any, ...]], first: date, last: date, branch_ids: list[int]
) -> Select[*tuple[Any, ...]]:
    """The questions of months `first` to `last` at the branches, swept month by month when
    the branches are most of the instance's (see `branch_of_question`)."""
    return query.where(
        Question.deleted_at.is_(None),
        Question.local_month >= first,
        Question.local_month <= last,
        among(branch_of_question(branch_ids), branch_ids),
    )


def branch_of_question(branch_ids: list[int]) -> ColumnElement[int]:
    """The question's branch to filter by: on SQLite, for a third of the instance's branches
    or more, kept off the branch's index (`branch_id + 0`).

    So SQLite reads each month's rows in the order they are stored, one sweep; through the
    index, it seeks every row branch by branch. A year at 700 branches: the weekday and hour
    counts took 0.2-0.4 s instead of 1.4-1.8 s, the totals per month and branch 0.35 s
    instead of 1.0-1.3 s. Grouped by the plain column, in the order of the covering index
    `ix_question_month_counts`, SQLite needs no sort: the totals per month and branch then took
    0.07 s instead of 0.13-0.15 s. PostgreSQL plans this by its statistics itself.
    """
    if db.engine.dialect.name == "sqlite" and 3 * len(branch_ids) >= branch_count():
        return Question.branch_id + 0
    return Question.branch_id.expression


def lookup(model: type[Category]) -> dict[int, Category]:
    """Every category of a kind by id, inactive ones included (counts name them all)."""
    return {item.id: item for item in db.session.scalars(db.select(model))}


def monthly_counts(first: date, last: date, by: str, branches: list[Branch]) -> list[CountRow]:
    """Questions per month, branch and category of one dimension (or in total).

    One query per month: with the month fixed, the database walks the index by branch (no
    filter on every row) and sends no month column, which made a year at 700 branches about
    a third faster on SQLite than one query over the year.
    """
    table, column, model = DIMENSIONS[by]
    if not branches:
        return []
    month: BindParameter[date]
    ids, month = [b.id for b in branches], bindparam("month")
    if table is not None:  # the link rows carry month, branch and counted: no join needed
        groups: list[SQLColumnExpression[Any]] = [table.c.branch_id, table.c[cast(str, column)]]
        query = db.select(*groups, func.count()).where(
            table.c.counted, table.c.local_month == month, among(table.c.branch_id, ids)
        )
    else:
        groups = [Question.branch_id, *([getattr(Question, column)] if column else [])]
        query = db.select(*groups, func.count()).where(
            Question.deleted_at.is_(None),
            Question.local_month == month,
            among(Question.branch_id, ids),
        )
    query = query.group_by(*groups).order_by(*groups)
    by_id, keys, rows = {b.id: b for b in branches}, lookup(model) if model else None, []
    with collector_paused():
        for first_day in months_between(first, last):
            for found in driver_chunks(query, {"month": first_day}):
                # every branch is read without a filter: one made (and used) since the list
                # of branches was read is not among those asked for
                if keys is None:
                    rows += [
                        CountRow(first_day, by_id[branch_id], None, count)
                        for branch_id, count in found
                        if branch_id in by_id
                    ]
                else:
                    if not keys.keys() >= {key_id for _branch, key_id, _count in found}:
                        keys = lookup(cast(type[Category], model))  # one made (and used) since
                    rows += [
                        CountRow(first_day, by_id[branch_id], keys[key_id], count)
                        for branch_id, key_id, count in found
                        if branch_id in by_id
                    ]
    return rows


def driver_chunks(
    query: Executable, params: dict[str, Any] | None = None, size: int = 5000
) -> Iterator[Sequence[Any]]:
    """The rows of a query as the database driver gives them, a list of up to `size` at a time.

    For large results: SQLAlchemy compiles the query and binds the parameters, but its per-row
    result processing would more than double the time of a year of counts at 700 branches
    (175,000 rows), so the rows are read from the driver's cursor. Values are the driver's
    own: SQLite gives a question's days and moments as integers (CompactDate, CompactDateTime)
    and its id as 16 bytes.
    """
    result = db.session.connection().execute(query, params or {})
    try:
        while rows := result.cursor.fetchmany(size):
            yield rows
    finally:
        result.close()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large list of rows is built.

    The rows hold no reference cycles, but each new tuple counts towards the next collection,
    and at 150,000 rows those collections (walking every object of the app) took as long as
    the query itself. Memory is freed as always, by reference counting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def key_totals(first: date, last: date, by: str, branches: list[Branch]) -> dict[Category, int]:
    """Per category of one dimension over the whole period and all branches given: questions
    for topics (a follow-up counted in its topic too), visitors (entries) for the others."""
    table, column, model = DIMENSIONS[by]
    ids = [b.id for b in branches]
    if not branches or model is None:
        return {}
    if table is not None:
        key = table.c[cast(str, column)]
        query = db.select(key, func.count()).where(
            table.c.counted,
            table.c.local_month >= first,
            table.c.local_month <= last,
            among(table.c.branch_id, ids),
        )
    else:
        key = getattr(Question, cast(str, column))
        query = in_period(db.select(key, func.count()), first, last, ids)
    found = db.session.execute(query.group_by(key)).all()
    keys = lookup(model)  # after the counts: a category made (and used) meanwhile is in it
    return {keys[key_id]: count for key_id, count in found}


def link_month_counts(
    table: Any, counted: Any, first: date, last: date, branches: list[Branch], *where: Any
) -> dict[tuple[date, int], int]:
    """`counted` per month and branch from a link table's own rows (their index), with more
    conditions (on the joined topic, for questions)."""
    links = table.c
    query = db.select(links.local_month, links.branch_id, counted).select_from(table)
    if table is question_topics:
        query = query.join(Topic, Topic.id == links.topic_id)
    query = query.where(
        links.counted,
        links.local_month >= first,
        links.local_month <= last,
        among(links.branch_id, [b.id for b in branches]),
        *where,
    ).group_by(links.local_month, links.branch_id)
    return {(month, branch): count for month, branch, count in db.session.execute(query)}


def referred_counts(first: date, last: date, branches: list[Branch]) -> dict[tuple[date, int], int]:
    """Visitors referred to at least one agency or partner, per month and branch."""
    visitors = func.count(func.distinct(question_referrals.c.question_key))
    return link_month_counts(question_referrals, visitors, first, last, branches)


def duration_counts(
    first: date, last: date, branches: list[Branch], bands: Sequence[tuple[int, int]]
) -> dict[tuple[date, int, int | None], int]:
    """Visitors per month, branch and duration: per band (keyed by its lowest minute) when
    bands are given, else per preset of the desk (keyed by its minutes; None: any other)."""
    if bands:
        duration = case(*[(Question.duration_minutes <= high, low) for low, high in bands])
    else:
        duration = case(
            *[(Question.duration_minutes == minutes, minutes) for minutes in DURATIONS],
            else_=null(),
        )
    query = in_period(
        db.select(Question.local_month, Question.branch_id, duration, func.count()),
        first,
        last,
        [b.id for b in branches],
    ).group_by(Question.local_month, Question.branch_id, duration)
    return {(m, b, key): n for m, b, key, n in db.session.execute(query)}
