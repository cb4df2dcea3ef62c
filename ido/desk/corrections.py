"""Correcting: edit a question, delete (undo) it, and one's own recent questions."""

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.core.db import db
from ido.core.models import Question
from ido.core.organisation.scope import in_scope, may_change
from ido.core.questions import delete_question, update_question
from ido.core.questions.desk_rows import branch_names
from ido.core.questions.listing import own_recent_rows
from ido.core.taxonomy import active_categories, defaults, with_held
from ido.core.timeutil import day_text, to_local
from ido.desk import bp
from ido.web.access import get_scoped_or_404
from ido.web.forms import EmptyForm
from ido.web.navigation import safe_next
from ido.web.pages import render_form
from ido.web.question_form import QuestionForm
from ido.web.question_rows import today_rows


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
        library_id=question.branch.library_id,
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
    names = branch_names({r.branch_id for r in rows})
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
