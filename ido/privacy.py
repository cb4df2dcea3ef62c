"""The privacy guard: free text that holds a visitor's personal data is refused, never stored.

E-mail addresses, IBANs, phone numbers, postcodes with a house number and birth dates are
found first and blanked out; what is left is then tested for BSNs, because digits inside a
phone number or IBAN can pass the BSN 11-test by chance.
"""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from stdnum import iban
from stdnum.nl import bsn

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
                            re.IGNORECASE)
POSTCODE_WITH_NUMBER = re.compile(
    r"\b[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2}\b[ ,]*\d{1,5}\b|"  # 1234 AB 12
    r"\b\d{1,5}[a-z]?[ ,]+[1-9]\d{3}[ ]?[A-Z]{2}\b",  # 12, 1234 AB
    re.IGNORECASE)
MONTHS = ("jan|januari|feb|februari|mrt|maart|apr|april|mei|jun|juni|jul|juli|aug|augustus|"
          "sep|sept|september|okt|oktober|nov|november|dec|december|"
          "january|february|march|june|july|october")
DATE = (rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}"
        rf"|\d{{1,2}} (?:{MONTHS})\.? (?:19|20)\d{{2}})")
BIRTH_DATE = re.compile(
    rf"\b(?:geboren|geboortedatum|geb\.datum|geb(?:\.|\b)|born|date of birth|dob\b)"
    rf"[:\s]*(?:op\s+|on\s+)?{DATE}", re.IGNORECASE)
# 8 or 9 digits, together or in groups of 2 to 4 with dots or spaces (123.45.678, 1234 56 789)
BSN_CANDIDATE = re.compile(r"(?<![\d.,])\d{2,9}(?:[. ]\d{2,4}){0,3}(?![\d]|[.,]\d)")
DATE_LIKE = re.compile(r"^\d{1,2}[. ]\d{1,2}[. ](?:19|20)\d{2}$")
YEARS = re.compile(r"^(?:(?:19|20)\d{2}[. ])+(?:19|20)\d{2}$")  # "2024 2025": years, not a BSN

KINDS = {
    "email": _l("an e-mail address"),
    "iban": _l("a bank account number (IBAN)"),
    "phone": _l("a phone number"),
    "postcode": _l("a postcode with house number"),
    "birth_date": _l("a birth date"),
    "bsn": _l("a citizen service number (BSN)"),
}


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _phone_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "NL")]


def _matches(pattern: re.Pattern, text: str, valid=lambda s: True) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if valid(m.group())]


def personal_data_kinds(text: str | None) -> list[str]:
    """The kinds of personal data found in the text, in KINDS order (empty: nothing found)."""
    if not text:
        return []
    found = []
    checks = [
        ("email", lambda t: _matches(EMAIL, t)),
        ("iban", lambda t: _matches(IBAN_CANDIDATE, t, iban.is_valid)),
        ("phone", _phone_spans),
        ("postcode", lambda t: _matches(POSTCODE_WITH_NUMBER, t)),
        ("birth_date", lambda t: _matches(BIRTH_DATE, t)),
        ("bsn", lambda t: _matches(BSN_CANDIDATE, t, _is_bsn)),
    ]
    for kind, find in checks:
        spans = find(text)
        if spans:
            found.append(kind)
            text = _blank(text, spans)
    return found


def _is_bsn(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if len(digits) not in (8, 9) or DATE_LIKE.match(candidate) or YEARS.match(candidate):
        return False
    return bsn.is_valid(digits.zfill(9))


def personal_data_message(kinds: list[str]) -> str:
    """A plain Dutch (or English) message naming what was found, never the text itself."""
    from flask_babel import gettext as _

    names = ", ".join(str(KINDS[k]) for k in kinds)
    return _("This note seems to contain personal data (%(kinds)s). Leave it out or rephrase "
             "it: we never store personal data of visitors.", kinds=names)
