"""The annual or quarterly report for a municipality: visitors and questions against the
period before, per location and month, topics, agencies and referrals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from ido.core.activities import BranchActivities, activity_figures
from ido.core.activities import totals as activity_totals
from ido.core.models import Branch, Category
from ido.core.reporting.counts import (
    Totals,
    branch_totals_between,
    key_totals,
    monthly_totals,
    referred_counts,
    totals_between,
)
from ido.core.reporting.figures import Series
from ido.core.reporting.periods import Period, previous
from ido.core.timeutil import add_months, now_local


@dataclass
class Location:
    branch: Branch
    now: Totals
    before: Totals


@dataclass
class MunicipalityReport:
    municipality: str
    period: Period
    before: Period
    libraries: list[str]
    now: Totals
    then: Totals
    locations: list[Location]
    referred: int
    trend: Series
    trend_before: list[int]  # the same months of the period before, in the trend's order
    topics: Series
    npd: Series
    network_referrals: Series
    other_referrals: Series
    made: date
    # activities and spreekuren per location, and added up (held by kind, people reached)
    activities: list[BranchActivities] = field(default_factory=list)
    activity_total: BranchActivities | None = None
    # per location signed up for the convenant: activities it still needs in the year, as of
    # the period's end (a quarter's mark counts what the year held up to it, not the quarter)
    convenant_short: dict[int, int] = field(default_factory=dict)

    @property
    def change(self) -> int | None:
        """Visitors against the period before, in whole percent (None: nothing before)."""
        if not self.then.visitors:
            return None
        return round(100 * (self.now.visitors - self.then.visitors) / self.then.visitors)


def _series(
    title: str, totals: dict[Category, int], keep: Callable[[Category], bool] = lambda c: True
) -> Series:
    items = sorted(
        ((c, n) for c, n in totals.items() if n and keep(c)),
        key=lambda kv: (-kv[1], kv[0].position),
    )
    return Series(title, [(c.name, n) for c, n in items])


def municipality_report(
    municipality: str, period: Period, branches: list[Branch]
) -> MunicipalityReport:
    """The figures of the report for the municipality's branches (all given are in it)."""
    before = previous(period)
    ids = [b.id for b in branches]
    now_by_branch = branch_totals_between(period.first, period.last, ids)
    before_by_branch = branch_totals_between(before.first, before.last, ids)
    locations = [
        Location(b, now_by_branch.get(b.id, Totals()), before_by_branch.get(b.id, Totals()))
        for b in sorted(branches, key=lambda b: b.name)
        if b.active or b.id in now_by_branch or b.id in before_by_branch
    ]
    first_month, last_month = period.first, period.last.replace(day=1)
    per_month: dict[date, int] = {}
    for (month, _branch), found in monthly_totals(before.first, last_month, branches).items():
        per_month[month] = per_month.get(month, 0) + found.visitors
    shift = 3 if period.quarter else 12
    if period.running:  # the month under way, against the same days of its earlier month
        per_month[last_month] = totals_between(last_month, period.last, ids).visitors
        earlier = before.last.replace(day=1)
        per_month[earlier] = totals_between(earlier, before.last, ids).visitors
    trend = [
        (
            format_date(month, "MMM"),  # type: ignore[no-untyped-call]
            per_month.get(month, 0),
            per_month.get(add_months(month, -shift), 0),
        )
        for month in period.months
    ]
    referrals = key_totals(first_month, last_month, "referral", branches)
    held = [
        found
        for found in activity_figures(
            sorted(branches, key=lambda b: b.name), period.first, period.end
        )  # the whole period: sessions still planned in it too
        if found.held or found.planned or found.takes_part  # signed up: held to the minimum
    ]
    taking_part = [found.branch for found in held if found.takes_part]
    if period.quarter and taking_part:
        so_far = activity_figures(taking_part, date(period.first.year, 1, 1), period.end)
    else:
        so_far = [found for found in held if found.takes_part]
    return MunicipalityReport(
        municipality=municipality,
        period=period,
        before=before,
        libraries=sorted({b.library.name for b in branches}),
        now=Totals.of(now_by_branch.values()),
        then=Totals.of(before_by_branch.values()),
        locations=locations,
        referred=sum(referred_counts(first_month, last_month, branches).values()),
        trend=Series(period.name, [(label, now) for label, now, _before in trend]),
        trend_before=[then for _label, _now, then in trend],
        topics=_series(
            _("Questions per topic"),
            key_totals(first_month, last_month, "topic", branches),
            lambda t: t.parent_id is None,
        ),
        npd=_series(
            _("Questions about an agency of the national network (NPD)"),
            key_totals(first_month, last_month, "agency", branches),
            lambda a: a.kind == "npd",
        ),
        network_referrals=_series(
            _("Referred to the national network (NPD)"), referrals, lambda a: a.kind == "npd"
        ),
        other_referrals=_series(
            _("Referred to other government bodies and local partners"),
            referrals,
            lambda a: a.kind != "npd",
        ),
        made=now_local().date(),
        activities=held,
        activity_total=activity_totals(held) if held else None,
        convenant_short={found.branch.id: found.short for found in so_far if found.short},
    )
