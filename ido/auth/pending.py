"""A log-in halfway: the password was right, the second step (a code, or setting one up) is
still to come.

It lives in the session alone, and the person is not logged in meanwhile: every page that
needs a log-in sends them to the log-in page as anyone else. It names the person with their
session version (a new password or a log-out elsewhere ends it) and ends after a few minutes.
"""

import time

from flask import session
from flask_login import login_user

from ido.core.models import User
from ido.web.security import load_user

KEY = "pending_login"
CODE_SECONDS = 5 * 60  # to type the code of an app already set up
SETUP_SECONDS = 15 * 60  # to install an app, scan the code and type the first one


def fresh_session() -> None:
    """Empty the session, keeping only the language chosen."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start(user: User, next_url: str | None, setup: bool) -> None:
    """The password was right: remember who, where they were going, and which step is next."""
    fresh_session()
    session[KEY] = {
        "user": user.get_id(),
        "email": user.email,
        "until": int(time.time()) + (SETUP_SECONDS if setup else CODE_SECONDS),
        "next": next_url or "",
        "setup": setup,
    }


def _data() -> dict | None:
    data = session.get(KEY)
    if not isinstance(data, dict) or not isinstance(data.get("until"), int):
        return None
    return data if data["until"] >= time.time() else None


def person(setup: bool) -> User | None:
    """The person halfway through logging in, for this step, while it has not expired."""
    data = _data()
    if data is None or bool(data.get("setup")) != setup:
        return None
    return load_user(str(data.get("user", "")))


def email() -> str:
    """The e-mail address of the half-done log-in (the throttle counts per account)."""
    data = _data()
    return str(data.get("email", "")) if data else ""


def expired() -> bool:
    """Whether the session holds a half-done log-in that ran out of time."""
    return KEY in session and _data() is None


def finish(user: User) -> str:
    """Log the person in (a fresh session); returns where they were going, or ""."""
    next_url = str((_data() or {}).get("next", ""))
    fresh_session()
    login_user(user)
    return next_url


def drop() -> None:
    """Forget a half-done log-in."""
    session.pop(KEY, None)
