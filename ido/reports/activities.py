"""Activities per branch and year: held by kind against the convenant's minimum, and the
people reached; as a page, CSV and XLSX (the JSON API gives the same rows)."""

from flask import render_template, request
from flask_login import current_user

from ido.core.activities import (
    CONVENANT_MINIMUM,
    activity_figures,
    activity_kinds,
    parse_year,
    totals,
    year_bounds,
)
from ido.core.reporting import exports
from ido.core.reporting.params import scoped_branches
from ido.core.timeutil import now_local
from ido.reports.views import _dialect, bp, download


def year_figures():
    """The year asked for, the branches in scope (or the one asked for) and their figures."""
    year = parse_year(request.args.get("year"), now_local().year)
    branches = scoped_branches(request.args.get("branch"), current_user)
    return year, activity_figures(branches, *year_bounds(year))


def _name(year: int, extension: str) -> str:
    library = current_user.library.code if current_user.library else "alle"
    return f"ido-{library}-{year}-activiteiten.{extension}"


@bp.get("/activities")
def activities():
    """Per branch: activities held by kind, the convenant's minimum, people reached."""
    year, figures = year_figures()
    kinds = activity_kinds(active_only=False)
    return render_template(
        "reports/activities.html",
        year=year,
        figures=figures,
        total=totals(figures),
        kinds=[k for k in kinds if any(f.by_kind.get(k.code) for f in figures)],
        minimum=CONVENANT_MINIMUM,
        this_year=now_local().year,
        all_branches=scoped_branches(None, current_user),
        chosen_branch=request.args.get("branch", ""),
    )


@bp.get("/activities.csv")
def activities_csv():
    """The same figures as CSV, for Dutch Excel (default) or as RFC 4180."""
    year, figures = year_figures()
    codes = [k.code for k in activity_kinds(active_only=False)]
    body = exports.activities_csv(figures, year, codes, _dialect())
    return download(body, _name(year, "csv"), "text/csv; charset=utf-8")


@bp.get("/activities.xlsx")
def activities_xlsx():
    """The same figures as an Excel workbook."""
    year, figures = year_figures()
    codes = [k.code for k in activity_kinds(active_only=False)]
    return download(
        exports.activities_workbook(figures, year, codes),
        _name(year, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
