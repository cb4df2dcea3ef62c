"""Session tiles: after a spreekuur or course, the desk enters how many people came in two
taps (open the tile, tap a number; "meer" takes any number). Without JavaScript too."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ido.core.activities import record_attendance
from ido.core.exceptions import InvalidActivity
from ido.core.models import ActivitySession
from ido.desk import bp
from ido.web.access import get_scoped_or_404
from ido.web.attendance import QUICK_COUNTS, AttendanceForm


@bp.post("/sessions/<int:session_id>/attendance")
def attendance(session_id: int):
    """Store how many people came to a session of a branch in scope; back to the desk."""
    session = get_scoped_or_404(ActivitySession, session_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        raise InvalidActivity("count", "invalid", " ".join(map(str, form.count.errors)))
    record_attendance(session, form.count.data, current_user)
    flash(
        _(
            "%(activity)s: %(n)s people counted.",
            activity=session.activity.title or session.activity.kind.name,
            n=session.attendance,
        ),
        "success",
    )
    return redirect(url_for("desk.index") + "#sessions-heading")


def session_tiles(sessions: list[ActivitySession]) -> Markup:
    """The desk's tiles of today's and recent sessions (empty when there are none)."""
    if not sessions:
        return Markup("")
    return Markup(render_template("desk/_sessions.html", sessions=sessions, counts=QUICK_COUNTS))
