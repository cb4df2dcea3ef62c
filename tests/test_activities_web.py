"""Activities on the pages and in the API: a coordinator records one, the desk counts people
in two taps (no JavaScript), refusals change nothing, the report's convenant mark, the CSV,
XLSX and JSON agree, and another library sees none of it; the years a branch takes part in the
convenant, set on the branch's page."""

import csv
import io
import re
from datetime import date, time, timedelta

import openpyxl

from ido.core.activities import ActivityData, Rule, save_activity
from ido.core.db import db
from ido.core.models import ActivityKind, ActivitySession, AuditEvent
from ido.core.organisation import update_branch
from ido.core.timeutil import now_local

from .conftest import Auth
from .helpers import branch


def _spreekuur(app, weeks_back=3, weeks_on=2, convenant=True, form="in_person") -> list[int]:
    """A weekly spreekuur at a1 from some weeks back; the ids of its sessions, oldest first."""
    with app.test_request_context():
        kind = db.session.scalar(
            db.select(ActivityKind).where(ActivityKind.code == "belastinghulp")
        )
        today = now_local().date()
        rule = Rule(
            "weekly", today - timedelta(weeks=weeks_back), until=today + timedelta(weeks=weeks_on)
        )
        data = ActivityData(
            branch("a1"), kind, rule, time(9), time(11), convenant=convenant, form=form
        )
        ids = [s.id for s in save_activity(data, None).sessions]
        db.session.commit()
        return ids


