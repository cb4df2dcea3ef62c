"""A library's work accounts: an administrator sets its OpenID Connect provider (issuer,
client, the e-mail domains it vouches for, whether its people must use it) or removes it. The
client secret is write-only: the page never shows it, and an empty field keeps it."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, PasswordField, StringField, URLField
from wtforms.validators import Length

from ido.admin.views import bp
from ido.core.exceptions import ServiceError
from ido.core.models import Library
from ido.core.organisation.work_accounts import provider_of, remove_provider, set_provider
from ido.web.access import allow, get_scoped_or_404
from ido.web.forms import EmptyForm, Form
from ido.web.pages import render_form


class ProviderForm(Form):
    issuer = URLField(
        _l("Issuer"),
        validators=[Length(max=500)],
        description=_l(
            "For Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0"
        ),
    )
    client_id = StringField(_l("Client id"), validators=[Length(max=255)])
    client_secret = PasswordField(
        _l("Client secret"),
        validators=[Length(max=1000)],
        description=_l("Never shown again; leave empty to keep the one stored."),
        render_kw={"autocomplete": "new-password"},
    )
    domains = StringField(
        _l("E-mail domains it vouches for"),
        validators=[Length(max=1000)],
        description=_l("Separated by spaces, for example bibliotheek-a.nl bieb-a.nl"),
    )
    verified_claim = StringField(
        _l("Claim that says the e-mail address is verified"),
        default="email_verified",
        validators=[Length(max=40)],
    )
    required = BooleanField(_l("Its people log in with their work account only (no password)"))


@bp.route("/libraries/<int:library_id>/work-accounts", methods=["GET", "POST"])
@allow("admin")
def work_accounts(library_id: int):
    """The library's provider, or a form to set one."""
    library = get_scoped_or_404(Library, library_id)
    provider = provider_of(library)
    form = ProviderForm(obj=provider)
    if form.validate_on_submit():
        try:
            set_provider(
                library,
                form.issuer.data or "",
                form.client_id.data or "",
                form.client_secret.data,
                form.domains.data or "",
                form.verified_claim.data or "",
                form.required.data,
                current_user,
            )
        except ServiceError as error:
            form.issuer.errors.append(str(error))
        else:
            flash(_("Work accounts of %(name)s saved.", name=library.name), "success")
            return redirect(url_for("admin.work_accounts", library_id=library.id))
    return render_form(
        "admin/work_accounts.html",
        form,
        library=library,
        provider=provider,
        remove=EmptyForm(),
        callback=url_for("auth.work_account_callback", _external=True),
    )


@bp.post("/libraries/<int:library_id>/work-accounts/remove")
@allow("admin")
def remove_work_accounts(library_id: int):
    """Stop signing in with work accounts for this library."""
    library: Library = get_scoped_or_404(Library, library_id)
    if EmptyForm().validate_on_submit():
        remove_provider(library, current_user)
        flash(_("%(name)s no longer signs in with work accounts.", name=library.name), "success")
    return redirect(url_for("admin.work_accounts", library_id=library.id))
