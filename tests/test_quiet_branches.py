"""A quiet branch is noticed: the rhythm rule on fixed histories, sessions ended without a
count, dismissing a notice until the next question, and each library seeing its own only."""

import re
from datetime import date, datetime, time, timedelta

from ido.core.activities import ActivityData, Rule, cancel_session, record_attendance
from ido.core.activities import save_activity as save
from ido.core.activities.uncounted import uncounted_sessions
from ido.core.db import db
from ido.core.models import ActivityKind, AuditEvent
from ido.core.organisation import create_branch
from ido.core.reporting.quiet import dismiss_quiet, quiet_branches, rhythm, silence
from ido.core.timeutil import LOCAL_TZ, now_local

from .conftest import Auth
from .helpers import branch, log_on_days, weekdays

FRIDAY = date(2026, 12, 4)  # the fixed "today" of the rule's tests


def _quiet(today: date, codes=("a1", "a2", "a3")) -> dict:
    return {n.branch.code: n for n in quiet_branches([branch(c) for c in codes], today)}


def test_the_rhythm_rule_on_fixed_histories(app, org):
    with app.app_context():
        create_branch("a3", "A Nieuw", "lib-a", "Astad")
        last = date(2026, 11, 24)  # a Tuesday
        # a1 logs 6 a day on weekdays for months, and missed a few days; then nothing
        log_on_days("a1", [d for d in weekdays(date(2026, 6, 1), last) if d.day not in (3, 17)], 6)
        # a2 logs once a month, on the first Tuesday
        first_tuesdays = [date(2026, 8, 4), date(2026, 9, 1), date(2026, 10, 6), date(2026, 11, 3)]
        log_on_days("a2", first_tuesdays)
        # a3 is new: two busy weeks, then the same silence as a1
        log_on_days("a3", weekdays(date(2026, 11, 11), last), 6)

        found = _quiet(FRIDAY)
        assert set(found) == {"a1"}  # not the monthly one, not the new one
        notice = found["a1"]
        assert (notice.last_day, notice.silent_days, round(notice.per_week)) == (last, 7, 28)
        assert notice.chance < 0.01 and not notice.dismissed
        assert set(_quiet(date(2026, 11, 27))) == set()  # two opening days: not yet

        # the weekend is no opening day: Saturday, Sunday and Monday morning say the same
        a1 = rhythm({d: 6 for d in weekdays(date(2026, 6, 1), last)}, date(2026, 6, 1), last)
        assert set(a1.quiet_chance) == {0, 1, 2, 3, 4}
        assert silence(a1, last, date(2026, 12, 5)) == silence(a1, last, date(2026, 12, 7))
        # a branch open on Tuesdays and Thursdays counts only those: two in ten days
        tue_thu = weekdays(date(2026, 8, 1), date(2026, 11, 26), (1, 3))
        two_days = rhythm({d: 3 for d in tue_thu}, tue_thu[0], tue_thu[-1])
        assert silence(two_days, tue_thu[-1], FRIDAY)[0] == 2
        assert rhythm({last: 9}, last, last) is None  # one day is no rhythm

        # the day a question arrives the branch leaves the list; an inactive one is never on it
        log_on_days("a1", [FRIDAY])
        assert _quiet(FRIDAY) == {}
        assert "a1" in _quiet(FRIDAY + timedelta(days=7))
        branch("a1").active = False
        assert _quiet(FRIDAY + timedelta(days=7)) == {}


def _spreekuur(code: str, first: date, weeks: int) -> list:
    kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "belastinghulp"))
    rule = Rule("weekly", first, until=first + timedelta(weeks=weeks - 1))
    return save(ActivityData(branch(code), kind, rule, time(9), time(11)), None).sessions


