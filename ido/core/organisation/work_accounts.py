"""Work accounts: a library's OpenID Connect provider (issuer, client, the e-mail domains it
vouches for, whether its people must use it), and matching a provider's verified e-mail
address to a person who already exists in that library. Nobody is made by signing in, and
roles stay in the app. The OAuth flow itself is the web layer's (ido/auth/work_account.py).
"""

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ido.core.audit import Actor, apply_changes, audit
from ido.core.checks import has_bad_characters
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import Library, User, WorkAccountProvider
from ido.core.organisation.libraries import user_by_email
from ido.core.organisation.sealing import seal, unseal

log = logging.getLogger(__name__)
PURPOSE = "ido work account client secret"
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CLAIM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,39}$")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class WorkAccountRefused(ServiceError):
    """A sign-in with a work account that may not go on; `reason` says why, for the log."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def provider_of(library: Library) -> WorkAccountProvider | None:
    """The library's provider, if it has one."""
    found: WorkAccountProvider | None = db.session.scalar(
        db.select(WorkAccountProvider).where(WorkAccountProvider.library_id == library.id)
    )
    return found


def domains_of(provider: WorkAccountProvider) -> list[str]:
    return provider.domains.split()


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def _check_issuer(issuer: str) -> str:
    issuer = issuer.strip().rstrip("/")
    parts = urlsplit(issuer)
    local = parts.hostname in LOOPBACK and parts.scheme == "http"
    if (
        not (parts.scheme == "https" or local)
        or not parts.hostname
        or parts.query
        or parts.fragment
        or len(issuer) > 500
        or has_bad_characters(issuer, multiline=False)
    ):
        raise ServiceError(_("Give the issuer as an https:// address, without ? or #."))
    return issuer


def _check_domains(text: str, library: Library) -> str:
    domains = sorted({d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", text) if d})
    if not domains or any(not DOMAIN.match(d) for d in domains):
        raise ServiceError(_("Give one or more e-mail domains, such as bibliotheek.nl."))
    for other in db.session.scalars(
        db.select(WorkAccountProvider).where(WorkAccountProvider.library_id != library.id)
    ):
        taken = set(domains) & set(domains_of(other))
        if taken:
            raise ServiceError(
                _("Another library's provider vouches for %(domain)s.", domain=min(taken))
            )
    return " ".join(domains)


def _check_text(value: str, limit: int, message: str) -> str:
    value = value.strip()
    if not value or len(value) > limit or has_bad_characters(value, multiline=False):
        raise ServiceError(message)
    return value


def set_provider(
    library: Library,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: str,
    verified_claim: str,
    required: bool,
    actor: Actor | None,
) -> WorkAccountProvider:
    """Set (or change) the library's provider; a secret of None or "" keeps the stored one.
    The audit trail names what changed, never the secret."""
    settings: dict[str, Any] = {
        "issuer": _check_issuer(issuer),
        "client_id": _check_text(client_id, 255, _("Give the client id.")),
        "domains": _check_domains(domains, library),
        "verified_claim": (verified_claim or "email_verified").strip(),
        "required": bool(required),
    }
    if not CLAIM.match(settings["verified_claim"]):
        raise ServiceError(_("Give the name of a claim, such as email_verified."))
    provider = provider_of(library)
    if client_secret:
        secret = _check_text(client_secret, 1000, _("Give the client secret."))
    elif provider is None:
        raise ServiceError(_("Give the client secret."))
    if provider is None:
        provider = WorkAccountProvider(library_id=library.id, **settings)
        provider.client_secret_sealed = seal(secret, PURPOSE)
        db.session.add(provider)
        db.session.flush()
        changes: dict[str, Any] = {"work_account_provider": settings["issuer"], **settings}
        audit(actor, "create", "work_account_provider", provider.id, library.id, changes)
    else:
        changes = apply_changes(provider, **settings)
        if client_secret:
            provider.client_secret_sealed = seal(secret, PURPOSE)
            changes["client_secret"] = ["…", "…"]
        if changes:
            audit(actor, "update", "work_account_provider", provider.id, library.id, changes)
    db.session.flush()
    log.info("work account provider of library %s set", library.code)
    return provider


def remove_provider(library: Library, actor: Actor | None) -> None:
    """Stop signing in with work accounts for this library (password log-ins go on)."""
    provider = provider_of(library)
    if provider is not None:
        audit(actor, "delete", "work_account_provider", provider.id, library.id, {})
        db.session.delete(provider)
        db.session.flush()


def client_secret(provider: WorkAccountProvider) -> str | None:
    """The provider's client secret, or None when SECRET_KEY no longer opens it."""
    return unseal(provider.client_secret_sealed, PURPOSE)


def provider_for_email(email: str) -> WorkAccountProvider | None:
    """The provider that vouches for the domain of this address, in an active library."""
    domain = email_domain(email)
    if not DOMAIN.match(domain):
        return None
    found = db.session.scalars(
        db.select(WorkAccountProvider)
        .join(Library, Library.id == WorkAccountProvider.library_id)
        .where(Library.active, WorkAccountProvider.domains.contains(domain))
    )
    return next((p for p in found if domain in domains_of(p)), None)


def requires_work_account(user: User) -> bool:
    """Whether the person's library lets them in with their work account only."""
    if user.library is None:
        return False
    provider = provider_of(user.library)
    return provider is not None and provider.required


def _refused(reason: str) -> WorkAccountRefused:
    return WorkAccountRefused(
        reason,
        _(
            "Your work account does not give access to IDO Logboek. Ask your library's "
            "coordinator to add you with your work e-mail address."
        ),
    )


def match_person(provider: WorkAccountProvider, claims: Mapping[str, object]) -> User:
    """The person a verified ID token names: its e-mail address verified (the provider's
    verified claim is true), of a domain the provider vouches for, of an active person of the
    provider's library, which is active. Raises WorkAccountRefused otherwise."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        raise _refused("no e-mail")
    if claims.get(provider.verified_claim) is not True:
        raise _refused("e-mail not verified")
    if email_domain(email) not in domains_of(provider):
        raise _refused("domain not vouched for")
    user = user_by_email(email)
    if user is None or user.library_id != provider.library_id:
        raise _refused("no such person in the library")
    if not user.may_log_in:
        raise _refused("deactivated")
    return user


def password_refused(email: str) -> bool:
    """Whether a password log-in with this address is refused because the library requires
    work accounts: the address's domain is vouched for by such a library's provider, or the
    person belongs to such a library. The password plays no part, so the answer tells
    nothing of it."""
    provider = provider_for_email(email)
    if provider is not None and provider.required:
        return True
    user = user_by_email(email)
    return user is not None and requires_work_account(user)
