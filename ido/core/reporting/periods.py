"""Periods the reports cover: a month's days, a year or a quarter, each up to today while
it runs, and the period a report compares it with."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ido.core.exceptions import ParamError
from ido.core.timeutil import FIRST_YEAR, add_months, months_between, now_local

PERIOD = re.compile(r"([0-9]{4})(?:-Q([1-4]))?")


@dataclass(frozen=True)
class Period:
    """Days from `first` to `last`: a month's (or its first days'), a year's or a quarter's,
    up to today while it runs (`end` is its last day then, past today)."""

    first: date
    last: date
    end: date
    quarter: int | None = None

    @property
    def code(self) -> str:
        return f"{self.first.year}" + (f"-Q{self.quarter}" if self.quarter else "")

    @property
    def name(self) -> str:
        """2026, or "quarter 3 of 2026" in the page's language."""
        if self.quarter:
            return _("quarter %(n)s of %(year)s", n=self.quarter, year=self.first.year)
        return str(self.first.year)

    @property
    def running(self) -> bool:
        return self.last < self.end

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last.replace(day=1))


def month_days(month: date, days: int | None) -> Period:
    """The month's first `days` days (None: all of them; fewer when the month is shorter)."""
    length = calendar.monthrange(month.year, month.month)[1]
    end = month.replace(day=length)
    return Period(month, month.replace(day=min(days or length, length)), end)


def parse_period(text: str | None) -> Period:
    """2026 (a year) or 2026-Q3 (a quarter); default the last whole year. A period that has
    not begun is refused; one that runs ends today."""
    today = now_local().date()
    found = PERIOD.fullmatch(text or f"{today.year - 1}")
    if not found or not FIRST_YEAR <= int(found[1]) <= today.year:
        raise ParamError(
            "period",
            "invalid",
            _(
                "Choose a year (for example %(year)s) or a quarter (%(year)s-Q1) from %(first)s "
                "up to now.",
                year=today.year,
                first=FIRST_YEAR,
            ),
        )
    year, quarter = int(found[1]), int(found[2]) if found[2] else None
    first = date(year, 3 * (quarter - 1) + 1 if quarter else 1, 1)
    last_month = add_months(first, 2 if quarter else 11)
    end = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    if first > today:
        raise ParamError("period", "invalid", _("This period has not begun yet."))
    return Period(first, min(end, today), end, quarter)


def _shifted(day: date, months: int) -> date:
    """The same day `months` months earlier or later (the month's last day when it is
    shorter: 31 May less three months is 28 or 29 February)."""
    month = add_months(day.replace(day=1), months)
    return month.replace(day=min(day.day, calendar.monthrange(month.year, month.month)[1]))


def previous(period: Period) -> Period:
    """The period before; while this one runs, up to the same day (the 23rd of November
    against the 23rd of November a year before, or of August a quarter before)."""
    months = 3 if period.quarter else 12
    first = add_months(period.first, -months)
    end = _shifted(period.end, -months)
    end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    last = _shifted(period.last, -months) if period.running else end
    quarter = (period.quarter - 2) % 4 + 1 if period.quarter else None
    return Period(first, last, end, quarter)


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """The years and quarters to choose from: the last four years, newest first."""
    today = today or now_local().date()
    found = []
    for year in range(today.year, today.year - 4, -1):
        found.append((f"{year}", f"{year}"))
        for quarter in range(4, 0, -1):
            if date(year, 3 * quarter - 2, 1) <= today:
                found.append(
                    (f"{year}-Q{quarter}", _("quarter %(n)s of %(year)s", n=quarter, year=year))
                )
    return found
