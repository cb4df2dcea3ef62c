"""What the dashboard and the national-form summary show, built from the report queries."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ido.core.categories import active_categories
from ido.core.counts import (
    Totals,
    duration_counts,
    key_totals,
    monthly_counts,
    monthly_totals,
    referred_counts,
    totals_between,
    weekday_hour_counts,
)
from ido.core.defaults import DURATIONS
from ido.core.models import AGENCY_KINDS, Branch, Category
from ido.core.national_form import Applying, FormMapping, Line, applying, band_label
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
    """Days of one month compared with others: visitors, questions and hours of help."""

    first: date
    last: date
    totals: Totals


def _month_days(month: date, days: int | None) -> tuple[date, date]:
    """The month's first `days` days (None: all of them; fewer when the month is shorter)."""
    length = calendar.monthrange(month.year, month.month)[1]
    return month, month.replace(day=min(days or length, length))


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
        found[key] = Period(first, last, totals_between(first, last, branch_ids))
    return found


@dataclass
class TotalsSeries(Series):
    """A chart of visitors whose table also gives the questions and hours of help."""

    totals: list[tuple[str, Totals]] = field(default_factory=list)


def _totals_series(title: str, found: dict[str, Totals]) -> TotalsSeries:
    ordered = sorted(found.items(), key=lambda kv: (-kv[1].visitors, kv[0]))
    return TotalsSeries(title, [(name, t.visitors) for name, t in ordered], ordered)


def dashboard(params: CountParams) -> dict:
    """Every figure on the dashboard for the chosen period and branches."""
    branches = params.branches
    trend_first = add_months(params.last, -11)
    by_id = {b.id: b for b in branches}
    monthly: dict[date, list[Totals]] = defaultdict(list)
    branch_months: dict[Branch, list[Totals]] = defaultdict(list)
    for (month, branch_id), found in monthly_totals(
        min(trend_first, params.first), params.last, branches
    ).items():
        monthly[month].append(found)
        if month >= params.first:
            branch_months[by_id[branch_id]].append(found)
    per_month = {month: Totals.of(found) for month, found in monthly.items()}
    per_branch = {branch: Totals.of(found) for branch, found in branch_months.items()}
    months = months_between(trend_first, params.last)
    town_totals: dict[str, list[Totals]] = defaultdict(list)
    for branch, found in per_branch.items():
        town_totals[branch.municipality].append(found)
    per_municipality = {town: Totals.of(found) for town, found in town_totals.items()}
    hours = weekday_hour_counts(params.first, params.last, branches)
    days = weekday_names()
    ids = [b.id for b in branches]
    return {
        "compare": comparison(params.last, ids),
        "running": params.last == now_local().date().replace(day=1),
        "period": Totals.of(per_branch.values()),
        "trend": Series(
            _("Visitors per month"),
            [(f"{m:%Y-%m}", per_month.get(m, Totals()).visitors) for m in months],
        ),
        "trend_totals": [(f"{m:%Y-%m}", per_month.get(m, Totals())) for m in months],
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
        "branches": _totals_series(_("By branch"), {b.name: t for b, t in per_branch.items()}),
        "municipalities": _totals_series(_("By municipality"), per_municipality),
    }


@dataclass
class FormSection:
    title: str
    lines: list[tuple[str, int | float]]


def _mapped(
    lines: tuple[Line, ...], mapped: dict[str, str], counts: dict[Category, int]
) -> list[tuple[str, int | float]]:
    """Counts of our categories added up per line of the national form; those the mapping
    does not place (added since it was saved) on a line of their own, when there are any."""
    per_line: dict[str, int] = defaultdict(int)
    for category, count in counts.items():
        per_line[mapped.get(category.code, "")] += count
    found: list[tuple[str, int | float]] = [(line.name, per_line[line.code]) for line in lines]
    known = {line.code for line in lines}
    stray = sum(n for code, n in per_line.items() if code not in known)
    if stray:
        found.append((_("Not assigned (update the national form's mapping)"), stray))
    return found


