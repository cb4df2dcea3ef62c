"""Activities on the pages and in the API: a coordinator records one, the desk counts people
in two taps (no JavaScript), refusals change nothing, the report's convenant mark, the CSV,
XLSX and JSON agree, and another library sees none of it."""

import csv
import io
from datetime import time, timedelta

import openpyxl

from ido.core.activities import ActivityData, Rule, save_activity
from ido.core.db import db
from ido.core.models import ActivityKind, ActivitySession, AuditEvent
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
    for bad in ({"end_time": "09:00"}, {"until": (today + timedelta(days=3000)).isoformat()}):
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


def test_figures_with_the_convenant_mark_agree_in_page_csv_xlsx_and_json(app, client, auth):
    ids = _spreekuur(app, weeks_back=1, weeks_on=1, form="telephone")
    auth.login("coord@a.example")
    client.put(f"/api/v1/sessions/{ids[0]}/attendance", json={"count": 4})
    assert client.put(f"/api/v1/sessions/{ids[1]}/attendance", json={"count": 4}).status_code == 200
    assert (
        client.put(f"/api/v1/sessions/{ids[1]}/attendance", json={"count": -2}).status_code == 422
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
