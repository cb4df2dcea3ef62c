"""Libraries, their branches, and the people who use the app."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ido.core.db import db
from ido.core.models.types import UTCDateTime, utcnow

ROLES = ("volunteer", "coordinator", "admin")

user_branches = Table(
    "user_branch",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("branch_id", ForeignKey("branch.id", ondelete="CASCADE"), primary_key=True),
)


class Library(db.Model):  # type: ignore[name-defined]
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    branches: Mapped[list[Branch]] = relationship(back_populates="library", order_by="Branch.name")


class Branch(db.Model):  # type: ignore[name-defined]
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    library_id: Mapped[int] = mapped_column(ForeignKey("library.id"), index=True)
    municipality: Mapped[str] = mapped_column(String(200))
    in_library: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    # A coordinator dismissed the notice that the branch went quiet: the day of its last
    # question then. The notice stays away until a question of a later day arrives.
    quiet_dismissed_through: Mapped[date | None] = mapped_column(Date)

    library: Mapped[Library] = relationship(back_populates="branches")
    convenant_participation: Mapped[list[BranchConvenantYear]] = relationship(
        cascade="all, delete-orphan", order_by="BranchConvenantYear.year"
    )

    @property
    def convenant_years(self) -> list[int]:
        """The years the branch takes part in the Belastingdienst/Toeslagen convenant."""
        return sorted(row.year for row in self.convenant_participation)


class BranchConvenantYear(db.Model):  # type: ignore[name-defined]
    """A year in which a branch takes part in the Belastingdienst/Toeslagen convenant (a
    library signs up per branch; the report then holds the branch to the yearly minimum).

    A row per year rather than a first and last year: a branch may stop and sign up again,
    the branch's page shows a box per year, and the report asks of one year at a time."""

    __tablename__ = "branch_convenant_year"

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("branch.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class User(db.Model):  # type: ignore[name-defined]
    __table_args__ = (
        CheckConstraint("role IN ('volunteer', 'coordinator', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    library_id: Mapped[int | None] = mapped_column(ForeignKey("library.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every log-in session's user id: raising it ends all of the user's sessions.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    library: Mapped[Library | None] = relationship()
    branches: Mapped[list[Branch]] = relationship(secondary=user_branches, order_by="Branch.name")

    # What a log-in manager asks of a user (Flask-Login's protocol, kept here without the
    # import so the core knows nothing of HTTP).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What a log-in session keeps: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def may_log_in(self) -> bool:
        """Active, in an active library (administrators belong to none)."""
        return self.active and (self.library is None or self.library.active)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    is_device = False  # a person, not an enrolled desk tablet
    device_id = None


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class WorkAccountProvider(db.Model):  # type: ignore[name-defined]
    """A library's OpenID Connect provider: its people may sign in with their work account.

    The client secret is kept sealed (Fernet, with a key derived from SECRET_KEY); `domains`
    are the e-mail domains it vouches for, lowercase and separated by spaces.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("library.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    domains: Mapped[str] = mapped_column(String(1000))
    verified_claim: Mapped[str] = mapped_column(String(40), default="email_verified")
    required: Mapped[bool] = mapped_column(default=False)

    library: Mapped[Library] = relationship()


class PasswordLink(db.Model):  # type: ignore[name-defined]
    """A one-time link to set a password (a new account, or a reset); only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class DeskDevice(db.Model):  # type: ignore[name-defined]
    """A desk tablet enrolled for one branch: volunteers log there without a personal account.

    Enrolment is by a one-time code (hash kept, valid 24 hours); the tablet then holds a
    secret in a cookie (hash kept) until a coordinator revokes it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    branch: Mapped[Branch] = relationship()


class BranchCategory(db.Model):  # type: ignore[name-defined]
    """A topic or local partner picked for one branch's desk, in the branch's own order.

    A branch without rows of a kind shows every active one of that kind.
    """

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("branch.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # topic | partner
    category_id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