def test_sessions_without_a_count(app, org, client):
    with app.app_context():
        today = now_local().date()
        sessions = _spreekuur("a1", today - timedelta(weeks=6), 7)  # the last one is today
        other = _spreekuur("b1", today - timedelta(weeks=1), 1)
        cancel_session(sessions[-2], True, None)
        record_attendance(sessions[-3], 4, None)
        db.session.commit()
        at_ten = datetime.combine(today, time(10), LOCAL_TZ)
        shown, total = uncounted_sessions([branch("a1").id, branch("a2").id], at_ten)
        # not today's (until 11:00), not the cancelled or counted ones, nothing over 30 days
        assert [s.id for s in shown] == [sessions[-4].id, sessions[-5].id] and total == 2
        at_noon = at_ten.replace(hour=12)
        shown, total = uncounted_sessions([branch("a1").id], at_noon, limit=1)
        assert [s.id for s in shown] == [sessions[-1].id] and total == 3
        ids = (sessions[-4].id, other[0].id)
    auth = Auth(client)
    auth.login("coord@a.example")
    page = client.get("/reports/").get_data(as_text=True)
    assert f"#s{ids[0]}" in page and f"#s{ids[1]}" not in page
    auth.logout()
    auth.login("coord@b.example")
    page = client.get("/reports/").get_data(as_text=True)
    assert f"#s{ids[1]}" in page and f"#s{ids[0]}" not in page and "A Centrum" not in page


def _state() -> tuple:
    branches = tuple(branch(c).quiet_dismissed_through for c in ("a1", "a2", "b1"))
    return branches, db.session.scalar(db.select(db.func.count(AuditEvent.id)))


def test_dismissing_a_notice_scoped_and_refused(app, org, client, monkeypatch):
    today = now_local().date()
    last = today - timedelta(days=10)
    last -= timedelta(days=max(0, last.weekday() - 4))  # a weekday: a1 logs on weekdays only
    with app.app_context():
        log_on_days("a1", weekdays(last - timedelta(weeks=12), last), 5)
        log_on_days("a2", [today])  # logged today: nothing to dismiss
        a1, a2 = branch("a1").id, branch("a2").id
        before = _state()
    auth = Auth(client)
    auth.login("coord@b.example")  # another library's coordinator sees nothing of A's
    assert "A Centrum" not in client.get("/reports/").get_data(as_text=True)
    for wrong in (a1, 999999):
        assert client.post(f"/reports/quiet/{wrong}/dismiss").status_code == 404
    auth.logout()
    auth.login("coord@a.example")
    page = client.get("/reports/").get_data(as_text=True)
    assert re.search(r"A Centrum</strong>:\s+niets geregistreerd sinds", page)
    answer = client.post(f"/reports/quiet/{a2}/dismiss")
    assert answer.status_code == 409 and "A Dorp" in answer.get_data(as_text=True)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/reports/quiet/{a1}/dismiss").status_code == 400  # no CSRF token
    with app.app_context():
        assert _state() == before  # every refusal changed nothing

    page = client.get("/reports/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(f"/reports/quiet/{a1}/dismiss", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#attention")
    page = client.get("/reports/").get_data(as_text=True)
    assert "A Centrum</strong>" not in page and "1 melding" in page
    with app.app_context():
        assert branch("a1").quiet_dismissed_through == last
        event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.entity, event.entity_id) == ("branch", str(a1))
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert "Melding stille vestiging verborgen tot een vraag na" in trail
    assert last.strftime("%d-%m-%Y") in trail
    with app.app_context():
        # a question of a later day ends the dismissal; the next silence is noticed again
        log_on_days("a1", [last + timedelta(days=1)])
        later = today + timedelta(days=14)
        assert not quiet_branches([branch("a1")], later)[0].dismissed
        dismiss_quiet(branch("a1"), None, later)
        assert quiet_branches([branch("a1")], later)[0].dismissed


def test_the_dashboard_lists_the_longest_silences_and_links_to_all(app, org, client, monkeypatch):
    """A region's holiday can quieten a hundred branches: the dashboard lists the first few
    (the longest silences) and links to the whole list."""
    from ido.core.reporting import quiet

    monkeypatch.setattr(quiet, "SHOWN", 1)
    today = now_local().date()
    with app.app_context():
        for code, quiet_for in (("a1", 10), ("a2", 20)):
            last = today - timedelta(days=quiet_for)
            log_on_days(code, weekdays(last - timedelta(weeks=12), last), 5)
        db.session.commit()
    Auth(client).login("coord@a.example")
    page = client.get("/reports/?from=2026-01").get_data(as_text=True)
    assert "A Dorp</strong>" in page and "A Centrum</strong>" not in page  # 20 days before 10
    link = re.search(r'href="([^"]*quiet=all[^"]*)">Toon alle 2 stille vestigingen', page)
    assert link and "from=2026-01" in link.group(1)
    everything = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "A Dorp</strong>" in everything and "A Centrum</strong>" in everything
    assert "Toon alle" not in everything
