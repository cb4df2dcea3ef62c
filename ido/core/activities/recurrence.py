"""The days a repeating activity falls on: weekly, in even or odd ISO weeks, or on the first,
second, third or last given weekday of a month, until a date; capped, absurd rules refused."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ido.core.exceptions import InvalidActivity
from ido.core.models import REPEATS
from ido.core.timeutil import add_months, in_years

MAX_SESSIONS = 120  # a weekly spreekuur for two years is 105
MAX_SPAN_DAYS = 2 * 366  # two years from the first day
NTHS = (1, 2, 3, -1)  # the first, second, third, or last weekday of a month


@dataclass(frozen=True)
class Rule:
    """When an activity is held: from `first`, by `repeat`, until `until` (both included).
    The weekday is the first day's; `nth` counts it within the month for "monthly"."""

    repeat: str
    first: date
    until: date | None = None
    nth: int | None = None


def _nth_weekday(month: date, weekday: int, nth: int) -> date:
    """The nth (or with -1 the last) given weekday of the month."""
    if nth == -1:
        last = add_months(month, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = month + timedelta(days=(weekday - month.weekday()) % 7)
    return first + timedelta(weeks=nth - 1)


def check_day(field: str, day: date) -> None:
    """Refuse a day outside the years the reports cover (InvalidActivity, a 422)."""
    in_years(day, field, InvalidActivity)


def check_rule(rule: Rule) -> None:
    """Refuse a rule that names no days, or too many, or days outside the years the reports
    cover (InvalidActivity, a 422)."""
    check_day("first_day", rule.first)
    if rule.until is not None:
        check_day("until", rule.until)
    if rule.repeat not in REPEATS:
        raise InvalidActivity("repeat", "invalid", _("Choose how the activity repeats."))
    if rule.repeat == "once":
        return
    if rule.until is None:
        raise InvalidActivity("until", "required", _("Give the last day it repeats."))
    if rule.until < rule.first:
        raise InvalidActivity("until", "invalid", _("The last day is before the first day."))
    if (rule.until - rule.first).days > MAX_SPAN_DAYS:
        raise InvalidActivity(
            "until", "out_of_range", _("A repeating activity runs for two years at most.")
        )
    if rule.repeat == "monthly" and rule.nth not in NTHS:
        raise InvalidActivity("nth", "invalid", _("Choose which weekday of the month."))


def occurrences(rule: Rule) -> list[date]:
    """Every day the rule gives, in order; refused (InvalidActivity) when the rule is absurd
    or gives more than MAX_SESSIONS days."""
    check_rule(rule)
    if rule.repeat == "once":
        return [rule.first]
    assert rule.until is not None  # checked above
    days: list[date] = []
    if rule.repeat == "monthly":
        assert rule.nth is not None
        month = rule.first.replace(day=1)
        while month <= rule.until:
            day = _nth_weekday(month, rule.first.weekday(), rule.nth)
            if rule.first <= day <= rule.until:
                days.append(day)
            month = add_months(month, 1)
    else:
        parity = {"even_weeks": 0, "odd_weeks": 1}.get(rule.repeat)
        day = rule.first
        while day <= rule.until:
            if parity is None or day.isocalendar().week % 2 == parity:
                days.append(day)
            day += timedelta(weeks=1)
    if not days:
        raise InvalidActivity("until", "invalid", _("This rule gives no day at all."))
    if len(days) > MAX_SESSIONS:
        raise InvalidActivity(
            "until",
            "out_of_range",
            _("This rule gives more than %(n)s sessions.", n=MAX_SESSIONS),
        )
    return days
