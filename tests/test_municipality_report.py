"""The annual or quarterly report per municipality: the page, the PDF made on the server (its
pages and its text), the comparison with the period before, and refused input."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from ido.core.db import db

from .conftest import Auth
from .helpers import store_question


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_a_quarter_against_the_quarter_before_per_location(client, counted, app, auth):
    """Q1 2026 at Astad: three visitors (four questions, 65 minutes) against one in Q4 2025."""
    with app.app_context():
        store_question("a1", datetime(2025, 12, 5, 10, tzinfo=UTC), ["digid"], duration=30)
    auth.login("coord@a.example")
    response = client.get("/reports/municipality?municipality=Astad&period=2026-Q1")
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "IDO-kwartaalverslag kwartaal 1 van 2026: gemeente Astad" in text
    assert "1 januari 2026 tot en met 31 maart 2026" in text and "tot nu toe" not in text
    assert "Geholpen bezoekers 3 1 +200 %" in text
    assert "Beantwoorde vragen 4 1 +300 %" in text
    assert "Uren hulp 1,1 0,5 +117 %" in text  # 65 minutes against 30
    assert "Doorverwezen bezoekers 1 (33 %)" in text  # to UWV, in March
    assert "De periode ervoor: 1 oktober 2025 tot en met 31 december 2025." in text
    assert "A Centrum 3 4 1,1 1 +200 %" in text and "A Dorp" not in text  # another town
    assert "DigiD" in text and "Zo is geteld" in text


def test_a_running_year_is_compared_with_as_many_days_before(client, counted, app, auth):
    from ido.core.timeutil import now_local

    today = now_local()
    with app.app_context():  # a year ago today counts; a day later not
        store_question("a1", today.replace(year=today.year - 1), ["digid"])
        later = today.replace(year=today.year - 1, day=min(today.day + 1, 28))
        if later.date() > today.replace(year=today.year - 1).date():
            store_question("a1", later, ["digid"])
    auth.login("coord@a.example")
    html = client.get(f"/reports/municipality?municipality=Astad&period={today.year}")
    page = html.get_data(as_text=True)
    text = _text(page)
    assert "(tot nu toe)" in text and "evenveel dagen" in text
    assert re.search(r"Geholpen bezoekers \d+ 1 ", text)
    # the month table compares the same days too: it adds up to the figure above it
    row = re.search(r'<th scope="row">periode ervoor</th>(.*?)</tr>', page, re.S)[1]
    before = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
    assert before[-1] == 1 and sum(before) == 1


@pytest.mark.once  # the PDF's layout
def test_the_pdf_holds_the_report_on_as_few_pages_as_it_needs(client, counted, auth):
    auth.login("coord@a.example")
    response = client.get("/reports/municipality.pdf?municipality=Astad&period=2026-Q1")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="ido-astad-2026-Q1-verslag.pdf"'
    )
    pdf = _pdf(response)
    assert len(pdf.pages) == 1  # three questions: one page
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "IDO-kwartaalverslag kwartaal 1 van 2026: gemeente Astad" in text
    assert "Geholpen bezoekers 3" in text and "A Centrum" in text and "Zo is geteld" in text
    assert pdf.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4 portrait
    assert pdf.pages[0].mediabox.height == pytest.approx(842, abs=1)


def _lowest_text(page) -> float:
    """How far down the page its text goes, as a share of the page's height (0 top, 1 foot),
    leaving out the page number in the margin."""
    lows = []

    def seen(text, cm, tm, _font, _size):
        y = tm[5] * cm[3] + cm[5] if cm else tm[5]
        if text.strip() and not re.fullmatch(r"\d+ / \d+", text.strip()):
            lows.append(y)

    page.extract_text(visitor_text=seen)
    height = float(page.mediabox.height)
    return 1 - min(lows) / height


@pytest.mark.once  # the PDF's layout
@pytest.mark.slow  # a long PDF
@pytest.mark.untraced  # the same lines as the short reports, many times over
def test_a_large_municipality_fills_each_page_before_the_next(client, org, app, auth):
    """Fifteen locations and a question on every topic: more than a page, and no page but
    the last is left half empty by a block pushed to the next."""
    from ido.core.organisation import create_branch
    from ido.core.taxonomy import active_categories

    with app.app_context():
        topics = [t.code for t in active_categories().topics if not t.parent]
        for n in range(15):
            create_branch(f"m{n}", f"Locatie {n:02d} Grootstad", "lib-a", "Grootstad")
            db.session.commit()
            for month in range(1, 13):
                topic = topics[(n + month) % len(topics)]
                at = datetime(2025, month, 10, 10, tzinfo=UTC)
                store_question(f"m{n}", at, [topic], referrals=["uwv"] if month % 3 else [])
    auth.login("coord@a.example")
    pdf = _pdf(client.get("/reports/municipality.pdf?municipality=Grootstad&period=2025"))
    assert 2 <= len(pdf.pages) <= 3
    for page in pdf.pages[:-1]:
        assert _lowest_text(page) > 0.75, "a page ends with its lower part empty"
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "IDO-jaarverslag 2025: gemeente Grootstad" in text
    assert "Locatie 00 Grootstad" in text and "Locatie 14 Grootstad" in text
    assert "Geholpen bezoekers 180" in text and "Doorverwezen bezoekers 120 (67 %)" in text


HYPHENS = ("-", "\u2010")  # WeasyPrint draws U+2010 where it hyphenates


@pytest.mark.once  # the PDF's layout
def test_a_word_too_long_for_its_column_breaks_with_a_hyphen(client, org, app, auth):
    """The three narrow tables hold long names (Schuldhulpverlening, Cliëntondersteuner) and
    the heading Bezoekers: each word of the PDF is whole, or broken with a hyphen, never
    cut between two letters without one (Bezoeker|s)."""
    with app.app_context():
        partners = ["schuldhulp", "clientondersteuning", "belastinghulp", "rvr", "huurcommissie"]
        for n in range(5):
            at = datetime(2025, 3, 10 + n, 10, tzinfo=UTC)
            store_question("a1", at, ["bibliotheek"], referrals=partners[: n + 1])
    auth.login("coord@a.example")
    query = "municipality=Astad&period=2025"
    page = client.get(f"/reports/municipality?{query}").get_data(as_text=True)
    words = set(re.findall(r"\w+", _text(page)))
    pdf = _pdf(client.get(f"/reports/municipality.pdf?{query}"))
    tokens = " ".join(p.extract_text() for p in pdf.pages).split()
    cut, hyphenated = [], []
    for first, then in zip(tokens, tokens[1:], strict=False):
        if first.endswith(HYPHENS) and first[:-1].isalpha():
            hyphenated.append(first[:-1] + then)
        elif first.isalpha() and first not in words and first + then in words:
            cut.append(f"{first}|{then}")
    assert cut == []
    assert {"Schuldhulpverlening", "Bezoekers"} & set(hyphenated)  # the case is tested


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    "query, field, status",
    [
        ("municipality=Astad&period=2026-Q5", "period", 422),
        ("municipality=Astad&period=1999", "period", 422),
        ("municipality=Astad&period=2099", "period", 422),  # not begun
        ("municipality=Astad&period=twintig", "period", 422),
        ("municipality=Astad&period=2026-q1", "period", 422),
        ("municipality=Bstad&period=2026", "municipality", 422),  # library B's: unknown here
        ("municipality=Nergens&period=2026", "municipality", 422),
        ("municipality=%00&period=2026", "municipality", 422),
    ],
)
def test_a_report_that_cannot_be_made_is_refused_clearly(
    client, counted, query, field, status, auth
):
    auth.login("coord@a.example")
    for path in ("/reports/municipality", "/reports/municipality.pdf"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status
    assert response.get_data(as_text=True)  # a page saying what was wrong


def test_the_municipality_is_chosen_when_there_are_several(client, counted, app, auth):
    auth.login("coord@a.example")  # library A: Astad and Adorp
    page = client.get("/reports/municipality?period=2026").get_data(as_text=True)
    assert "Kies een gemeente" in page and "IDO-jaarverslag" not in page
    assert client.get("/reports/municipality.pdf?period=2026").status_code == 422
    client = app.test_client()
    Auth(client).login("coord@b.example")  # one municipality: no need to choose
    page = client.get("/reports/municipality?period=2026").get_data(as_text=True)
    assert "gemeente Bstad" in page


@pytest.mark.once
def test_file_names_are_made_safe_from_any_municipality_name():
    from ido.reports.views import _slug

    assert _slug("Súdwest-Fryslân") == "sudwest-fryslan"
    assert _slug('../../etc/"passwd"\r\n') == "etc-passwd"
    assert _slug("東京") == ""


@pytest.mark.once  # no PDF library
def test_a_server_without_pango_says_so_and_points_to_the_printable_page(
    client, counted, monkeypatch, auth
):
    """WeasyPrint loads Pango when it is first used; where Debian's package is missing the
    PDF link answers 503 with what to do, not a 500."""
    import ido.reports.views

    def no_pango(report):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(ido.reports.views, "report_pdf", no_pango)
    auth.login("coord@a.example")
    response = client.get("/reports/municipality.pdf?municipality=Astad&period=2026")
    assert response.status_code == 503
    assert "Druk in plaats daarvan de verslagpagina af" in response.get_data(as_text=True)
