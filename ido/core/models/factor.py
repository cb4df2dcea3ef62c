"""A person's second factor: an authenticator app's secret, and single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ido.core.db import db
from ido.core.models.types import UTCDateTime, utcnow


class SecondFactor(db.Model):  # type: ignore[name-defined]
    """A confirmed authenticator app (TOTP) of a person: one at most.

    The secret is kept encrypted (Fernet, with a key derived from SECRET_KEY), so a backup of
    the database does not hold it in plain sight.
    """

    __tablename__ = "second_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(255))
    # The last time step whose code was accepted: a code is never taken twice.
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryCode(db.Model):  # type: ignore[name-defined]
    """A single-use code for when the phone is lost; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
