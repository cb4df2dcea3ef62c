"""Reference lists: topics, agencies, help, channels and outcomes, each with a stable code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeAlias

from flask_babel import get_locale
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ido.core.db import db
from ido.core.models.org import User
from ido.core.models.types import UTCDateTime, utcnow

TOPIC_GROUPS = ("overheid", "bibliotheek", "overig")
# npd: the Netwerk van Publieke Dienstverleners (formerly the Manifestgroep), the agencies the
# KB and the libraries work with; government: other public bodies; partner: local partners
AGENCY_KINDS = ("npd", "government", "partner")
OLD_AGENCY_KINDS = {"manifestgroep": "npd"}  # accepted on input for a release, stored as new
# What kind of public body an agency is, for the national form's "overheid" section
AGENCY_LEVELS = ("rijk", "uitvoering", "gemeente", "provincie", "overig")


class CategoryMixin:
    """A code that never changes once used, a Dutch and an English label, an order, active."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        """The label in the language of the current request."""
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_nl


class Topic(CategoryMixin, db.Model):  # type: ignore[name-defined]
    __table_args__ = (
        CheckConstraint("\"group\" IN ('overheid', 'bibliotheek', 'overig')", name="group"),
    )

    group: Mapped[str] = mapped_column(String(20), default="overheid")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    hint_nl: Mapped[str] = mapped_column(String(300), default="")
    hint_en: Mapped[str] = mapped_column(String(300), default="")

    parent: Mapped[Topic | None] = relationship(remote_side="Topic.id")

    @property
    def hint(self) -> str:
        locale = get_locale()
        return self.hint_en if locale and locale.language == "en" else self.hint_nl


class Agency(CategoryMixin, db.Model):  # type: ignore[name-defined]
    __table_args__ = (
        CheckConstraint("kind IN ('npd', 'government', 'partner')", name="kind"),
        CheckConstraint(
            "level IN ('rijk', 'uitvoering', 'gemeente', 'provincie', 'overig')", name="level"
        ),
    )

    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20), default="overig", server_default="overig")
    # A local partner belongs to one library (its coordinators manage it); empty for the
    # agencies everyone shares and for the default partners (administrators manage those).
    library_id: Mapped[int | None] = mapped_column(ForeignKey("library.id"), index=True)

    def seen_by(self, library_id: int | None) -> bool:
        """Whether a desk or coordinator of this library (None: every library) may use it."""
        return self.library_id is None or library_id is None or self.library_id == library_id


class Help(CategoryMixin, db.Model):  # type: ignore[name-defined]
    pass


class Channel(CategoryMixin, db.Model):  # type: ignore[name-defined]
    pass


class Outcome(CategoryMixin, db.Model):  # type: ignore[name-defined]
    pass


# Any item of the reference lists (for annotations).
Category: TypeAlias = Topic | Agency | Help | Channel | Outcome


class TaxonomyVersion(db.Model):  # type: ignore[name-defined]
    """One row: a number raised in the same transaction as any change of the reference lists
    or of a branch's desk choice (ido.core.taxonomy). Each worker process keeps the lists
    it loaded under this number, so a change reaches every worker on its next request. A
    migration that changes the lists raises it too."""

    __tablename__ = "taxonomy_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=1)


class NationalForm(db.Model):  # type: ignore[name-defined]
    """One version of how our categories map onto the lines of the national IDO form (the
    KB's registration form): saved by an administrator, applying from `valid_from` (a month's
    first day) until a later version. Versions are never changed, so an old month prints as
    it was reported. The mapping's shape is `ido.core.reporting.national_form.FormMapping`."""

    __tablename__ = "national_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    saved_by: Mapped[User | None] = relationship()
