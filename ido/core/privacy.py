"""The privacy guard: free text that holds a visitor's personal data is refused, never stored.

E-mail addresses, IBANs, phone numbers, postcodes with a house number and birth dates are
found first and blanked out; what is left is then tested for BSNs, because digits inside a
phone number or IBAN can pass the BSN 11-test by chance.
"""

import re
import unicodedata
from collections.abc import Callable

import phonenumbers
from flask_babel import lazy_gettext as _l
from stdnum import iban
from stdnum.nl import bsn

# An e-mail address is found from each "@" outwards, in bounded steps: a pattern that scans
# for addresses backtracked quadratically (a long label took minutes).
EMAIL_LOCAL = re.compile(r"[\w.+-]{1,64}$")
EMAIL_DOMAIN = re.compile(r"[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# jan[at]example.nl, jan (at) example [dot] nl
AT_WORD = re.compile(r"\s{0,3}[\[\(\{]\s{0,3}(?:at|apenstaartje)\s{0,3}[\]\)\}]\s{0,3}", re.I)
DOT_WORD = re.compile(r"\s{0,3}[\[\(\{]\s{0,3}(?:dot|punt)\s{0,3}[\]\)\}]\s{0,3}", re.I)
# a lookahead, so that candidates may overlap: in "AA00 NL85ABNA0000000000" the invalid
# "AA00 NL85..." must not hide the IBAN that starts inside it
IBAN_CANDIDATE = re.compile(
    r"(?=(\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b))", re.IGNORECASE
)
# 1234 AB 12, 1234AB 12, 1234ab 12 or "12, 1234 AB"; lowercase letters only when attached
# to the digits, so that "2024 en 2025" is not a postcode.
POSTCODE = r"[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})\b"
POSTCODE_WITH_NUMBER = re.compile(rf"\b{POSTCODE}[ ,]*\d{{1,5}}\b|\b\d{{1,5}}[a-z]?, *{POSTCODE}")
DUTCH_PHONE = re.compile(
    r"(?<![\w+:.,])(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|\(?0)"
    r"[\s()-]?[1-9](?:[\s()-]?\d){8}(?!\d)"
)
SINGLE_DIGIT_DOT_GROUP = re.compile(r"(?:^|\D)\d\.|\.\d(?:\D|$)")  # 0.1.11 is a version
MONTHS = (
    "jan|januari|feb|februari|mrt|maart|apr|april|mei|jun|juni|jul|juli|aug|augustus|"
    "sep|sept|september|okt|oktober|nov|november|dec|december|"
    "january|february|march|june|july|october"
)
DATE = (
    rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}"
    rf"|\d{{1,2}} (?:{MONTHS})\.? (?:19|20)\d{{2}})"
)
BIRTH_DATE = re.compile(
    rf"\b(?:geboren|geboortedatum|geb\.datum|geb(?:\.|\b)|born|date of birth|dob\b)"
    rf"[:\s]*(?:op\s+|on\s+)?{DATE}",
    re.IGNORECASE,
)
# A BSN as people write it: 9 (or 8) digits, or grouped 123.456.789, 1234.56.789, 123 45 67 89
# (a lookahead, so that candidates may overlap: "1900 10 111 222 333" holds one)
BSN_CANDIDATE = re.compile(
    r"(?<![\d.,:])(?=(\d{3}([. ])\d{3}\2\d{3}|\d{4}([. ])\d{2}\3\d{3}|"
    r"\d{3}([. ])\d{2}\4\d{2}\4\d{2}|\d{8,9})(?![\d]|[.,]\d))"
)

KINDS = {
    "email": _l("an e-mail address"),
    "iban": _l("a bank account number (IBAN)"),
    "phone": _l("a phone number"),
    "postcode": _l("a postcode with house number"),
    "birth_date": _l("a birth date"),
    "bsn": _l("a citizen service number (BSN)"),
}


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans (which may overlap) replaced by spaces, in one pass."""
    pieces, done = [], 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end > start:
            pieces += [text[done:start], " " * (end - start)]
            done = end
    return "".join([*pieces, text[done:]])


def _normalised(text: str) -> str:
    """The text as the checks read it: compatibility forms folded (full-width digits and
    letters, the full-width @, no-break spaces), digits of any script as 0-9, and e-mail
    addresses written out ("[at]", "(dot)") put back together."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(
            str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
        )
    return DOT_WORD.sub(".", AT_WORD.sub("@", text))


def _email_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    at = text.find("@")
    while at != -1:
        local = EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            spans.append((local.start(), domain.end()))
        at = text.find("@", at + 1)
    return spans


def _is_iban(candidate: str) -> bool:
    """By the ISO 13616 checksum alone: a bank code a registry does not know is still an IBAN."""
    return bool(iban.is_valid(candidate, check_country=False))


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers: libphonenumber's matcher, plus Dutch-shaped numbers it skips when more
    digits follow ("06 1234 5678 1900"). A run of digits without 0 or + in front is no phone
    number, and one starting 00 must be Dutch, so a time or a date is never taken for one."""
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "NL")
        if (m.start == 0 or text[m.start - 1] not in ":.,")
        and (
            m.raw_string.startswith("+")
            or m.number.country_code == 31
            and m.raw_string.lstrip("(").startswith("0")
        )
        and not SINGLE_DIGIT_DOT_GROUP.search(m.raw_string)
    ]
    for match in DUTCH_PHONE.finditer(text):
        try:
            number = phonenumbers.parse(match.group(), "NL")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            spans.append(match.span())
    return spans


def _matches(
    pattern: re.Pattern[str], text: str, valid: Callable[[str], bool] = lambda s: True
) -> list[tuple[int, int]]:
    """Spans of the pattern's matches (or of its first group, for lookahead patterns)."""
    group = 1 if pattern.groups else 0
    return [m.span(group) for m in pattern.finditer(text) if valid(m.group(group))]


def personal_data_kinds(text: str | None) -> list[str]:
    """The kinds of personal data found in the text, in KINDS order (empty: nothing found)."""
    if not text:
        return []
    text = _normalised(text)
    found = []
    checks: list[tuple[str, Callable[[str], list[tuple[int, int]]]]] = [
        ("email", _email_spans),
        ("iban", lambda t: _matches(IBAN_CANDIDATE, t, _is_iban)),
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
    return bsn.is_valid(digits.zfill(9)) and not digits.zfill(9).startswith("00")


def personal_data_message(kinds: list[str]) -> str:
    """A plain Dutch (or English) message naming what was found, never the text itself."""
    from flask_babel import gettext as _

    names = ", ".join(str(KINDS[k]) for k in kinds)
    return _(
        "This note seems to contain personal data (%(kinds)s). Leave it out or rephrase "
        "it: we never store personal data of visitors.",
        kinds=names,
    )
