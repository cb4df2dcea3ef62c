"""API tokens: made once, shown once, stored as a SHA-256, revocable, last use recorded."""

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy.orm import joinedload

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.models import ApiToken, DeskDevice, User, utcnow

log = logging.getLogger(__name__)

PREFIX = "ido_"
USE_PRECISION = timedelta(minutes=1)  # no write on every request of a sync burst


def digest(secret: str) -> str:
    """What is stored of a secret (tokens, password links, tablet codes): its SHA-256.

    These secrets are long and random, so a fast hash is enough; passwords use argon2.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def record_use(item: ApiToken | DeskDevice, column: str) -> None:
    """Note when a token or tablet was last used, writing at most once a minute."""
    now = utcnow()
    if getattr(item, column) is None or now - getattr(item, column) > USE_PRECISION:
        setattr(item, column, now)
        db.session.flush()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the token text (never stored)."""
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip()[:100] or "API",
        token_hash=digest(plaintext),
        prefix=plaintext[:10],
    )
    db.session.add(token)
    db.session.flush()
    audit(user, "create", "api_token", token.id, user.library_id, {"name": token.name})
    log.info("API token %s made for user %s", token.id, user.id)
    return token, plaintext


def revoke_token(token: ApiToken, actor: Actor | None) -> None:
    """Stop a token from working, at once."""
    token.revoked_at = utcnow()
    audit(actor, "delete", "api_token", token.id, token.user.library_id)
    log.info("API token %s revoked", token.id)
    db.session.flush()


def end_tokens(user: User, actor: Actor | None, reason: str) -> int:
    """Revoke every token of the user that still works, for good: a new password, another
    role or deactivation ends what was granted before (an intruder's token included), and
    reactivating the person does not bring the tokens back. Returns how many were ended."""
    tokens = user_tokens(user)
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
        audit(actor, "delete", "api_token", token.id, user.library_id, {"reason": reason})
    if tokens:
        log.info("%s API tokens of user %s ended (%s)", len(tokens), user.id, reason)
        db.session.flush()
    return len(tokens)


def user_for_token(plaintext: str) -> User | None:
    """The active user a valid, unrevoked token belongs to; records its use."""
    if not plaintext.startswith(PREFIX):
        return None
    token: ApiToken | None = db.session.scalar(  # with user and library: one query
        db.select(ApiToken)
        .where(ApiToken.token_hash == digest(plaintext))
        .options(joinedload(ApiToken.user).joinedload(User.library))
    )
    if token is None or token.revoked_at is not None or not token.user.may_log_in:
        return None
    record_use(token, "last_used_at")
    return token.user


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    query = (
        db.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    )
    return list(db.session.scalars(query))
