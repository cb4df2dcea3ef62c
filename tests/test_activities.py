"""Activities and spreekuren: the rules that give their days, sessions cancelled and moved, a
changed rule, and the people counted (the rules; the pages and the API are in
test_activities_web.py)."""

from datetime import date, time, timedelta

import pytest

from ido.core.activities import (
    MAX_SESSIONS,
    ActivityData,
    Rule,
    activity_figures,
    cancel_session,
    move_session,
    occurrences,
    record_attendance,
    save_activity,
    year_bounds,
)
from ido.core.db import db
from ido.core.exceptions import InvalidActivity, ServiceError
from ido.core.models import ActivityKind, ActivitySession, Agency, AuditEvent
from ido.core.organisation import update_branch
from ido.core.timeutil import now_local

from .helpers import branch, user


@pytest.mark.once
def test_even_and_odd_iso_weeks_across_a_year_with_week_53():
    # 2026 has 53 ISO weeks: Monday 28 December is week 53, Monday 4 January 2027 week 1,
    # both odd, so "odd weeks" meets in two weeks running there and "even weeks" skips both
    odd = occurrences(Rule("odd_weeks", date(2026, 12, 14), until=date(2027, 1, 18)))
    assert odd == [  # weeks 51, 53, 1 and 3
        date(2026, 12, 14),
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 18),
    ]
    even = occurrences(Rule("even_weeks", date(2026, 12, 14), until=date(2027, 1, 18)))
    assert even == [date(2026, 12, 21), date(2027, 1, 11)]  # weeks 52 and 2
    weekly = occurrences(Rule("weekly", date(2026, 12, 29), until=date(2027, 1, 12)))
    assert weekly == [date(2026, 12, 29), date(2027, 1, 5), date(2027, 1, 12)]


@pytest.mark.once
def test_nth_and_last_weekday_of_the_month_until_a_date():
    # the last Thursday: from Thursday 1 January 2026 (the weekday is the first day's)
    last = occurrences(Rule("monthly", date(2026, 1, 1), until=date(2026, 4, 29), nth=-1))
    assert last == [date(2026, 1, 29), date(2026, 2, 26), date(2026, 3, 26)]  # 30 April: after
    third = occurrences(Rule("monthly", date(2026, 1, 5), until=date(2026, 3, 31), nth=3))
    assert third == [date(2026, 1, 19), date(2026, 2, 16), date(2026, 3, 16)]  # Mondays
    assert occurrences(Rule("once", date(2026, 5, 1))) == [date(2026, 5, 1)]


@pytest.mark.once
@pytest.mark.parametrize(
    "rule, field",
    [
        (Rule("weekly", date(2026, 1, 1)), "until"),  # no end
        (Rule("weekly", date(2026, 1, 1), until=date(2025, 1, 1)), "until"),  # before the start
        (Rule("weekly", date(2026, 1, 1), until=date(2036, 1, 1)), "until"),  # ten years
        (Rule("monthly", date(2026, 1, 1), until=date(2026, 6, 1), nth=5), "nth"),
        (Rule("daily", date(2026, 1, 1), until=date(2026, 6, 1)), "repeat"),
        (Rule("odd_weeks", date(2026, 1, 5), until=date(2026, 1, 6)), "until"),  # no day at all
        # outside the years the reports cover (near year 9999 the days would overflow)
        (Rule("weekly", date(9999, 12, 25), until=date(9999, 12, 31)), "first_day"),
        (Rule("monthly", date(2099, 12, 1), until=date(2100, 1, 31), nth=-1), "until"),
        (Rule("once", date(1, 1, 1)), "first_day"),
    ],
)
def test_absurd_rules_are_refused(rule, field):
    with pytest.raises(InvalidActivity) as refused:
        occurrences(rule)
    assert refused.value.field == field and refused.value.status == 422


@pytest.mark.once
def test_the_cap_on_sessions(monkeypatch):
    two_years = occurrences(Rule("weekly", date(2026, 1, 1), until=date(2027, 12, 31)))
    assert len(two_years) == 105 <= MAX_SESSIONS
    monkeypatch.setattr("ido.core.activities.recurrence.MAX_SESSIONS", 100)
    with pytest.raises(InvalidActivity, match="100"):
        occurrences(Rule("weekly", date(2026, 1, 1), until=date(2027, 12, 31)))


@pytest.fixture
def ctx(app, org):
    with app.test_request_context():
        yield


def _data(**changes) -> ActivityData:
    kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "belastinghulp"))
    today = now_local().date()
    values = {
        "branch": branch("a1"),
        "kind": kind,
        "rule": Rule("weekly", today - timedelta(weeks=2), until=today + timedelta(weeks=3)),
        "start_time": time(10),
        "end_time": time(12),
        "convenant": True,
        **changes,
    }
    return ActivityData(**values)


