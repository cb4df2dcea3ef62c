"""Visitors (entries), questions (topics) and hours of help: per month and branch, per branch
or for a period."""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    func,
)

from ido.core.db import db
from ido.core.models import Branch, Question, Topic
from ido.core.models.question import question_topics
from ido.core.reporting.counts.rows import (
    CountRow,
    among,
    in_period,
    link_month_counts,
    monthly_counts,
)
from ido.core.timeutil import add_months


class Totals(NamedTuple):
    """Visitors (entries), questions (their topics, a follow-up with its topic one) and the
    minutes of help given."""

    visitors: int = 0
    questions: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @classmethod
    def of(cls, items: Iterable["Totals"]) -> "Totals":
        """The totals added up."""
        visitors = questions = minutes = 0
        for item in items:
            visitors += item.visitors
            questions += item.questions
            minutes += item.minutes
        return cls(visitors, questions, minutes)


def _questions_between(first: date, last: date, branch_ids: list[int]) -> dict[int, int]:
    """Questions per branch from day `first` to `last`: the whole months in between from the
    link rows alone (their index), the days of a month cut short through their questions
    (joining a year of link rows to their questions took seconds at 700 branches)."""
    links = question_topics.c
    query = (
        db.select(links.branch_id, func.count())
        .select_from(question_topics)
        .join(Topic, Topic.id == links.topic_id)
        .where(links.counted, Topic.parent_id.is_(None), among(links.branch_id, branch_ids))
        .group_by(links.branch_id)
    )
    first_month, last_month = first.replace(day=1), last.replace(day=1)
    whole_first = first_month if first.day == 1 else add_months(first_month, 1)
    ends_whole = last.day == calendar.monthrange(last.year, last.month)[1]
    whole_last = last_month if ends_whole else add_months(last_month, -1)
    parts = []
    if whole_first <= whole_last:
        parts.append(query.where(links.local_month >= whole_first, links.local_month <= whole_last))
    for month in sorted({first_month, last_month}):
        if not whole_first <= month <= whole_last:  # a month cut short
            parts.append(
                query.join(Question, Question.key == links.question_key).where(
                    links.local_month == month,
                    Question.local_date >= first,
                    Question.local_date <= last,
                )
            )
    found: dict[int, int] = defaultdict(int)
    for part in parts:
        for branch, count in db.session.execute(part):
            found[branch] += count
    return found


def branch_totals_between(first: date, last: date, branch_ids: list[int]) -> dict[int, Totals]:
    """Visitors, questions and minutes of help per branch from local day `first` to `last`
    (both in), for the branches with any."""
    scope = (
        Question.deleted_at.is_(None),
        Question.local_date >= first,
        Question.local_date <= last,
        among(Question.branch_id, branch_ids),
    )
    query = db.select(
        Question.branch_id, func.count(), func.coalesce(func.sum(Question.duration_minutes), 0)
    )
    found = db.session.execute(query.where(*scope).group_by(Question.branch_id)).all()
    asked = _questions_between(first, last, branch_ids)
    return {
        branch: Totals(int(visitors), int(asked.get(branch, 0)), int(minutes))
        for branch, visitors, minutes in found
    }


def totals_between(first: date, last: date, branch_ids: list[int]) -> Totals:
    """Visitors, questions and minutes of help from local day `first` to `last` (both in)."""
    return Totals.of(branch_totals_between(first, last, branch_ids).values())


def monthly_totals(
    first: date, last: date, branches: list[Branch]
) -> dict[tuple[date, int], Totals]:
    """Visitors, questions and minutes of help per month and branch (with any of them), of
    these branches only: every branch is read without a filter, and one made (and used) since
    the list was read is not among them."""
    ids = [b.id for b in branches]
    asked_for = set(ids)
    # grouped by the column in the covering index's order, so SQLite sums each month's rows as
    # it sweeps them, with no sort (the filter keeps off the branch index: `in_period`)
    query = in_period(
        db.select(
            Question.local_month,
            Question.branch_id,
            func.count(),
            func.coalesce(func.sum(Question.duration_minutes), 0),
        ),
        first,
        last,
        ids,
    ).group_by(Question.local_month, Question.branch_id)
    asked = question_counts(first, last, branches)
    return {
        (month, branch): Totals(int(visitors), asked.get((month, branch), 0), int(minutes))
        for month, branch, visitors, minutes in db.session.execute(query)
        if branch in asked_for
    }


def question_counts(first: date, last: date, branches: list[Branch]) -> dict[tuple[date, int], int]:
    """Questions (not visitors) per month and branch: every topic of an entry is a question, a
    follow-up and its topic together one (DigiD and "DigiD-app" are one question about DigiD).
    An entry is one visitor; `monthly_counts(..., "total", ...)` counts those."""
    return link_month_counts(
        question_topics, func.count(), first, last, branches, Topic.parent_id.is_(None)
    )


def counts_and_totals(
    first: date, last: date, by: str, branches: list[Branch]
) -> tuple[list[CountRow], dict[tuple[date, int], Totals] | None]:
    """The monthly counts of a dimension; for `total`, also the questions and minutes of help
    per month and branch that stand beside the visitors it counts."""
    rows = monthly_counts(first, last, by, branches)
    return rows, (monthly_totals(first, last, branches) if by == "total" else None)
