"""One's own second factor from the profile: new recovery codes, or turning it off."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.auth.forms import CodeForm, TurnOffForm
from ido.auth.profile import profile_page
from ido.auth.views import ACCOUNT_SCOPE, account_key, bp
from ido.core.exceptions import ServiceError, WrongPassword
from ido.core.organisation.second_factor import (
    WrongCode,
    disable,
    factor_of,
    new_recovery_codes,
)
from ido.web.access import allow
from ido.web.extensions import limiter


def _wrong(_response) -> bool:
    return g.get("wrong_secret", False)


# A wrong password or code here counts as a failed log-in of the account from this address:
# anyone at an unlocked session guesses no faster here than on the log-in page.
_throttled = limiter.shared_limit(
    lambda: current_app.config["IDO_LOGIN_LIMIT_ACCOUNT"],
    scope=ACCOUNT_SCOPE,
    key_func=lambda: account_key(current_user.email),
    methods=["POST"],
    deduct_when=_wrong,
)


@bp.post("/two-factor/recovery-codes")
@allow("coordinator", "admin", devices=False)
@_throttled
def new_codes():
    """Ten new recovery codes, confirmed with the app's code; the old ones stop working."""
    if factor_of(current_user) is None:
        return redirect(url_for("auth.setup_second_factor"))
    form = CodeForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = new_recovery_codes(current_user, form.code.data)
        except WrongPassword as error:
            g.wrong_secret = True
            form.code.errors.append(str(error))
        else:
            next_url = url_for("auth.profile")
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
    return profile_page(codes_form=form, status=422)


@bp.post("/two-factor/off")
@allow("coordinator", "admin", devices=False)
@_throttled
def turn_off():
    """Turn one's own second factor off, with the password and a code."""
    if factor_of(current_user) is None:
        return redirect(url_for("auth.profile"))
    form = TurnOffForm(prefix="off")
    if form.validate_on_submit():
        try:
            disable(current_user, form.password.data, form.code.data)
        except WrongCode as error:
            g.wrong_secret = True
            form.code.errors.append(str(error))
        except WrongPassword as error:
            g.wrong_secret = True
            form.password.errors.append(str(error))
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Two-step log-in is off."), "success")
            return redirect(url_for("auth.profile"))
    return profile_page(off_form=form, status=422)
