"""Desk time: moments are stored in UTC, days and months are counted in Europe/Amsterdam."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ido.core.exceptions import ParamError

# Reports, lists and activities cover these years: enough for any IDO (they began in 2019), and
# every date in range has a neighbouring month and a whole-hour offset from UTC (Amsterdam had
# neither in 1900), so no period breaks a count or an export halfway.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def in_years(day: date, field: str, error: type[ParamError] = ParamError) -> date:
    """The day, when it lies in the years covered; else `error` (a 422) names the field."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = _("Give a date from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        raise error(field, "out_of_range", message)
    return day


LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def local_day_and_month(moment: datetime) -> tuple[date, date]:
    """The Amsterdam calendar day of an aware moment, and the first day of its month."""
    columns = local_columns(moment)
    return columns["local_date"], columns["local_month"]


def local_columns(moment: datetime) -> dict[str, Any]:
    """The Amsterdam day, month, weekday and hour stored beside a question's UTC moment."""
    local = moment.astimezone(LOCAL_TZ)
    day = local.date()
    return {
        "local_date": day,
        "local_month": day.replace(day=1),
        "local_weekday": day.weekday(),
        "local_hour": local.hour,
    }


def now_local() -> datetime:
    """The current time in Amsterdam, to the minute (as the desk shows it)."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).replace(second=0, microsecond=0)


def to_local(moment: datetime) -> datetime:
    """An aware moment shown in Amsterdam time."""
    return moment.astimezone(LOCAL_TZ)


def start_of_month(months_back: int, today: date | None = None) -> datetime:
    """Midnight (Amsterdam) of the first day of the month `months_back` months before this one
    (0: this month's first day)."""
    first = add_months((today or now_local().date()).replace(day=1), -months_back)
    return datetime.combine(first, time(), tzinfo=LOCAL_TZ)


def day_text(day: date) -> str:
    """A day as the desk writes and reads it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) the given one."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first` to `last`, both included."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def previous_working_day(day: date) -> date:
    """The working day before `day`, Saturday and Sunday skipped (a Monday's is the Friday):
    the day a desk open on weekdays most often types in from paper."""
    earlier = day - timedelta(days=1)
    while earlier.weekday() >= 5:
        earlier -= timedelta(days=1)
    return earlier
