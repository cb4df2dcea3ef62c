"""The back-dating rule lives in the question service: every caller (the desk, the paper page,
the API, a command, an import) is held to it, whatever role it acts for."""

from datetime import timedelta

import pytest

from ido.core.exceptions import InvalidQuestion
from ido.core.organisation.devices import DevicePrincipal, activate, enrol_device
from ido.core.questions import (
    QuestionData,
    confirmed_by_program,
    earliest_moment,
    may_backdate,
    record_question,
    update_question,
)
from ido.core.taxonomy import active_categories
from ido.core.timeutil import LOCAL_TZ

from .helpers import branch, user


def _data(moment, confirmed: bool = False, time_known: bool = True) -> QuestionData:
    cats = active_categories(branch("a1"))
    return QuestionData(
        branch=branch("a1"),
        topics=[cats.by_code("topics")["digid"]],
        channel=cats.channels[0],
        outcome=cats.outcomes[0],
        duration_minutes=10,
        asked_at=moment,
        time_known=time_known,
        early_confirmed=confirmed,
    )


def _tablet():
    code = enrol_device(branch("a1"), "tablet", user("coord@a.example"))[1]
    return DevicePrincipal(activate(code)[0])


def _actor(role: str):
    return {
        "volunteer": lambda: user("vol@a.example"),
        "tablet": _tablet,
        "coordinator": lambda: user("coord@a.example"),
        "admin": lambda: user("admin@ido.example"),
        "command": lambda: None,
    }[role]()


def _code(action) -> str | None:
    try:
        action()
    except InvalidQuestion as refused:
        return refused.errors["asked_at"][0][0]
    return None


@pytest.mark.parametrize(
    ("role", "before", "before_confirmed"),
    [
        ("volunteer", "too_early", "too_early"),
        ("tablet", "too_early", "too_early"),
        ("coordinator", "confirm_early", None),
        ("admin", "confirm_early", None),
        ("command", None, None),  # the operator's command is its own confirmation
    ],
)
def test_each_role_at_each_limit(org, role, before, before_confirmed):
    with org.app_context():
        actor = _actor(role)
        earliest = earliest_moment()
        assert earliest.tzinfo is not None and earliest.astimezone(LOCAL_TZ).day == 1
        at_the_limit, just_before = earliest, earliest - timedelta(minutes=1)
        assert _code(lambda: record_question(_data(at_the_limit), actor)) is None
        assert _code(lambda: record_question(_data(just_before), actor)) == before
        confirmed = _data(just_before, confirmed=True)
        assert _code(lambda: record_question(confirmed, actor)) == before_confirmed
        day_alone = _data(just_before, time_known=False)  # a paper sheet's day: its start
        assert _code(lambda: record_question(day_alone, actor)) == before
        future = _data(earliest_moment() + timedelta(days=400))
        assert _code(lambda: record_question(future, actor)) == "future"
        assert may_backdate(actor) is (before != "too_early")
        assert confirmed_by_program(actor) is may_backdate(actor)


def test_a_correction_keeps_an_old_moment_but_cannot_move_to_another(org):
    """A volunteer may correct a question of long ago in other ways; moving it to another
    day before the earliest is held to the rule."""
    with org.app_context():
        long_ago = earliest_moment() - timedelta(days=60)
        question = record_question(_data(long_ago), None)[0]
        volunteer = user("vol@a.example")
        same = _data(long_ago)
        same.duration_minutes = 30
        assert _code(lambda: update_question(question, same, volunteer)) is None
        moved = _data(long_ago - timedelta(days=1))
        assert _code(lambda: update_question(question, moved, volunteer)) == "too_early"
        coordinator = user("coord@a.example")
        assert _code(lambda: update_question(question, moved, coordinator)) == "confirm_early"
        moved.early_confirmed = True
        assert _code(lambda: update_question(question, moved, coordinator)) is None
