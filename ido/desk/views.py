"""The desk: log a visitor's question in two taps, see today's entries, undo or correct them."""

import functools
import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Integer, Select, bindparam, func

from ido.core import defaults
from ido.core.categories import Categories, active_categories, with_held
from ido.core.db import db
from ido.core.devices import COOKIE, activate
from ido.core.exceptions import IdConflict
from ido.core.listing import NEWEST_FIRST, own_recent_rows, row_query
from ido.core.models import Branch, Question
from ido.core.questions import QuestionData, delete_question, record_question, update_question
from ido.core.scope import (
    branches_in_scope,
    in_scope,
    may_change,
)
from ido.core.timeutil import day_text, now_local, to_local
from ido.desk.forms import BranchForm, DeskTokenForm, EnrolForm, QuickForm
from ido.web.access import allow, get_scoped_or_404
from ido.web.extensions import limiter
from ido.web.forms import EmptyForm
from ido.web.navigation import safe_next
from ido.web.pages import render_form
from ido.web.question_form import QuestionForm
from ido.web.question_rows import TodayRow, today_rows

COOKIE_SECONDS = 400 * 24 * 3600  # browsers keep cookies at most about this long

bp = Blueprint("desk", __name__, url_prefix="/desk")


@allow()
def _anyone_logged_in() -> None:
    """Any role, a desk tablet included."""


@bp.before_request
def require_login() -> ResponseReturnValue | None:
    """Every desk page needs a logged-in user or an enrolled tablet (enrolling aside)."""
    return None if request.endpoint == "desk.enrol" else _anyone_logged_in()


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["IDO_ENROL_LIMIT_ADDRESS"],
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,  # wrong codes only
)
def enrol():
    """On a tablet: type the one-time code a coordinator gave, and the tablet is a desk."""
    form = EnrolForm()
    if form.validate_on_submit():
        enrolled = activate(form.code.data or "")
        if enrolled is None:
            form.code.errors.append(
                _("This code is not valid (any more). Ask your IDO coordinator for a new one.")
            )
        else:
            device, secret = enrolled
            response = redirect(url_for("desk.index"))
            response.set_cookie(
                COOKIE,
                secret,
                max_age=COOKIE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
            )
            flash(
                _("This tablet now logs questions for %(branch)s.", branch=device.branch.name),
                "success",
            )
            return response
    return render_form("desk/enrol.html", form)


def current_branch() -> Branch | None:
    """The branch this session logs for: the chosen one, or the only one in scope."""
    wanted = session.get("branch_id") or 0
    if current_user.is_admin or current_user.is_coordinator:
        branch = db.session.get(Branch, wanted)
        if branch is not None and branch.active and in_scope(current_user, branch):
            return branch
        branches = branches_in_scope(current_user)
    else:  # a volunteer's (or tablet's) branches come in one query, the chosen one among them
        branches = branches_in_scope(current_user)
        chosen = next((b for b in branches if b.id == wanted), None)
        if chosen is not None:
            return chosen
    if len(branches) == 1:
        session["branch_id"] = branches[0].id
        return branches[0]
    return None


TODAY_SHOWN = 20  # the desk lists the latest ones (a tablet screen or two); "show all" lists all


@functools.cache
def _list_query(by: str, limited: bool) -> Select:
    """The desk list's rows (newest first) of a branch's day (`by="day"`) or of one id
    (`by="id"`). Built once per process, bound per request."""
    where = (
        (Question.branch_id == bindparam("branch_id"), Question.local_date == bindparam("day"))
        if by == "day"
        else (Question.branch_id == bindparam("branch_id"), Question.id == bindparam("id"))
    )
    query = row_query(*where).order_by(*NEWEST_FIRST)
    return query.limit(bindparam("limit", type_=Integer)) if limited else query


@functools.cache
def _count_query() -> Select:
    """How many questions a branch's day holds (the list shows the latest)."""
    return (
        db.select(func.count())
        .select_from(Question)
        .where(
            Question.deleted_at.is_(None),
            Question.branch_id == bindparam("branch_id"),
            Question.local_date == bindparam("day"),
        )
    )


