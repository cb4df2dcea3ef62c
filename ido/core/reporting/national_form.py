"""The national IDO form (the KB's registration form) as data: which of its lines each of our
topics and channels goes to, what it calls a referral and its absence, and its duration bands.

The form is not public and it changes, so administrators edit this mapping on a page and a
developer never has to. Every save is a new version that applies from a month on; versions
are never changed, so an old month is shown as it was reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import get_locale

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import NationalForm
from ido.core.taxonomy import defaults

MAX_MINUTES = 480  # the longest duration a question may have
FIRST_VERSION = date(2024, 4, 1)  # the form as the KB introduced it in April 2024


@dataclass(frozen=True)
class Line:
    """A line of the national form: a code that stays, and its Dutch and English name."""

    code: str
    nl: str
    en: str = ""

    @property
    def name(self) -> str:
        locale = get_locale()
        return (self.en or self.nl) if locale and locale.language == "en" else self.nl


@dataclass(frozen=True)
class FormMapping:
    """Where our categories go on the national form.

    `topics` and `channels` map a category's code to a line's code; a category not mapped
    (added after the mapping was saved) is counted on a "not assigned" line, so the numbers
    still add up and the gap shows. `bands` are (lowest, highest) minutes; without bands the
    duration is counted per preset of the desk (5, 10, 15, 30, 45, 60 minutes, other).
    """

    groups: tuple[Line, ...]
    topics: dict[str, str]
    channels: tuple[Line, ...]
    channel_of: dict[str, str]
    referred: Line
    not_referred: Line
    bands: tuple[tuple[int, int], ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        def lines(items: Iterable[Line]) -> list[dict[str, str]]:
            return [{"code": x.code, "nl": x.nl, "en": x.en} for x in items]

        return {
            "groups": lines(self.groups),
            "topics": dict(sorted(self.topics.items())),
            "channels": lines(self.channels),
            "channel_of": dict(sorted(self.channel_of.items())),
            "referred": lines([self.referred])[0],
            "not_referred": lines([self.not_referred])[0],
            "bands": [list(band) for band in self.bands],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormMapping:
        def line(item: dict[str, str]) -> Line:
            return Line(item["code"], item["nl"], item.get("en", ""))

        return cls(
            groups=tuple(line(x) for x in data["groups"]),
            topics=dict(data["topics"]),
            channels=tuple(line(x) for x in data["channels"]),
            channel_of=dict(data["channel_of"]),
            referred=line(data["referred"]),
            not_referred=line(data["not_referred"]),
            bands=tuple((int(low), int(high)) for low, high in data.get("bands", [])),
        )


def band_label(low: int, high: int) -> str:
    """1-10; the last band, up to the longest duration, as 61+."""
    return f"{low}+" if high >= MAX_MINUTES else f"{low}-{high}"


def parse_bands(text: str) -> tuple[tuple[int, int], ...]:
    """ "1-10, 11-30, 31-60, 61+" as ((1, 10), (11, 30), (31, 60), (61, 480)); empty text: no
    bands. The bands must follow each other from 1 minute without a gap or an overlap, and
    the last one reaches the longest duration (it may be written as 61+)."""
    bands: list[tuple[int, int]] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().replace(" ", "").replace("–", "-")
        if not part:
            continue
        if part.endswith("+") and part[:-1].isascii() and part[:-1].isdigit():
            low, high = int(part[:-1]), MAX_MINUTES
        else:
            low_text, dash, high_text = part.partition("-")
            if not (dash and (low_text + high_text).isascii()):
                raise ServiceError(f"bad:{part}")
            if not (low_text.isdigit() and high_text.isdigit()):
                raise ServiceError(f"bad:{part}")
            low, high = int(low_text), int(high_text)
        expected = bands[-1][1] + 1 if bands else 1
        if low != expected or high < low or high > MAX_MINUTES:
            raise ServiceError(f"gap:{part}")
        bands.append((low, high))
    if bands and bands[-1][1] != MAX_MINUTES:
        raise ServiceError("short")
    return tuple(bands)


def bands_text(bands: Iterable[tuple[int, int]]) -> str:
    return ", ".join(band_label(low, high) for low, high in bands)


def default_mapping() -> FormMapping:
    """Today's best knowledge of the form (since April 2024), for our default categories."""
    return FormMapping(
        groups=(
            Line("overheid", "Digitale overheid", "Digital government"),
            Line("bibliotheek", "Bibliotheekdienstverlening", "Library services"),
            Line("overig", "Andere vragen", "Other questions"),
        ),
        topics={code: group for code, group, parent, *_names in defaults.TOPICS if not parent},
        channels=(
            Line("fysiek", "Fysiek", "In person"),
            Line("telefonisch", "Telefonisch", "By phone"),
            Line("online", "Online", "Online"),
        ),
        channel_of={
            "balie": "fysiek",
            "afspraak": "fysiek",
            "telefoon": "telefonisch",
            "email": "online",
            "online": "online",
        },
        referred=Line("ja", "Doorverwezen", "Referred"),
        not_referred=Line("nee", "Niet doorverwezen", "Not referred"),
        bands=(),
    )


@dataclass(frozen=True)
class Applying:
    """The mapping that applies to a month, and the saved version it comes from (None: no
    version saved yet, so the built-in default applies)."""

    mapping: FormMapping
    version: NationalForm | None


def applying(month: date) -> Applying:
    """The version in force in the month: the latest that starts in or before it (of two
    starting in the same month, the later saved)."""
    version = db.session.scalars(
        db.select(NationalForm)
        .where(NationalForm.valid_from <= month)
        .order_by(NationalForm.valid_from.desc(), NationalForm.id.desc())
        .limit(1)
    ).first()
    if version is None:
        return Applying(default_mapping(), None)
    return Applying(FormMapping.from_json(version.mapping), version)


def history() -> list[NationalForm]:
    """Every saved version, the latest first."""
    return list(
        db.session.scalars(
            db.select(NationalForm).order_by(NationalForm.valid_from.desc(), NationalForm.id.desc())
        )
    )


def get_version(version_id: int) -> NationalForm | None:
    return db.session.get(NationalForm, version_id)


def save_version(mapping: FormMapping, valid_from: date, actor: Actor | None) -> NationalForm:
    """Store the mapping as a new version from the month on, with an audit event."""
    if valid_from.day != 1:
        raise ValueError("a version starts on the first day of a month")
    version = NationalForm(
        valid_from=valid_from,
        mapping=mapping.as_json(),
        saved_by_id=actor.id if actor and not actor.device_id else None,
    )
    db.session.add(version)
    db.session.flush()
    audit(
        actor,
        "create",
        "national_form",
        version.id,
        None,
        {"valid_from": [None, valid_from.isoformat()]},
    )
    db.session.commit()
    return version


def ensure_first_version() -> None:
    """Store the built-in mapping as the first version (from April 2024) when none is saved,
    so that the months reported with it keep it when the default changes in a release."""
    exists = db.session.scalar(db.select(NationalForm.id).limit(1))
    if exists is None:
        db.session.add(NationalForm(valid_from=FIRST_VERSION, mapping=default_mapping().as_json()))
        db.session.commit()
