"""Sessions that ended without a count of the people who came, for the coordinator's notice."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload

from ido.core.db import db
from ido.core.models import Activity, ActivitySession

UNCOUNTED_DAYS = 30  # the notice looks a month back; older ones are in the activity's list


def uncounted_sessions(branch_ids: Sequence[int], now: datetime) -> list[ActivitySession]:
    """The sessions of these branches that ended in the last 30 days (`now` in local time),
    were not cancelled and have no count yet; the most recent first."""
    if not branch_ids:
        return []
    today = now.date()
    found = db.session.scalars(
        db.select(ActivitySession)
        .where(
            ActivitySession.branch_id.in_(branch_ids),
            ActivitySession.day.between(today - timedelta(days=UNCOUNTED_DAYS), today),
            ActivitySession.cancelled.is_(False),
            ActivitySession.attendance.is_(None),
        )
        .options(
            joinedload(ActivitySession.activity).joinedload(Activity.kind),
            joinedload(ActivitySession.branch),
        )
        .order_by(ActivitySession.day.desc(), ActivitySession.start_time.desc(), ActivitySession.id)
    )
    return [s for s in found if s.day < today or s.end_time <= now.time()]
