"""A partner's next spreekuur at a branch, for the referral slip (Verwijskaart)."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from ido.core.db import db
from ido.core.models import Activity, ActivitySession

LOOK_AHEAD = timedelta(days=120)  # a slip names a session within four months, or none


def next_partner_sessions(
    branch_id: int, partner_ids: Sequence[int], now: datetime
) -> dict[int, ActivitySession]:
    """The next session of each partner's activities at the branch, by partner id: not
    cancelled, not over yet (`now` in local time)."""
    if not partner_ids:
        return {}
    today = now.date()
    found = db.session.execute(
        db.select(Activity.partner_id, ActivitySession)
        .join(ActivitySession.activity)
        .where(
            ActivitySession.branch_id == branch_id,
            Activity.partner_id.in_(partner_ids),
            ActivitySession.day.between(today, today + LOOK_AHEAD),
            ActivitySession.cancelled.is_(False),
        )
        .order_by(ActivitySession.day, ActivitySession.start_time)
    )
    upcoming: dict[int, ActivitySession] = {}
    for partner_id, session in found:
        if session.day == today and session.end_time <= now.time():
            continue  # over already: the next one
        upcoming.setdefault(partner_id, session)
    return upcoming
