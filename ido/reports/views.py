"""Reports for coordinators: dashboard, national-form summary and the downloads."""

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from ido.core import exports
from ido.core.counts import monthly_counts
from ido.core.exceptions import ParamError
from ido.core.report_params import count_params, parse_month, scoped_branches
from ido.core.scope import branches_in_scope
from ido.core.timeutil import now_local
from ido.reports.dashboard import dashboard, national_summary
from ido.web.access import allow

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.before_request
@allow("coordinator", "admin")
def coordinators_only():
    """Reports are for coordinators (their library) and admins (everything)."""


def file_name(params, what: str, extension: str) -> str:
    """ido-<library>-<from>-<to>-<what>.<extension>"""
    library = current_user.library.code if current_user.library else "alle"
    period = f"{params.first:%Y-%m}-{params.last:%Y-%m}"
    return f"ido-{library}-{period}-{what}.{extension}"


def download(body, name: str, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _dialect() -> str:
    dialect = request.args.get("dialect", "excel-nl")
    if dialect not in exports.DIALECTS:
        raise ParamError("dialect", "invalid", _("Choose the dialect excel-nl or rfc4180."))
    return dialect


@bp.get("/monthly.csv")
def monthly_csv():
    """Monthly counts as CSV, for Dutch Excel (default) or as RFC 4180."""
    params, dialect = count_params(request.args, current_user), _dialect()
    rows = monthly_counts(params.first, params.last, params.by, params.branches)
    return download(
        exports.counts_csv(rows, params.by, dialect),
        file_name(params, params.by, "csv"),
        "text/csv; charset=utf-8",
    )


@bp.get("/monthly.xlsx")
def monthly_xlsx():
    """Monthly counts as an Excel workbook, a sheet per dimension."""
    params = count_params(request.args, current_user)
    body = exports.counts_workbook(params.first, params.last, params.branches)
    return download(
        body,
        file_name(params, "tellingen", "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/questions.csv")
def questions_csv():
    """Every question of the period, one row each, streamed (notes only when asked for)."""
    params, dialect = count_params(request.args, current_user), _dialect()
    notes = request.args.get("notes") in ("1", "true", "yes")
    lines = exports.raw_csv(params.first, params.last, params.branches, dialect, notes)
    return download(
        stream_with_context(lines), file_name(params, "vragen", "csv"), "text/csv; charset=utf-8"
    )


def _filters(params) -> dict:
    branches = branches_in_scope(current_user, include_inactive=True)
    return {
        "all_branches": branches,
        "municipalities": sorted({b.municipality for b in branches}),
        "chosen_branch": request.args.get("branch", ""),
        "from_month": f"{params.first:%Y-%m}",
        "to_month": f"{params.last:%Y-%m}",
    }


@bp.get("/")
def index():
    """The dashboard: this month against last, a 12-month trend, every dimension, busy hours."""
    params = count_params(request.args, current_user)
    return render_template(
        "reports/index.html",
        params=params,
        figures=dashboard(params),
        query=request.args.to_dict(),
        **_filters(params),
    )


@bp.get("/national")
def national():
    """The month per branch in the order of the national IDO form, printable as a checklist."""
    month = parse_month(request.args.get("month"), "month") or now_local().date().replace(day=1)
    branches = scoped_branches(request.args.get("branch"), current_user)
    summaries = [(branch, national_summary(month, branch)) for branch in branches]
    return render_template(
        "reports/national.html",
        month=month,
        summaries=summaries,
        all_branches=branches_in_scope(current_user, include_inactive=True),
        chosen_branch=request.args.get("branch", ""),
    )
