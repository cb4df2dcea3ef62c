"""Addresses beside the postcode with a house number (finders.py): a street with a house
number (Dorpsstraat 12, Jan van Galenstraat 4-II, Oude Gracht 12a) and a postcode alone
(woont 1234 AB Rivierstad). A street without a number, a place and a year with an
abbreviation ("aangifte 2024 IB") pass."""

import re

Spans = list[tuple[int, int]]

# a word and a house number: "Kerkstraat 14", "Markt 1", "Dorpsstraat nr. 4-II", "Weg 3a",
# "Kerkstraat huisnr 12", "Wilhelminastr. 12" (not "nummer": "Fietspad nummer 3" is a route)
STREET_NUMBER = re.compile(
    r"(?<![\w'-])(?P<word>[^\W\d_][^\W\d_'’-]{1,40}|[^\W\d_]{1,3}-[^\W\d_]{2,40})"
    r"\.?,? {1,2}(?:(?:nr|no|hnr|huisnr|huisnummer)\.? ?)?"
    r"(?P<number>[1-9]\d{0,3})(?:[ -]?(?:[a-zA-Z]|hs|bis|bg|[IVX]{1,3})(?![\w-]))?"
    r"(?![\d.,:/-]\d|\d| ?%| ?(?i:x|jaar|jr|keer|min|minuten|uur|u|euro|eur|dag|dagen|week|weken"
    r"|maand|maanden|personen|vragen|kinderen|pagina|stuks|cijfers|tekens|jan|feb|mrt|apr|mei"
    r"|jun|jul|aug|sep|okt|nov|dec)\b)"
)
# a street word in any case ("dorpsstraat 12"); the other endings only capitalised, since
# lower-case words end in them too ("blokkade", "loopbaan")
STREET_ANY_CASE = ("straat", "laan", "plein", "gracht", "singel", "steeg", "dreef", "plantsoen")
STREET_CAPITALISED = ("weg", "kade", "dijk", "hof", "park", "markt", "wal", "pad", "allee", "str")
STREET_ALONE = frozenset(["Dam", "Ring", "Brink", "Vaart", "Haven", "Boulevard", "Esplanade"])
YEAR = re.compile(r"(?:19|20)\d\d")

# a postcode alone: 1234 AB, 1234AB, 1234ab (glued), "postcode 2024 AB"
LONE_POSTCODE = re.compile(
    r"(?<![\w.,:/-])(?P<named>(?i:postcode|pc)\.?:? {1,2})?"
    r"(?P<digits>[1-9]\d{3})(?P<space> ?)(?P<letters>[A-Za-z]{2})(?![\w-])"
)
NO_POSTCODE_LETTERS = frozenset(["SA", "SD", "SS"])  # never given out
UNITS = frozenset(["KB", "MB", "GB", "TB", "KM", "KG", "MG", "ML", "CM", "MM", "PK", "AM", "PM"])


def _is_street(word: str) -> bool:
    lower = word.lower()
    if lower.endswith(STREET_ANY_CASE) or word in STREET_ALONE:
        return True
    return word[0].isupper() and lower.endswith(STREET_CAPITALISED)


def street_spans(text: str) -> Spans:
    """A street and a house number; a year is no house number ("Zorgverzekering 2024")."""
    return [
        match.span()
        for match in STREET_NUMBER.finditer(text)
        if _is_street(match.group("word")) and not YEAR.fullmatch(match.group("number"))
    ]


def lone_postcode_spans(text: str) -> Spans:
    """A Dutch postcode without a house number. Spaced, its letters are capitals and no unit
    ("1000 MG"), and a year with two capitals is a year and an abbreviation ("aangifte 2024
    IB"), unless the word postcode comes first; glued ("1234ab") any case will do."""
    spans = []
    for match in LONE_POSTCODE.finditer(text):
        letters = match.group("letters")
        if letters.upper() in NO_POSTCODE_LETTERS or (
            letters.upper() in UNITS and not match.group("named")
        ):
            continue
        spaced = match.group("space") and not match.group("named")
        if spaced and (not letters.isupper() or YEAR.fullmatch(match.group("digits"))):
            continue
        spans.append(match.span())
    return spans
