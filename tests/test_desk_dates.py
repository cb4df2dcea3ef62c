"""The dates and times a volunteer types, read by the server as the desk's script reads them:
the cases are one file (tests/data/desk_dates.json) that tests/js/clock.test.js reads too. And
the days offered beside the typed one on the paper page."""

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from ido.core.timeutil import LOCAL_TZ, day_text, now_local, previous_working_day
from ido.web.question_fields import parse_day, parse_time

from .helpers import questions

CASES = json.loads((Path(__file__).parent / "data" / "desk_dates.json").read_text("utf-8"))


def _read(parse, text):
    try:
        return parse(text)
    except ValueError:
        return None


@pytest.mark.once  # no database
def test_typed_days_and_times_read_as_the_desk_script_reads_them(app):
    with app.test_request_context():
        for case in CASES["days"]:
            found = _read(parse_day, case["typed"])
            assert (found.isoformat() if found else None) == case["day"], case
        for case in CASES["times"]:
            found = _read(parse_time, case["typed"])
            assert (found.strftime("%H:%M") if found else None) == case["time"], case


@pytest.mark.once
def test_a_day_and_time_is_the_same_moment_as_the_desk_script_makes_it():
    for case in CASES["moments"]:
        moment = datetime.combine(
            date.fromisoformat(case["day"]), time.fromisoformat(case["time"]), tzinfo=LOCAL_TZ
        )
        assert moment.astimezone(UTC) == datetime.fromisoformat(case["utc"]), case["why"]


@pytest.mark.once
def test_the_previous_working_day_skips_the_weekend():
    for case in CASES["working_days"]:
        found = previous_working_day(date.fromisoformat(case["day"]))
        assert found.isoformat() == case["previous"], case["why"]


def test_the_paper_day_in_one_tap_today_yesterday_or_the_previous_working_day(auth, client, app):
    auth.login("vol@a.example")
    page = client.get("/desk/paper").get_data(as_text=True)
    today = now_local().date()
    for name, day in [
        ("Vandaag", today),
        ("Gisteren", today - timedelta(days=1)),
        ("Vorige werkdag", previous_working_day(today)),
    ]:
        assert f'name="pick" value="{day_text(day)}" class="button">{name} ' in page
    yesterday = day_text(today - timedelta(days=1))
    sent = {"day": "", "pick": yesterday}  # the button, the day field left empty
    assert client.post("/desk/paper?day=change", data=sent).headers["Location"] == "/desk/paper"
    assert f"· {yesterday}" in client.get("/desk/paper").get_data(as_text=True)
    with app.app_context():
        assert questions() == []  # choosing a day logs nothing
