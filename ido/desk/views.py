"""The desk: log a visitor's question in two taps, see today's entries, undo or correct them."""

import functools
import json
import os
import uuid
from datetime import date, datetime, time
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
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Integer, Select, bindparam, func

from ido.core import defaults
from ido.core.categories import Categories, active_categories, with_held
from ido.core.db import db
from ido.core.devices import COOKIE, activate
from ido.core.exceptions import IdConflict
from ido.core.listing import NEWEST_FIRST, own_recent_rows, row_query
from ido.core.models import Branch, Question, Topic, utcnow
from ido.core.questions import (
    QuestionData,
    asked_at_problem,
    delete_question,
    moment_problem,
    record_question,
    update_question,
)
from ido.core.scope import (
    branches_in_scope,
    in_scope,
    may_change,
)
from ido.core.timeutil import LOCAL_TZ, day_text, now_local, to_local
from ido.desk.forms import (
    TIMES,
    BranchForm,
    DeskTokenForm,
    EnrolForm,
    PaperDayForm,
    PaperForm,
    QuickForm,
)
from ido.web.access import allow, get_scoped_or_404
from ido.web.extensions import limiter
from ido.web.forms import EmptyForm
from ido.web.navigation import safe_next
from ido.web.pages import render_form
from ido.web.question_form import NOON, QuestionForm, parse_day, parse_time
from ido.web.question_rows import TodayRow, today_rows

COOKIE_SECONDS = 400 * 24 * 3600  # browsers keep cookies at most about this long

bp = Blueprint("desk", __name__, url_prefix="/desk")


@allow()
def _anyone_logged_in() -> None:
    """Any role, a desk tablet included."""


# What a desk loads before anyone logs in: enrolling a tablet, and the service worker and
# manifest that keep the desk usable offline (they hold nothing of anyone's)
OPEN_ENDPOINTS = ("desk.enrol", "desk.service_worker", "desk.manifest")


@bp.before_request
def require_login() -> ResponseReturnValue | None:
    """Every desk page needs a logged-in user or an enrolled tablet (enrolling aside)."""
    return None if request.endpoint in OPEN_ENDPOINTS else _anyone_logged_in()


@functools.cache
def _service_worker_script(folder: str) -> bytes:
    with open(os.path.join(folder, "js", "desk-sw.js"), "rb") as file:
        return file.read()


