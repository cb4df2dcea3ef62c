"""Days and months are counted in Europe/Amsterdam, stored beside the UTC moment at write time."""

from datetime import UTC, date, datetime

import pytest

from ido.core.db import db
from ido.core.models import Question
from ido.core.questions import QuestionData, record_question
from ido.core.taxonomy import active_categories
from ido.core.timeutil import local_day_and_month

from .helpers import branch


@pytest.mark.once
@pytest.mark.parametrize(
    ("moment", "day", "month"),
    [
        # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam (winter, UTC+1)
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), date(2026, 2, 1), date(2026, 2, 1)),
        (datetime(2026, 1, 31, 22, 59, tzinfo=UTC), date(2026, 1, 31), date(2026, 1, 1)),
        # summer time (UTC+2): 22:00 UTC on 30 June is midnight, 1 July
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), date(2026, 7, 1), date(2026, 7, 1)),
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2026, 6, 30), date(2026, 6, 1)),
        # New Year's Eve: 23:00 UTC is already next year
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1), date(2027, 1, 1)),
        # DST starts 29 March 2026 at 01:00 UTC; DST ends 25 October 2026 at 01:00 UTC
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29), date(2026, 3, 1)),
        (datetime(2026, 3, 31, 22, 0, tzinfo=UTC), date(2026, 4, 1), date(2026, 4, 1)),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 10, 25), date(2026, 10, 1)),
        (datetime(2026, 10, 31, 22, 30, tzinfo=UTC), date(2026, 10, 31), date(2026, 10, 1)),
        (datetime(2026, 10, 31, 23, 0, tzinfo=UTC), date(2026, 11, 1), date(2026, 11, 1)),
    ],
)
def test_local_day_and_month(moment, day, month):
    assert local_day_and_month(moment) == (day, month)


def _record(moment: datetime) -> Question:
    cats = active_categories()
    data = QuestionData(
        branch=branch("a1"),
        topics=[cats.by_code("topics")["digid"]],
        channel=cats.channels[0],
        outcome=cats.outcomes[0],
        duration_minutes=10,
        asked_at=moment,
    )
    question = record_question(data, None)[0]
    db.session.commit()
    return question


def test_stored_question_keeps_utc_moment_and_local_month(org, app):
    with app.app_context():
        question_id = _record(datetime(2026, 3, 31, 22, 15, tzinfo=UTC)).id
        db.session.expunge_all()
        stored = db.session.get(Question, question_id)
        assert stored.asked_at == datetime(2026, 3, 31, 22, 15, tzinfo=UTC)
        assert stored.asked_at.tzinfo is not None
        assert (stored.local_date, stored.local_month) == (date(2026, 4, 1), date(2026, 4, 1))


def test_desk_backdating_across_dst_end(auth, client, app):
    """01:30 local on 25 October 2026 happens twice; the first (summer time) is taken."""
    from .helpers import desk_form, questions

    app.config["IDO_BACKDATE_MONTHS"] = 1200  # these days stay within the desk's reach
    auth.login("vol@a.example")
    data = desk_form(client)
    data.update(topics=["digid"], asked_date=["25-10-2026"], asked_time=["02:30"])
    assert client.post("/desk/", data=data).status_code == 302
    data = desk_form(client)
    data.update(topics=["digid"], asked_date=["31-10-2026"], asked_time=["23:59"])
    assert client.post("/desk/", data=data).status_code == 302
    with app.app_context():
        first, second = sorted(questions(), key=lambda q: q.asked_at)
        assert first.asked_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        assert first.local_month == date(2026, 10, 1)
        assert second.asked_at == datetime(2026, 10, 31, 22, 59, tzinfo=UTC)
        assert (second.local_date, second.local_month) == (date(2026, 10, 31), date(2026, 10, 1))
