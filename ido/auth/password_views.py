"""Setting a password through a one-time link, and changing one's own password."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ido.auth.views import ACCOUNT_SCOPE, account_key, bp
from ido.core.exceptions import ServiceError, WrongPassword
from ido.core.organisation.passwords import change_password, use_password_link, valid_link
from ido.web.access import allow
from ido.web.extensions import limiter
from ido.web.forms import ChangePasswordForm, PasswordForm
from ido.web.pages import render_form


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """A new user (or one who forgot) sets a password with the link a coordinator gave."""
    link = valid_link(token)
    if link is None:
        return render_template("auth/set_password.html", form=None), 404
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = use_password_link(link, form.password.data)
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is set. Log in with %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.login"))
    return render_form("auth/set_password.html", form, person=link.user)


@bp.route("/profile/password", methods=["GET", "POST"])
@allow(devices=False)
# A wrong current password counts as a failed log-in of the account from this address: anyone
# at an unlocked desk session guesses no faster here than on the log-in page.
@limiter.shared_limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ACCOUNT"],
    scope=ACCOUNT_SCOPE,
    key_func=lambda: account_key(current_user.email),
    methods=["POST"],
    deduct_when=lambda _response: g.get("wrong_password", False),
)
def own_password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except WrongPassword as error:
            g.wrong_password = True
            form.current.errors.append(str(error))
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            login_user(current_user._get_current_object())  # this session goes on; others end
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_form("auth/own_password.html", form)
