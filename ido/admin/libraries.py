"""Libraries: an administrator hosting several libraries adds, renames and deactivates them."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.admin.forms import LibraryForm
from ido.admin.views import bp
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import Library, User
from ido.core.organisation import create_library, update_library
from ido.web.access import allow, get_scoped_or_404
from ido.web.pages import render_form


@bp.route("/libraries", methods=["GET", "POST"])
@allow("admin")
def libraries():
    """Every library with its coordinators, and a form to add one."""
    form = LibraryForm()
    if form.validate_on_submit():
        try:
            library = create_library((form.code.data or "").strip(), form.name.data, current_user)
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            flash(
                _(
                    "Library %(name)s added. Now give it a coordinator under People.",
                    name=library.name,
                ),
                "success",
            )
            return redirect(url_for("admin.libraries"))
    items = list(db.session.scalars(db.select(Library).order_by(Library.name)))
    coordinators = {
        lib.id: [
            u
            for u in db.session.scalars(
                db.select(User).where(
                    User.library_id == lib.id, User.role == "coordinator", User.active
                )
            )
        ]
        for lib in items
    }
    return render_form("admin/libraries.html", form, libraries=items, coordinators=coordinators)


@bp.route("/libraries/<int:library_id>", methods=["GET", "POST"])
@allow("admin")
def library(library_id: int):
    """Rename or deactivate a library."""
    item = get_scoped_or_404(Library, library_id)
    form = LibraryForm(obj=item)
    if form.validate_on_submit():
        update_library(item, form.name.data, form.active.data, current_user)
        flash(_("%(name)s saved.", name=item.name), "success")
        return redirect(url_for("admin.libraries"))
    return render_form("admin/library.html", form, library=item)
