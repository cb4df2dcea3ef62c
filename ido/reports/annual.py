"""The annual (or quarterly) report for a municipality: what the IDO did for its residents,
per location and against the period before, as a page and as a PDF to hand over."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _

from ido.core.counts import (
    Totals,
    branch_totals_between,
    key_totals,
    monthly_totals,
    referred_counts,
    totals_between,
)
from ido.core.exceptions import ParamError
from ido.core.models import Branch, Category
from ido.core.report_params import FIRST_YEAR
from ido.core.timeutil import add_months, months_between, now_local
from ido.reports.dashboard import Series

PERIOD = re.compile(r"([0-9]{4})(?:-Q([1-4]))?")


@dataclass(frozen=True)
class Period:
    """A year or a quarter, up to today while it runs (`last` is then today)."""

    first: date
    last: date
    end: date  # the period's last day, past today while it runs
    quarter: int | None

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

    @property
    def change(self) -> int | None:
        """Visitors against the period before, in whole percent (None: nothing before)."""
        if not self.then.visitors:
            return None
        return round(100 * (self.now.visitors - self.then.visitors) / self.then.visitors)


def _series(title: str, totals: dict[Category, int], keep=lambda c: True) -> Series:
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
            format_date(month, "MMM"),
            per_month.get(month, 0),
            per_month.get(add_months(month, -shift), 0),
        )
        for month in period.months
    ]
    referrals = key_totals(first_month, last_month, "referral", branches)
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
    )


STYLE_SHEETS = ("css/ido.css", "css/report.css")  # the page's own, and the report's print rules


def report_pdf(report: MunicipalityReport) -> bytes:
    """The report as an A4 PDF, made on the server with WeasyPrint and Debian's fonts. The
    page refers to nothing outside itself (its style sheets are given here), so nothing is
    fetched while it is made."""
    from weasyprint import CSS, HTML

    static = Path(current_app.static_folder or "static")
    html = render_template("reports/municipality_pdf.html", report=report)
    sheets = [CSS(filename=str(static / name)) for name in STYLE_SHEETS]
    return HTML(string=html).write_pdf(stylesheets=sheets)


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
