"""Sessions that ended without a count of the people who came, for the coordinator's notice."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlalchemy.orm import joinedload

from ido.core.db import db
from ido.core.models import Activity, ActivitySession

UNCOUNTED_DAYS = 30  # the notice looks a month back; older ones are in the activity's list


def uncounted_sessions(
    branch_ids: Sequence[int], now: datetime, limit: int = 20
) -> tuple[list[ActivitySession], int]:
    """The sessions of these branches that ended in the last 30 days (`now` in local time),
    were not cancelled and have no count yet: the most recent `limit`, and how many in all."""
    if not branch_ids:
        return [], 0
    today = now.date()
    uncounted = (
        ActivitySession.branch_id.in_(branch_ids),
        ActivitySession.day.between(today - timedelta(days=UNCOUNTED_DAYS), today),
        or_(
            ActivitySession.day < today,
            and_(ActivitySession.day == today, ActivitySession.end_time <= now.time()),
        ),
        ActivitySession.cancelled.is_(False),
        ActivitySession.attendance.is_(None),
    )
    total = db.session.scalar(db.select(db.func.count(ActivitySession.id)).where(*uncounted))
    found = db.session.scalars(
        db.select(ActivitySession)
        .where(*uncounted)
        .options(
            joinedload(ActivitySession.activity).joinedload(Activity.kind),
            joinedload(ActivitySession.branch),
        )
        .order_by(ActivitySession.day.desc(), ActivitySession.start_time.desc(), ActivitySession.id)
        .limit(limit)
    )
    return list(found), total or 0
