"""Management pages for coordinators and admins: settings overview and the audit trail."""

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ido.admin.audit_changes import readable_changes, subject_names
from ido.core.checks import has_bad_characters
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import AuditEvent, User
from ido.core.reporting.params import parse_date, parse_page
from ido.core.retention import last_purge
from ido.core.timeutil import LOCAL_TZ
from ido.web.access import allow

bp = Blueprint("admin", __name__, url_prefix="/admin")
ENTITIES = {  # what the trail's events are about, as the filter and the table name them
    "question": _l("question"),
    "user": _l("person"),
    "branch": _l("branch"),
    "library": _l("library"),
    "category": _l("category"),
    "device": _l("desk tablet"),
    "api_token": _l("API token"),
    "password_link": _l("password link"),
    "second_factor": _l("two-step log-in"),
    "notes": _l("notes"),
    "national_form": _l("national form mapping"),
    "work_account_provider": _l("work account provider"),
}
ACTIONS = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "purge": _l("emptied"),
    "login": _l("logged in"),
    "import": _l("moved in from another installation"),
}


@bp.before_request
@allow("coordinator", "admin")
def coordinators_only():
    """Management is for coordinators (their library) and admins."""


@bp.get("/")
def index():
    """Settings that matter for privacy: how long notes are kept, and the last purge."""
    return render_template(
        "admin/index.html",
        purge=last_purge(),
        retention_days=current_app.config["IDO_NOTE_RETENTION_DAYS"],
    )


def _local_midnight_utc(day):
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


@bp.get("/audit")
def audit():
    """The audit trail of the coordinator's library (admins: everything), newest first."""
    query = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if not current_user.is_admin:
        query = query.where(AuditEvent.library_id == current_user.library_id)
    entity, action = request.args.get("entity", ""), request.args.get("action", "")
    if entity and entity not in ENTITIES:
        raise ParamError(
            "entity", "unknown_code", _("This choice is not (or no longer) available.")
        )
    if action and action not in ACTIONS:
        raise ParamError(
            "action", "unknown_code", _("This choice is not (or no longer) available.")
        )
    if entity:
        query = query.where(AuditEvent.entity == entity)
    one = request.args.get("id", "")
    if one:  # the history of one question (or other item)
        if len(one) > 64 or has_bad_characters(one, multiline=False):
            raise ParamError("id", "invalid", _("This is not the id of anything."))
        query = query.where(AuditEvent.entity_id == one)
    if action:
        query = query.where(AuditEvent.action == action)
    first = parse_date(request.args.get("from"), "from")
    last = parse_date(request.args.get("to"), "to")
    if first:
        query = query.where(AuditEvent.at >= _local_midnight_utc(first))
    if last:
        query = query.where(AuditEvent.at < _local_midnight_utc(last + timedelta(days=1)))
    page = db.paginate(
        query, page=parse_page(request.args.get("page")), per_page=50, error_out=False
    )
    users = {
        u.id: u
        for u in db.session.scalars(
            db.select(User).where(User.id.in_({e.user_id for e in page.items if e.user_id}))
        )
    }
    return render_template(
        "admin/audit.html",
        page=page,
        users=users,
        entities=ENTITIES,
        actions=ACTIONS,
        args=request.args,
        changes=readable_changes(page.items),
        subjects=subject_names(page.items),
        one=one,
    )
