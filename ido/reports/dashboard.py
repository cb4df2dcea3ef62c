"""What the dashboard and the national-form summary show, built from the report queries."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from flask_babel import gettext as _

from ido.core.categories import active_categories
from ido.core.counts import (
    DURATION_BANDS,
    TOPIC_GROUPS_ORDER,
    duration_band_counts,
    key_totals,
    monthly_counts,
    question_counts,
    topic_group_counts,
    totals_between,
    weekday_hour_counts,
)
from ido.core.models import Branch, Category
from ido.core.report_params import CountParams
from ido.core.timeutil import add_months, months_between, now_local


@dataclass
class Series:
    """A titled list of (label, value) pairs: drawn as a chart, shown as a table."""

    title: str
    items: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(v for _, v in self.items)

    @property
    def top(self) -> int:
        return max((v for _, v in self.items), default=0)


def _by_key(params: CountParams, by: str, keep=lambda key: True) -> list[tuple[str, int]]:
    totals = key_totals(params.first, params.last, by, params.branches)
    ordered = sorted(
        ((k, n) for k, n in totals.items() if keep(k)), key=lambda kv: (-kv[1], kv[0].position)
    )
    return [(key.name, count) for key, count in ordered]


def weekday_names() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


@dataclass
class Period:
    """Days of one month compared with others: questions and hours of help."""

    first: date
    last: date
    questions: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def _month_days(month: date, days: int | None) -> tuple[date, date]:
    """The month's first `days` days (None: all of them; fewer when the month is shorter)."""
    length = calendar.monthrange(month.year, month.month)[1]
    return month, month.replace(day=min(days or length, length))


def _month_end(month: date) -> date:
    return _month_days(month, None)[1]


def comparison(month: date, branch_ids: list[int]) -> dict[str, Period]:
    """The month, against the same days of the month before and of the same month a year
    before: up to today while the month runs (the 22nd against the 1st to the 22nd), whole
    months once it is over. Comparing a running month with a whole one misleads."""
    today = now_local().date()
    days = today.day if month == today.replace(day=1) else None
    found = {}
    for key, shown in (
        ("now", month),
        ("before", add_months(month, -1)),
        ("year_before", add_months(month, -12)),
    ):
        first, last = _month_days(shown, days)
        found[key] = Period(first, last, *totals_between(first, last, branch_ids))
    return found


def dashboard(params: CountParams) -> dict:
    """Every figure on the dashboard for the chosen period and branches."""
    branches = params.branches
    trend_first = add_months(params.last, -11)
    per_month: dict = defaultdict(int)
    per_branch: dict = defaultdict(int)
    for row in monthly_counts(min(trend_first, params.first), params.last, "total", branches):
        per_month[row.month] += row.count
        if row.month >= params.first:
            per_branch[row.branch] += row.count
    months = months_between(trend_first, params.last)
    previous = add_months(params.last, -1)
    per_municipality: dict = defaultdict(int)
    for branch, count in per_branch.items():
        per_municipality[branch.municipality] += count
    hours = weekday_hour_counts(params.first, params.last, branches)
    days = weekday_names()
    ids = [b.id for b in branches]
    return {
        "compare": comparison(params.last, ids),
        "running": params.last == now_local().date().replace(day=1),
        "period_hours": round(
            totals_between(params.first, _month_end(params.last), ids)[1] / 60, 1
        ),
        "this_month": per_month.get(params.last, 0),
        "last_month": per_month.get(previous, 0),
        "month": params.last,
        "previous": previous,
        "total": sum(per_branch.values()),
        "questions": sum(question_counts(params.first, params.last, branches).values()),
        "trend": Series(
            _("Questions per month"), [(f"{m:%Y-%m}", per_month.get(m, 0)) for m in months]
        ),
        "topics": Series(_("By topic"), _by_key(params, "topic")),
        "npd": Series(
            _("Concerns an agency of the national network (NPD)"),
            _by_key(params, "agency", lambda a: a.kind == "npd"),
        ),
        "referrals": Series(_("Referred to"), _by_key(params, "referral")),
        "help": Series(_("Help given"), _by_key(params, "help")),
        "channels": Series(_("Channel"), _by_key(params, "channel")),
        "outcomes": Series(_("Outcome"), _by_key(params, "outcome")),
        "weekdays": Series(
            _("By weekday"),
            [
                (days[d], sum(n for (wd, _h), n in hours.items() if wd == d))
                for d in range(7)
                if d < 5 or any(wd == d for wd, _h in hours)
            ],
        ),
        "hours": Series(
            _("By hour"),
            [
                (f"{h:02d}:00", sum(n for (_d, hh), n in hours.items() if hh == h))
                for h in sorted({h for _d, h in hours if h is not None})  # time known
            ],
        ),
        "branches": Series(
            _("By branch"),
            sorted(((b.name, n) for b, n in per_branch.items()), key=lambda kv: -kv[1]),
        ),
        "municipalities": Series(
            _("By municipality"), sorted(per_municipality.items(), key=lambda kv: -kv[1])
        ),
    }