def todays_questions(branch: Branch, limit: int | None) -> tuple[list[Any], int]:
    """Today's (Amsterdam) questions at this branch, newest first (the latest `limit`, or
    all), and how many there are today."""
    today = {"branch_id": branch.id, "day": now_local().date()}
    if limit is None:
        rows = list(db.session.execute(_list_query("day", limited=False), today))
    else:
        rows = list(db.session.execute(_list_query("day", limited=True), {**today, "limit": limit}))
    if limit is not None and len(rows) == limit:  # a busy day: count them all
        return rows, db.session.scalar(_count_query(), today) or 0
    return rows, len(rows)


def _fields_key() -> tuple[str, str]:
    return "fields", str(get_locale())


def kept_fields(categories: Categories) -> Markup | None:
    """A fresh desk form's fields as rendered before in this language, if so."""
    return categories.memo.get(_fields_key())


def fresh_fields(form: QuestionForm) -> Markup | None:
    """The fields of a fresh (not submitted) desk form, rendered once per set of lists (kept
    by the process until the taxonomy changes) and language. Rendering them took most of a
    desk page's time."""
    if form.is_submitted():
        return None
    kept = form.categories.memo.get(_fields_key())
    if kept is None:
        html = Markup(render_template("desk/_fields.html", form=form, durations=defaults.DURATIONS))
        kept = form.categories.memo[_fields_key()] = html
    return kept


def _may_go_further() -> bool:
    """Whether this user may log a question before the desk's earliest day (after confirming)."""
    return bool(current_user.is_admin or current_user.is_coordinator)


def _saved(branch: Branch, rows: list[TodayRow], categories: Categories) -> TodayRow | None:
    """The question this session just saved, from today's list when it is there (a back-dated
    one, or one further down, is looked up); None once undone."""
    saved_id = session.pop("saved", None)
    try:
        wanted = uuid.UUID(saved_id) if saved_id else None
    except ValueError:
        return None
    if wanted is None:
        return None
    listed = next((row for row in rows if row.id == wanted), None)
    if listed is not None:
        return listed
    where = {"branch_id": branch.id, "id": wanted}
    found = list(db.session.execute(_list_query("id", limited=False), where))
    return today_rows(found, categories)[0] if found else None


def render_desk(
    branch: Branch,
    form: QuestionForm | DeskTokenForm,
    categories: Categories,
    fields: Markup | None,
):
    """The desk page: the form (422 when refused; `fields` when fresh and already rendered),
    the last save, today's list."""
    quick_mode = session.get("quick", False)
    quick = QuickForm(formdata=None, id=str(uuid.uuid4())) if quick_mode else None
    show_all = request.args.get("all") == "1"
    listed, today_total = todays_questions(branch, None if show_all else TODAY_SHOWN)
    today = today_rows(listed, categories)
    return render_form(
        "desk/index.html",
        form,
        branch=branch,
        quick=quick,
        categories=categories,
        quick_mode=quick_mode,
        saved=_saved(branch, today, categories),
        today=today,
        fields=fields,
        today_total=today_total,
        durations=defaults.DURATIONS,
        several_branches=len(branches_in_scope(current_user)) > 1,
    )


def _store(form_id: uuid.UUID | None, data: QuestionData):
    """Record the question and go back to the desk (post/redirect/get)."""
    try:
        question, created = record_question(data, current_user, form_id)
    except IdConflict:
        flash(_("This form was already used for another question. Nothing was added."), "error")
        return redirect(url_for("desk.index"))
    session["saved"] = str(question.id)
    if not created:
        flash(_("This question was already saved; it was not counted twice."), "info")
    return redirect(url_for("desk.index"))


@bp.route("/", methods=["GET", "POST"])
def index():
    """The desk form; a valid POST stores the question and shows the confirmation."""
    branch = current_branch()
    if branch is None:
        return redirect(url_for("desk.choose_branch"))
    categories = active_categories(branch)
    if request.method == "GET":
        fields = kept_fields(categories)
        if fields is not None:  # only the form's id and token are new
            token = DeskTokenForm(formdata=None, id=str(uuid.uuid4()))
            return render_desk(branch, token, categories, fields)
    form = QuestionForm(categories, may_go_further=_may_go_further())
    if form.validate_on_submit():
        return _store(form.question_id(), form.to_data(branch))
    return render_desk(branch, form, categories, fresh_fields(form))


