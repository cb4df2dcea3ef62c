"""Passwords and sessions: hashing (argon2id), the policy, one-time links (valid 24 hours),
own changes, and ending every session of a user."""

import contextlib
import logging
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.exceptions import ServiceError, WrongPassword
from ido.core.models import PasswordLink, User, utcnow
from ido.core.organisation.tokens import digest, end_tokens

log = logging.getLogger(__name__)
LINK_HOURS = 24
MIN_PASSWORD_LENGTH = 12


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["ARGON2_PARAMS"])


def hash_password(password: str) -> str:
    """An argon2id hash of the password (cheaper parameters only where tests set them)."""
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """Whether the password matches the user's hash; rehashes (flushed) when parameters changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.flush()
    return True


def waste_a_check(password: str) -> bool:
    """Take as long as checking a password does, for an account that does not exist, so that
    the time of an answer does not tell which e-mail addresses have one. Always False."""
    hasher = _hasher()
    global _DUMMY
    if _DUMMY is None or hasher.check_needs_rehash(_DUMMY):
        _DUMMY = hasher.hash("no account has this password")
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_DUMMY, password)
    return False


_DUMMY: str | None = None


def check_password_policy(password: str, email: str, name: str = "") -> None:
    """Refuse short passwords, the e-mail address, and passwords that are easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        raise ServiceError(_("The password may not be your e-mail address."))
    from zxcvbn import zxcvbn  # noqa: PLC0415  (imported when first used: a worker stays small)

    # zxcvbn knows the common passwords, keyboard runs and dates; below 3 is guessable
    if zxcvbn(password[:100], user_inputs=[email, name, "ido", "bibliotheek"])["score"] < 3:
        raise ServiceError(
            _(
                "This password is too easy to guess (it looks like a common "
                "password). Choose a longer sentence or combination."
            )
        )


def make_password_link(user: User, actor: Actor | None) -> str:
    """A new one-time token for the user (shown once); earlier unused links stop working."""
    now = utcnow()
    for link in db.session.scalars(
        db.select(PasswordLink).where(
            PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None)
        )
    ):
        link.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            user=user, token_hash=digest(token), expires_at=now + timedelta(hours=LINK_HOURS)
        )
    )
    audit(actor, "create", "password_link", user.id, user.library_id, {"user": user.email})
    db.session.flush()
    return token


def valid_link(token: str) -> PasswordLink | None:
    """The unused, unexpired link for this token, if any."""
    link: PasswordLink | None = db.session.scalar(
        db.select(PasswordLink).where(PasswordLink.token_hash == digest(token))
    )
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def end_sessions(user: User) -> None:
    """End every log-in session of the user, on every device, from their next request on."""
    user.session_version += 1
    db.session.flush()
    log.info("sessions of user %s ended", user.id)


def _store(user: User, password: str) -> None:
    check_password_policy(password, user.email, user.name)
    user.password_hash = hash_password(password)
    end_sessions(user)  # a new password ends every session, also one an intruder holds
    end_tokens(user, user, "password")  # and every API token made before it
    audit(user, "update", "user", user.id, user.library_id, {"password": "changed"})
    log.info("password changed for user %s", user.id)


def use_password_link(link: PasswordLink, password: str) -> User:
    """Set the password through a link, which then no longer works."""
    _store(link.user, password)
    link.used_at = utcnow()
    db.session.flush()
    return link.user


def change_password(user: User, current: str, new: str) -> None:
    """A user changes their own password, knowing the current one."""
    if not check_password(user, current):
        raise WrongPassword(_("The current password is not correct."))
    _store(user, new)
    db.session.flush()
