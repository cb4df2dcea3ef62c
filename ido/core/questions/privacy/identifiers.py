"""Licence plates (the RDW's sidecodes 1-14), passport and identity card numbers, and log-in
details (a user name, a password or a PIN after the word for it)."""

import re

from stdnum.nl import bsn, identiteitskaartnummer

Spans = list[tuple[int, int]]

# The RDW's sidecodes 1-14 (L a letter, D a digit), written with dashes as on the plate
SIDECODES = [
    "LL-DD-DD",
    "DD-DD-LL",
    "DD-LL-DD",
    "LL-DD-LL",
    "LL-LL-DD",
    "DD-LL-LL",
    "DD-LLL-D",
    "D-LLL-DD",
    "LL-DDD-L",
    "L-DDD-LL",
    "LLL-DD-L",
    "L-DD-LLL",
    "D-LL-DDD",
    "DDD-LL-D",
]
_SHAPE = {"L": "[A-Za-z]", "D": r"\d", "-": "-"}
PLATE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join("".join(_SHAPE[c] for c in code) for code in SIDECODES)
    + r")(?![\w-])"
)
# after the word kenteken any way of writing it: "kenteken XT123B", "kenteken xt 123 b"
PLATE_NAMED = re.compile(
    r"\b(?i:kenteken(?:nummer|plaat)?|nummerbord|license plate)\b[:. ]{0,3}"
    r"(?:(?i:is|van|was) {1,2})?(?P<plate>[A-Za-z0-9]{1,3}(?:[ -]?[A-Za-z0-9]{1,3}){1,2})(?!\w)"
)
COMPACT_SHAPES = frozenset(code.replace("-", "") for code in SIDECODES)

# Dutch passport and identity card numbers: 9 characters, two letters first, no letter O,
# the last a digit (python-stdnum checks the format). Without a word for the document the
# middle must mix letters and digits (NXC1234T5), so that a Windows update (KB5034441) or an
# all-letter code passes; a code named as such ("activeringscode ...") passes.
DOCUMENT = re.compile(r"(?<![\w-])[A-Za-z]{2}[A-Za-z0-9]{6}\d(?![\w-])")
DOCUMENT_WORD = re.compile(
    r"(?i:paspoort|id[- ]?kaart|identiteitskaart|identiteitsbewijs|id[- ]?bewijs|"
    r"documentnummer|document|docnr|reisdocument|passport|identity card)\w{0,8}\W{1,20}$"
)
CODE_WORD = re.compile(
    r"(?i:code|kenmerk|referentie|ref|ordernummer|zaaknummer|dossiernummer|factuurnummer|"
    r"klantnummer|kb|update)\w{0,8}\W{1,5}$"
)


def plate_spans(text: str) -> Spans:
    spans = [match.span() for match in PLATE.finditer(text)]
    for match in PLATE_NAMED.finditer(text):
        plate = match.group("plate")
        shape = "".join("D" if c.isdigit() else "L" for c in re.sub(r"[ -]", "", plate))
        if shape in COMPACT_SHAPES:
            spans.append(match.span("plate"))
    return spans


# A driving licence's or a foreign national's (V-) number after its word: 10 digits
NUMBER_NAMED = re.compile(
    r"(?i:rijbewijs(?:nummer|nr)?|v-?nummer|vreemdelingennummer)\.?:? {0,3}(?:is )?"
    r"(?P<number>\d{4}[ .-]?\d{2}[ .-]?\d{4}|\d{10})(?!\d)"
)


def document_spans(text: str) -> Spans:
    spans = [match.span("number") for match in NUMBER_NAMED.finditer(text)]
    for match in DOCUMENT.finditer(text):
        number = match.group()
        if not identiteitskaartnummer.is_valid(number.upper()):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        named = DOCUMENT_WORD.search(before)
        middle = number[2:8]
        mixed = any(c.isalpha() for c in middle) and any(c.isdigit() for c in middle)
        if named or (mixed and number.isupper() and not CODE_WORD.search(before)):
            spans.append(match.span())
    return spans


# A user name or password after its word: "gebruikersnaam jansen88", "ww: Geheim123!",
# "wachtwoord is P@ssw0rd", "DigiD: jansen88 / Geheim123!"; a PIN: "pincode 12345".
CREDENTIAL_WORD = (
    r"(?i:gebruikers ?naam|gebruikersnm|inlog ?naam|login ?naam|user ?name|wacht ?woord|"
    r"wachtw\.?|password|passwd|wachtzin)"
)
SHORT_CREDENTIAL_WORD = r"(?i:ww|pw|pwd|login|inlog|account|user|digid)"  # also other things
LINK = r"(?P<link>[:=]|(?i:is|was|luidt|wordt|werd)(?= ))"
VALUE = r"(?P<value>[^\s,;]{1,64})"
# a few words may stand between the word and a colon: "Inlognaam Mijn SVB: mjansen1948"
GAP = r"(?: (?!(?i:is|was|en)\b)[^\W\d_][\w-]{0,15}){0,3}?"
CREDENTIALS = re.compile(rf"(?<!\w){CREDENTIAL_WORD}(?!\w) {{0,2}}(?:{LINK} {{0,3}})?{VALUE}")
NAMED_CREDENTIALS = re.compile(
    rf"(?<!\w)(?:{CREDENTIAL_WORD}|{SHORT_CREDENTIAL_WORD})(?!\w){GAP} {{0,2}}{LINK} {{0,3}}{VALUE}"
)
# a PIN, perhaps a few words on: "pincode 12345", "Pincode DigiD app 12345"
PIN = re.compile(
    r"(?<!\w)(?i:pin ?-?code|pin)(?!\w)(?: [^\W\d_]{1,15}){0,3}? {0,2}(?:(?:[:=]|is|was) {0,3})?"
    r"\d{4,6}(?!\d|[.,:]\d)"
)
SYMBOLS = frozenset("!@#$^&*?+=_~<>|\\")


def _secret(value: str, shortest: int) -> bool:
    """Reads as a password or user name: letters and digits, or a symbol inside; or digits
    alone after "is" or a colon (a PIN). Punctuation that ends the sentence does not count."""
    value = value.rstrip(".,;:?!)'\"")
    if len(value) < shortest:
        return False
    letters, digits = any(c.isalpha() for c in value), any(c.isdigit() for c in value)
    return (letters and digits) or (letters and any(c in SYMBOLS for c in value))


def credential_spans(text: str) -> Spans:
    spans = [match.span() for match in PIN.finditer(text)]
    for match in CREDENTIALS.finditer(text):
        if _secret(match.group("value"), 4 if match.group("link") else 7):
            spans.append(match.span())
    for match in NAMED_CREDENTIALS.finditer(text):
        if _secret(match.group("value"), 6):
            spans.append(match.span())
    return spans


# A BSN after its word, in any grouping ("bsn 111 222 33 3"): the word says what the digits are
BSN_NAMED = re.compile(
    r"(?i:\bbsn|burgerservicenummer|sofinummer|sofi-nummer)\w{0,6}\.?:? {0,3}(?:is )?"
    r"(?P<number>\d(?:[ .\-/]{0,2}\d){7,8})(?!\d)"
)


def named_bsn_spans(text: str) -> Spans:
    """A citizen service number after its word, grouped any way; the digits pass the 11-test."""
    spans = []
    for match in BSN_NAMED.finditer(text):
        digits = re.sub(r"\D", "", match.group("number")).zfill(9)
        if bsn.is_valid(digits) and not digits.startswith("00"):
            spans.append(match.span("number"))
    return spans
