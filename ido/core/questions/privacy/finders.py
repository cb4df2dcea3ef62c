"""Finders, one per kind of personal data: each gives the spans of its kind in a normalised text
(and, for phone numbers, the spans of numbers no visitor owns)."""

import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from functools import cache

import phonenumbers
from stdnum import iban, numdb
from stdnum.nl import bsn

from ido.core.questions.privacy.patterns import (
    AT_WORD,
    BIRTH_DATES,
    DIGIT_CHAIN,
    DIGIT_GROUP,
    DOT_WORD,
    EMAIL_DOMAIN,
    EMAIL_LOCAL,
    EMAIL_PROVIDER,
    GAP_WORDS,
    IBAN_CANDIDATE,
    MOBILE_ODD_SEPARATOR,
    NOT_A_PHONE_START,
    NOT_POSTCODE_LETTERS,
    PHONE_CANDIDATE,
    PHONE_REGIONS,
    POSTCODE_AFTER,
    POSTCODE_BEFORE,
    POSTCODE_NAMED,
    SERVICE_NUMBER,
    SINGLE_DIGIT_DOT_GROUP,
    SPACED_DOT,
    TEL_GLUED,
    YEAR,
)
from ido.core.taxonomy.public_numbers import PUBLIC_NUMBERS

Spans = list[tuple[int, int]]
# more public numbers (E.164) the note may name: asked for only when a number would be refused
Known = Callable[[], Collection[str]] | None


