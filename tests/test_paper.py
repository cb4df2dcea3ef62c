"""Typing in a paper tally sheet: the day once, a tap per question (or "x N"), time optional."""

from datetime import timedelta

import pytest

from ido.core.db import db
from ido.core.reporting.exports import raw_csv
from ido.core.timeutil import LOCAL_TZ, now_local, start_of_month

from .conftest import form_fields, messages
from .helpers import branch, questions, user

DAY = (now_local() - timedelta(days=2)).date()  # always within the desk's reach
TEXT = f"{DAY:%d-%m-%Y}"


def _start(client, day: str = TEXT, **extra):
    return client.post("/desk/paper?day=change", data={"day": day, **extra})


def _tap(client, topic: str, **fields):
    page = client.get("/desk/paper").get_data(as_text=True)
    data = form_fields(page, "/desk/paper")
    data.update(topic=[topic], **fields)
    return client.post("/desk/paper", data=data), data


def test_a_tally_sheet_is_typed_in_a_tap_per_line(auth, client, app):
    auth.login("vol@a.example")
    assert "Dag op het papier" in client.get("/desk/paper").get_data(as_text=True)
    response = _start(client)
    assert response.status_code == 302 and response.headers["Location"] == "/desk/paper"
    response, sent = _tap(client, "toeslagen", times=["5"])  # five strokes, no time
    assert response.status_code == 302
    assert client.post("/desk/paper", data=sent).status_code == 302  # sent again: nothing more
    response, _sent = _tap(client, "digid", at=["14:30"])
    page = client.get("/desk/paper").get_data(as_text=True)
    assert f"1 vraag over DigiD geregistreerd op {TEXT}." in messages(page)
    assert f'Invoeren van papier <span class="muted">· {TEXT}' in page
    rows = page.split("data-today-rows")[1]  # after the template of a new row
    assert "6 vragen op deze dag" in page and rows.count('"time">onbekend</td>') == 5
    with app.app_context():
        stored = questions()
        assert len(stored) == 6 and {q.local_date for q in stored} == {DAY}
        unknown = [q for q in stored if q.local_hour is None]
        assert len(unknown) == 5  # the time is not known, not guessed
        assert all(q.asked_at.astimezone(LOCAL_TZ).hour == 12 for q in unknown)
        [timed] = [q for q in stored if q.local_hour is not None]
        assert timed.asked_at.astimezone(LOCAL_TZ).strftime("%H:%M") == "14:30"
        assert {q.logged_by.email for q in stored} == {"vol@a.example"}
        first = unknown[0].id
    undo = f"/desk/questions/{first}/delete"
    assert client.post(undo, data={"next": "/desk/paper"}).headers["Location"] == "/desk/paper"
    assert "5 vragen op deze dag" in client.get("/desk/paper").get_data(as_text=True)
    client.post("/desk/paper/done")
    assert "Dag op het papier" in client.get("/desk/paper").get_data(as_text=True)


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"times": ["0"]}, "Registreer 1 tot 50 vragen tegelijk."),
        ({"times": ["51"]}, "Registreer 1 tot 50 vragen tegelijk."),
        ({"times": ["veel"]}, "Registreer 1 tot 50 vragen tegelijk."),
        ({"at": ["25:00"]}, "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),
        ({"at": ["14"]}, "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),
        ({"topic": ["astrologie"]}, "Kies een onderwerp."),
        ({"id": ["geen-uuid"]}, "Dit formulier is beschadigd. Laad de pagina opnieuw."),
    ],
)
def test_a_wrong_tap_logs_nothing_and_says_why(auth, client, app, fields, expected):
    auth.login("vol@a.example")
    _start(client)
    page = client.get("/desk/paper").get_data(as_text=True)
    data = {**form_fields(page, "/desk/paper"), "topic": ["digid"], **fields}
    assert client.post("/desk/paper", data=data).status_code == 302
    assert expected in messages(client.get("/desk/paper").get_data(as_text=True))
    with app.app_context():
        assert questions() == []