@bp.get("/sw.js")
def service_worker():
    """The desk's service worker (its scope is /desk/): the desk page and its files load
    offline after the first visit. Always checked for a newer version."""
    response = current_app.response_class(
        _service_worker_script(current_app.static_folder or "static"), mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: the desk can be added to a tablet's home screen."""
    body = {
        "name": _("IDO Logbook desk"),
        "short_name": _("IDO desk"),
        "start_url": url_for("desk.index"),
        "scope": url_for("desk.index"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "lang": str(get_locale() or "nl"),
        "icons": [
            {
                "src": url_for("static", filename="favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/csrf")
def csrf():
    """A fresh CSRF token for the offline queue: a desk page reloaded from the cache may hold
    the token of a session that has since ended."""
    return {"csrf_token": generate_csrf()}


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
        offline_texts=offline_texts(),
    )


def offline_texts() -> dict[str, str]:
    """What the offline queue (desk-offline.js) says, in the page's language (worked out once
    per language: the desk is the hot path)."""
    return _offline_texts(str(get_locale()))


@functools.cache
def _offline_texts(_language: str) -> dict[str, str]:
    return {
        "waiting_one": _("1 question waiting to be sent"),
        "waiting_many": _("%(n)s questions waiting to be sent", n="%(n)s"),
        "waiting": _("waiting"),
        "login": _("log in again to send"),
        "refused": _("refused"),
        "fix": _("Correct"),
        "remove": _("Remove"),
        "undo": _("Undo"),
        "saved": _("Saved"),
        "undone": _("Undone."),
        "undo_waiting": _("undo"),
        "unknown": _("unknown"),
        "queued": _("Saved on this device: %(topics)s. Sending…", topics="%(topics)s"),
        "refused_count": _("%(n)s refused", n="%(n)s"),
        "refused_now": _("Refused: %(topics)s.", topics="%(topics)s"),
        "sent": _("%(n)s waiting questions were sent.", n="%(n)s"),
        "others": _(
            "%(n)s questions saved here by someone else are waiting: they are sent when that "
            "person logs in here again.",
            n="%(n)s",
        ),
        "typed_offline": _(
            "Without a connection, an earlier moment needs both its date (dd-mm-yyyy) and its "
            "time (hh:mm). Nothing was saved yet."
        ),
        "log_out": _(
            "%(n)s of your questions are still waiting to be sent from this device. Log out? "
            "They are sent when you log in here again.",
            n="%(n)s",
        ),
        "you": _("you"),
    }


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
    form = QuestionForm(categories, actor=current_user)
    if form.validate_on_submit():
        return _store(form.question_id(), form.to_data(branch))
    return render_desk(branch, form, categories, fresh_fields(form))


def one_tap(branch: Branch, categories: Categories, topic: Topic, **more: Any) -> QuestionData:
    """A question about one topic with the desk's usual answers (quick mode, paper mode)."""
    usual = defaults.DESK_DEFAULTS
    return QuestionData(
        branch=branch,
        topics=[topic],
        channel=categories.by_code("channels")[usual["channel"]],
        outcome=categories.by_code("outcomes")[usual["outcome"]],
        duration_minutes=usual["duration_minutes"],
        **more,
    )


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
    return _store(form_id, one_tap(branch, cats, topic))


MAX_TIMES = 50  # one tap logs at most this many (a bundle of tally strokes)


def _paper_day() -> date | None:
    """The day paper mode logs for, as chosen in this session."""
    try:
        return date.fromisoformat(session.get("paper_day", ""))
    except ValueError:
        return None


def _day_problem(day: date, confirmed: bool) -> tuple[str, str] | None:
    """Why questions cannot be logged on this day (the desk's rules for back-dating)."""
    moment = datetime.combine(day, time(), tzinfo=LOCAL_TZ)
    return asked_at_problem(moment, current_user, confirmed)


def _paper_rows(branch: Branch, day: date) -> list[Any]:
    """What this session's person (or tablet) logged at this branch on the paper's day, the
    latest saved first."""
    user = current_user._get_current_object()
    mine = (
        Question.device_id == user.device_id if user.is_device else Question.logged_by_id == user.id
    )
    query = row_query(Question.branch_id == branch.id, Question.local_date == day, mine)
    return list(db.session.execute(query.order_by(Question.created_at.desc())))


@bp.route("/paper", methods=["GET", "POST"])
def paper():
    """Typing in a paper tally sheet: choose its day once; then each tap on a topic logs a
    question on that day (a time when the paper gives one), or "x N" of them at once."""
    branch = current_branch()
    if branch is None:
        return redirect(url_for("desk.choose_branch"))
    day = _paper_day()
    if day is None or request.args.get("day") == "change":
        return _choose_paper_day(day)
    categories = active_categories(branch)
    form = PaperForm()
    if form.is_submitted():
        return _log_from_paper(form, branch, day, categories)
    form.id.data, form.times.data = str(uuid.uuid4()), 1
    rows = today_rows(_paper_rows(branch, day), categories)
    return render_form(
        "desk/paper.html",
        form,
        branch=branch,
        day=day_text(day),
        day_iso=day.isoformat(),
        categories=categories,
        rows=rows,
        times=TIMES,
        offline_texts=offline_texts(),
    )


def _choose_paper_day(day: date | None):
    form = PaperDayForm()
    if form.validate_on_submit():
        try:
            chosen = parse_day(form.day.data or "")
        except ValueError as error:
            form.day.errors.append(error.args[0])
        else:
            problem = _day_problem(chosen, bool(form.confirm_early.data))
            if problem is None:
                session["paper_day"] = chosen.isoformat()
                session["paper_confirmed"] = bool(form.confirm_early.data)
                return redirect(url_for("desk.paper"))
            form.day.errors.append(problem[1])
            form.confirm_asked = problem[0] == "confirm_early"
    elif not form.is_submitted() and day is not None:
        form.day.data = day_text(day)
    return render_form("desk/paper_day.html", form)


def _log_from_paper(form: PaperForm, branch: Branch, day: date, categories: Categories):
    """Store the tapped topic `times` times on the paper's day; back to the page (PRG)."""
    topic = categories.by_code("topics").get(form.topic.data or "")
    problems = []
    if topic is None:
        problems.append(_("Choose a topic."))
    form.validate()  # the token, and no control character in the typed time
    problems += [str(m) for name, found in form.errors.items() if name != "times" for m in found]
    times = form.times.data if isinstance(form.times.data, int) else 0
    if not 1 <= times <= MAX_TIMES:
        problems.append(_("Log 1 to %(n)s questions at once.", n=MAX_TIMES))
    at, typed = None, (form.at.data or "").strip()
    if typed and not form.at.errors:
        try:
            at = parse_time(typed)
        except ValueError as error:
            problems.append(str(error.args[0]))
    moment = datetime.combine(day, at or NOON, tzinfo=LOCAL_TZ)
    problem = _day_problem(day, session.get("paper_confirmed", False))
    if problem is None and at is not None:
        problem = moment_problem(moment)
    if problem is not None:
        problems.append(problem[1])
    try:
        batch = uuid.UUID(form.id.data or "")
    except ValueError:
        problems.append(_("This form is damaged. Reload the page."))
    if problems:
        for message in problems:
            flash(message, "error")
        return redirect(url_for("desk.paper"))
    assert topic is not None
    data = one_tap(
        branch,
        categories,
        topic,
        asked_at=moment if at is not None or moment <= utcnow() else utcnow(),
        time_known=at is not None,
        early_confirmed=session.get("paper_confirmed", False),
    )
    added = 0
    try:
        for number in range(times):  # ids made from the tap's: sent again, it adds nothing
            added += record_question(data, current_user, uuid.uuid5(batch, str(number)))[1]
    except IdConflict:
        db.session.rollback()
        flash(_("This form was already used for another question. Nothing was added."), "error")
        return redirect(url_for("desk.paper"))
    if added:
        message = ngettext(
            "%(num)s question about %(topic)s logged on %(day)s.",
            "%(num)s questions about %(topic)s logged on %(day)s.",
            added,
            topic=topic.name,
            day=day_text(day),
        )
        flash(message, "success")
    else:
        flash(_("These questions were already saved; they were not counted twice."), "info")
    return redirect(url_for("desk.paper"))


@bp.post("/paper/done")
def paper_done():
    """Leave paper mode: back to logging questions as they come."""
    if EmptyForm().validate_on_submit():
        session.pop("paper_day", None)
        session.pop("paper_confirmed", None)
    return redirect(url_for("desk.index"))


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
        actor=current_user,
        kept_moment=question.asked_at,
        kept_time_known=question.local_hour is not None,
    )
    if not form.is_submitted():
        form.show_moment(question.asked_at, question.local_hour is not None)
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
    back = safe_next(request.form.get("next"))
    gone = db.session.get(Question, question_id)
    if gone is not None and gone.deleted_at is not None and in_scope(current_user, gone.branch):
        flash(_("This question had already been deleted."), "info")  # a second tap, a tab
        return redirect(back or url_for("desk.index"))
    question = _changeable(question_id)
    if EmptyForm().validate_on_submit():
        delete_question(question, current_user)
        flash(_("The question has been deleted."), "success")
    return redirect(back or url_for("desk.index"))
