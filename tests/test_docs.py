"""The README and docs/ hold together: every relative link finds its file and heading, and
every page under docs/ can be reached from the README."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto:, ...


def pages() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def prose(path: Path) -> str:
    """The page without its code blocks (a fenced block may show link-like text)."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def relative_links(path: Path) -> list[str]:
    """Every link of the page that points into the repository (web and mail links left out)."""
    text = CODE_SPAN.sub("", prose(path))
    return [target for target in LINK.findall(text) if target and not SCHEME.match(target)]


def slug(heading: str) -> str:
    """The anchor GitHub makes of a heading: its text in lower case, punctuation other than
    hyphens and underscores dropped, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"[`*]", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a page's headings; a repeated one gets -1, -2, ... as on GitHub."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(prose(path)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def resolve(page: Path, target: str) -> tuple[Path, str]:
    """The file a link points to and its anchor ("" when none)."""
    address, _hash, anchor = target.partition("#")
    file = (page.parent / unquote(address)).resolve() if address else page
    return file, unquote(anchor)


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("The desk's script saves through the API", "the-desks-script-saves-through-the-api"),
        ("JSON API v1", "json-api-v1"),
        ("Log-in", "log-in"),
        ("`make run` and *more*", "make-run-and-more"),
        ("Link rows carry month, branch and counted", "link-rows-carry-month-branch-and-counted"),
    ],
)
def test_slugs_are_githubs(heading, anchor):
    assert slug(heading) == anchor


@pytest.mark.parametrize("page", pages(), ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_finds_its_target(page):
    broken = []
    for target in relative_links(page):
        file, anchor = resolve(page, target)
        if not file.exists():
            broken.append(f"{target}: no file {file.relative_to(ROOT)}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading in {file.name} makes #{anchor}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_every_docs_page_is_linked_from_the_readme():
    linked = {resolve(README, target)[0] for target in relative_links(README)}
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked]
    assert not unlinked, f"README.md does not link {unlinked}"


def test_every_page_under_docs_can_be_reached_from_the_readme():
    reached, todo = {README.resolve()}, [README]
    while todo:
        page = todo.pop()
        for target in relative_links(page):
            file = resolve(page, target)[0]
            if file.suffix == ".md" and file.exists() and file not in reached:
                reached.add(file)
                todo.append(file)
    unreached = [p for p in DOCS.rglob("*.md") if p.resolve() not in reached]
    assert not unreached, f"not reachable from README.md: {unreached}"