@bp.post("/quick")
def quick():
    """Quick mode: store a question about one topic with the desk's defaults."""
    branch = current_branch()
    if branch is None:
        return redirect(url_for("desk.choose_branch"))
    form = QuickForm()
    cats = active_categories(branch)
    topic = cats.by_code("topics").get(form.topic.data or "")
    if not form.validate_on_submit() or topic is None:
        flash(_("Choose a topic."), "error")
        return redirect(url_for("desk.index"))
    try:
        form_id = uuid.UUID(form.id.data)
    except (TypeError, ValueError):
        form_id = None
    data = QuestionData(
        branch=branch,
        topics=[topic],
        channel=cats.by_code("channels")[defaults.DESK_DEFAULTS["channel"]],
        outcome=cats.by_code("outcomes")[defaults.DESK_DEFAULTS["outcome"]],
        duration_minutes=defaults.DESK_DEFAULTS["duration_minutes"],
    )
    return _store(form_id, data)


@bp.post("/mode")
def mode():
    """Switch quick mode on or off for this session."""
    if EmptyForm().validate_on_submit():
        session["quick"] = not session.get("quick", False)
    return redirect(url_for("desk.index"))


@bp.route("/branch", methods=["GET", "POST"])
def choose_branch():
    """Pick the branch this session logs for (asked once, for users with several)."""
    branches = branches_in_scope(current_user)
    form = BranchForm()
    form.branch.choices = {str(b.id): f"{b.name} ({b.municipality})" for b in branches}
    if form.validate_on_submit():
        session["branch_id"] = int(form.branch.data)
        return redirect(url_for("desk.index"))
    form.branch.data = form.branch.data or str(session.get("branch_id", ""))
    return render_form("desk/branch.html", form, branches=branches)


def _changeable(question_id: uuid.UUID) -> Question:
    question = get_scoped_or_404(Question, question_id)
    if not may_change(current_user, question):
        abort(403)
    return question


def _form_data(question: Question) -> dict:
    return {
        "id": str(question.id),
        "topics": [t.code for t in question.topics],
        "agencies": [a.code for a in question.agencies],
        "referrals": [a.code for a in question.referrals],
        "help": [h.code for h in question.help],
        "channel": question.channel.code,
        "outcome": question.outcome.code,
        "duration_minutes": question.duration_minutes,
        "note": question.note or "",
    }


@bp.route("/questions/<uuid:question_id>/edit", methods=["GET", "POST"])
def edit(question_id: uuid.UUID):
    """Correct a question (volunteers: their own, within 15 minutes of saving)."""
    question = _changeable(question_id)
    form = QuestionForm(
        with_held(active_categories(question.branch), question),
        data=_form_data(question),
        may_go_further=_may_go_further(),
        kept_moment=question.asked_at,
    )
    if not form.is_submitted():
        form.show_moment(question.asked_at)
    back = safe_next(request.args.get("next"))  # the list the edit link was in
    if form.validate_on_submit():
        update_question(question, form.to_data(question.branch), current_user)
        when = to_local(question.asked_at)
        flash(
            _(
                "The question of %(day)s %(time)s has been changed.",
                day=day_text(when.date()),
                time=when.strftime("%H:%M"),
            ),
            "success",
        )
        return redirect(back or url_for("desk.index"))
    return render_form(
        "desk/edit.html",
        form,
        question=question,
        durations=defaults.DURATIONS,
        back=back,
    )


MINE_SHOWN = 50


@bp.get("/mine")
def mine():
    """My recent questions: the latest a volunteer (or this tablet) logged, back-dated ones
    among them, each with its edit link while it may still be changed."""
    user = current_user._get_current_object()
    rows = own_recent_rows(user.id, user.device_id if user.is_device else None, MINE_SHOWN)
    categories = active_categories(library_id=user.library_id)
    wanted = db.select(Branch.id, Branch.name).where(Branch.id.in_({r.branch_id for r in rows}))
    names = dict(db.session.execute(wanted).all()) if rows else {}
    return render_template(
        "desk/mine.html", rows=today_rows(rows, categories), branch_names=names, shown=MINE_SHOWN
    )


@bp.post("/questions/<uuid:question_id>/delete")
def delete(question_id: uuid.UUID):
    """Delete (or undo) a question; it no longer counts."""
    question = _changeable(question_id)
    if EmptyForm().validate_on_submit():
        delete_question(question, current_user)
        flash(_("The question has been deleted."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("desk.index"))