def test_the_day_is_checked_like_any_back_dating(auth, client, app):
    auth.login("vol@a.example")
    response = _start(client, "3 november")
    assert response.status_code == 422
    assert "Schrijf de datum als dd-mm-jjjj" in response.get_data(as_text=True)
    too_early = start_of_month(1) - timedelta(days=1)
    response = _start(client, f"{too_early:%d-%m-%Y}")
    assert response.status_code == 422
    assert "kan alleen een coördinator invoeren" in response.get_data(as_text=True)
    tomorrow = now_local() + timedelta(days=1)
    assert _start(client, f"{tomorrow:%d-%m-%Y}").status_code == 422
    client.post("/auth/logout")
    auth.login("coord@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    page = _start(client, f"{too_early:%d-%m-%Y}").get_data(as_text=True)
    assert "Klopt hij?" in page and 'name="confirm_early"' in page
    response = _start(client, f"{too_early:%d-%m-%Y}", confirm_early="y")
    assert response.status_code == 302
    _tap(client, "digid")
    with app.app_context():
        [question] = questions()
        assert question.local_date == too_early.date()


def test_a_question_without_a_time_counts_everywhere_but_busy_hours(auth, client, app):
    from ido.core.reporting.figures import dashboard
    from ido.core.reporting.params import count_params

    auth.login("vol@a.example")
    _start(client)
    _tap(client, "digid", times=["2"])
    _tap(client, "toeslagen", at=["10:15"])
    with app.app_context():
        a1 = [branch("a1")]
        month = DAY.replace(day=1)
        params = count_params(
            {"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}"}, user("coord@a.example")
        )
        figures = dashboard(params)
        assert (
            figures["period"].visitors == 3 and sum(n for _d, n in figures["weekdays"].items) == 3
        )
        assert figures["hours"].items == [("10:00", 1)]  # busy hours: the one with a time
        lines = "".join(raw_csv(month, month, a1, "rfc4180")).splitlines()[1:]
        moments = sorted(line.split(",")[2] for line in lines)
        assert moments[:2] == [DAY.isoformat()] * 2  # the day alone: no made-up time
        assert moments[2].startswith(f"{DAY.isoformat()}T10:15:00+0")
        [digid] = [q for q in questions() if q.topic_codes == "digid"][:1]
        question_id = digid.id
    edit = f"/desk/questions/{question_id}/edit"
    fields = form_fields(client.get(edit).get_data(as_text=True), edit)
    assert fields["asked_date"] == [TEXT] and fields["asked_time"] == [""]
    fields["duration_minutes"] = ["20"]
    assert client.post(edit, data=fields).status_code == 302  # its time stays unknown
    with app.app_context():
        db.session.expire_all()
        assert [q.local_hour for q in questions() if q.id == question_id] == [None]


def test_a_tap_sent_again_says_so_and_a_reused_id_is_refused_clearly(auth, client, app):
    """Found by a probe: a resend claimed "3 questions logged" again, and a tap id reused for
    another topic answered with a bare id."""
    auth.login("vol@a.example")
    _start(client)
    _response, sent = _tap(client, "digid", times=["3"])
    client.post("/desk/paper", data=sent)
    page = client.get("/desk/paper").get_data(as_text=True)
    assert "Deze vragen waren al opgeslagen; ze tellen niet dubbel." in messages(page)
    client.post("/desk/paper", data={**sent, "topic": ["toeslagen"]})
    page = client.get("/desk/paper").get_data(as_text=True)
    assert "Dit formulier is al gebruikt voor een andere vraag." in " ".join(messages(page))
    page = client.get("/desk/paper").get_data(as_text=True)
    data = {**form_fields(page, "/desk/paper"), "topic": ["digid"], "at": ["12:00\x01"]}
    client.post("/desk/paper", data=data)
    found = messages(client.get("/desk/paper").get_data(as_text=True))
    assert "Kies een onderwerp." not in found  # the topic was right; the time was not
    assert "Deze tekst bevat een teken dat niet kan worden opgeslagen." in found
    with app.app_context():
        assert len(questions()) == 3


def test_the_audit_says_when_a_time_is_unknown_and_when_it_becomes_known(auth, client, app):
    from ido.core.models import AuditEvent

    auth.login("coord@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    _start(client)
    _tap(client, "zorg")
    with app.app_context():
        [question] = questions()
        question_id = question.id
    edit = f"/desk/questions/{question_id}/edit"
    fields = form_fields(client.get(edit).get_data(as_text=True), edit)
    fields["asked_time"] = ["11:00"]
    assert client.post(edit, data=fields).status_code == 302
    with app.app_context():
        change = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update"))
        assert change.changes["asked_at"][0] == DAY.isoformat()  # the day alone: unknown
    page = client.get(f"/admin/audit?entity=question&id={question_id}").get_data(as_text=True)
    assert f"{TEXT}, tijd onbekend → {TEXT} 11:00" in page


def test_another_day_shows_the_current_one_and_a_future_time_today_is_refused(auth, client, app):
    auth.login("vol@a.example")
    today = now_local()
    _start(client, f"{today:%d-%m-%Y}")
    page = client.get("/desk/paper?day=change").get_data(as_text=True)
    assert f'value="{today:%d-%m-%Y}"' in page  # the day chosen before, to change
    later = today + timedelta(hours=2)
    if later.date() == today.date():
        _tap(client, "digid", at=[f"{later:%H:%M}"])
        found = messages(client.get("/desk/paper").get_data(as_text=True))
        assert "Het tijdstip kan niet in de toekomst liggen." in found
        with app.app_context():
            assert questions() == []
