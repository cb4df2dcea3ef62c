"""Names of people: after a title (mevrouw Jansen, dhr. De Vries, fam. Yilmaz), after initials
(J. Jansen, J.P. van der Berg), and a first name and a surname that the name lists know (Jan
de Vries, Fatma Yilmaz). The lists are deduce's (UMC Utrecht's Dutch de-identification
library, maintained on PyPI): its files are read, the library itself is never imported (that
costs 7 s and 1 GB per process, see docs/privacy-and-security.md)."""

import importlib.util
import re
from functools import cache
from pathlib import Path

from ido.core.taxonomy.defaults import AGENCIES

Spans = list[tuple[int, int]]

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
# a capitalised word, perhaps double-barrelled: Jansen, Özdemir, Jansen-Bakker, D'Souza
CAPITALISED = (
    rf"[{UPPER}](?:'[{UPPER}])?[{LOWER}'’]{{1,30}}(?:-[{UPPER}][{LOWER}'’]{{1,30}})?(?![\w-])"
)
INTERFIX = (
    r"(?:(?i:van|in|op|uit|bij|aan) (?i:de|den|der|het|'t|t)|(?i:van|de|den|der|te|ten|ter|"
    r"von|du|da|di|le|la|el|al|de la)|'t|(?i:v\.? ?d\.?|v/d))"
)
TITLE = (
    r"(?i:mevrouw|mevr\.?|mw\.?|mvr\.?|mej\.?|meneer|mijnheer|mnr\.?|dhr\.?|de heer|heer|"
    r"fam\.?|familie|dr\.|drs\.|ir\.|ing\.|prof\.|mr\.)"
)
INITIALS = rf"(?:[{UPPER}]\. ?){{1,4}}"
TITLED = re.compile(
    rf"(?<![\w.]){TITLE} {{1,2}}(?:{INITIALS} ?)?(?:{INTERFIX} {{1,2}})?(?P<name>{CAPITALISED})"
)
INITIALED = re.compile(
    rf"(?<![\w.]){INITIALS} ?(?:(?P<interfix>{INTERFIX}) {{1,2}})?(?P<name>{CAPITALISED})"
)
WORD = re.compile(rf"(?<![\w.'-]){CAPITALISED}")
PAIR = re.compile(
    rf"(?P<first>{CAPITALISED}) {{1,2}}(?:(?P<interfix>{INTERFIX}) {{1,2}})?(?P<last>{CAPITALISED})"
)
# as lists and forms write it: "Jansen, Piet"
REVERSED = re.compile(rf"(?<![\w.'-])(?P<last>{CAPITALISED}), {{1,2}}(?P<first>{CAPITALISED})")
# capitalised words that start a sentence or name a thing, never a person after a title or
# an initial ("optie B. Daarna", "N.B. Toeslagen", "meneer van de Bibliotheek")
NOT_NAMES = frozenset(
    [
        "daarna",
        "daarom",
        "toen",
        "dus",
        "ook",
        "nog",
        "wel",
        "niet",
        "morgen",
        "vandaag",
        "gisteren",
        "verder",
        "eerst",
        "klant",
        "bezoeker",
        "volgende",
        "vervolg",
        "afspraak",
        "uitleg",
        "uitgelegd",
        "geholpen",
        "samen",
        "terug",
        "bellen",
        "gebeld",
        "zie",
        "let",
        "graag",
        "helaas",
        "opgelost",
        "bibliotheek",
        "balie",
        "brief",
        "formulier",
        "aanvraag",
        "aangifte",
        "app",
        "website",
        "mijn",
        "ministerie",
        "rijksoverheid",
        "overheid",
        "digid",
        "toeslag",
        "toeslagen",
        "zorgtoeslag",
        "huurtoeslag",
        "belasting",
        "inkomstenbelasting",
        "nederland",
        "utrecht",
        "amsterdam",
        "rotterdam",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ]
)


@cache
def _lists() -> Path:
    # find_spec locates the package without running it: its __init__ loads NumPy and builds
    # deduce's lookup structures, which the guard does not need
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("deduce, whose name lists the privacy guard reads, is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "lookup" / "src"


def _read(folder: str) -> frozenset[str]:
    """A deduce list: its items less its exceptions."""

    def lines(name: str) -> set[str]:
        path = _lists() / folder / name
        return set(path.read_text(encoding="utf-8").splitlines()) if path.exists() else set()

    return frozenset(lines("items.txt") - lines("exceptions.txt") - {""})


@cache
def first_names() -> frozenset[str]:
    interfixes = {word.capitalize() for word in _read("names/lst_interfix")}
    return _read("names/lst_first_name") - interfixes - {w.capitalize() for w in common_words()}


@cache
def surnames() -> frozenset[str]:
    return _read("names/lst_surname") | {
        name.rsplit(" ", 1)[-1] for name in _read("names/lst_interfix_surname")
    }


@cache
def not_names() -> frozenset[str]:
    """Lower-case words that never name a person: the words above and the agencies' names."""
    return NOT_NAMES | {w.lower() for _, _, name, _ in AGENCIES for w in re.findall(r"\w+", name)}


@cache
def common_words() -> frozenset[str]:
    """Lower-case words that are seldom a name alone: deduce's common and stop words too
    (berg, wit, stad; after an interfix they are: "J. van den Berg")."""
    return frozenset(
        {w.lower() for w in _read("whitelist/lst_common_word")}
        | {w.lower() for w in _read("whitelist/lst_stop_word")}
        | not_names()
    )


def _first(word: str) -> str:
    return word.split("-")[0].lower()


def name_spans(text: str) -> Spans:
    """A person named with a title or initials, or by a first name and a known surname."""
    spans = [m.span() for m in TITLED.finditer(text) if _first(m.group("name")) not in not_names()]
    spans += [
        m.span()
        for m in INITIALED.finditer(text)
        if _first(m.group("name")) not in (not_names() if m.group("interfix") else common_words())
    ]
    firsts, lasts = first_names(), surnames()
    spans += [
        m.span()
        for m in REVERSED.finditer(text)
        if m.group("first") in firsts
        and m.group("last").split("-")[0] in lasts
        and _first(m.group("last")) not in common_words()
    ]
    for word in WORD.finditer(text):
        if word.group() not in firsts:
            continue
        pair = PAIR.match(text, word.start())
        if pair and pair.group("last").split("-")[0] in lasts:
            last = _first(pair.group("last"))
            if last not in (not_names() if pair.group("interfix") else common_words()):
                spans.append(pair.span())
    return spans