LEVEL_NAMES = {
    "rijk": _l("Central government"),
    "uitvoering": _l("Executive agency"),
    "gemeente": _l("Municipality"),
    "provincie": _l("Province"),
    "overig": _l("Other government body"),
}


def duration_lines(mapping: FormMapping) -> list[tuple[str, int | None]]:
    """The duration lines of the form (label, key of `duration_counts`): its bands, or the
    desk's presets until bands are set."""
    if mapping.bands:
        return [
            (_("%(band)s minutes", band=band_label(low, high)), low) for low, high in mapping.bands
        ]
    return [
        *[(_("%(minutes)s minutes", minutes=m), m) for m in DURATIONS],
        (_("Other duration"), None),
    ]


def national_summaries(
    month: date, branches: list[Branch]
) -> tuple[Applying, list[tuple[Branch, list[FormSection]]]]:
    """Each branch's month in the order of the national IDO form's questions, laid out by the
    version of the form's mapping in force in that month."""
    form = applying(month)
    mapping, cats = form.mapping, active_categories()

    def per_branch(by: str) -> dict[int, dict[Category, int]]:
        found: dict[int, dict[Category, int]] = defaultdict(dict)
        for row in monthly_counts(month, month, by, branches):
            found[row.branch.id][cast(Category, row.key)] = row.count
        return found

    def codes(counted: dict[Category, int]) -> dict[str, int]:
        return {c.code: n for c, n in counted.items()}

    topics, agencies, referrals = per_branch("topic"), per_branch("agency"), per_branch("referral")
    helped, channels = per_branch("help"), per_branch("channel")
    totals = monthly_totals(month, month, branches)
    referred = referred_counts(month, month, branches)
    durations = duration_counts(month, month, branches, mapping.bands)
    ordered_agencies = sorted(
        cats.agencies,
        key=lambda a: (AGENCY_KINDS.index(a.kind), a.position),
    )
    public = [a for a in ordered_agencies if a.kind != "partner"]  # the government ones
    summaries = []
    for branch in branches:
        total = totals.get((month, branch.id), Totals())
        concerned, referred_to = codes(agencies[branch.id]), codes(referrals[branch.id])
        topic_counts, help_counts = codes(topics[branch.id]), codes(helped[branch.id])
        sent_on = referred.get((month, branch.id), 0)
        sections = [
            FormSection(
                _("Number of questions"),
                [
                    (_("Visitors (entries)"), total.visitors),
                    (_("Questions (topics)"), total.questions),
                    (_("Hours of help"), total.hours),
                ],
            ),
            FormSection(
                _("Type of question"),
                _mapped(
                    mapping.groups,
                    mapping.topics,
                    {t: n for t, n in topics[branch.id].items() if t.parent_id is None},
                ),
            ),
            FormSection(_("Topic"), [(t.name, topic_counts.get(t.code, 0)) for t in cats.topics]),
            FormSection(
                _("Organisation the question concerns"),
                [(a.name, concerned.get(a.code, 0)) for a in public],
            ),
            FormSection(
                _("Government the question concerns, by kind"),
                [
                    (str(name), sum(concerned.get(a.code, 0) for a in public if a.level == level))
                    for level, name in LEVEL_NAMES.items()
                ],
            ),
            FormSection(
                _("Referred"),
                [
                    (mapping.referred.name, sent_on),
                    (mapping.not_referred.name, total.visitors - sent_on),
                ],
            ),
            FormSection(
                _("Referred to"),  # the shared agencies and this branch's library's partners
                [
                    (a.name, referred_to.get(a.code, 0))
                    for a in ordered_agencies
                    if a.seen_by(branch.library_id)
                ],
            ),
            FormSection(_("Help given"), [(h.name, help_counts.get(h.code, 0)) for h in cats.help]),
            FormSection(
                _("Channel"), _mapped(mapping.channels, mapping.channel_of, channels[branch.id])
            ),
            FormSection(
                _("Duration"),
                [
                    (label, durations.get((month, branch.id, key), 0))
                    for label, key in duration_lines(mapping)
                ],
            ),
        ]
        summaries.append((branch, sections))
    return form, summaries
