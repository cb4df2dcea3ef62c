"""Signing in with a work account: the e-mail address chooses the library's OpenID Connect
provider; the person signs in there and comes back with a code, which is exchanged for a
verified ID token whose verified e-mail address must name a person of that library. It ends
as a password log-in ends: a fresh session, and an entry in the audit trail."""

import hmac
import logging
from typing import TYPE_CHECKING

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from ido.auth.forms import LoginForm
from ido.auth.views import bp
from ido.core.audit import audit
from ido.core.db import db
from ido.core.models import WorkAccountProvider
from ido.core.organisation.work_accounts import (
    WorkAccountRefused,
    client_secret,
    match_person,
    provider_for_email,
)
from ido.web.forms import Form
from ido.web.navigation import safe_next
from ido.web.security import CSP

if TYPE_CHECKING:
    from ido.auth import oidc

# ido.auth.oidc (Authlib, Requests, JOSE: some 17 MiB of a worker's memory) is imported where it
# is used, so that a worker loads it only once a library signs in with work accounts.

log = logging.getLogger(__name__)
PENDING = "work_account"  # the session's key for a sign-in under way


class WorkAccountForm(Form):
    """Sign in with a work account: the e-mail address chooses the library's provider."""

    email = EmailField(
        _l("Work e-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )


@bp.context_processor
def work_account_form() -> dict:
    """The log-in page offers work accounts once any library has a provider."""
    if db.session.scalar(db.select(WorkAccountProvider.id).limit(1)) is None:
        return {"work": None}
    return {"work": WorkAccountForm(prefix="work", formdata=None)}


@bp.after_request
def providers_may_take_the_form(response):
    """The log-in page's form for work accounts posts here and is sent on to the provider;
    browsers hold that redirect to the page's form-action, so it names the providers."""
    if request.endpoint in ("auth.login", "auth.work_account"):
        issuers = list(db.session.scalars(db.select(WorkAccountProvider.issuer)))
        if issuers:
            from ido.auth.oidc import origin  # noqa: PLC0415

            origins = sorted({origin(issuer) for issuer in issuers})
            extended = " ".join(("form-action 'self'", *origins))
            response.headers["Content-Security-Policy"] = CSP.replace(
                "form-action 'self'", extended
            )
    return response


def start_session(user) -> None:
    """Log the person in on a fresh session (nothing carried over but the language), as a
    password log-in does."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)


def _client(provider: WorkAccountProvider) -> "oidc.Client | None":
    from ido.auth import oidc  # noqa: PLC0415

    secret = client_secret(provider)
    if secret is None:
        log.warning(
            "the client secret of library %s cannot be opened (SECRET_KEY?)", provider.library_id
        )
        return None
    return oidc.Client(
        provider.issuer,
        provider.client_id,
        secret,
        url_for("auth.work_account_callback", _external=True),
    )


def _refused(message: str, status: int):
    return render_template("auth/work_account_refused.html", message=message), status


def _not_now():
    return _refused(
        _(
            "Signing in with your work account is not possible right now. Try again later, "
            "or log in with your password."
        ),
        502,
    )


def _form_again(form: WorkAccountForm):
    """The log-in page with the work account's form and its errors (422)."""
    return render_template("auth/login.html", form=LoginForm(formdata=None), work=form), 422


@bp.post("/work-account")
def work_account():
    """Send the person to the provider that vouches for their e-mail address."""
    from ido.auth import oidc  # noqa: PLC0415

    form = WorkAccountForm(prefix="work")
    if not form.validate_on_submit():
        return _form_again(form)
    provider = provider_for_email(form.email.data)
    client = provider and _client(provider)
    if provider is None:
        form.email.errors.append(
            _("No library signs in with work accounts of this address. Log in with your password.")
        )
        return _form_again(form)
    if client is None:
        return _not_now()
    try:
        url, pending = oidc.start(client, form.email.data.strip().lower())
    except oidc.ProviderError as error:
        log.warning("work account provider of library %s: %s", provider.library_id, error)
        return _not_now()
    session[PENDING] = {
        **pending,
        "provider": provider.id,
        "issuer": provider.issuer,
        "next": safe_next(request.args.get("next")),
    }
    return redirect(url)


@bp.get("/work-account/callback")
def work_account_callback():
    """The provider sends the person back: check the state, exchange the code, verify the ID
    token, find the person; any failure is a page that says so, and nobody is logged in."""
    from ido.auth import oidc  # noqa: PLC0415

    pending = session.pop(PENDING, None)
    state = request.args.get("state", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(
        str(pending.get("state", "")).encode(), state.encode()
    ):
        log.info("work account sign-in refused: state")
        return _refused(_("This sign-in has expired or is not yours. Start again."), 400)
    provider = db.session.get(WorkAccountProvider, pending.get("provider"))
    if provider is None or provider.issuer != pending.get("issuer"):
        return _refused(_("This sign-in has expired or is not yours. Start again."), 400)
    code = request.args.get("code", "")
    if not code or len(code) > 2000 or request.args.get("error"):
        log.info(
            "work account sign-in refused by the provider: %s", request.args.get("error", "")[:60]
        )
        return _refused(_("Your work account's provider did not sign you in."), 401)
    client = _client(provider)
    if client is None:
        return _not_now()
    try:
        claims = oidc.finish(client, code, pending)
        user = match_person(provider, claims)
    except oidc.ProviderError as error:
        log.warning("work account provider of library %s: %s", provider.library_id, error)
        return _not_now()
    except oidc.TokenRefused as error:
        log.info("work account sign-in refused: %s", error.reason)
        return _refused(_("Your work account's provider did not sign you in."), 401)
    except WorkAccountRefused as error:
        log.info("work account sign-in refused: %s", error.reason)
        return _refused(str(error), 403)
    start_session(user)  # a fresh session: whatever this browser held before ends
    audit(user, "login", "user", user.id, user.library_id, {"method": "work account"})
    log.info("user %s signed in with a work account", user.id)
    return redirect(pending.get("next") or url_for("main.index"))
