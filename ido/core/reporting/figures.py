"""The dashboard's figures: the month against the month before and a year before, the trend,
and the tables and charts by topic, agency, referral, help, channel, outcome, weekday, hour,
branch and municipality."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _

from ido.core.models import Branch
from ido.core.reporting.counts import (
    Totals,
    key_totals,
    monthly_totals,
    question_facets,
    totals_between,
)
from ido.core.reporting.params import CountParams
from ido.core.reporting.periods import Period, month_days
from ido.core.timeutil import add_months, months_between, now_local


@dataclass
class Series:
    """A titled list of (label, value) pairs: drawn as a chart, shown as a table. `unit` names
    what the values count (the table's column: questions or visitors); `short` holds a label
    per item for a narrow column of a chart, all of one form (ma, di, wo)."""

    title: str
    items: list[tuple[str, int]] = field(default_factory=list)
    unit: str = ""
    short: list[str] = field(default_factory=list)

    # Worked out once: the page's charts and tables ask for them at every item (700 branches)
    @cached_property
    def total(self) -> int:
        return sum(v for _, v in self.items)

    @cached_property
    def top(self) -> int:
        return max((v for _, v in self.items), default=0)


def _ordered(totals: dict[Any, int], keep: Callable[[Any], bool]) -> list[tuple[Any, int]]:
    """The categories kept, the most counted first (then in their own order)."""
    kept = ((k, n) for k, n in totals.items() if keep(k))
    return sorted(kept, key=lambda kv: (-kv[1], kv[0].position))


def _named(
    totals: dict[Any, int], keep: Callable[[Any], bool] = lambda key: True
) -> list[tuple[str, int]]:
    return [(key.name, count) for key, count in _ordered(totals, keep)]


def _by_key(
    params: CountParams, by: str, keep: Callable[[Any], bool] = lambda key: True
) -> list[tuple[str, int]]:
    return _named(key_totals(params.first, params.last, by, params.branches), keep)


@dataclass
class TopicSeries(Series):
    """Questions per topic, and under each topic its follow-ups (DigiD-app under DigiD): one
    list of (label, value) pairs per item. A follow-up counts in its topic too, so the
    topics alone add up to the questions, and a follow-up is a share of its topic."""

    followups: list[list[tuple[str, int]]] = field(default_factory=list)


def _topics(params: CountParams) -> TopicSeries:
    totals = key_totals(params.first, params.last, "topic", params.branches)
    topics = _ordered(totals, lambda topic: topic.parent_id is None)
    under: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for followup, count in _ordered(totals, lambda topic: topic.parent_id is not None):
        under[followup.parent_id].append((followup.name, count))
    return TopicSeries(
        _("By topic"),
        [(topic.name, count) for topic, count in topics],
        _("Questions"),
        followups=[under.get(topic.id, []) for topic, _count in topics],
    )


def weekday_names(width: Literal["wide", "abbreviated"] = "wide") -> list[str]:
    """Monday to Sunday in the page's language, all of one form: `wide` (maandag, Monday)
    or `abbreviated` (ma, Mon), as Babel's calendar data writes them."""
    names = get_day_names(width, locale=get_locale() or "nl")
    return [names[day] for day in range(7)]


@dataclass(frozen=True)
class Counted:
    """A period with its visitors, questions and hours of help."""

    period: Period
    totals: Totals

    @property
    def first(self) -> date:
        return self.period.first

    @property
    def last(self) -> date:
        return self.period.last


def comparison(
    month: date, branch_ids: list[int], whole_months: dict[date, Totals] | None = None
) -> dict[str, Counted]:
    """The month, against the same days of the month before and of the same month a year
    before: up to today while the month runs (the 22nd against the 1st to the 22nd), whole
    months once it is over. Comparing a running month with a whole one misleads.
    `whole_months` holds totals already counted for whole months (none: counted here)."""
    today = now_local().date()
    days = today.day if month == today.replace(day=1) else None
    found = {}
    for key, shown in (
        ("now", month),
        ("before", add_months(month, -1)),
        ("year_before", add_months(month, -12)),
    ):
        period = month_days(shown, days)
        if days is None and whole_months is not None and shown in whole_months:
            found[key] = Counted(period, whole_months[shown])
        else:
            found[key] = Counted(period, totals_between(period.first, period.last, branch_ids))
    return found


@dataclass
class TotalsSeries(Series):
    """A chart of visitors whose table also gives the questions and hours of help."""

    totals: list[tuple[str, Totals]] = field(default_factory=list)


def _totals_series(title: str, found: dict[str, Totals]) -> TotalsSeries:
    ordered = sorted(found.items(), key=lambda kv: (-kv[1].visitors, kv[0]))
    return TotalsSeries(title, [(name, t.visitors) for name, t in ordered], totals=ordered)


def dashboard(params: CountParams) -> dict[str, Any]:
    """Every figure on the dashboard for the chosen period and branches."""
    branches = params.branches
    trend_first = add_months(params.last, -11)
    by_id = {b.id: b for b in branches}
    monthly: dict[date, list[Totals]] = defaultdict(list)
    branch_months: dict[Branch, list[Totals]] = defaultdict(list)
    # from the month a year before the last too: the comparison's whole months come from here
    counted_first = min(add_months(params.last, -12), params.first)
    for (month, branch_id), found in monthly_totals(counted_first, params.last, branches).items():
        monthly[month].append(found)
        if month >= params.first:
            branch_months[by_id[branch_id]].append(found)
    per_month = {m: Totals.of(monthly[m]) for m in months_between(counted_first, params.last)}
    per_branch = {branch: Totals.of(found) for branch, found in branch_months.items()}
    months = months_between(trend_first, params.last)
    town_totals: dict[str, list[Totals]] = defaultdict(list)
    for branch, found in per_branch.items():
        town_totals[branch.municipality].append(found)
    per_municipality = {town: Totals.of(found) for town, found in town_totals.items()}
    facets = question_facets(params.first, params.last, branches)
    hours = facets.hours
    weekdays = [d for d in range(7) if d < 5 or any(wd == d for wd, _h in hours)]
    days, short_days = weekday_names(), weekday_names("abbreviated")
    visitors = _("Visitors")  # an entry each, whatever it holds: one channel, outcome, day
    ids = [b.id for b in branches]
    return {
        "compare": comparison(params.last, ids, per_month),
        "running": params.last == now_local().date().replace(day=1),
        "period": Totals.of(per_branch.values()),
        "trend": Series(
            _("Visitors per month"),
            [(f"{m:%Y-%m}", per_month.get(m, Totals()).visitors) for m in months],
        ),
        "trend_totals": [(f"{m:%Y-%m}", per_month.get(m, Totals())) for m in months],
        "topics": _topics(params),
        "npd": Series(
            _("Concerns an agency of the national network (NPD)"),
            _by_key(params, "agency", lambda a: a.kind == "npd"),
            visitors,
        ),
        "referrals": Series(_("Referred to"), _by_key(params, "referral"), visitors),
        "help": Series(_("Help given"), _by_key(params, "help"), visitors),
        "channels": Series(_("Channel"), _named(facets.channels), visitors),
        "outcomes": Series(_("Outcome"), _named(facets.outcomes), visitors),
        "weekdays": Series(
            _("By weekday"),
            [(days[d], sum(n for (wd, _h), n in hours.items() if wd == d)) for d in weekdays],
            visitors,
            [short_days[d] for d in weekdays],
        ),
        "hours": Series(
            _("By hour"),
            [
                (f"{h:02d}:00", sum(n for (_d, hh), n in hours.items() if hh == h))
                for h in sorted({h for _d, h in hours if h is not None})  # time known
            ],
            visitors,
        ),
        "branches": _totals_series(_("By branch"), {b.name: t for b, t in per_branch.items()}),
        "municipalities": _totals_series(_("By municipality"), per_municipality),
    }
