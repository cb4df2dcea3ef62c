"""The desk and quick mode: a question in two taps, the last save, today's list."""

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ido.core.activities import desk_sessions
from ido.core.exceptions import IdConflict
from ido.core.models import Branch, Topic
from ido.core.organisation.scope import branches_in_scope
from ido.core.questions import QuestionData, record_question
from ido.core.questions.desk_rows import TODAY_SHOWN, desk_row, todays_questions
from ido.core.taxonomy import Categories, active_categories, defaults
from ido.core.timeutil import now_local
from ido.desk import bp
from ido.desk.choice import current_branch
from ido.desk.forms import DeskTokenForm, QuickForm
from ido.desk.offline import offline_texts
from ido.desk.sessions import session_tiles
from ido.desk.slip import slip_cards
from ido.web.pages import render_form
from ido.web.question_form import QuestionForm
from ido.web.question_rows import TodayRow, blank_row, today_rows


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
    found = desk_row(branch, wanted)
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
        blank_row=blank_row(),
        sessions=session_tiles(desk_sessions(branch.id, now_local().date())),
        slips=slip_cards(branch, categories),
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
    form = QuestionForm(categories, actor=current_user, library_id=branch.library_id)
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
