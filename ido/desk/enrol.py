"""A tablet becomes a desk: type the one-time code a coordinator gave."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from ido.core.organisation.devices import COOKIE, activate
from ido.desk import bp
from ido.desk.forms import EnrolForm
from ido.web.extensions import limiter
from ido.web.pages import render_form

COOKIE_SECONDS = 400 * 24 * 3600  # browsers keep cookies at most about this long


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["IDO_ENROL_LIMIT_ADDRESS"],
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,  # wrong codes only
)
def enrol():
    """On a tablet: type the one-time code a coordinator gave, and the tablet is a desk."""
    form = EnrolForm()
    if form.validate_on_submit():
        enrolled = activate(form.code.data or "")
        if enrolled is None:
            form.code.errors.append(
                _("This code is not valid (any more). Ask your IDO coordinator for a new one.")
            )
        else:
            device, secret = enrolled
            response = redirect(url_for("desk.index"))
            response.set_cookie(
                COOKIE,
                secret,
                max_age=COOKIE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
            )
            flash(
                _("This tablet now logs questions for %(branch)s.", branch=device.branch.name),
                "success",
            )
            return response
    return render_form("desk/enrol.html", form)