def _state(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(db.select(ActivitySession).order_by(ActivitySession.id))
        events = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
        return [(s.day, s.start_time, s.cancelled, s.attendance) for s in rows] + [events]


def test_a_coordinator_records_a_spreekuur_and_refusals_change_nothing(app, client, auth):
    auth.login("coord@a.example")
    today = now_local().date()
    form = {
        "branch": "a1",
        "kind": "ido_spreekuur",
        "partner": "",
        "form": "telephone",
        "convenant": "y",
        "topics": ["toeslagen"],
        "first_day": today.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "repeat": "monthly",
        "nth": "-1",
        "until": (today + timedelta(days=180)).isoformat(),
    }
    for bad in (
        {"end_time": "09:00"},
        {"until": (today + timedelta(days=3000)).isoformat()},
        # a name shown to every desk and in the API: no visitor's personal data
        {"title": "Hulp mevrouw Jansen 06-12345678"},
        {"title": "spreekuur jan.jansen@gmail.com"},
    ):
        before = _state(app)
        assert client.post("/admin/activities", data={**form, **bad}).status_code == 422
        assert _state(app) == before
    made = client.post("/admin/activities", data=form)
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Bijeenkomsten" in page
    with app.app_context():
        sessions = db.session.scalars(db.select(ActivitySession)).all()
        assert 5 <= len(sessions) <= 7 and sessions[0].activity.topics[0].code == "toeslagen"
        first, second = sessions[0].id, sessions[1].id
    assert (
        client.post(f"/admin/sessions/{first}/cancel", data={"cancelled": "y"}).status_code == 302
    )
    moved = {
        "day": (today + timedelta(days=40)).isoformat(),
        "start_time": "13:00",
        "end_time": "14:00",
    }
    assert client.post(f"/admin/sessions/{second}/move", data=moved).status_code == 302
    before = _state(app)
    assert (
        client.post(
            f"/admin/sessions/{second}/move", data={**moved, "end_time": "12:00"}
        ).status_code
        == 422
    )
    assert _state(app) == before
    with app.app_context():
        assert db.session.get(ActivitySession, first).cancelled
        assert db.session.get(ActivitySession, second).moved
    # library B: the same answer as for nothing at all
    other = app.test_client()
    Auth(other).login("coord@b.example")
    for path in (f"/admin/sessions/{second}/move", "/admin/activities/1"):
        assert other.get(path).status_code == 404
    assert other.post(f"/admin/sessions/{first}/attendance", data={"count": "3"}).status_code == 404
    assert "A Centrum" not in other.get("/admin/activities").get_data(as_text=True)


def test_the_desk_counts_people_in_two_taps_without_javascript(app, client, auth):
    ids = _spreekuur(app, weeks_back=1, weeks_on=1)  # last week, today, next week
    auth.login("vol@a.example")
    desk = client.get("/desk/").get_data(as_text=True)
    assert desk.count('class="session-tile"') == 2  # last week's and today's, not next week's
    tile = f'action="/desk/sessions/{ids[1]}/attendance"'
    assert tile in desk and 'name="count" value="10"' in desk
    answer = client.post(f"/desk/sessions/{ids[1]}/attendance", data={"count": "7"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/desk/")
    before = _state(app)
    assert before[1][3] == 7
    for count in ("-1", "1001", "veel", ""):
        assert (
            client.post(f"/desk/sessions/{ids[0]}/attendance", data={"count": count}).status_code
            == 422
        )
    assert (
        client.post(f"/desk/sessions/{ids[2]}/attendance", data={"count": "3"}).status_code == 422
    )
    other = app.test_client()
    Auth(other).login("vol@b.example")
    assert other.post(f"/desk/sessions/{ids[0]}/attendance", data={"count": "3"}).status_code == 404
    assert other.post("/desk/sessions/999999/attendance", data={"count": "3"}).status_code == 404
    assert _state(app) == before


def _sign_up(app, code: str, years: list[int]) -> None:
    with app.app_context():
        found = branch(code)
        update_branch(
            found,
            found.name,
            found.municipality,
            found.in_library,
            True,
            None,
            convenant_years=years,
        )
        db.session.commit()


def test_figures_with_the_convenant_mark_agree_in_page_csv_xlsx_and_json(app, client, auth):
    ids = _spreekuur(app, weeks_back=1, weeks_on=1, form="telephone")
    _sign_up(app, "a1", [now_local().year])
    auth.login("coord@a.example")
    client.put(f"/api/v1/sessions/{ids[0]}/attendance", json={"count": 4})
    assert client.put(f"/api/v1/sessions/{ids[1]}/attendance", json={"count": 4}).status_code == 200
    assert (
        client.put(f"/api/v1/sessions/{ids[1]}/attendance", json={"count": -2}).status_code == 422
    )
    deep = "[" * 200_000 + "]" * 200_000  # nested deeper than the parser goes: a clear 400
    answer = client.put(
        f"/api/v1/sessions/{ids[1]}/attendance", data=deep, content_type="application/json"
    )
    assert (
        answer.status_code == 400 and answer.get_json()["errors"]["_"][0]["code"] == "bad_request"
    )
    year = now_local().year
    held = 2 if (now_local().date() - timedelta(weeks=1)).year == year else 1
    page = client.get(f"/reports/activities?year={year}").get_data(as_text=True)
    assert f"{held} van 4 — nog {4 - held} nodig" in page
    api = client.get(f"/api/v1/activities/figures?year={year}&branch=a1").get_json()
    row = api["rows"][0]
    assert (row["held"], row["convenant_held"], row["still_needed"]) == (held, held, 4 - held)
    assert row["reached"] == row["reached_other_form"] == 4 * held
    text = client.get(f"/reports/activities.csv?year={year}&branch=a1&dialect=rfc4180").get_data(
        as_text=True
    )
    records = list(csv.DictReader(io.StringIO(text)))
    assert records[0]["held"] == str(held) and records[0]["still_needed"] == str(4 - held)
    assert records[0]["reached_other_form"] == str(4 * held) and records[0][
        "kind_belastinghulp"
    ] == str(held)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/activities.xlsx?year={year}&branch=a1").data)
    )
    header, first = list(book.active.iter_rows(values_only=True))[:2]
    assert dict(zip(header, first, strict=True))["bereikt"] == 4 * held
    sessions = client.get("/api/v1/sessions?branch=a1").get_json()["sessions"]
    assert [s["attendance"] for s in sessions] == [4, 4, None]
    # library B sees none of it, in the API nor in its report
    other = app.test_client()
    Auth(other).login("coord@b.example")
    assert other.get("/api/v1/sessions").get_json() == {"sessions": []}
    assert other.get("/api/v1/sessions?branch=a1").status_code == 422
    assert other.put(f"/api/v1/sessions/{ids[0]}/attendance", json={"count": 1}).status_code == 404
    assert [r["branch"] for r in other.get("/api/v1/activities/figures").get_json()["rows"]] == [
        "b1"
    ]
    assert "A Centrum" not in other.get(f"/reports/activities?year={year}").get_data(as_text=True)


def _years(app) -> tuple:
    with app.app_context():
        rows = db.session.execute(db.text("SELECT branch_id, year FROM branch_convenant_year"))
        events = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
        return sorted(tuple(r) for r in rows), events


def test_the_years_a_branch_takes_part_are_set_on_its_page(app, client, auth, monkeypatch):
    with app.app_context():
        a1, b1 = branch("a1").id, branch("b1").id
    this_year = now_local().year
    offered = list(range(2024, max(2027, this_year) + 1))
    auth.login("coord@a.example")
    page = client.get(f"/admin/branches/{a1}").get_data(as_text=True)
    boxes = re.findall(r'name="convenant_years"\s+value="(\d+)"', page)
    assert boxes == [str(year) for year in offered]
    base = {"name": "A Centrum", "municipality": "Astad", "in_library": "y", "active": "y"}
    before = _years(app)
    for wrong in ([str(offered[-1] + 1)], ["2023"], ["twee"], ["2025", "20251"]):
        answer = client.post(f"/admin/branches/{a1}", data={**base, "convenant_years": wrong})
        assert answer.status_code == 422, wrong
        assert _years(app) == before
    saved = client.post(f"/admin/branches/{a1}", data={**base, "convenant_years": ["2025", "2026"]})
    assert saved.status_code == 302
    page = client.get(f"/admin/branches/{a1}").get_data(as_text=True)
    ticked = re.findall(r'name="convenant_years"\s+value="(\d+)"\s+checked', page)
    assert ticked == ["2025", "2026"]
    with app.app_context():
        assert branch("a1").convenant_years == [2025, 2026]
        event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.entity, event.entity_id) == ("branch", str(a1))
        assert event.changes == {"convenant_years": [[], [2025, 2026]]}
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert "Doet mee aan het convenant in" in trail and "2025, 2026" in trail
    # another library's branch answers as an unknown one, and changes nothing
    before = _years(app)
    for wrong in (b1, 999999):
        answer = client.post(f"/admin/branches/{wrong}", data={**base, "convenant_years": ["2026"]})
        assert answer.status_code == 404
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    answer = client.post(f"/admin/branches/{a1}", data={**base, "convenant_years": ["2024"]})
    assert answer.status_code == 400  # no CSRF token
    assert _years(app) == before
    page = client.get(f"/admin/branches/{a1}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    data = {**base, "csrf_token": token.group(1)}  # no box ticked: taking part in no year
    assert client.post(f"/admin/branches/{a1}", data=data).status_code == 302
    with app.app_context():
        assert branch("a1").convenant_years == []


def test_a_branch_signed_up_without_activities_is_short_and_one_not_signed_up_is_not(
    app, client, auth
):
    """a2 takes part but has planned nothing: 0 of 4, 4 more needed, everywhere; a1 holds
    convenant activities without taking part: it does not take part, its activities count."""
    _spreekuur(app, weeks_back=1, weeks_on=1)
    year = now_local().year
    _sign_up(app, "a2", [year])
    auth.login("coord@a.example")
    page = client.get(f"/reports/activities?year={year}").get_data(as_text=True)
    rows = {
        name: row for name, row in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', page, re.S)
    }
    assert "0 van 4 — nog 4 nodig" in rows["A Dorp"]
    assert "doet niet mee" in rows["A Centrum"] and "nodig" not in rows["A Centrum"]
    today = now_local().date()
    marked = sum((today + timedelta(weeks=n)).year == year for n in (-1, 0, 1))
    assert f"{marked} aangemerkt voor het convenant" in rows["A Centrum"]  # held and planned
    held = 2 if (now_local().date() - timedelta(weeks=1)).year == year else 1
    api = client.get(f"/api/v1/activities/figures?year={year}").get_json()["rows"]
    by_code = {row["branch"]: row for row in api}
    assert (by_code["a2"]["takes_part"], by_code["a2"]["still_needed"]) == (True, 4)
    assert by_code["a2"]["convenant_minimum"] == 4 and by_code["a2"]["held"] == 0
    assert by_code["a1"]["takes_part"] is False and by_code["a1"]["still_needed"] is None
    assert by_code["a1"]["convenant_held"] == by_code["a1"]["held"] == held
    text = client.get(f"/reports/activities.csv?year={year}&dialect=rfc4180").get_data(as_text=True)
    records = {r["branch"]: r for r in csv.DictReader(io.StringIO(text))}
    assert (records["a2"]["takes_part"], records["a2"]["still_needed"]) == ("yes", "4")
    assert (records["a1"]["takes_part"], records["a1"]["still_needed"]) == ("no", "")
    dutch = client.get(f"/reports/activities.csv?year={year}").get_data(as_text=True)
    assert "doet_mee_convenant" in dutch.splitlines()[0]
    workbook = client.get(f"/reports/activities.xlsx?year={year}").data
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    header, *lines = list(book.active.iter_rows(values_only=True))
    sheet = {line[1]: dict(zip(header, line, strict=True)) for line in lines}
    assert (sheet["a2"]["doet_mee_convenant"], sheet["a2"]["nog_nodig"]) == ("ja", 4)
    assert (sheet["a1"]["doet_mee_convenant"], sheet["a1"]["nog_nodig"]) == ("nee", None)
    assert sheet["a1"]["gehouden"] == held  # its activities still count
    # the year before: a2 did not take part
    before = client.get(f"/api/v1/activities/figures?year={year - 1}&branch=a2").get_json()
    assert before["rows"][0]["takes_part"] is False
    # the municipality report lists a2 too, 4 more needed
    report = client.get(f"/reports/municipality?municipality=Adorp&period={year}")
    assert report.status_code == 200, report.get_data(as_text=True)[:500]
    assert "nog 4 nodig" in report.get_data(as_text=True)


def test_a_quarter_of_the_municipality_report_marks_what_the_year_still_needs(app, client, auth):
    """A branch signed up for 2025 held 3 convenant activities in its first quarter and 1 in
    the second: the first quarter says 1 more needed, the second (the year up to it) none."""
    with app.test_request_context():
        kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "aangiftedag"))
        rule = Rule("monthly", date(2025, 1, 7), until=date(2025, 4, 30), nth=1)
        data = ActivityData(branch("a1"), kind, rule, time(10), time(12), convenant=True)
        assert len(save_activity(data, None).sessions) == 4
        db.session.commit()
    _sign_up(app, "a1", [2025])
    auth.login("coord@a.example")

    def block(period: str) -> str:
        page = client.get(f"/reports/municipality?municipality=Astad&period={period}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return text[text.index('id="activities-heading"') :]

    assert "nog 1 nodig" in block("2025-Q1")
    assert "nodig" not in block("2025-Q2") and "nodig" not in block("2025")


def test_a_coordinator_changes_an_activity_and_counts_a_session_on_its_page(app, client, auth):
    ids = _spreekuur(app, weeks_back=2, weeks_on=2)
    with app.app_context():
        activity_id = db.session.get(ActivitySession, ids[0]).activity_id
    auth.login("coord@a.example")
    today = now_local().date()
    form = {
        "branch": "a1",
        "kind": "belastinghulp",
        "partner": "",
        "form": "online",
        "title": "Belastingaangifte samen doen",
        "first_day": (today - timedelta(weeks=2)).isoformat(),
        "until": (today + timedelta(weeks=2)).isoformat(),
        "repeat": "weekly",
        "nth": "1",
        "start_time": "09:00",
        "end_time": "11:00",
    }
    page = f"/admin/activities/{activity_id}"
    saved = client.post(page, data=form)
    assert saved.status_code == 302 and saved.headers["Location"] == page
    assert "Activiteit opgeslagen." in client.get(page).get_data(as_text=True)
    before = _state(app)
    for count in ("veel", "-1", ""):
        refused = client.post(f"/admin/sessions/{ids[0]}/attendance", data={"count": count})
        assert refused.status_code == 422, count
    assert _state(app) == before
    counted = client.post(f"/admin/sessions/{ids[0]}/attendance", data={"count": "6"})
    assert counted.status_code == 302
    assert counted.headers["Location"] == f"{page}#s{ids[0]}"
    assert "6 mensen geteld." in client.get(page).get_data(as_text=True)
    with app.app_context():
        session = db.session.get(ActivitySession, ids[0])
        assert (session.activity.title, session.activity.form) == (form["title"], "online")
        assert session.attendance == 6 and session.counted_at is not None
        trail = db.session.scalars(
            db.select(AuditEvent.entity).where(AuditEvent.entity.like("activity%"))
        ).all()
        assert trail.count("activity") == 2  # made, then changed
        assert trail.count("activity_session") == 1
