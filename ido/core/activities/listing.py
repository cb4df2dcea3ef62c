"""Finding activities and sessions again: a branch's desk tiles, a coordinator's lists."""

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ido.core.db import db
from ido.core.models import Activity, ActivityKind, ActivitySession

DESK_DAYS_BACK = 7  # the desk shows today's sessions and those of the week before


# Built once: every desk page asks (building it took most of the 0.9 ms it cost, also when it
# found nothing).
_DESK_SESSIONS = (
    select(ActivitySession)
    .where(
        ActivitySession.branch_id == bindparam("branch_id"),
        ActivitySession.day.between(bindparam("first"), bindparam("today")),
        ActivitySession.cancelled.is_(False),
    )
    .options(joinedload(ActivitySession.activity).joinedload(Activity.kind))
    .order_by(ActivitySession.day.desc(), ActivitySession.start_time)
)


def desk_sessions(branch_id: int, today: date) -> list[ActivitySession]:
    """The sessions a branch's desk shows: today's, and the week before's not yet counted
    (today's first, then the most recent)."""
    first = today - timedelta(days=DESK_DAYS_BACK)
    found = db.session.scalars(
        _DESK_SESSIONS, {"branch_id": branch_id, "first": first, "today": today}
    )
    return [s for s in found if s.day == today or s.attendance is None]


def sessions_between(branch_ids: Sequence[int], first: date, last: date) -> list[ActivitySession]:
    """Every session of these branches from `first` to `last`, cancelled ones included, in
    order of day and time."""
    return list(
        db.session.scalars(
            db.select(ActivitySession)
            .where(
                ActivitySession.branch_id.in_(branch_ids), ActivitySession.day.between(first, last)
            )
            .options(
                joinedload(ActivitySession.activity).joinedload(Activity.kind),
                joinedload(ActivitySession.activity).joinedload(Activity.partner),
                joinedload(ActivitySession.branch),
            )
            .order_by(ActivitySession.day, ActivitySession.start_time, ActivitySession.id)
        )
    )


def activities_of(branch_ids: Sequence[int]) -> list[Activity]:
    """The activities of these branches, newest first day first."""
    return list(
        db.session.scalars(
            db.select(Activity)
            .where(Activity.branch_id.in_(branch_ids))
            .options(selectinload(Activity.topics), joinedload(Activity.kind))
            .order_by(Activity.first_day.desc(), Activity.id.desc())
        ).unique()
    )


def activity_kinds(active_only: bool = True) -> list[ActivityKind]:
    """The kinds of activity in their order."""
    query = db.select(ActivityKind).order_by(ActivityKind.position, ActivityKind.id)
    if active_only:
        query = query.where(ActivityKind.active)
    return list(db.session.scalars(query))
