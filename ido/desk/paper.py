"""Typing in a paper tally sheet: choose its day once, then each tap logs a question on it."""

import uuid
from datetime import date, datetime, time, timedelta

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ido.core.db import db
from ido.core.exceptions import IdConflict
from ido.core.models import Branch, utcnow
from ido.core.questions import asked_at_problem, moment_problem, record_question
from ido.core.questions.desk_rows import paper_rows
from ido.core.taxonomy import Categories, active_categories
from ido.core.timeutil import LOCAL_TZ, day_text, now_local, previous_working_day
from ido.desk import bp
from ido.desk.choice import current_branch
from ido.desk.desk_page import one_tap
from ido.desk.forms import TIMES, PaperDayForm, PaperForm
from ido.desk.offline import offline_texts
from ido.web.forms import EmptyForm
from ido.web.pages import render_form
from ido.web.question_fields import NOON, parse_day, parse_time
from ido.web.question_rows import blank_row, today_rows

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


def _paper_rows(branch: Branch, day: date) -> list:
    """What this session's person (or tablet) logged at this branch on the paper's day."""
    user = current_user._get_current_object()
    if user.is_device:
        return paper_rows(branch, day, None, user.device_id)
    return paper_rows(branch, day, user.id, None)


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
        blank_row=blank_row(),
    )


def quick_days() -> list[tuple[str, str]]:
    """The days offered beside the typed one, as (name, dd-mm-jjjj): today, yesterday and the
    previous working day (Saturday and Sunday skipped), always all three, in one place."""
    today = now_local().date()
    days = [
        (_("Today"), today),
        (_("Yesterday"), today - timedelta(days=1)),
        (_("Previous working day"), previous_working_day(today)),
    ]
    return [(name, day_text(day)) for name, day in days]


def _choose_paper_day(day: date | None):
    form = PaperDayForm()
    picked = request.form.get("pick", "")  # a button beside the typed day: read as if typed
    if picked and form.is_submitted():
        form.day.data = picked
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
    return render_form("desk/paper_day.html", form, quick_days=quick_days())


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
