"""The user's own page: who they are, their second factor, and their API tokens (made, shown
once, revoked)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.auth.forms import CodeForm, TokenForm, TurnOffForm
from ido.auth.views import bp
from ido.core.models import ApiToken
from ido.core.organisation import recovery_codes
from ido.core.organisation.second_factor import factor_of, is_required, may_have
from ido.core.organisation.tokens import create_token, revoke_token, user_tokens
from ido.web.access import allow, get_scoped_or_404
from ido.web.forms import EmptyForm


def profile_page(
    form: TokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
    codes_form: CodeForm | None = None,
    off_form: TurnOffForm | None = None,
):
    """The profile, with the forms as sent when one of them was refused."""
    has_factor = may_have(current_user) and factor_of(current_user) is not None
    return render_template(
        "auth/profile.html",
        form=form or TokenForm(formdata=None),
        tokens=user_tokens(current_user),
        new_token=new_token,
        button=EmptyForm(),
        may_have_factor=may_have(current_user),
        has_factor=has_factor,
        factor_required=is_required(current_user),
        codes_left=recovery_codes.left(current_user) if has_factor else 0,
        codes_form=codes_form or CodeForm(prefix="codes", formdata=None),
        off_form=off_form or TurnOffForm(prefix="off", formdata=None),
    ), status


@bp.get("/profile")
@allow(devices=False)
def profile():
    """The user's details and API tokens."""
    return profile_page()


@bp.post("/profile/tokens")
@allow(devices=False)
def make_token():
    """Make an API token and show it this once (it is stored only as a hash)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return profile_page(form, status=422)
    _token, plaintext = create_token(current_user, form.name.data or "API")
    return profile_page(new_token=plaintext)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@allow(devices=False)
def revoke(token_id: int):
    """Stop one of the user's own tokens from working."""
    token = get_scoped_or_404(ApiToken, token_id)
    if EmptyForm().validate_on_submit() and token.revoked_at is None:
        revoke_token(token, current_user)
        flash(_("The token no longer works."), "success")
    return redirect(url_for("auth.profile"))
