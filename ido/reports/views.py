"""Reports for coordinators: dashboard, national-form summary, the municipality report and
the downloads."""

import re
import unicodedata

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import DeskDevice, User
from ido.core.organisation.scope import branches_in_scope
from ido.core.questions.listing import PAGE_SIZE, QuestionFilter, find_rows
from ido.core.reporting import exports, quiet
from ido.core.reporting.counts import counts_and_totals
from ido.core.reporting.figures import dashboard
from ido.core.reporting.municipality import municipality_report
from ido.core.reporting.national import national_summaries
from ido.core.reporting.params import (
    count_params,
    parse_date,
    parse_month,
    parse_page,
    scoped_branches,
)
from ido.core.reporting.periods import parse_period, period_choices
from ido.core.reporting.quiet import attention
from ido.core.taxonomy import active_categories, all_of_kind
from ido.core.timeutil import now_local, start_of_month
from ido.web.access import allow
from ido.web.documents import report_pdf
from ido.web.errors import respond
from ido.web.question_rows import today_rows

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
    """Monthly counts as CSV, for Dutch Excel (default) or as RFC 4180; per branch, or with
    `per=municipality` per municipality (its branches added up)."""
    params, dialect = count_params(request.args, current_user), _dialect()
    per = request.args.get("per", "branch")
    if per not in ("branch", "municipality"):
        raise ParamError("per", "invalid", _("Choose per=branch or per=municipality."))
    rows, totals = counts_and_totals(params.first, params.last, params.by, params.branches)
    if per == "municipality":
        body = exports.municipality_csv(rows, params.by, dialect, totals)
        name = file_name(params, f"{params.by}-gemeente", "csv")
    else:
        body, name = (
            exports.counts_csv(rows, params.by, dialect, totals),
            file_name(params, params.by, "csv"),
        )
    return download(body, name, "text/csv; charset=utf-8")


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
    """The dashboard: quiet branches and sessions without a count first, then this month
    against last, a 12-month trend, every dimension, busy hours."""
    params = count_params(request.args, current_user)
    return render_template(
        "reports/index.html",
        params=params,
        figures=dashboard(params),
        attention=attention(branches_in_scope(current_user), now_local()),
        quiet_shown=None if request.args.get("quiet") == "all" else quiet.SHOWN,
        query=request.args.to_dict(),
        **_filters(params),
    )


def _chosen(field: str, allowed: list):
    """The item of `allowed` named by the query parameter (a code, or an id for people and
    tablets), None when not given; an unknown one is a ParamError."""
    wanted = request.args.get(field, "")
    if not wanted:
        return None
    found = next((item for item in allowed if _key(item) == wanted), None)
    if found is None:
        raise ParamError(field, "unknown_code", _("This choice is not (or no longer) available."))
    return found


def _key(item) -> str:
    """How a filter choice is named in the address: a category's code, u12 or d3 for people."""
    if isinstance(item, User):
        return f"u{item.id}"
    if isinstance(item, DeskDevice):
        return f"d{item.id}"
    return item.code


@bp.get("/questions")
def questions():
    """Every question in scope, to find and correct: by branch, period, topic, agency and who
    logged it; 50 a page, newest first, each with its edit page and its history."""
    branches = branches_in_scope(current_user, include_inactive=True)
    chosen_branches = scoped_branches(request.args.get("branch"), current_user)
    library_id = current_user.library_id
    topics = all_of_kind("topic")
    agencies = all_of_kind("agency", library_id)
    ids = [b.id for b in branches]
    people = list(
        db.session.scalars(
            db.select(User)
            .where(User.library_id == library_id if library_id else User.id.is_not(None))
            .order_by(User.name)
        )
    )
    tablets = list(
        db.session.scalars(
            db.select(DeskDevice).where(DeskDevice.branch_id.in_(ids)).order_by(DeskDevice.name)
        )
    )
    topic = _chosen("topic", topics)
    agency = _chosen("agency", agencies)
    who = _chosen("who", people + tablets)
    first = parse_date(request.args.get("from"), "from")
    last = parse_date(request.args.get("to"), "to")
    if "from" not in request.args and "to" not in request.args:  # a month to correct, and this
        first = start_of_month(1).date()
    if first and last and first > last:
        raise ParamError("from", "invalid", _("The start of the period is after its end."))
    found = QuestionFilter(
        branch_ids=tuple(b.id for b in chosen_branches),
        first=first,
        last=last,
        topic_id=topic.id if topic else None,
        agency_id=agency.id if agency else None,
        logged_by_id=who.id if isinstance(who, User) else None,
        device_id=who.id if isinstance(who, DeskDevice) else None,
    )
    page = parse_page(request.args.get("page"))
    rows, total = find_rows(found, page)
    query = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "reports/questions.html",
        rows=today_rows(rows, active_categories(library_id=library_id)),
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query=query,
        first=first,
        last=last,
        branches=branches,
        branch_names={b.id: b.name for b in branches},
        topics=topics,
        agencies=agencies,
        people=people,
        tablets=tablets,
        chosen={
            "branch": request.args.get("branch", ""),
            "topic": _key(topic) if topic else "",
            "agency": _key(agency) if agency else "",
            "who": _key(who) if who else "",
        },
        back=request.full_path,
    )


@bp.get("/national")
def national():
    """The month per branch in the order of the national IDO form, printable as a checklist."""
    month = parse_month(request.args.get("month"), "month") or now_local().date().replace(day=1)
    branches = scoped_branches(request.args.get("branch"), current_user)
    form, summaries = national_summaries(month, branches)
    return render_template(
        "reports/national.html",
        month=month,
        form=form,
        summaries=summaries,
        all_branches=branches_in_scope(current_user, include_inactive=True),
        chosen_branch=request.args.get("branch", ""),
    )


def _municipality_report(required: bool):
    """The report asked for (None while no municipality is chosen among several), the
    municipalities in scope and the period."""
    branches = branches_in_scope(current_user, include_inactive=True)
    towns = sorted({b.municipality for b in branches})
    period = parse_period(request.args.get("period"))
    town = request.args.get("municipality") or (towns[0] if len(towns) == 1 else "")
    if not town:
        if required:
            raise ParamError("municipality", "required", _("Choose a municipality."))
        return None, towns, period
    if town not in towns:  # another library's municipality reads as an unknown one
        raise ParamError(
            "municipality", "unknown_code", _("None of your branches is in this municipality.")
        )
    mine = [b for b in branches if b.municipality == town]
    return municipality_report(town, period, mine), towns, period


@bp.get("/municipality")
def municipality():
    """The annual or quarterly report for a municipality: a page that prints on A4, and a
    link to the same report as a PDF."""
    report, towns, period = _municipality_report(required=False)
    return render_template(
        "reports/municipality.html",
        report=report,
        towns=towns,
        chosen_town=report.municipality if report else "",
        period=period,
        periods=period_choices(),
    )


def _slug(text: str) -> str:
    """A file name part from free text: ASCII letters and digits, the rest as dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@bp.get("/municipality.pdf")
def municipality_pdf():
    """The municipality's report as an A4 PDF, made on the server."""
    report, _towns, period = _municipality_report(required=True)
    name = f"ido-{_slug(report.municipality) or 'gemeente'}-{period.code}-verslag.pdf"
    try:
        body = report_pdf(report)
    except OSError:  # WeasyPrint loads Pango when first used: missing on this server
        current_app.logger.exception("the PDF could not be made")
        message = _(
            "This server cannot make PDF files yet (its Pango library is missing; see the "
            "README). Print the report page instead: it is laid out for A4."
        )
        return respond(503, message)
    return download(body, name, "application/pdf")
