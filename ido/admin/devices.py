"""Desk tablets: a coordinator enrols one for a branch with a one-time code, and revokes it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from ..desk.forms import INVALID_CHOICE
from ..devices import enrol_device, revoke_device
from ..extensions import db
from ..forms import EmptyForm
from ..models import DeskDevice
from ..scope import branches_in_scope, in_scope
from .views import bp


class DeviceForm(FlaskForm):
    branch = RadioField(_l("Branch"), invalid_choice_message=INVALID_CHOICE,
                        validators=[DataRequired(_l("Choose a branch."))])
    name = StringField(_l("Name of the tablet"), validators=[Length(max=100)],
                       description=_l("For example: tablet at the IDO desk"))


def _devices() -> list[DeskDevice]:
    ids = [b.id for b in branches_in_scope(current_user, include_inactive=True)]
    return list(db.session.scalars(db.select(DeskDevice).where(DeskDevice.branch_id.in_(ids))
                                   .order_by(DeskDevice.revoked_at.is_not(None),
                                             DeskDevice.created_at.desc())))


@bp.route("/devices", methods=["GET", "POST"])
def devices():
    """The library's desk tablets, and a form to enrol one."""
    form = DeviceForm()
    branches = {str(b.id): b for b in branches_in_scope(current_user)}
    form.branch.choices = {key: b.name for key, b in branches.items()}
    if form.validate_on_submit():
        device, code = enrol_device(branches[form.branch.data], form.name.data or "",
                                    current_user)
        return render_template("admin/device_code.html", device=device, code=code,
                               link=url_for("desk.enrol", _external=True))
    status = 422 if form.errors else 200
    return render_template("admin/devices.html", form=form, devices=_devices(),
                           button=EmptyForm()), status


@bp.post("/devices/<int:device_id>/revoke")
def revoke(device_id: int):
    """Revoke a tablet: it is refused from its next request on."""
    device = db.get_or_404(DeskDevice, device_id)
    if not in_scope(current_user, device.branch):
        abort(404)
    if EmptyForm().validate_on_submit() and device.revoked_at is None:
        revoke_device(device, current_user)
        flash(_("The tablet %(name)s can no longer log questions.", name=device.name),
              "success")
    return redirect(url_for("admin.devices"))
