"""Activities and spreekuren: a coordinator records them per branch (a repeating one once, with
its rule), cancels or moves one session, and enters how many people came."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.admin.activity_forms import NTH_NAMES, ActivityForm, CancelForm, MoveForm
from ido.admin.views import bp
from ido.core.activities import (
    ActivityData,
    Rule,
    activities_of,
    activity_kinds,
    cancel_session,
    move_session,
    record_attendance,
    save_activity,
)
from ido.core.db import db
from ido.core.exceptions import InvalidActivity
from ido.core.models import Activity, ActivityKind, ActivitySession, Agency, Branch, Topic
from ido.core.organisation.scope import branches_in_scope
from ido.core.timeutil import now_local
from ido.web.access import get_scoped_or_404
from ido.web.attendance import AttendanceForm
from ido.web.pages import render_form


def _partners() -> list[Agency]:
    query = db.select(Agency).where(Agency.kind == "partner", Agency.active)
    found = db.session.scalars(query.order_by(Agency.position, Agency.id))
    return [a for a in found if a.seen_by(current_user.library_id)]


def _form(activity: Activity | None = None) -> ActivityForm:
    """The form with this user's branches, the kinds, partners and topics as choices."""
    form = ActivityForm(obj=activity)
    branches = branches_in_scope(current_user)
    form.branch.choices = {b.code: b.name for b in branches}
    form.kind.choices = {k.code: k.name for k in activity_kinds()}
    form.partner.choices = {"": _("The library"), **{p.code: p.name for p in _partners()}}
    topics = db.session.scalars(
        db.select(Topic).where(Topic.active, Topic.parent_id.is_(None)).order_by(Topic.position)
    )
    form.topics.choices = {t.code: t.name for t in topics}
    if activity is not None and not form.is_submitted():
        form.branch.data = activity.branch.code
        form.kind.data = activity.kind.code
        form.partner.data = activity.partner.code if activity.partner else ""
        form.topics.data = [t.code for t in activity.topics]
        form.nth.data = str(activity.nth or 1)
    if activity is not None:  # an activity stays at its branch
        form.branch.choices = {activity.branch.code: activity.branch.name}
    return form


def _data(form: ActivityForm) -> ActivityData:
    def one(model, code):
        return db.session.scalar(db.select(model).where(model.code == code)) if code else None

    return ActivityData(
        branch=one(Branch, form.branch.data),
        kind=one(ActivityKind, form.kind.data),
        partner=one(Agency, form.partner.data),
        title=form.title.data or "",
        form=form.form.data,
        convenant=form.convenant.data,
        topics=list(db.session.scalars(db.select(Topic).where(Topic.code.in_(form.topics.data)))),
        rule=Rule(form.repeat.data, form.first_day.data, form.until.data, int(form.nth.data)),
        start_time=form.start_time.data,
        end_time=form.end_time.data,
    )


def _save(form: ActivityForm, activity: Activity | None) -> Activity | None:
    """Save from a valid form; None (the message at its field) when the service refuses."""
    try:
        return save_activity(_data(form), current_user, activity)
    except InvalidActivity as refused:
        db.session.rollback()
        field = getattr(form, refused.field, None) or form.first_day
        field.errors = [*field.errors, refused.message]
        return None


@bp.route("/activities", methods=["GET", "POST"])
def activities():
    """The activities of the coordinator's branches, and a form to add one."""
    form = _form()
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(_("Activity saved: %(n)s sessions.", n=len(saved.sessions)), "success")
            return redirect(url_for("admin.activity", activity_id=saved.id))
    branches = branches_in_scope(current_user, include_inactive=True)
    return render_form(
        "admin/activities.html",
        form,
        activities=activities_of([b.id for b in branches]),
        nth_names=NTH_NAMES,
    )


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
def activity(activity_id: int):
    """One activity: change it (its rule too) and its sessions, each cancelled, moved or
    counted on its own."""
    found = get_scoped_or_404(Activity, activity_id)
    form = _form(found)
    if form.validate_on_submit() and _save(form, found) is not None:
        flash(_("Activity saved."), "success")
        return redirect(url_for("admin.activity", activity_id=found.id))
    return render_form(
        "admin/activity.html",
        form,
        activity=found,
        today=now_local().date(),
        cancel=CancelForm(formdata=None),
        count=AttendanceForm(formdata=None),
    )


def _back(session: ActivitySession):
    return redirect(url_for("admin.activity", activity_id=session.activity_id) + f"#s{session.id}")


@bp.post("/sessions/<int:session_id>/cancel")
def cancel(session_id: int):
    """Cancel one session, or take its cancellation back."""
    session = get_scoped_or_404(ActivitySession, session_id)
    form = CancelForm()
    if form.validate_on_submit():
        cancel_session(session, form.cancelled.data, current_user)
        flash(_("Session cancelled.") if session.cancelled else _("Session restored."), "success")
    return _back(session)


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
def move(session_id: int):
    """Hold one session on another day or at other times; the rule stays as it is."""
    session = get_scoped_or_404(ActivitySession, session_id)
    form = MoveForm(obj=session)
    if form.validate_on_submit():
        try:
            move_session(
                session, form.day.data, form.start_time.data, form.end_time.data, current_user
            )
        except InvalidActivity as refused:
            db.session.rollback()
            field = getattr(form, refused.field, form.day)
            field.errors = [*field.errors, refused.message]
        else:
            flash(_("Session moved."), "success")
            return _back(session)
    return render_form("admin/session_move.html", form, session=session)


@bp.post("/sessions/<int:session_id>/attendance")
def attendance(session_id: int):
    """How many people came to the session (no names)."""
    session = get_scoped_or_404(ActivitySession, session_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        raise InvalidActivity("count", "invalid", " ".join(map(str, form.count.errors)))
    record_attendance(session, form.count.data, current_user)
    flash(_("%(n)s people counted.", n=session.attendance), "success")
    return _back(session)