@dataclass
class FormSection:
    title: str
    lines: list[tuple[str, int]]


def national_summary(month: date, branch: Branch) -> list[FormSection]:
    """One branch's month, in the order of the national IDO form's questions."""
    cats, branches = active_categories(), [branch]
    groups = topic_group_counts(month, month, branches)
    bands = duration_band_counts(month, month, branches)

    def counts(by: str) -> dict[str, int]:
        return {
            cast(Category, row.key).code: row.count
            for row in monthly_counts(month, month, by, branches)
        }

    group_names = {
        "overheid": _("Digital government"),
        "bibliotheek": _("Library services"),
        "overig": _("Other (devices, other questions)"),
    }
    agencies, referrals = counts("agency"), counts("referral")
    ordered_agencies = sorted(
        cats.agencies,
        key=lambda a: (("npd", "government", "partner").index(a.kind), a.position),
    )
    total = sum(row.count for row in monthly_counts(month, month, "total", branches))
    asked = sum(question_counts(month, month, branches).values())
    public = [a for a in ordered_agencies if a.kind != "partner"]  # the government ones
    level_names = {
        "rijk": _("Central government"),
        "uitvoering": _("Executive agency"),
        "gemeente": _("Municipality"),
        "provincie": _("Province"),
        "overig": _("Other government body"),
    }
    topic_counts, help_counts, channel_counts = counts("topic"), counts("help"), counts("channel")
    return [
        FormSection(
            _("Number of questions"),
            [(_("Visitors (entries)"), total), (_("Questions (topics)"), asked)],
        ),
        FormSection(
            _("Type of question"),
            [(group_names[g], groups.get((month, branch.id, g), 0)) for g in TOPIC_GROUPS_ORDER],
        ),
        FormSection(_("Topic"), [(t.name, topic_counts.get(t.code, 0)) for t in cats.topics]),
        FormSection(
            _("Organisation the question concerns"),
            [(a.name, agencies.get(a.code, 0)) for a in ordered_agencies if a.kind != "partner"],
        ),
        FormSection(
            _("Government the question concerns, by kind"),
            [
                (name, sum(agencies.get(a.code, 0) for a in public if a.level == level))
                for level, name in level_names.items()
            ],
        ),
        FormSection(
            _("Referred to"), [(a.name, referrals.get(a.code, 0)) for a in ordered_agencies]
        ),
        FormSection(_("Help given"), [(h.name, help_counts.get(h.code, 0)) for h in cats.help]),
        FormSection(_("Channel"), [(c.name, channel_counts.get(c.code, 0)) for c in cats.channels]),
        FormSection(
            _("Duration"),
            [
                (_("%(band)s minutes", band=label), bands.get((month, branch.id, label), 0))
                for _low, _high, label in DURATION_BANDS
            ],
        ),
    ]
