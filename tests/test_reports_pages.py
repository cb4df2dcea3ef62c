"""The dashboard and the national-form summary pages, with their scope."""

import re


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
    assert _table(html, "Per onderwerp") == {
        "DigiD": 2,
        "Toeslagen": 1,
        "DigiD-app": 1,
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