def _blank(text: str, spans: Spans) -> str:
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
    letters, the full-width @, no-break and thin spaces), digits of any script as 0-9, other
    white space as a space, an underscore between digits as a space, and e-mail addresses
    written out ("[at]", "(dot)") put back together."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(
            str(unicodedata.decimal(c))
            if c.isdecimal() and not c.isascii()
            else " "
            if c.isspace()
            else c
            for c in text
        )
    text = re.sub(r"[\t\r\n\v\f]", " ", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # dashes of every length, minus
    text = re.sub(r"(?<=[\dA-Za-z])_(?=\d)|(?<=\d)_(?=[\dA-Za-z])", " ", text)
    text = TEL_GLUED.sub(r"\1 ", text)  # "tel0612345678": the number on its own
    text = MOBILE_ODD_SEPARATOR.sub("06-", text)  # "06:12345678" is no time: a mobile number
    text = AT_WORD.sub("@", DOT_WORD.sub(".", text))  # "AT gmail DOT com": dots first
    # "jan . jansen @ gmail . com": a dot with spaces both sides, in a text with an @
    return SPACED_DOT.sub(".", text) if "@" in text else text


def _email_spans(text: str) -> Spans:
    spans = []
    at = text.find("@")
    while at != -1:
        before, after = at, at + 1  # "jan @ example.nl": a space or two either side of the @
        while before > max(0, at - 2) and text[before - 1] == " ":
            before -= 1
        while after < min(len(text), at + 3) and text[after] == " ":
            after += 1
        local = EMAIL_LOCAL.search(text, max(0, before - 64), before)
        domain = EMAIL_DOMAIN.match(text, after)
        if domain is None and before == at and after == at + 1:
            domain = EMAIL_PROVIDER.match(text, after)
        if local and domain:
            spans.append((local.start(), domain.end()))
        at = text.find("@", at + 1)
    return spans


def _iban_spans(text: str) -> Spans:
    """By the ISO 13616 checksum and the country's length and format alone, for every
    country: a bank code a registry does not know is still an IBAN. A candidate may run on
    past the IBAN ("NL91ABNA0417164300 2024"), so it is cut at the country's length."""
    spans = []
    for match in IBAN_CANDIDATE.finditer(text):
        candidate, start = match.group(1), match.start(1)
        compact = re.sub(r"[^A-Za-z0-9]", "", candidate)
        length = _iban_length(compact[:2].upper())
        if (
            length
            and len(compact) >= length
            and _checksum_fits(compact[:length])  # cheap, before the full check
            and iban.is_valid(compact[:length], check_country=False)
        ):
            spans.append((start, start + _position_of(candidate, length)))
    return spans


def _checksum_fits(candidate: str) -> bool:
    """The ISO 7064 mod 97-10 test alone: a cheap first sieve before the full check."""
    rearranged = (candidate[4:] + candidate[:4]).upper()
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


@cache
def _iban_length(country: str) -> int:
    """How many characters an IBAN of the country has (0: no such country)."""
    structure = numdb.get("iban").info(country)[0][1].get("bban", "")
    return 4 + sum(int(n) for n in re.findall(r"(\d+)!?[anc]", structure)) if structure else 0


def _position_of(text: str, count: int) -> int:
    """Where the count-th letter or digit of the text ends."""
    seen = 0
    for index, char in enumerate(text):
        if char.isalnum():
            seen += 1
            if seen == count:
                return index + 1
    return len(text)


def _phone_spans(text: str, known: Known = None) -> tuple[Spans, Spans]:
    """Phone numbers from the Netherlands, Belgium and Germany by libphonenumber, dialled from
    inside the country (06, 0470, 030) or with a country code (+32, 0049; then from anywhere).
    A run of digits without 0 or + in front is no phone number, so a time, an amount or a
    year never is; nor is an agency's free, paid or company number (0800-0543, 088 ...).
    A candidate that runs on ("06 1234 5678 1900") is tried shorter, group by group.
    Returns the private numbers, and the service numbers (blanked too, so that their digits
    are not taken for a BSN). `known` gives more public numbers (E.164), asked only when a
    number is found that would be refused."""
    spans: Spans = []
    service: Spans = []
    match = PHONE_CANDIDATE.search(text)
    while match:
        candidate, start = match.group(), match.start()
        groups = list(re.finditer(r"\d+", candidate))
        # where to look next: after a number found, else from the candidate's second group,
        # so that "0800-1000 06-12345678" still finds the mobile number inside
        resume = match.end() if len(groups) < 2 else start + groups[1].start()
        if not NOT_A_PHONE_START.match(candidate):
            # the shortest prefix that is a number decides: "088 123 6555 20 min" is a
            # company number followed by a count, not a longer German landline
            for group in groups:
                prefix = candidate[: group.end()]
                kind = None if SINGLE_DIGIT_DOT_GROUP.search(prefix) else _phone_kind(prefix, known)
                if kind is not None:
                    (spans if kind == "private" else service).append((start, start + group.end()))
                    resume = start + group.end()
                if kind is not None:
                    break
        match = PHONE_CANDIDATE.search(text, resume)
    return spans, service


def _phone_kind(candidate: str, known: Known = None) -> str | None:
    """ "private" for a valid number a person may own, "service" for an agency's free, paid
    or company-wide number, None when it is no valid number."""
    international = candidate.startswith(("+", "00"))
    digits = sum(c.isdigit() for c in candidate)
    if international and not 8 <= digits <= 17:
        return None
    for region, lengths in PHONE_REGIONS.items():
        if not international and digits not in lengths and region != "NL":
            continue
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            if phonenumbers.number_type(number) in SERVICE_NUMBER or _is_public(number, known):
                return "service"
            if international or digits in lengths:
                return "private"
        if international:
            return None
    return None


def _is_public(number: phonenumbers.PhoneNumber, known: Known = None) -> bool:
    """An agency's or partner's public number (DUO's 050 599 77 55): no visitor owns it. The
    list in the code, and the numbers kept as contact details (`known`)."""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164 in _public() or (known is not None and e164 in known())


@cache
def _public() -> frozenset[str]:
    return frozenset(
        phonenumbers.format_number(phonenumbers.parse(n, "NL"), phonenumbers.PhoneNumberFormat.E164)
        for numbers in PUBLIC_NUMBERS.values()
        for n in numbers
    )


def _postcode_spans(text: str) -> Spans:
    """Postcodes with a house number. Two letters that are a word or a unit in lower case are
    no postcode's ("in 2024 en 2025", "1000 mg 2"), in capitals they are ("3512 DE 12"); a
    year, a space, two capitals and a number is a year and an abbreviation ("aangifte 2024 IB,
    3 vragen"), unless the words postcode and house number say otherwise."""
    spans = [match.span() for match in POSTCODE_NAMED.finditer(text)]
    for pattern in (POSTCODE_AFTER, POSTCODE_BEFORE):
        for match in pattern.finditer(text):
            space, letters = match.group(1), match.group(2)
            if not letters.isupper() and letters.lower() in NOT_POSTCODE_LETTERS:
                continue
            if pattern is POSTCODE_AFTER and space:
                if not match.group(3):
                    continue  # "1900 AA0" is a year and a code; "3511AB4" is an address
                if YEAR.match(match.group()):
                    continue
            spans.append(match.span())
    return spans


def _birth_date_spans(text: str) -> Spans:
    spans = []
    for match in (m for pattern in BIRTH_DATES for m in pattern.finditer(text)):
        gap = match.group("gap").split()
        if any(word.lower().strip(":,") not in GAP_WORDS for word in gap):
            years = [int(year) for year in YEAR.findall(match.group())]
            if not years or years[-1] > datetime.now().year - 2:
                continue
        spans.append(match.span())
    return spans


def _bsn_windows(chain: re.Match[str]) -> Iterator[tuple[int, int, str]]:
    """Each window of consecutive digit groups in the chain that holds nine digits, in groups
    of at least two joined by one kind of separator (so "€ 123,45 2024" is no BSN), neither
    glued to a letter ("A90232 1900" is a code and a year) nor the end of a dotted or dashed
    number ("0.0.14 1956 112" is a version, a year and a count), or a single group of eight or
    nine digits: (start, end, digits)."""
    text, offset = chain.group(), chain.start()
    glued = offset > 0 and chain.string[offset - 1].isalpha()
    groups = list(DIGIT_GROUP.finditer(text))
    joints = [text[a.end() : b.start()].strip() or " " for a, b in itertools.pairwise(groups)]
    for first, group in enumerate(groups):
        digits = group.group()
        if len(digits) in (8, 9):
            yield offset + group.start(), offset + group.end(), digits
        for last in range(first + 1, min(first + 5, len(groups))):
            if (
                len(groups[last].group()) < 2
                or len(digits) < 2
                or joints[last - 1] != joints[first]
                or (first == 0 and glued)
                or (first > 0 and joints[first - 1] not in (" ", joints[first]))
                or (last + 1 < len(groups) and joints[last] not in (" ", joints[first]))
            ):
                break
            digits += groups[last].group()
            if len(digits) >= 9:
                if len(digits) == 9:
                    yield offset + group.start(), offset + groups[last].end(), digits
                break


def _bsn_spans(text: str) -> Spans:
    """A BSN as people write it: 9 (or 8) digits, plain or grouped by any separator
    (111.222.333, 1112.22.333, 111-22-33-33, 111/222/333); the digits pass the 11-test."""
    return [
        (start, end)
        for chain in DIGIT_CHAIN.finditer(text)
        for start, end, digits in _bsn_windows(chain)
        if _is_bsn(digits)
    ]


def _is_bsn(digits: str) -> bool:
    digits = digits.zfill(9)
    return bsn.is_valid(digits) and not digits.startswith("00")


def _alone(find: Callable[[str], Spans]) -> Callable[[str], tuple[Spans, Spans]]:
    """A finder whose spans are all of its kind (nothing else to blank)."""
    return lambda text: (find(text), [])
