"""JSON API v1 for activities: the sessions in scope, how many people came to one (a set,
so a resent count changes nothing: the desk may send it again after a lost connection), and
the figures per branch and year."""

from datetime import timedelta

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ido.api.shapes import check_branch_codes
from ido.api.views import bp, json_body
from ido.core.activities import (
    activity_figures,
    activity_kinds,
    figures_row,
    parse_year,
    record_attendance,
    sessions_between,
    year_bounds,
)
from ido.core.db import db
from ido.core.exceptions import InvalidActivity, ParamError
from ido.core.models import ActivitySession
from ido.core.organisation.scope import can_see
from ido.core.reporting.params import parse_date, scoped_branches
from ido.core.timeutil import now_local
from ido.web.access import MAX_ID
from ido.web.errors import error_response

MAX_DAYS = 366


def session_json(session: ActivitySession) -> dict:
    activity = session.activity
    return {
        "id": session.id,
        "branch": session.branch.code,
        "activity": activity.id,
        "kind": activity.kind.code,
        "title": activity.title,
        "partner": activity.partner.code if activity.partner else None,
        "form": activity.form,
        "convenant": activity.convenant,
        "day": session.day.isoformat(),
        "start": session.start_time.strftime("%H:%M"),
        "end": session.end_time.strftime("%H:%M"),
        "cancelled": session.cancelled,
        "moved": session.moved,
        "attendance": session.attendance,
    }


def _empty_refused(*names: str) -> None:
    for name in names:
        if request.args.get(name) == "":
            raise ParamError(name, "invalid", _("Leave the parameter out for its default."))


@bp.get("/sessions")
def list_sessions():
    """Sessions in scope from `from` to `to` (default: the week before and the week after
    today), cancelled ones included."""
    _empty_refused("branch", "from", "to")
    check_branch_codes(request.args.get("branch"), several=True)
    today = now_local().date()
    first = parse_date(request.args.get("from"), "from") or today - timedelta(days=7)
    last = parse_date(request.args.get("to"), "to") or today + timedelta(days=7)
    if first > last or (last - first).days >= MAX_DAYS:
        raise ParamError(
            "from", "out_of_range", _("A period from 'from' to 'to' of at most a year.")
        )
    branches = scoped_branches(request.args.get("branch"), current_user)
    found = sessions_between([b.id for b in branches], first, last)
    return jsonify(sessions=[session_json(s) for s in found])


@bp.put("/sessions/<int:session_id>/attendance")
def put_attendance(session_id: int):
    """How many people came to the session (no names); the same count again: 200, no change."""
    session = db.session.get(ActivitySession, session_id) if 0 < session_id <= MAX_ID else None
    if session is None or not can_see(current_user, session):
        return error_response(404, "id", "not_found", _("No such session."))
    body = json_body()
    if not isinstance(body, dict):
        return error_response(400, "_", "bad_request", _("The body must be a JSON object."))
    if "count" not in body:
        raise InvalidActivity("count", "required", _("Give the number of people."))
    record_attendance(session, body["count"], current_user)
    return jsonify(session_json(session))


@bp.get("/activities/figures")
def figures():
    """Per branch in scope (or the ones asked for) and year: activities held by kind, the
    convenant's minimum, people reached in total and in another form than in person."""
    _empty_refused("branch", "year")
    check_branch_codes(request.args.get("branch"), several=True)
    year = parse_year(request.args.get("year"), now_local().year)
    branches = scoped_branches(request.args.get("branch"), current_user)
    kinds = [k.code for k in activity_kinds(active_only=False)]
    found = activity_figures(branches, *year_bounds(year))
    return jsonify(year=year, rows=[figures_row(f, kinds) for f in found])
