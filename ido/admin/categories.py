"""Categories: topics, agencies and partners, help, channels and outcomes.

Administrators manage every list; a coordinator adds and changes local referral partners
(agencies of kind 'partner'), which differ per municipality. Codes never change once made.
"""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ido.admin.forms import AGENCY_KIND_NAMES, CategoryForm
from ido.admin.views import bp
from ido.core.checks import partner_prefix
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import AGENCY_KINDS, Topic
from ido.core.taxonomy import CATEGORY_MODELS, all_of_kind, save_category
from ido.web.pages import render_form

KIND_TITLES = {
    "topic": _l("Topics"),
    "agency": _l("Agencies and partners"),
    "help": _l("Help given"),
    "channel": _l("Channels"),
    "outcome": _l("Outcomes"),
    "activity_kind": _l("Kinds of activity"),
}


def _allowed_kinds() -> set[str]:
    return set(AGENCY_KINDS) if current_user.is_admin else {"partner"}


def _form(kind: str, **kwargs) -> CategoryForm:
    """The form with only the fields this kind of category has."""
    form = CategoryForm(**kwargs)
    if kind == "agency":
        form.kind.choices = [
            (k, AGENCY_KIND_NAMES[k]) for k in AGENCY_KINDS if k in _allowed_kinds()
        ]
    else:
        del form.kind, form.level
    if kind == "topic":
        parents = db.session.scalars(
            db.select(Topic).where(Topic.parent_id.is_(None)).order_by(Topic.position)
        )
        form.parent.choices = {"": "–", **{t.code: t.name for t in parents}}
    else:
        del form.parent, form.group, form.hint_nl, form.hint_en
    return form


def _values(kind: str, form: CategoryForm) -> dict:
    values = {
        "code": form.code.data or "",
        "name_nl": form.name_nl.data.strip(),
        "name_en": form.name_en.data.strip(),
        "position": form.position.data or 0,
        "active": form.active.data,
    }
    if kind == "topic":
        parent = db.session.scalar(db.select(Topic).where(Topic.code == form.parent.data))
        values.update(
            hint_nl=(form.hint_nl.data or "").strip(),
            hint_en=(form.hint_en.data or "").strip(),
            group=form.group.data,
            parent=parent,
        )
    if kind == "agency":
        values["kind"] = form.kind.data
        if current_user.is_admin:
            values["level"] = form.level.data
        else:  # a coordinator's partner belongs to their library
            values["library_id"] = current_user.library_id
    return values


def _check_kind(kind: str) -> None:
    if kind not in CATEGORY_MODELS:
        abort(404)
    if not current_user.is_admin and kind != "agency":
        abort(403)


@bp.route("/categories/<kind>", methods=["GET", "POST"])
def categories(kind: str):
    """One list of categories, and a form to add one."""
    _check_kind(kind)
    form = _form(kind)
    if form.validate_on_submit():
        try:
            item = save_category(
                kind, None, _values(kind, form), current_user.library_id, current_user
            )
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("%(name)s added.", name=item.name), "success")
            return redirect(url_for("admin.categories", kind=kind))
    items = all_of_kind(kind, None if current_user.is_admin else current_user.library_id)
    return render_form(
        "admin/categories.html",
        form,
        kind=kind,
        titles=KIND_TITLES,
        items=items,
        kind_names=AGENCY_KIND_NAMES,
        # a coordinator's partners are stored under their library's code: the form says so
        partner_prefix=partner_prefix(current_user.library.code) if current_user.library else None,
    )


@bp.route("/categories/<kind>/<code>", methods=["GET", "POST"])
def category(kind: str, code: str):
    """Change the labels, order, hint or whether a category shows on the desk."""
    _check_kind(kind)
    model = CATEGORY_MODELS[kind]
    item = db.first_or_404(db.select(model).where(model.code == code))
    if kind == "agency" and not current_user.is_admin:
        if not item.seen_by(current_user.library_id):
            abort(404)  # another library's partner: as if it did not exist
        if item.kind not in _allowed_kinds() or item.library_id is None:
            abort(403)  # shared agencies and default partners are for administrators
    form = _form(kind, obj=item)
    if not form.is_submitted() and kind == "topic":
        form.parent.data = item.parent.code if item.parent else ""
    if form.validate_on_submit():
        try:
            save_category(kind, item, _values(kind, form), current_user.library_id, current_user)
        except ServiceError as error:
            db.session.rollback()  # the form shows the stored item again, not the refused one
            (form.parent if kind == "topic" else form.name_nl).errors.append(str(error))
        else:
            flash(_("%(name)s saved.", name=item.name), "success")
            return redirect(url_for("admin.categories", kind=kind))
    return render_form("admin/category.html", form, kind=kind, item=item)
