"""Logging in and out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ido.auth import pending
from ido.auth.forms import LoginForm
from ido.core.organisation import user_by_email
from ido.core.organisation.passwords import check_password, end_sessions, waste_a_check
from ido.core.organisation.second_factor import asks_code, factor_of
from ido.core.organisation.work_accounts import password_refused
from ido.web.extensions import limiter
from ido.web.forms import EmptyForm
from ido.web.navigation import safe_next
from ido.web.pages import render_form

bp = Blueprint("auth", __name__, url_prefix="/auth")


ACCOUNT_SCOPE = "password-checks"  # one count for the log-in and the password change


def account_key(email: str) -> str:
    """Failed password checks count per account *and* address together: a stranger who
    knows an e-mail address locks only their own tries out, never the owner at the desk.
    (Per address alone there is a much looser ceiling, IDO_LOGIN_LIMIT_ADDRESS.)"""
    return f"login:{email.strip().lower()}|{get_remote_address()}"


def _account_key() -> str:
    return account_key(request.form.get("email") or "")


def _failed(response) -> bool:
    """Only failed log-ins count towards the limits (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
# Per account and address: 5 failures in a minute lock that pair for the rest of that minute.
# Per address a much looser ceiling, because all desks of a branch often share one address.
@limiter.shared_limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ACCOUNT"],
    scope=ACCOUNT_SCOPE,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ADDRESS"], methods=["POST"], deduct_when=_failed
)
def login():
    """Show the log-in form; log the user in and go on to where they were heading."""
    if current_user.is_authenticated and not current_user.is_device:
        return redirect(url_for("main.index"))  # on a desk tablet a person may still log in
    form = LoginForm()
    if request.method == "GET":
        pending.drop()  # back at the start: a half-done log-in is forgotten
    if form.validate_on_submit() and password_refused(form.email.data):
        waste_a_check(form.password.data)  # as slow as any other answer
        flash(_("Your library signs you in with your work account: see below."), "error")
        return render_form("auth/login.html", form)[0], 403
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is None:
            waste_a_check(form.password.data)  # as slow as for a known address
        elif check_password(user, form.password.data) and user.may_log_in:
            next_url = safe_next(request.args.get("next"))
            if asks_code(user):  # a second step first; logged in only once it is done
                setup = factor_of(user) is None
                pending.start(user, next_url, setup)
                return redirect(
                    url_for("auth.setup_second_factor" if setup else "auth.second_step")
                )
            pending.fresh_session()  # a fresh session on log-in: nothing carried over from before
            login_user(user)
            return redirect(next_url or url_for("main.index"))
        flash(_("E-mail address or password is not correct."), "error")
    return render_form("auth/login.html", form)


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST with a CSRF token, so no other site can log a desk out)."""
    if EmptyForm().validate_on_submit():
        if not current_user.is_device:
            end_sessions(current_user)  # on every device: a shared desk PC stays safe
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
