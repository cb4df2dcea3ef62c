"""The patterns the privacy guard looks for, each bounded (linear time on any text)."""

import re

from phonenumbers import PhoneNumberType

# An e-mail address is found from each "@" outwards, in bounded steps: a pattern that scans
# for addresses backtracked quadratically (a long label took minutes).
EMAIL_LOCAL = re.compile(r"[\w.+-]{1,64}$")
EMAIL_DOMAIN = re.compile(r"[\w-]{1,63}(?:[.,][\w-]{1,63}){1,8}")
EMAIL_PROVIDER = re.compile(r"[A-Za-z][\w-]{1,62}")  # jan.jansen@hotmail (no dot typed)
# jan[at]example.nl, jan (at) example [dot] nl, jan(a)example.nl, jan[@]example.nl
# jan apenstaartje example punt nl (as dictated); a bare "punt" or "at" only before a domain
TLD = r"(?:nl|be|de|com|org|net|eu|info|frl)\b"
AT_WORD = re.compile(
    r"\s{0,3}[\[\(\{]\s{0,3}(?:at|a|apenstaartje)\s{0,3}[\]\)\}]\s{0,3}"
    # an @ in brackets only between a name and a domain: "Waar zit de (@)?" is the key itself
    r"|(?<=\w) {0,3}[\[\(\{]@[\]\)\}] {0,3}(?=[\w-]{1,63}\.[A-Za-z])"
    rf"| {{1,3}}apenstaartje {{1,3}}|(?<=\w) {{1,3}}at {{1,3}}(?=[\w-]{{1,63}}\.{TLD})",
    re.I,
)
SPACED_DOT = re.compile(r"(?<=\w) {1,2}\. {1,2}(?=\w)")
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
POSTCODE = r"[1-9]\d{3}([ -]?)([A-Za-z]{2})"
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
# "06:12345678", "06,12345678": eight digits after 06 and a colon or comma (a time or an
# amount has two)
MOBILE_ODD_SEPARATOR = re.compile(r"(?<![\w:.,])06[:,](?= ?\d{8}(?!\d))")
# "tel0612345678", "tel.+31...", "telnr:06...": the word glued to the number it names
TEL_GLUED = re.compile(r"(?i)\b(tel(?:efoon)?(?:nr|nummer)?[.:]?)(?=[0+]\d)")
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
