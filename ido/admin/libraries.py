"""Libraries: an administrator hosting several libraries adds, renames and deactivates them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from ..models import Library, User
from ..organisation import OrganisationError, create_library, update_library
from .views import bp


class LibraryForm(FlaskForm):
    code = StringField(_l("Code (never changes)"), validators=[Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")),
                                               Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


def _admins_only() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.route("/libraries", methods=["GET", "POST"])
def libraries():
    """Every library with its coordinators, and a form to add one."""
    _admins_only()
    form = LibraryForm()
    if form.validate_on_submit():
        try:
            library = create_library((form.code.data or "").strip(), form.name.data)
        except OrganisationError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Library %(name)s added. Now give it a coordinator under People.",
                    name=library.name), "success")
            return redirect(url_for("admin.libraries"))
    items = list(db.session.scalars(db.select(Library).order_by(Library.name)))
    coordinators = {lib.id: [u for u in db.session.scalars(db.select(User).where(
        User.library_id == lib.id, User.role == "coordinator", User.active))] for lib in items}
    status = 422 if form.errors else 200
    return render_template("admin/libraries.html", form=form, libraries=items,
                           coordinators=coordinators), status


@bp.route("/libraries/<int:library_id>", methods=["GET", "POST"])
def library(library_id: int):
    """Rename or deactivate a library."""
    _admins_only()
    item = db.get_or_404(Library, library_id)
    form = LibraryForm(obj=item)
    if form.validate_on_submit():
        update_library(item, form.name.data, form.active.data)
        flash(_("%(name)s saved.", name=item.name), "success")
        return redirect(url_for("admin.libraries"))
    status = 422 if form.errors else 200
    return render_template("admin/library.html", form=form, library=item), status
