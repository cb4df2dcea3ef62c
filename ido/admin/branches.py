"""Branches: a coordinator adds, renames, moves and deactivates the branches of their library."""

import re

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.admin.forms import BranchForm
from ido.admin.views import bp
from ido.core.activities import CONVENANT_MINIMUM
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import Branch, Library
from ido.core.organisation import convenant_years_offered, create_branch, update_branch
from ido.core.organisation.scope import branches_in_scope
from ido.core.taxonomy import active_categories, branch_selection, save_branch_desk
from ido.web.access import get_scoped_or_404
from ido.web.forms import EmptyForm
from ido.web.pages import render_form


def _libraries() -> list[Library]:
    query = db.select(Library).where(Library.active).order_by(Library.name)
    if not current_user.is_admin:
        query = query.where(Library.id == current_user.library_id)
    return list(db.session.scalars(query))


def _form(branch: Branch | None = None, **kwargs) -> BranchForm:
    form = BranchForm(obj=branch, **kwargs)
    form.library.choices = {lib.code: lib.name for lib in _libraries()}
    years = convenant_years_offered(branch.convenant_years if branch else ())
    form.convenant_years.choices = [(year, str(year)) for year in years]
    return form


@bp.route("/branches", methods=["GET", "POST"])
def branches():
    """The branches in scope, and a form to add one."""
    form = _form()
    if form.validate_on_submit():
        library = form.library.data if current_user.is_admin else current_user.library.code
        try:
            branch = create_branch(
                (form.code.data or "").strip(),
                form.name.data,
                library or "",
                form.municipality.data,
                form.in_library.data,
                current_user,
            )
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Branch %(name)s added.", name=branch.name), "success")
            return redirect(url_for("admin.branches"))
    return render_form(
        "admin/branches.html", form, branches=branches_in_scope(current_user, include_inactive=True)
    )


@bp.route("/branches/<int:branch_id>", methods=["GET", "POST"])
def branch(branch_id: int):
    """Change a branch and the years it takes part in the convenant; deactivating keeps its
    history countable."""
    item = get_scoped_or_404(Branch, branch_id)
    form = _form(item)
    if form.validate_on_submit():
        try:
            update_branch(
                item,
                form.name.data,
                form.municipality.data,
                form.in_library.data,
                form.active.data,
                current_user,
                convenant_years=form.convenant_years.data or [],
            )
        except ServiceError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Branch %(name)s saved.", name=item.name), "success")
            return redirect(url_for("admin.branches"))
    return render_form("admin/branch.html", form, branch=item, minimum=CONVENANT_MINIMUM)


@bp.route("/branches/<int:branch_id>/desk", methods=["GET", "POST"])
def branch_desk(branch_id: int):
    """Pick which topics and local partners this branch's desk shows, and in what order."""
    item = get_scoped_or_404(Branch, branch_id)
    lists = {
        "topic": [t for t in active_categories().topics if t.parent_id is None],
        "partner": [
            a for a in active_categories(library_id=item.library_id).agencies if a.kind == "partner"
        ],
    }
    form = EmptyForm()
    errors: list[str] = []
    if form.validate_on_submit():
        picked = {kind: _picked(kind, items, errors) for kind, items in lists.items()}
        if not picked["topic"] and lists["topic"] and request.form.get("all-topic") is None:
            errors.append(_("Pick at least one topic, or show them all."))
        if not errors:
            try:  # one transaction: both lists are saved, or neither
                save_branch_desk(item, picked, current_user)
            except ServiceError as error:
                db.session.rollback()  # show the saved state, not the half-written one
                errors.append(str(error))
            else:
                flash(_("The desk of %(name)s has been saved.", name=item.name), "success")
                return redirect(url_for("admin.branches"))
    form.form_errors = errors  # 422 with the messages at the top of the form
    selection = {kind: branch_selection(item, kind) for kind in lists}
    return render_form(
        "admin/branch_desk.html", form, branch=item, lists=lists, selection=selection, errors=errors
    )


ORDER_PATTERN = re.compile(r"[0-9]{1,9}")  # digits 0-9 only: "²" is a digit to isdigit()


def _picked(kind: str, items: list, errors: list) -> dict[int, int]:
    """{id: position} from the form: a ticked box per item and an order number beside it."""
    if request.form.get(f"all-{kind}"):
        return {}
    chosen = {}
    for index, category in enumerate(items):
        if request.form.get(f"{kind}-{category.code}") is None:
            continue
        text = request.form.get(f"{kind}-{category.code}-order", "").strip()
        if text and not ORDER_PATTERN.fullmatch(text):
            errors.append(_("The order of %(name)s must be a whole number.", name=category.name))
            continue
        chosen[category.id] = int(text) if text else (index + 1) * 10
    return chosen
