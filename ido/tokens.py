"""API tokens: made once, shown once, stored as a SHA-256, revocable, last use recorded."""

import hashlib
import secrets
from datetime import timedelta

from .extensions import db
from .models import ApiToken, AuditEvent, User, utcnow

PREFIX = "ido_"
USE_PRECISION = timedelta(minutes=1)  # no write on every request of a sync burst


def digest(secret: str) -> str:
    """What is stored of a secret (tokens, password links, tablet codes): its SHA-256.

    These secrets are long and random, so a fast hash is enough; passwords use argon2.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def record_use(item, column: str) -> None:
    """Note when a token or tablet was last used, writing at most once a minute."""
    now = utcnow()
    if getattr(item, column) is None or now - getattr(item, column) > USE_PRECISION:
        setattr(item, column, now)
        db.session.commit()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the token text (never stored)."""
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:100] or "API", token_hash=digest(plaintext),
                     prefix=plaintext[:10])
    db.session.add(token)
    db.session.flush()
    db.session.add(AuditEvent(user_id=user.id, library_id=user.library_id, action="create",
                              entity="api_token", entity_id=str(token.id),
                              changes={"name": token.name}))
    db.session.commit()
    return token, plaintext


def revoke_token(token: ApiToken, by: User) -> None:
    """Stop a token from working, at once."""
    token.revoked_at = utcnow()
    db.session.add(AuditEvent(user_id=by.id, library_id=token.user.library_id, action="delete",
                              entity="api_token", entity_id=str(token.id), changes={}))
    db.session.commit()


def user_for_token(plaintext: str) -> User | None:
    """The active user a valid, unrevoked token belongs to; records its use."""
    if not plaintext.startswith(PREFIX):
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == digest(plaintext)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    record_use(token, "last_used_at")
    return token.user


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    query = (db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
             .order_by(ApiToken.created_at.desc()))
    return list(db.session.scalars(query))
