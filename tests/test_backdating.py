"""Back-dating at the desk: typed the Dutch way, refused when incomplete, bounded in the past."""

from datetime import UTC, date, datetime, timedelta

import pytest

from ido.core.timeutil import LOCAL_TZ, now_local, start_of_month

from .api_client import Api
from .conftest import form_fields, messages
from .helpers import committed, desk_form, questions, store_question, typed, user


def _post(client, **fields):
    data = desk_form(client)
    data.update(topics=["digid"], **fields)
    return client.post("/desk/", data=data)


def _refused(client, app, expected: str, **fields) -> str:
    """Post the fields, expect a 422 with the message, and nothing stored; the page."""
    response = _post(client, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert any(message.startswith(expected) for message in messages(page)), messages(page)
    with app.app_context():
        assert questions() == []
    return page


def _stored_moment(app) -> datetime:
    with app.app_context():
        [question] = questions()
        return question.asked_at


def _earlier_this_month_or_last() -> datetime:
    """Two days ago at 09:05 (always within the desk's reach: this month or the last)."""
    return (now_local() - timedelta(days=2)).replace(hour=9, minute=5)


@pytest.mark.parametrize(
    ("day", "at"),
    [
        ("{d:%d-%m-%Y}", "09:05"),
        ("{d.day}-{d.month}-{d.year}", "9:05"),
        ("{d:%d.%m.%Y}", "09.05"),
        ("{d:%d/%m/%Y}", "9.05"),
        ("{d:%d,%m,%Y}", "09,05"),
        ("{d:%Y-%m-%d}", " 09:05 "),
    ],
)
def test_a_date_typed_the_dutch_way_is_stored_as_typed(auth, client, app, day, at):
    """Day first, whatever the browser's language; also with the separators of a tablet's
    number keyboard, and as a date widget sends it (year first)."""
    auth.login("vol@a.example")
    moment = _earlier_this_month_or_last()
    response = _post(client, asked_date=[day.format(d=moment)], asked_time=[at])
    assert response.status_code == 302
    assert _stored_moment(app) == moment


def test_a_time_alone_is_today(auth, client, app):
    auth.login("vol@a.example")
    moment = now_local() - timedelta(minutes=1)
    assert _post(client, asked_time=[moment.strftime("%H:%M")]).status_code == 302
    assert _stored_moment(app) == moment


def test_a_date_without_a_time_is_refused_and_the_text_kept(auth, client, app):
    """Before, a date alone was stored as *now* without a word."""
    auth.login("vol@a.example")
    day = _earlier_this_month_or_last().strftime("%d-%m-%Y")
    expected = "Vul ook de tijd in (uu:mm), zoals op het papier."
    page = _refused(client, app, expected, asked_date=[day])
    fields = form_fields(page, "/desk/")
    assert fields["asked_date"] == [day]  # what was typed stays, to be completed
    assert 'aria-describedby="asked_time-hint asked_time-errors"' in page
    assert "De vraag is niet opgeslagen." in page


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        ("11/3/26", "10:00", "Schrijf de datum als dd-mm-jjjj, bijvoorbeeld"),  # two-digit year
        ("3 november 2026", "10:00", "Schrijf de datum als dd-mm-jjjj, bijvoorbeeld"),
        ("31-02-2026", "10:00", "Deze datum bestaat niet."),
        ("00-00-0000", "10:00", "Deze datum bestaat niet."),
        ("", "25:00", "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),
        ("", "10", "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),  # incomplete
        ("", "10:7", "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),
        ("", "١٠:٠٠", "Schrijf de tijd als uu:mm, bijvoorbeeld 14:30."),  # Arabic-Indic digits
        ("0001-01-01", "10:00", "De datum ligt te ver in het verleden."),
        ("03-11-1202", "10:00", "De datum ligt te ver in het verleden."),  # a day-first year
        ("01-01-2999", "10:00", "Het tijdstip kan niet in de toekomst liggen."),
        ("9" * 5000, "10:00", "Schrijf de datum als dd-mm-jjjj, bijvoorbeeld"),
    ],
)
def test_a_wrong_date_or_time_is_refused_at_its_field(auth, client, app, day, at, expected):
    auth.login("vol@a.example")
    page = _refused(client, app, expected, asked_date=[day], asked_time=[at])
    assert "has-error" in page


def test_a_volunteer_cannot_go_back_before_the_previous_month(auth, client, app):
    auth.login("vol@a.example")
    earliest = start_of_month(1)
    before = earliest - timedelta(minutes=1)
    expected = f"Vragen van vóór {earliest:%d-%m-%Y} kan alleen een coördinator invoeren."
    page = _refused(client, app, expected, **typed(before))
    assert "De datum klopt" not in page  # no box to tick for a volunteer
    _refused(client, app, expected, confirm_early=["y"], **typed(before))
    assert _post(client, **typed(earliest)).status_code == 302  # the first minute is in
    assert _stored_moment(app) == earliest


def test_a_coordinator_goes_further_after_confirming(auth, client, app):
    auth.login("coord@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    long_ago = datetime(2025, 6, 30, 16, 45, tzinfo=LOCAL_TZ)
    page = _refused(
        client,
        app,
        f"Deze datum ligt vóór {start_of_month(1):%d-%m-%Y}. Klopt hij?",
        **typed(long_ago),
    )
    assert 'name="confirm_early"' in page  # the box appears with the question
    fields = form_fields(page, "/desk/")
    assert fields["asked_date"] == ["30-06-2025"]
    fields["confirm_early"] = ["y"]
    assert client.post("/desk/", data=fields).status_code == 302
    assert _stored_moment(app) == long_ago
    page = client.get("/desk/").get_data(as_text=True)
    assert "30-06-2025 16:45" in page  # the confirmation names the day


def test_the_earliest_day_is_configurable(auth, client, app):
    app.config["IDO_BACKDATE_MONTHS"] = 0  # this month only
    auth.login("vol@a.example")
    first = start_of_month(0)
    _refused(client, app, f"Vragen van vóór {first:%d-%m-%Y}", **typed(first - timedelta(hours=1)))
    assert start_of_month(0, date(2026, 1, 15)) == datetime(2026, 1, 1, tzinfo=LOCAL_TZ)
    assert start_of_month(1, date(2026, 1, 15)) == datetime(2025, 12, 1, tzinfo=LOCAL_TZ)


def test_editing_keeps_an_old_moment_and_shows_it_the_dutch_way(auth, client, app):
    """A coordinator corrects a question from long ago: its moment is kept without asking;
    moving it to another old day asks again."""
    long_ago = datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # 03:30 in Amsterdam, summer time
    with app.app_context():
        question_id = store_question("a1", long_ago, ["digid"]).id
    auth.login("coord@a.example")
    url = f"/desk/questions/{question_id}/edit"
    page = client.get(url).get_data(as_text=True)
    fields = form_fields(page, url)
    assert (fields["asked_date"], fields["asked_time"]) == (["30-03-2025"], ["03:30"])
    fields["duration_minutes"] = ["30"]
    assert client.post(url, data=fields).status_code == 302
    fields["asked_date"] = ["29-03-2025"]
    response = client.post(url, data=fields)
    assert response.status_code == 422
    assert "Klopt hij?" in response.get_data(as_text=True)
    with app.app_context():
        [question] = questions()
        assert question.asked_at == long_ago and question.duration_minutes == 30


def test_the_api_keeps_volunteers_within_reach_and_lets_coordinators_import(client, org, app):
    with app.app_context():
        from ido.core.organisation.tokens import create_token

        volunteer = committed(create_token(user("vol@a.example"), "t")[1])
        coordinator = committed(create_token(user("coord@a.example"), "t")[1])
    body = {"branch": "a1", "topics": ["digid"], "asked_at": "2025-06-30T16:45:00+02:00"}
    response = Api(client, volunteer).post("/api/v1/questions", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"]["asked_at"][0]["code"] == "too_early"
    response = Api(client, coordinator).post("/api/v1/questions", json=body)
    assert response.status_code == 201
    assert response.get_json()["asked_at"] == "2025-06-30T16:45:00+02:00"
