"""Desk tablets: a coordinator enrols one for a branch with a one-time code, and revokes it."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.admin.forms import DeviceForm
from ido.admin.views import bp
from ido.core.db import db
from ido.core.models import DeskDevice
from ido.core.organisation.devices import enrol_device, revoke_device
from ido.core.organisation.scope import branches_in_scope
from ido.web.access import get_scoped_or_404
from ido.web.forms import EmptyForm
from ido.web.pages import render_form


def _devices() -> list[DeskDevice]:
    ids = [b.id for b in branches_in_scope(current_user, include_inactive=True)]
    return list(
        db.session.scalars(
            db.select(DeskDevice)
            .where(DeskDevice.branch_id.in_(ids))
            .order_by(DeskDevice.revoked_at.is_not(None), DeskDevice.created_at.desc())
        )
    )


@bp.route("/devices", methods=["GET", "POST"])
def devices():
    """The library's desk tablets, and a form to enrol one."""
    form = DeviceForm()
    branches = {str(b.id): b for b in branches_in_scope(current_user)}
    form.branch.choices = {key: b.name for key, b in branches.items()}
    if form.validate_on_submit():
        device, code = enrol_device(branches[form.branch.data], form.name.data or "", current_user)
        return render_template(
            "admin/device_code.html",
            device=device,
            code=code,
            link=url_for("desk.enrol", _external=True),
        )
    return render_form("admin/devices.html", form, devices=_devices(), button=EmptyForm())


@bp.post("/devices/<int:device_id>/revoke")
def revoke(device_id: int):
    """Revoke a tablet: it is refused from its next request on."""
    device = get_scoped_or_404(DeskDevice, device_id)
    if EmptyForm().validate_on_submit() and device.revoked_at is None:
        revoke_device(device, current_user)
        flash(_("The tablet %(name)s can no longer log questions.", name=device.name), "success")
    return redirect(url_for("admin.devices"))
