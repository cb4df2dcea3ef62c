"""Who may open a page: one decorator for roles, one lookup by id within the user's scope."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ido.core.db import db
from ido.core.models import ROLES
from ido.core.organisation.scope import can_see

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def allow(*roles: str, devices: bool = True):
    """Views (or a blueprint's before_request) for logged-in users of these roles (default:
    every role); ``devices=False`` also refuses an enrolled desk tablet (pages about a person's
    own account). Others get 403; anonymous visitors go to the log-in page."""
    allowed = set(roles or ROLES)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed or (current_user.is_device and not devices):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_scoped_or_404(model, key, user=None):
    """The item with this key if it lies within the user's scope (default: the current user);
    404 otherwise, so that ids of another library reveal nothing."""
    in_range = not isinstance(key, int) or 0 < key <= MAX_ID  # a 20-digit id overflows
    item = db.session.get(model, key) if key is not None and in_range else None
    if item is None or not can_see(user or current_user, item):
        abort(404)
    return item
