"""People: a coordinator gives volunteers and coordinators of their library access."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.admin.forms import PersonForm
from ido.admin.views import bp
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import Library, User
from ido.core.organisation import create_user, update_user
from ido.core.organisation.passwords import make_password_link
from ido.core.organisation.scope import branches_in_scope
from ido.core.organisation.second_factor import factor_of, reset
from ido.web.access import get_scoped_or_404
from ido.web.forms import EmptyForm
from ido.web.pages import render_form


def _people() -> list[User]:
    query = db.select(User).order_by(User.active.desc(), User.name)
    if not current_user.is_admin:
        query = query.where(User.library_id == current_user.library_id)
    return list(db.session.scalars(query))


def _form(person: User | None = None, **kwargs) -> PersonForm:
    form = PersonForm(**kwargs)
    roles = {"volunteer": _("volunteer"), "coordinator": _("coordinator")}
    if current_user.is_admin:
        roles["admin"] = _("administrator")
    form.role.choices = roles
    branches = branches_in_scope(current_user, include_inactive=False)
    if person is not None and person.library_id:
        branches = [b for b in branches if b.library_id == person.library_id]
    form.branches.choices = {
        b.code: f"{b.name} ({b.library.name})" if current_user.is_admin else b.name
        for b in branches
    }
    libraries = db.session.scalars(db.select(Library).where(Library.active).order_by(Library.name))
    form.library.choices = {lib.code: lib.name for lib in libraries}
    return form


def _link_page(person: User, token: str):
    link = url_for("auth.set_password", token=token, _external=True)
    return render_template("admin/password_link.html", person=person, link=link)


@bp.route("/people", methods=["GET", "POST"])
def people():
    """The people of the library, and a form to add one (who then gets a password link)."""
    form = _form()
    if not form.is_submitted():
        form.role.data = "volunteer"
    if form.validate_on_submit():
        library = form.library.data if current_user.is_admin else current_user.library.code
        try:
            person = create_user(
                form.email.data or "",
                form.name.data,
                form.role.data,
                None,
                None if form.role.data == "admin" else library,
                tuple(form.branches.data),
                actor=current_user,
            )
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            return _link_page(person, make_password_link(person, current_user))
    return render_form("admin/people.html", form, people=_people())


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
def person(person_id: int):
    """Change someone's name, role, branches, or whether they may log in."""
    item = get_scoped_or_404(User, person_id)
    form = _form(item, obj=item)
    if not form.is_submitted():
        form.branches.data = [b.code for b in item.branches]
    if form.validate_on_submit():
        if item.id == current_user.id and (form.role.data != item.role or not form.active.data):
            form.role.errors.append(_("You cannot change your own role or lock yourself out."))
        else:
            chosen = [b for b in branches_in_scope(current_user) if b.code in form.branches.data]
            try:
                update_user(
                    item, form.name.data, form.role.data, chosen, form.active.data, current_user
                )
            except ServiceError as error:
                form.branches.errors.append(str(error))
            else:
                flash(_("%(name)s saved.", name=item.name), "success")
                return redirect(url_for("admin.people"))
    return render_form(
        "admin/person.html",
        form,
        person=item,
        button=EmptyForm(),
        has_factor=factor_of(item) is not None,
    )


@bp.post("/people/<int:person_id>/password-link")
def password_link(person_id: int):
    """A one-time link (24 hours) with which the person sets a new password."""
    item = get_scoped_or_404(User, person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _link_page(item, make_password_link(item, current_user))


@bp.post("/people/<int:person_id>/second-factor/reset")
def reset_second_factor(person_id: int):
    """An administrator ends someone's second factor (a lost phone); their sessions end."""
    if not current_user.is_admin:
        abort(403)  # a coordinator who could reset it could take over another's account
    item = get_scoped_or_404(User, person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if item.id == current_user.id:
        flash(_("Turn your own two-step log-in off from your profile."), "error")
    else:
        try:
            reset(item, current_user)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Two-step log-in of %(name)s is reset.", name=item.name), "success")
    return redirect(url_for("admin.person", person_id=item.id))
