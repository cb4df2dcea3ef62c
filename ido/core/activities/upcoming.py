"""A partner's next spreekuur at a branch, for the referral slip (Verwijskaart)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import bindparam, select

from ido.core.db import db
from ido.core.models import Activity, ActivitySession

LOOK_AHEAD = timedelta(days=120)  # a slip names a session within four months, or none
# Built once: every desk page with a partner's contact details asks.
_NEXT = (
    select(Activity.partner_id, ActivitySession)
    .join(ActivitySession.activity)
    .where(
        ActivitySession.branch_id == bindparam("branch_id"),
        Activity.partner_id.in_(bindparam("partners", expanding=True)),
        ActivitySession.day.between(bindparam("today"), bindparam("until")),
        ActivitySession.cancelled.is_(False),
    )
    .order_by(ActivitySession.day, ActivitySession.start_time)
)


def next_partner_sessions(
    branch_id: int, partner_ids: Sequence[int], now: datetime
) -> dict[int, ActivitySession]:
    """The next session of each partner's activities at the branch, by partner id: not
    cancelled, not over yet (`now` in local time)."""
    if not partner_ids:
        return {}
    today = now.date()
    found = db.session.execute(
        _NEXT,
        {
            "branch_id": branch_id,
            "partners": list(partner_ids),
            "today": today,
            "until": today + LOOK_AHEAD,
        },
    )
    upcoming: dict[int, ActivitySession] = {}
    for partner_id, session in found:
        if session.day == today and session.end_time <= now.time():
            continue  # over already: the next one
        upcoming.setdefault(cast(int, partner_id), session)  # one of `partner_ids`
    return upcoming
