"""The public contact details of an agency or partner, for the referral slip (Verwijskaart)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ido.core.db import db
from ido.core.models.types import UTCDateTime, utcnow


class AgencyContact(db.Model):  # type: ignore[name-defined]
    """Where a visitor finds an agency or partner: public details only, no person's.

    `library_id` empty: the details every library sees (an administrator keeps them); a
    library's own row (its coordinator keeps it) is what its desks show instead, so a default
    partner such as the Taalhuis has each library's local address. `phone_e164` is the number
    in one notation, which the privacy guard lets through in that library's notes."""

    __tablename__ = "agency_contact"
    __table_args__ = (UniqueConstraint("agency_id", "library_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    library_id: Mapped[int | None] = mapped_column(
        ForeignKey("library.id", ondelete="CASCADE"), index=True
    )
    website: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    phone_e164: Mapped[str] = mapped_column(String(20), default="", index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(500), default="")
    bring: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    FIELDS: ClassVar[tuple[str, ...]] = ("website", "phone", "address", "hours", "bring")
