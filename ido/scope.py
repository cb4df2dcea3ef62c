"""Who may see and change what: the one place where roles meet branches."""

from datetime import timedelta
from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required

from .extensions import db
from .models import Branch, Question, User, utcnow


def branches_in_scope(user: User, include_inactive: bool = False) -> list[Branch]:
    """The branches this user may log for and see, by name (inactive ones for reports)."""
    query = db.select(Branch).order_by(Branch.name)
    if not include_inactive:
        query = query.where(Branch.active)
    if user.is_admin:
        return list(db.session.scalars(query))
    if user.is_coordinator:
        return list(db.session.scalars(query.where(Branch.library_id == user.library_id)))
    return [branch for branch in user.branches if branch.active or include_inactive]


def in_scope(user: User, branch: Branch) -> bool:
    """Whether the branch lies within the user's scope."""
    if user.is_admin:
        return True
    if user.is_coordinator:
        return branch.library_id == user.library_id
    return any(b.id == branch.id for b in user.branches)


def may_change(user: User, question: Question) -> bool:
    """Coordinators change any question in scope; volunteers their own, for a short while."""
    if not in_scope(user, question.branch) or question.deleted_at is not None:
        return False
    if user.is_admin or user.is_coordinator:
        return True
    window = timedelta(minutes=current_app.config["IDO_EDIT_MINUTES"])
    return logged_by_this(user, question) and utcnow() - question.created_at <= window


def logged_by_this(user, question: Question) -> bool:
    """Whether this person (or this desk tablet) logged the question."""
    if user.is_device:
        return question.device_id == user.device_id
    return question.logged_by_id is not None and question.logged_by_id == user.id


def people_only(view):
    """Pages about a person's own account: refused on an enrolled desk tablet."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.is_device:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str):
    """Views that only some roles may open; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
