"""Rows of questions as the pages list them (the desk's today, my recent questions, the
coordinators' list): worked out once in Python from the core's row query."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import get_locale
from flask_login import current_user

from ido.core.db import db
from ido.core.models import Agency, Topic
from ido.core.organisation.scope import logged_by_this, may_change_in_branch
from ido.core.taxonomy import Categories
from ido.core.timeutil import day_text, now_local, to_local


@dataclass(frozen=True)
class TodayRow:
    """What the desk's list shows of one question, worked out once in Python (a busy day
    lists many rows; per-row template calls made the page cost tens of milliseconds)."""

    id: uuid.UUID
    branch_id: int
    day: str  # empty when today
    time: str
    topics: str
    referrals: str
    referral_codes: tuple[str, ...]
    mine: bool
    who: str
    changeable: bool
    edit_url: str
    delete_url: str


def _names(
    rows: list[Any], column: str, categories: Categories, model: type[Topic] | type[Agency]
) -> Callable[[str], str]:
    """Names by the codes the rows hold, in the desk's order (worked out once per language
    and set of lists); a code the desk does not show (an inactive category, one this branch
    left out) is looked up."""
    key = ("names", column, str(get_locale()))
    known = categories.memo.get(key)
    if known is None:
        items = categories.topics if model is Topic else categories.agencies
        known = categories.memo[key] = {
            item.code: (index, item.name) for index, item in enumerate(items)
        }
    missing = {c for row in rows for c in getattr(row, column).split("|") if c} - set(known)
    if missing:
        known = dict(known)  # the memo is shared by every request of the process
        for item in db.session.scalars(db.select(model).where(model.code.in_(missing))):
            known[item.code] = (len(known), item.name)
    unknown = len(known)

    def names(codes: str) -> str:
        found = sorted(known.get(code, (unknown, code)) for code in codes.split("|") if code)
        return ", ".join(name for _, name in found)

    return names


ID_MARK = "00000000-0000-0000-0000-000000000000"  # stands in for a question's id in a URL


def today_rows(rows: list[Any], categories: Categories) -> list[TodayRow]:
    """The rows of the desk's list; the questions are all at the desk's branch, in scope."""
    user = current_user._get_current_object()  # once, not through the proxy per row
    topics = _names(rows, "topic_codes", categories, Topic)
    referrals = _names(rows, "referral_codes", categories, Agency)
    # each route's URL built once, the id put in per row
    edit = url_for("desk.edit", question_id=ID_MARK)
    delete = url_for("desk.delete", question_id=ID_MARK)
    shown, today = [], now_local().date()
    for row in rows:
        changeable = may_change_in_branch(user, row)
        key = str(row.id)
        local = to_local(row.asked_at)
        shown.append(
            TodayRow(
                id=row.id,
                branch_id=row.branch_id,
                day="" if local.date() == today else day_text(local.date()),
                time=local.strftime("%H:%M") if row.local_hour is not None else "",
                topics=topics(row.topic_codes),
                referrals=referrals(row.referral_codes),
                referral_codes=tuple(row.referral_codes.split("|")) if row.referral_codes else (),
                mine=logged_by_this(user, row),
                who=row.person or row.tablet or "–",
                changeable=changeable,
                edit_url=edit.replace(ID_MARK, key) if changeable else "",
                delete_url=delete.replace(ID_MARK, key) if changeable else "",
            )
        )
    return shown


def blank_row() -> TodayRow:
    """A row for the desk script to fill in (its `<template>`): a question just saved by this
    person or tablet, which may be changed; the id in its links is ID_MARK."""
    mark = uuid.UUID(ID_MARK)
    return TodayRow(
        id=mark,
        branch_id=0,
        day="",
        time="",
        topics="",
        referrals="",
        referral_codes=(),
        mine=True,
        who="",
        changeable=True,
        edit_url=url_for("desk.edit", question_id=ID_MARK),
        delete_url=url_for("desk.delete", question_id=ID_MARK),
    )
