"""Setting passwords: one-time links (valid 24 hours) and a user's own change."""

import secrets
from datetime import timedelta

from flask_babel import gettext as _

from .extensions import db
from .models import AuditEvent, PasswordLink, User, utcnow
from .organisation import OrganisationError, check_password_policy
from .security import check_password, hash_password
from .tokens import digest

LINK_HOURS = 24


def make_password_link(user: User, by: User | None) -> str:
    """A new one-time token for the user (shown once); earlier unused links stop working."""
    now = utcnow()
    for link in db.session.scalars(db.select(PasswordLink).where(
            PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))):
        link.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordLink(user=user, token_hash=digest(token),
                                expires_at=now + timedelta(hours=LINK_HOURS)))
    db.session.add(AuditEvent(user_id=by.id if by else None, library_id=user.library_id,
                              action="create", entity="password_link",
                              entity_id=str(user.id), changes={"user": user.email}))
    db.session.commit()
    return token


def valid_link(token: str) -> PasswordLink | None:
    """The unused, unexpired link for this token, if any."""
    link = db.session.scalar(db.select(PasswordLink).where(
        PasswordLink.token_hash == digest(token)))
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def _store(user: User, password: str) -> None:
    check_password_policy(password, user.email, user.name)
    user.password_hash = hash_password(password)
    db.session.add(AuditEvent(user_id=user.id, library_id=user.library_id, action="update",
                              entity="user", entity_id=str(user.id),
                              changes={"password": "changed"}))


def use_password_link(link: PasswordLink, password: str) -> User:
    """Set the password through a link, which then no longer works."""
    _store(link.user, password)
    link.used_at = utcnow()
    db.session.commit()
    return link.user


def change_password(user: User, current: str, new: str) -> None:
    """A user changes their own password, knowing the current one."""
    if not check_password(user, current):
        raise OrganisationError(_("The current password is not correct."))
    _store(user, new)
    db.session.commit()
