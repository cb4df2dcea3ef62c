"""The user's own page: who they are, and their API tokens (made, shown once, revoked)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.auth.forms import TokenForm
from ido.auth.views import bp
from ido.core.models import ApiToken
from ido.core.organisation.tokens import create_token, revoke_token, user_tokens
from ido.web.access import allow, get_scoped_or_404
from ido.web.forms import EmptyForm


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    return render_template(
        "auth/profile.html",
        form=form,
        tokens=user_tokens(current_user),
        new_token=new_token,
        button=EmptyForm(),
    ), status


@bp.get("/profile")
@allow(devices=False)
def profile():
    """The user's details and API tokens."""
    return _page(TokenForm())


@bp.post("/profile/tokens")
@allow(devices=False)
def make_token():
    """Make an API token and show it this once (it is stored only as a hash)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    _token, plaintext = create_token(current_user, form.name.data or "API")
    return _page(TokenForm(formdata=None), new_token=plaintext)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@allow(devices=False)
def revoke(token_id: int):
    """Stop one of the user's own tokens from working."""
    token = get_scoped_or_404(ApiToken, token_id)
    if EmptyForm().validate_on_submit() and token.revoked_at is None:
        revoke_token(token, current_user)
        flash(_("The token no longer works."), "success")
    return redirect(url_for("auth.profile"))
