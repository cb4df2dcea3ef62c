"""The privacy guard: free text that holds a visitor's personal data is refused, never stored.

The text is first normalised the way people's typing varies (compatibility forms, digits of
any script, written-out e-mail addresses, odd spaces). Then e-mail addresses, IBANs, phone
numbers, postcodes with a house number and birth dates are found and blanked out; what is left
is tested for BSNs last, because digits inside a phone number or IBAN can pass the BSN 11-test
by chance. Every pattern is bounded, so a megabyte of text takes linear time.
"""

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import PhoneNumberType
from stdnum import iban, numdb
from stdnum.nl import bsn

# An e-mail address is found from each "@" outwards, in bounded steps: a pattern that scans
# for addresses backtracked quadratically (a long label took minutes).
EMAIL_LOCAL = re.compile(r"[\w.+-]{1,64}$")
EMAIL_DOMAIN = re.compile(r"[\w-]{1,63}(?:[.,][\w-]{1,63}){1,8}")
EMAIL_PROVIDER = re.compile(r"[A-Za-z][\w-]{1,62}")  # jan.jansen@hotmail (no dot typed)
# jan[at]example.nl, jan (at) example [dot] nl, jan(a)example.nl
# jan apenstaartje example punt nl (as dictated); a bare "punt" or "at" only before a domain
TLD = r"(?:nl|be|de|com|org|net|eu|info|frl)\b"
AT_WORD = re.compile(
    r"\s{0,3}[\[\(\{]\s{0,3}(?:at|a|apenstaartje)\s{0,3}[\]\)\}]\s{0,3}"
    rf"| {{1,3}}apenstaartje {{1,3}}|(?<=\w) {{1,3}}at {{1,3}}(?=[\w-]{{1,63}}\.{TLD})",
    re.I,
)
DOT_WORD = re.compile(
    r"\s{0,3}[\[\(\{]\s{0,3}(?:dot|punt)\s{0,3}[\]\)\}]\s{0,3}"
    rf"| {{1,3}}(?:punt|dot) {{1,3}}(?={TLD})",
    re.I,
)
# Between two digits, or between two letters and digits, a separator may be any of these (an
# underscore is folded to a space first): 111-222-333, NL91.ABNA.0417.1643.00, 06/1234 5678.
SEPARATOR = r"(?: {1,3}| ?[.\-/,] ?)"
# a lookahead, so that candidates may overlap: in "AA00 NL85ABNA0000000000" the invalid
# "AA00 NL85..." must not hide the IBAN that starts inside it
IBAN_CANDIDATE = re.compile(
    rf"(?=(\b[A-Z]{{2}}{SEPARATOR}?\d{{2}}(?:{SEPARATOR}?[A-Z0-9]){{10,30}}))",
    re.IGNORECASE,
)
# A Dutch postcode (1234 AB, 1234AB, 1234ab, 1234 ab) with a house number after it
# (3511AB 4, 3511AB-4, 3511AB4, "3511AB, nr 4", "pc 3511AB hnr 4", "3511 AB / 4") or before it
# ("Dorpsstraat 4 3511AB", "Dorpsstraat 4, 3511 AB"); or both named by their words, a few words
# apart ("huisnummer 7 bis, postcode 6211 AA", "postcode 3511AB en huisnummer 4").
POSTCODE = r"[1-9]\d{3}( ?)([A-Za-z]{2})"
HOUSE_WORD = r"(?:(?:huis)?(?:nummer|nr)|hnr|no)(?![a-z])\.?:?"
# what may follow a house number: 4a, 4 hs, 4-A, 4-II, 4 bis, 4 boven
HOUSE_SUFFIX = r"(?:[ -]?(?:[a-z]|hs|bis|bg|boven|beneden|[ivx]{1,3}|zw|rd)\b)?"
POSTCODE_WORD = r"(?:postcode|pc)\b:?"
POSTCODE_AFTER = re.compile(
    rf"\b{POSTCODE}([ ,/\-(]{{0,3}}(?:{HOUSE_WORD} {{0,2}})?)\d{{1,5}}(?!\d)", re.IGNORECASE
)
POSTCODE_BEFORE = re.compile(
    rf"(?<![\d.,:])\d{{1,5}}{HOUSE_SUFFIX}[ ,(]{{1,3}}(?:(?-i:[A-Z])[a-z-]{{1,30}},? {{1,2}})?"
    rf"(?:{POSTCODE_WORD} {{0,2}})?{POSTCODE}\b",
    re.IGNORECASE,
)
POSTCODE_NAMED = re.compile(
    rf"\b{HOUSE_WORD} {{0,2}}\d{{1,5}}\b[^\d\n]{{0,30}}?\b{POSTCODE_WORD} {{0,2}}{POSTCODE}\b"
    rf"|\b{POSTCODE_WORD} {{0,2}}{POSTCODE}\b[^\d\n]{{0,30}}?\b{HOUSE_WORD} {{0,2}}\d{{1,5}}\b",
    re.IGNORECASE,
)
# Two letters after a four-digit number that are a word or a unit, not a postcode's letters:
# "in 2024 en 2025", "1000 mg 2 keer", "stap 2024 op 5".
NOT_POSTCODE_LETTERS = frozenset(
    [
        "en",
        "of",
        "in",
        "op",
        "om",
        "te",
        "de",
        "na",
        "al",
        "nu",
        "zo",
        "ja",
        "is",
        "er",
        "ik",
        "je",
        "we",
        "ze",
        "uw",
        "an",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "it",
        "me",
        "my",
        "no",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "am",
        "as",
        "pm",
        "km",
        "kg",
        "mg",
        "cm",
        "mm",
        "ml",
        "cl",
        "dl",
        "gb",
        "mb",
        "kb",
        "st",
        "nr",
        "ca",
        "tm",
        "vs",
        "ok",
    ]
)
MONTHS = (
    "jan|januari|january|feb|febr|februari|february|mrt|maart|march|mar|apr|april|mei|may|"
    "jun|juni|june|jul|juli|july|aug|augustus|august|sep|sept|september|okt|oktober|oct|"
    "october|nov|november|dec|december"
)
DATE = (
    r"(?:\d{1,2}(?:e|ste|de)?"  # day first: 12-03-1950, 12 03 1950, 12/3/'50, 12e maart 1950
    rf"(?: ?[-/.] ?| {{1,2}})(?:\d{{1,2}}|(?:{MONTHS})\.?)(?: ?[-/.] ?| {{1,2}})'?(?:19|20)?\d{{2}}"
    r"|(?:19|20)\d{2} ?[-/.] ?\d{1,2} ?[-/.] ?\d{1,2}"  # ISO: 1950-03-12
    r"|\d{8}|\d{6}"  # 12031950, 120350
    rf"|(?:{MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? '?(?:19|20)?\d{{2}})"  # March 12, 1950
    r"(?!\d)"
)
BIRTH_WORD = (
    r"\b(?:geboren|geboortedatum|geboortedag|geb\.? ?dat(?:um|\.)?|gebdat|geb(?:\.|\b)|"
    r"verjaardag|jarig|born|birthday|birthdate|date of birth|birth date|dob\b|d\.o\.b\.)"
)
# The date follows the birth word ("geboren 12-03-1950", "geb.12-3-50"), perhaps a few words
# on ("geboren in Den Haag op 12-03-1950"), or comes first ("is op 12 maart 1950 geboren",
# "12-03-1950 (geb.datum)"). With words between, only a four-digit year at least two years
# back counts: "was jarig, nieuwe afspraak 12-03-2026" is an appointment.
BIRTH_DATES = (
    re.compile(
        rf"{BIRTH_WORD}[:\s]*(?P<gap>(?:[^\s\d]{{1,20}}\s{{1,3}}){{0,4}}?){DATE}", re.IGNORECASE
    ),
    re.compile(
        rf"{DATE}(?P<gap>(?:\s{{1,3}}[^\s\d(]{{1,20}}){{0,2}}?)[\s(]{{1,3}}{BIRTH_WORD}",
        re.IGNORECASE,
    ),
)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
GAP_WORDS = frozenset(["op", "on", "is", "was", "de", "the", ":"])
# Runs of digit groups joined by separators (111 222 333, 1112.22.333, 111-22-33-33); inside
# each, every window of groups holding nine digits (or one group of eight or nine) is a BSN
# candidate.
DIGIT_CHAIN = re.compile(rf"(?<!\d)(?<!\d[.,:])\d+(?:{SEPARATOR}\d+)*")
DIGIT_GROUP = re.compile(r"\d+")
# Numbers no visitor owns: free (0800), paid (0900) and nationwide company numbers (088)
SERVICE_NUMBER = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
# How many digits (trunk 0 included) a private number dialled without country code has, per
# region; so that a time range such as 0930 1200 is not taken for a German landline.
PHONE_REGIONS = {"NL": range(10, 11), "BE": range(9, 11), "DE": range(10, 14)}
# A phone number starts with +, 00 or 0 (or "(0") and has 7 to 14 more digits, grouped by
# any separator: 06-12345678, 06.12.34.56.78, +31 (0)6 1234 5678, (020) 123 45 67, 0470/12 34 56
# Not inside a number or a code ("2-06-12...", "10:06...", "A02 ..."), but right after a
# label ("Tel:06...", "tel.06...", "tel/06...").
PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?<!\d[:.,/-])(?:\+|\(?0)(?:[ ()./\-]{0,3}\d){7,14}(?!\d)")
# A candidate that starts with a date or a time is a date or a time ("02-03-2026 10:30",
# "09.30-12.00", "01.01.2025-31.12.2025"), not a number such as 06.12.34.56.78 or 06-12-34-56-78;
# a lone 0 first is only "(0)" after a country code.
NOT_A_PHONE_START = re.compile(
    r"\(?\d{1,2}([-/.])\d{1,2}\1(?:(?:19|20)\d{2}|\d{2}(?!\1?\d))"
    r"|\(?\d{2}([.:])\d{2}(?!\2?\d)"
    r"|\(?0(?![\d)])"
)
SINGLE_DIGIT_DOT_GROUP = re.compile(r"(?:^|\D)\d\.|\.\d(?:\D|$)")  # 0.1.11 is a version

KINDS = {
    "email": _l("an e-mail address"),
    "iban": _l("a bank account number (IBAN)"),
    "phone": _l("a phone number"),
    "postcode": _l("a postcode with house number"),
    "birth_date": _l("a birth date"),
    "bsn": _l("a citizen service number (BSN)"),
}

Spans = list[tuple[int, int]]


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
    return AT_WORD.sub("@", DOT_WORD.sub(".", text))  # "AT gmail DOT com": dots first


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


def _phone_spans(text: str) -> tuple[Spans, Spans]:
    """Phone numbers from the Netherlands, Belgium and Germany by libphonenumber, dialled from
    inside the country (06, 0470, 030) or with a country code (+32, 0049; then from anywhere).
    A run of digits without 0 or + in front is no phone number, so a time, an amount or a
    year never is; nor is an agency's free, paid or company number (0800-0543, 088 ...).
    A candidate that runs on ("06 1234 5678 1900") is tried shorter, group by group.
    Returns the private numbers, and the service numbers (blanked too, so that their digits
    are not taken for a BSN)."""
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
                kind = None if SINGLE_DIGIT_DOT_GROUP.search(prefix) else _phone_kind(prefix)
                if kind is not None:
                    (spans if kind == "private" else service).append((start, start + group.end()))
                    resume = start + group.end()
                if kind is not None:
                    break
        match = PHONE_CANDIDATE.search(text, resume)
    return spans, service


def _phone_kind(candidate: str) -> str | None:
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
            if phonenumbers.number_type(number) in SERVICE_NUMBER:
                return "service"
            if international or digits in lengths:
                return "private"
        if international:
            return None
    return None


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


# each finder gives the spans of its kind, and spans to blank without naming them
CHECKS: list[tuple[str, Callable[[str], tuple[Spans, Spans]]]] = [
    ("email", _alone(_email_spans)),
    ("iban", _alone(_iban_spans)),
    ("phone", _phone_spans),
    ("postcode", _alone(_postcode_spans)),
    ("birth_date", _alone(_birth_date_spans)),
    ("bsn", _alone(_bsn_spans)),
]


def personal_data_kinds(text: str | None) -> list[str]:
    """The kinds of personal data found in the text, in KINDS order (empty: nothing found)."""
    if not text:
        return []
    text = _normalised(text)
    found: list[str] = []
    services: Spans = []  # numbers no visitor owns (0800, 0900): not a BSN inside them either
    for kind, find in CHECKS:
        spans, others = find(text)
        # a BSN that only begins inside such a number's digits is still a BSN: "100 08 00 05
        # 1900" holds one, though "08 00 05 1900" also reads as a 0800 number
        spans = [span for span in spans if not _within(span, services)]
        if spans:
            found.append(kind)
            text = _blank(text, spans)
        services += others
    return found


def _within(span: tuple[int, int], others: Spans) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in others)


def personal_data_message(kinds: list[str]) -> str:
    """A plain Dutch (or English) message naming what was found, never the text itself."""
    from flask_babel import gettext as _

    names = ", ".join(str(KINDS[k]) for k in kinds)
    return _(
        "This note seems to contain personal data (%(kinds)s). Leave it out or rephrase "
        "it: we never store personal data of visitors.",
        kinds=names,
    )
