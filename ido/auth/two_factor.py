"""The second step of a log-in (a code) and setting up an authenticator app (a QR code)."""

from flask import abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from markupsafe import Markup

from ido.auth import pending
from ido.auth.forms import CodeForm, SetupForm
from ido.auth.views import ACCOUNT_SCOPE, account_key, bp
from ido.core.exceptions import ServiceError
from ido.core.models import User
from ido.core.organisation.second_factor import (
    WrongCode,
    enable,
    factor_of,
    may_have,
    new_secret,
    provisioning_uri,
    seal,
    unseal,
    verify,
)
from ido.web.extensions import limiter, login_manager
from ido.web.pages import render_form

SETUP_SECRET = "second_factor_setup"  # the new app's secret, sealed, until its first code


def _wrong_code(_response) -> bool:
    return g.get("wrong_code", False)


def _start_again():
    message = _("Logging in took too long. Log in again.") if pending.expired() else None
    pending.drop()
    if message:
        flash(message, "info")
    return redirect(url_for("auth.login"))


@bp.route("/code", methods=["GET", "POST"])
# A wrong code counts as a failed log-in of the account from this address (the same count as a
# wrong password), and towards the address's ceiling.
@limiter.shared_limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ACCOUNT"],
    scope=ACCOUNT_SCOPE,
    key_func=lambda: account_key(pending.email()),
    methods=["POST"],
    deduct_when=_wrong_code,
)
@limiter.limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ADDRESS"], methods=["POST"], deduct_when=_wrong_code
)
def second_step():
    """After the password: the app's code or a recovery code completes the log-in."""
    if current_user.is_authenticated and not current_user.is_device:
        return redirect(url_for("main.index"))
    user = pending.person(setup=False)
    if user is None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            used = verify(user, form.code.data)
        except WrongCode as error:
            g.wrong_code = True
            form.code.errors.append(str(error))
        else:
            next_url = pending.finish(user)
            if used == "recovery":
                flash(_("You used a recovery code; each works once."), "info")
            return redirect(next_url or url_for("main.index"))
    return render_form("auth/code.html", form)


def _setting_up() -> tuple[User, bool]:
    """Who sets up an app: a person halfway through logging in whose role requires one, or a
    logged-in coordinator or administrator from their profile."""
    user = pending.person(setup=True)
    if user is not None:
        return user, True
    if pending.expired():
        abort(_start_again())
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if current_user.is_device or not may_have(current_user):
        abort(403)
    return current_user._get_current_object(), False


def qr_code(uri: str) -> Markup:
    """The address as a QR code in inline SVG (markup, no script or style: the CSP holds)."""
    import segno  # noqa: PLC0415  (loaded by the page that sets a code up)

    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code for the app")
    )
    return Markup(svg.replace("<svg ", '<svg role="img" class="qr-code" ', 1))


@bp.route("/two-factor/setup", methods=["GET", "POST"])
def setup_second_factor():
    """Show a new secret as a QR code and as text; its first code turns it on."""
    user, halfway = _setting_up()
    if factor_of(user) is not None:
        flash(_("Two-step log-in is on already."), "info")
        return redirect(url_for("auth.profile"))
    sealed = session.get(SETUP_SECRET)
    opened = unseal(sealed) if isinstance(sealed, str) else None
    secret = opened or new_secret()
    if opened is None:
        session[SETUP_SECRET] = seal(secret)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = enable(user, secret, form.code.data)
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            session.pop(SETUP_SECRET, None)
            if halfway:
                next_url = pending.finish(user)
            else:
                login_user(user)  # this session goes on; others end
                next_url = url_for("auth.profile")
            return render_template(
                "auth/recovery_codes.html", codes=codes, next_url=next_url or url_for("main.index")
            )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_form(
        "auth/setup.html",
        form,
        qr=qr_code(provisioning_uri(user, secret)),
        secret=grouped,
        halfway=halfway,
    )
