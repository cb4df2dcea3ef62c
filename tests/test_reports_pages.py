"""The dashboard and the national-form summary pages, with their scope."""

import re

import pytest


def _table(html: str, title: str) -> dict[str, int]:
    """The numbers table under a chart, as {label: count}."""
    start = html.index(f"<h3>{title}</h3>")
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table)
    return {label: int(count) for label, count in rows}


def test_dashboard_shows_every_dimension_with_tables(client, counted, auth):
    auth.login("coord@a.example")
    response = client.get("/reports/?from=2026-01&to=2026-11")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _table(html, "Per onderwerp") == {  # the follow-up DigiD-app is under DigiD
        "DigiD": 2,
        "Toeslagen": 1,
        "Gemeentelijke regelingen en dienstverlening": 1,
        "Zorg en Wmo (CAK, CIZ, zorgverzekering)": 1,
    }
    assert _table(html, "Doorverwezen naar") == {"UWV": 1}
    assert _table(html, "Kanaal") == {"Aan de balie": 3, "Telefonisch": 1}
    assert _table(html, "Per vestiging") == {"A Centrum": 3, "A Dorp": 1}
    assert _table(html, "Per gemeente") == {"Astad": 3, "Adorp": 1}
    trend = _table(html, "Bezoekers per maand")
    assert len(trend) == 12 and trend["2026-11"] == 1 and trend["2026-10"] == 0
    # beside the visitors: the questions and the hours of help, per month, branch and town
    table = html[html.index("<h3>Per vestiging</h3>") :]
    table = table[: table.index("</table>")]
    assert re.search(
        r'A Centrum</th><td class="num">3</td><td class="num">4</td><td class="num">1,1</td>',
        table,
    )
    assert '<th scope="col" class="num">Uren hulp</th>' in table
    assert html.count('role="img"') >= 8  # charts drawn on the server as SVG
    assert "B Centrum" not in html


def test_dashboard_filters_by_branch_and_municipality(client, counted, auth):
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-11&branch=a2").get_data(as_text=True)
    assert _table(html, "Per vestiging") == {"A Dorp": 1}
    html = client.get("/reports/?from=2026-01&to=2026-11&municipality=Astad").get_data(as_text=True)
    assert _table(html, "Per vestiging") == {"A Centrum": 3}
    assert client.get("/reports/?branch=b1").status_code == 422  # as an unknown code
    assert client.get("/reports/?from=vorige-maand").status_code == 422


def test_dashboard_this_month_against_last(client, counted, auth):
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-02").get_data(as_text=True)
    assert re.search(r'kpi-value">1</span>\s*bezoeker in februari 2026', html)
    assert re.search(r'kpi-value">1</span>\s*in januari 2026', html)
    assert re.search(r'kpi-value">0</span>\s*in februari 2025', html)  # a year before


def test_a_running_month_is_compared_with_the_same_days_before(client, org, app, auth):
    """On the 22nd, the 1st to the 22nd against the 1st to the 22nd of last month (and of
    the same month last year), with the hours of help; not against a whole month."""
    from datetime import timedelta

    from ido.core.timeutil import add_months, now_local

    from .helpers import store_question

    today = now_local()
    this_month = today.date().replace(day=1)
    before = add_months(this_month, -1)
    with app.app_context():
        store_question("a1", today - timedelta(minutes=5), ["digid"], duration=90)
        # last month: one on the first day, one after today's day-of-month (or its last day)
        first = today.replace(year=before.year, month=before.month, day=1)
        store_question("a1", first, ["digid"], duration=30)
        if today.day < 28:
            store_question("a1", first.replace(day=28), ["digid"])  # later in that month
    auth.login("coord@a.example")
    html = client.get("/").headers["Location"]
    assert html == "/reports/"  # coordinators land on their reports
    html = client.get("/reports/").get_data(as_text=True)
    assert re.search(r'kpi-value">1</span>\s*bezoeker van 1 ', html)
    assert "1,5 uur hulp" in html  # 90 minutes
    assert re.search(r'kpi-value">1</span>\s*in dezelfde dagen van ', html)
    assert "0,5 uur hulp" in html


def test_national_summary_in_form_order(client, counted, auth):
    auth.login("coord@a.example")
    html = client.get("/reports/national?month=2026-03&branch=a1").get_data(as_text=True)
    sections = re.findall(r"<legend>\d+\. ([^<]+)</legend>", html)
    assert sections == [
        "Aantal vragen",
        "Soort vraag",
        "Onderwerp",
        "Organisatie waarover de vraag gaat",
        "Overheid waarover de vraag gaat, per soort",
        "Doorverwezen",
        "Doorverwezen naar",
        "Geboden hulp",
        "Kanaal",
        "Duur",
    ]
    lines = dict(
        re.findall(
            r'<label for="t-a1-[^"]+">([^<]+)</label></th>\s*'
            r'<td class="num">(\d+)</td>',
            html,
        )
    )
    assert lines["Bezoekers (registraties)"] == "1" and lines["Vragen (onderwerpen)"] == "1"
    assert lines["Digitale overheid"] == "1"
    assert lines["UWV"] == "1" and lines["Telefonisch"] == "1" and lines["Fysiek"] == "0"
    # no duration bands configured: per preset of the desk
    assert lines["45 minuten"] == "1" and lines["Andere duur"] == "0"
    assert lines["Doorverwezen"] == "1" and lines["Niet doorverwezen"] == "0"
    assert "Ingedeeld volgens de ingebouwde indeling" in html
    assert 'type="checkbox"' in html
    assert client.get("/reports/national?month=2026-03&branch=b1").status_code == 422  # as unknown