def test_sessions_cancelled_moved_counted_and_a_changed_rule_keeps_what_was_held(ctx):
    coordinator = user("coord@a.example")
    activity = save_activity(_data(), coordinator)
    db.session.commit()
    today = now_local().date()
    sessions = activity.sessions
    assert [s.day for s in sessions] == [today + timedelta(weeks=n) for n in range(-2, 4)]
    past, this_week, next_week = sessions[0], sessions[2], sessions[3]
    assert record_attendance(past, 7, coordinator) and not record_attendance(past, 7, None)
    move_session(next_week, next_week.day + timedelta(days=1), time(14), time(15), coordinator)
    cancel_session(sessions[4], True, coordinator)
    db.session.commit()
    assert next_week.moved and next_week.rule_day != next_week.day
    assert activity.start_time == time(10)  # moving one session leaves the rule alone

    # the rule now runs every other week and at other times: what was held stays, the
    # sessions to come follow the new rule, the moved one keeps its own day and times
    first = today - timedelta(weeks=2)
    parity = "even_weeks" if first.isocalendar().week % 2 == 0 else "odd_weeks"
    rule = Rule(parity, first, until=today + timedelta(weeks=5))
    save_activity(_data(rule=rule, start_time=time(13), end_time=time(15)), coordinator, activity)
    db.session.commit()
    kept = {s.rule_day: s for s in activity.sessions}
    assert kept[past.rule_day].attendance == 7 and kept[past.rule_day].start_time == time(10)
    assert set(occurrences(rule)) <= set(kept)
    for gone in (this_week.rule_day + timedelta(weeks=1), this_week.rule_day + timedelta(weeks=3)):
        if gone not in occurrences(rule):
            assert gone not in kept
    future = [s for s in activity.sessions if s.day > today and not s.moved]
    assert future and all(s.start_time == time(13) for s in future)
    changed = db.session.scalars(
        db.select(AuditEvent.entity).where(AuditEvent.entity.like("activity%"))
    ).all()
    assert changed.count("activity") == 2 and changed.count("activity_session") == 3


@pytest.mark.parametrize(
    "what, field",
    [
        ("end before start", "end_time"),
        ("another library's partner", "partner"),
        ("a count below zero", "count"),
        ("an absurd count", "count"),
        ("a session to come", "count"),
        ("a cancelled session", "count"),
        ("a move of years", "day"),
        ("a move past the years reports cover", "day"),
        ("a kind no longer in use", "kind"),
        ("a form that is none", "form"),
        ("a title of two lines", "title"),
        ("a title too long", "title"),
        ("cancelling a session people were counted at", "_"),
        ("a count that is text", "count"),
        ("a count that is a yes", "count"),
    ],
)
def test_refusals_change_nothing(ctx, what, field):
    activity = save_activity(_data(), None)
    db.session.commit()
    session = activity.sessions[0]
    with pytest.raises(InvalidActivity) as refused:
        if what == "end before start":
            save_activity(_data(start_time=time(12), end_time=time(11)), None, activity)
        elif what == "another library's partner":
            partner = Agency(
                code="lib-b.hulp",
                name_nl="B-hulp",
                name_en="B help",
                kind="partner",
                library_id=branch("b1").library_id,
            )
            save_activity(_data(partner=partner), None)
        elif what == "a count below zero":
            record_attendance(session, -1, None)
        elif what == "an absurd count":
            record_attendance(session, 100_000, None)
        elif what == "a session to come":
            record_attendance(activity.sessions[-1], 3, None)
        elif what == "a cancelled session":
            cancel_session(session, True, None)
            record_attendance(session, 3, None)
        elif what == "a kind no longer in use":
            activity.kind.active = False
            save_activity(_data(), None, activity)
        elif what == "a form that is none":
            save_activity(_data(form="by_pigeon"), None, activity)
        elif what == "a title of two lines":
            save_activity(_data(title="Spreekuur\nBelastingdienst"), None, activity)
        elif what == "a title too long":
            save_activity(_data(title="x" * 201), None, activity)
        elif what == "cancelling a session people were counted at":
            record_attendance(session, 4, None)
            cancel_session(session, True, None)
        elif what == "a count that is text":
            record_attendance(session, "4", None)  # type: ignore[arg-type]
        elif what == "a count that is a yes":
            record_attendance(session, True, None)
        elif what == "a move past the years reports cover":
            move_session(session, date(2100, 1, 4), time(10), time(11), None)
        else:
            move_session(session, session.day + timedelta(days=800), time(10), time(11), None)
    assert refused.value.field == field
    db.session.rollback()
    stored = db.session.scalars(db.select(ActivitySession)).all()
    assert len(stored) == 6 and all(s.attendance is None and not s.cancelled for s in stored)
    assert all(s.start_time == time(10) and not s.moved for s in stored)


def test_taking_part_is_per_year_and_a_refused_year_changes_nothing(ctx):
    """a2 signed up for 2025 and 2026 is held to the minimum in those years only; a year out
    of the convenant's is refused before anything of the branch changes."""
    a2 = branch("a2")
    changes = update_branch(a2, "A Dorp", "Adorp", False, True, None, convenant_years=[2026, 2025])
    assert changes == {"convenant_years": [[], [2025, 2026]]}
    db.session.commit()
    for year, takes_part, short in ((2024, False, 0), (2025, True, 4), (2026, True, 4)):
        found = activity_figures([a2], *year_bounds(year), today=date(2026, 6, 1))[0]
        assert (found.takes_part, found.short) == (takes_part, short), year
    assert update_branch(a2, "A Dorp", "Adorp", False, True, None) == {}  # years left alone
    with pytest.raises(ServiceError):
        update_branch(a2, "Nieuw", "Adorp", False, True, None, convenant_years=[2023, 2026])
    assert (a2.name, a2.convenant_years) == ("A Dorp", [2025, 2026])
    update_branch(a2, "A Dorp", "Adorp", False, True, None, convenant_years=[2026])
    db.session.commit()
    assert db.session.scalar(db.text("SELECT COUNT(*) FROM branch_convenant_year")) == 1
