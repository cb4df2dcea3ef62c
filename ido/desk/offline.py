"""What keeps the desk working without a connection: the service worker (its scope is
/desk/), the web app manifest, a fresh CSRF token for the queue, and the queue's texts."""

import functools
import json
import os

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from ido.desk import bp


@functools.cache
def _service_worker_script(folder: str) -> bytes:
    with open(os.path.join(folder, "js", "desk-sw.js"), "rb") as file:
        return file.read()


@bp.get("/sw.js")
def service_worker():
    """The desk's service worker (its scope is /desk/): the desk page and its files load
    offline after the first visit. Always checked for a newer version."""
    response = current_app.response_class(
        _service_worker_script(current_app.static_folder or "static"), mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: the desk can be added to a tablet's home screen."""
    body = {
        "name": _("IDO Logbook desk"),
        "short_name": _("IDO desk"),
        "start_url": url_for("desk.index"),
        "scope": url_for("desk.index"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "lang": str(get_locale() or "nl"),
        "icons": [
            {
                "src": url_for("static", filename="favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/csrf")
def csrf():
    """A fresh CSRF token for the offline queue: a desk page reloaded from the cache may hold
    the token of a session that has since ended."""
    return {"csrf_token": generate_csrf()}


def offline_texts() -> dict[str, str]:
    """What the offline queue (desk-offline.js) says, in the page's language (worked out once
    per language: the desk is the hot path)."""
    return _offline_texts(str(get_locale()))


@functools.cache
def _offline_texts(_language: str) -> dict[str, str]:
    return {
        "waiting_one": _("1 question waiting to be sent"),
        "waiting_many": _("%(n)s questions waiting to be sent", n="%(n)s"),
        "waiting": _("waiting"),
        "login": _("log in again to send"),
        "refused": _("refused"),
        "fix": _("Correct"),
        "remove": _("Remove"),
        "undo": _("Undo"),
        "saved": _("Saved"),
        "undone": _("Undone."),
        "undo_waiting": _("undo"),
        "unknown": _("unknown"),
        "queued": _("Saved on this device: %(topics)s. Sending…", topics="%(topics)s"),
        "refused_one": _("1 question refused"),
        "refused_many": _("%(n)s questions refused", n="%(n)s"),
        "refused_now": _("Refused: %(topics)s.", topics="%(topics)s"),
        "sent": _("%(n)s waiting questions were sent.", n="%(n)s"),
        "others": _(
            "%(n)s questions saved here by someone else are waiting: they are sent when that "
            "person logs in here again.",
            n="%(n)s",
        ),
        "typed_offline": _(
            "Without a connection, an earlier moment needs both its date (dd-mm-yyyy) and its "
            "time (hh:mm). Nothing was saved yet."
        ),
        "log_out": _(
            "%(n)s of your questions are still waiting to be sent from this device. Log out? "
            "They are sent when you log in here again.",
            n="%(n)s",
        ),
        "you": _("you yourself"),
    }