def test_report_pages_refuse_volunteers(client, counted, auth):
    auth.login("vol@a.example")
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/national").status_code == 403
    assert "/reports/" not in client.get("/desk/").get_data(as_text=True)


def test_visitors_and_questions_are_counted_apart(client, counted, auth):
    """One entry is one visitor; each topic is one question, a follow-up with its topic one:
    January to March of the fixture holds four entries (one of library B) with five topics."""
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-03").get_data(as_text=True)
    # a1: digid_app (1 question: DigiD), toeslagen + gemeente (2), digid (1)
    assert re.search(r'kpi-value">3</span>\s*bezoekers van jan', html)
    assert "4 vragen" in html and "Zo wordt geteld: één registratie" in html
    html = client.get("/reports/national?month=2026-01&branch=a1").get_data(as_text=True)
    assert re.search(r"Vragen \(onderwerpen\)</label></th>\s*<td class=\"num\">2</td>", html)


def _rows(html: str, title: str) -> list[tuple[str, str, int, int]]:
    """The rows of the numbers table under a chart: (class, label, count, share)."""
    start = html.index(f"<h3>{title}</h3>")
    table = html[start : html.index("</table>", start)]
    rows = re.findall(
        r'<tr(?: class="(\w+)")?><th scope="row">(.*?)</th><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)',
        table,
    )
    return [(kind, re.sub(r"<[^>]+>", "", label), int(n), int(pct)) for kind, label, n, pct in rows]


def _heading(html: str, title: str) -> str:
    """The heading of the count column of the table under a chart."""
    start = html.index(f"<h3>{title}</h3>")
    return re.search(r'<th scope="col" class="num">([^<]+)</th>', html[start:])[1]


def test_each_table_names_what_it_counts(client, counted, auth):
    """Topics count questions; channel, outcome, help, weekday, hour, agency and referral
    count entries, that is visitors (a visitor with two topics has one channel)."""
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-11").get_data(as_text=True)
    assert _heading(html, "Per onderwerp") == "Vragen"
    for title in ("Kanaal", "Uitkomst", "Geboden hulp", "Per weekdag", "Per uur"):
        assert _heading(html, title) == "Bezoekers", title
    assert _heading(html, "Doorverwezen naar") == "Bezoekers"
    channels = sum(n for _k, _l, n, _p in _rows(html, "Kanaal"))
    days = sum(n for _k, _l, n, _p in _rows(html, "Per weekdag"))
    assert channels == days == 4  # the visitors, not the five questions
    assert re.search(r'kpi-value">4</span>\s*bezoekers van jan', html)


def test_follow_ups_stand_under_their_topic_with_a_share_of_it(client, counted, auth):
    """DigiD-app is one of the two DigiD questions: 50 % of DigiD, in a row under it; the
    topics alone add up to the questions (5) and to 100 %, the follow-up not counted twice."""
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-11").get_data(as_text=True)
    rows = _rows(html, "Per onderwerp")
    assert rows[:2] == [("", "DigiD", 2, 40), ("followup", "waarvan DigiD-app", 1, 50)]
    topics = [row for row in rows if row[0] == ""]
    assert sum(n for _k, _l, n, _p in topics) == 5  # the questions of the period
    assert sum(p for _k, _l, _n, p in topics) == 100
    assert '50<span class="visually-hidden"> % van DigiD</span>' in html
    assert "DigiD-app: 1</title>" not in html  # the chart draws the topics alone
    html = client.get("/reports/?from=2026-04&to=2026-11").get_data(as_text=True)
    assert "waarvan" not in html  # no follow-up in the period: no note about them


NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.mark.parametrize(
    "language, names, short",
    [("nl", NL_DAYS, "ma di wo do vr za zo"), ("en", EN_DAYS, "Mon Tue Wed Thu Fri Sat Sun")],
)
def test_weekdays_are_named_in_one_form(client, counted, auth, language, names, short):
    """The table gives each day its whole name, the chart's columns each its abbreviation
    (Babel's, of the page's language): never maandag beside woe."""
    client.set_cookie("ido_lang", language)
    auth.login("coord@a.example")
    html = client.get("/reports/?from=2026-01&to=2026-11").get_data(as_text=True)
    title = "Per weekdag" if language == "nl" else "By weekday"
    assert [label for _k, label, _n, _p in _rows(html, title)] == names
    start = html.index(f"<h3>{title}</h3>")
    chart = html[start : html.index("</svg>", start)]
    labels = re.findall(r'class="chart-label small" font-size="12">([^<]+)</text>', chart)
    assert " ".join(labels) == short
