"""Recovery codes of a second factor: ten at a time, each used once, kept as a SHA-256.

A code is 16 characters of a 31-character alphabet: 79 random bits. A fast hash is enough
for that (as for API tokens): a stolen database gives no code back even at 10^10 guesses a
second (over 10^13 seconds for one code), while argon2 would cost up to ten slow checks per
typed code. argon2 guards passwords because people choose guessable ones; nobody chooses
these.
"""

import secrets

from ido.core.db import db
from ido.core.models import RecoveryCode, User, utcnow
from ido.core.organisation.tokens import digest

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
GROUPS, GROUP_SIZE = 4, 4


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _make() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(letters[i : i + GROUP_SIZE] for i in range(0, len(letters), GROUP_SIZE))


def replace(user: User) -> list[str]:
    """Ten new codes for the person (returned once, stored hashed); earlier ones end."""
    remove(user)
    codes = [_make() for _ in range(COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=digest(_clean(c))) for c in codes)
    db.session.flush()
    return codes


def use(user: User, code: str) -> int | None:
    """Use up one of the person's unused codes; returns how many are left, or None when the
    code is not one of them."""
    cleaned = _clean(code)
    if len(cleaned) != GROUPS * GROUP_SIZE or not (cleaned.isascii() and cleaned.isalnum()):
        return None
    found = db.session.scalar(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(cleaned),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return None
    found.used_at = utcnow()
    db.session.flush()
    return left(user)


def left(user: User) -> int:
    """How many unused recovery codes the person has."""
    query = db.select(db.func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)


def remove(user: User) -> None:
    """End every recovery code of the person."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
