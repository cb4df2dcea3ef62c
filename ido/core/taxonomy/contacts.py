"""The public contact details of agencies and partners (website, telephone, address, times,
what to bring), which the desk's referral slip (Verwijskaart) shows a visitor.

An administrator keeps the details every library sees; a coordinator keeps their own library's
partners' details, and their library's details of a default partner (the Taalhuis is local).
Their telephone numbers are public: the privacy guard lets them through in that library's
notes (`known_numbers`)."""

from collections.abc import Iterable
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ido.core.audit import Actor, audit
from ido.core.checks import has_bad_characters
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import Agency, AgencyContact

LIMITS = {"website": 300, "phone": 40, "address": 300, "hours": 500, "bring": 300}
MULTILINE = ("address", "hours", "bring")  # a line break there is kept, and shown


def may_edit(agency: Agency, library_id: int | None) -> bool:
    """Whether details of this agency may be kept for the library (None: an administrator,
    every agency). A coordinator keeps partners' details: their own, and a default partner's
    for their library; never a national agency's or another library's partner's."""
    if library_id is None:
        return True
    return agency.kind == "partner" and agency.seen_by(library_id)


def cleaned(values: dict[str, str]) -> dict[str, str]:
    """The details as stored: trimmed, the website an http(s) address, the telephone number
    in the national notation. Raises ParamError at the first field that cannot be stored."""
    out = {}
    for name, limit in LIMITS.items():
        text = (values.get(name) or "").strip().replace("\r\n", "\n")
        if len(text) > limit:
            raise ParamError(name, "too_long", _("At most %(n)s characters.", n=limit))
        if has_bad_characters(text, multiline=name in MULTILINE):
            raise ParamError(
                name, "invalid_character", _("This text holds a character that cannot be stored.")
            )
        out[name] = text
    out["website"] = _website(out["website"])
    out["phone"], out["phone_e164"] = _phone(out["phone"])
    return out


def _website(text: str) -> str:
    if not text:
        return ""
    if "://" not in text:  # "www.uwv.nl", as people write it
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname or "", parts.port
    except ValueError:  # "https://[x", a port over 65535
        host, parts = "", urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or "." not in host
        or any(c.isspace() for c in text)
        or parts.username is not None
    ):
        raise ParamError(
            "website",
            "invalid_url",
            _(
                "Give a web address that starts with https:// or http://, such as https://www.uwv.nl."
            ),
        )
    return text


def _phone(text: str) -> tuple[str, str]:
    """The number as shown (national notation for a Dutch one) and in E.164, or two blanks."""
    if not text:
        return "", ""
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ParamError(
            "phone",
            "invalid_phone",
            _("Give a telephone number, such as 088 898 92 94, 0800 0543 or 14 030."),
        )
    dutch = number.country_code == 31
    notation = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if dutch
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(number, notation), e164


def stored_contact(agency: Agency, library_id: int | None) -> AgencyContact | None:
    """The row kept for this agency by the library (None: the shared row)."""
    row: AgencyContact | None = db.session.scalar(
        db.select(AgencyContact).where(
            AgencyContact.agency_id == agency.id,
            AgencyContact.library_id.is_(None)
            if library_id is None
            else AgencyContact.library_id == library_id,
        )
    )
    return row


def save_contact(
    agency: Agency, library_id: int | None, values: dict[str, str], actor: Actor | None
) -> AgencyContact:
    """Store the agency's details for the library (None: every library); audited. Raises
    ParamError (nothing stored) for a field that cannot be stored."""
    if not may_edit(agency, library_id):
        raise ParamError("agency", "not_found", _("Not found."), 404)
    clean = cleaned(values)
    if library_id is None and agency.library_id is not None:
        library_id = agency.library_id  # an administrator changes the partner's own details
    row = stored_contact(agency, library_id)
    if row is None:
        row = AgencyContact(agency_id=agency.id, library_id=library_id)
        db.session.add(row)
    changes = {
        name: [getattr(row, name) or "", clean[name]]
        for name in AgencyContact.FIELDS
        if (getattr(row, name) or "") != clean[name]
    }
    for name, value in clean.items():
        setattr(row, name, value)
    if changes:
        audit(actor, "update", "category", f"agency:{agency.code}", library_id, changes)
    db.session.flush()
    return row


# Built once: every desk page asks.
_CONTACTS = (
    select(AgencyContact)
    .where(
        AgencyContact.agency_id.in_(bindparam("ids", expanding=True)),
        (AgencyContact.library_id == bindparam("library_id")) | AgencyContact.library_id.is_(None),
    )
    .order_by(AgencyContact.library_id.is_(None).desc())  # the library's own last: it wins
)


def contacts_for(library_id: int, agencies: Iterable[Agency]) -> dict[int, AgencyContact]:
    """The details a desk of the library shows, by agency id: the library's own, else the
    shared ones; agencies without any are left out."""
    ids = [a.id for a in agencies]
    if not ids:
        return {}
    rows = db.session.scalars(_CONTACTS, {"ids": ids, "library_id": library_id})
    found: dict[int, AgencyContact] = {}
    for row in rows:
        found[row.agency_id] = row
    return {key: row for key, row in found.items() if any(getattr(row, f) for f in row.FIELDS)}


def known_numbers(library_id: int | None) -> frozenset[str]:
    """The public numbers (E.164) kept as contact details that the library's notes may name:
    the shared ones and the library's own."""
    query = db.select(AgencyContact.phone_e164).where(AgencyContact.phone_e164 != "")
    if library_id is not None:
        query = query.where(
            (AgencyContact.library_id == library_id) | AgencyContact.library_id.is_(None)
        )
    else:
        query = query.where(AgencyContact.library_id.is_(None))
    return frozenset(db.session.scalars(query))
