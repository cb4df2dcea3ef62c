"""What keeps the desk working without a connection: the service worker (its scope is
/desk/) with the list of what it keeps, the web app manifest, a fresh CSRF token for the
queue, and the queue's texts."""

import functools
import hashlib
import json
import os

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from ido.desk import bp
from ido.web.i18n import LANGUAGES

# the desk's files kept for offline use, besides whatever sits under js/desk/ (its modules)
DESK_FILES = ("css/ido.css", "js/ido.js", "js/desk-offline.js", "favicon.svg")
DESK_MODULES = "js/desk"
SETUP_LINE = "const SETUP = {};"  # in desk-sw.js: where the server writes what to keep


def desk_files(folder: str) -> list[str]:
    """The static files the desk loads, as names under the static folder: the fixed ones that
    exist, then every file under js/desk/ (read at each call: a new module counts at once)."""
    names = [name for name in DESK_FILES if os.path.isfile(os.path.join(folder, name))]
    for root, dirs, files in os.walk(os.path.join(folder, DESK_MODULES)):
        dirs.sort()
        relative = os.path.relpath(root, folder).replace(os.sep, "/")
        names += [f"{relative}/{name}" for name in sorted(files) if not name.startswith(".")]
    return names


@functools.cache
def _service_worker_source(folder: str) -> str:
    with open(os.path.join(folder, "js", "desk-sw.js"), encoding="utf-8") as file:
        source = file.read()
    if source.count(SETUP_LINE) != 1:
        raise RuntimeError(f"desk-sw.js must hold the line {SETUP_LINE!r} once")
    return source


@functools.lru_cache(maxsize=16)
def _service_worker_script(folder: str, language: str, assets: tuple[str, ...]) -> bytes:
    """desk-sw.js with what it keeps written in: a language and a list of hashed addresses
    give the same bytes, so a browser installs a new version when (and only when) one of the
    desk's files, the list itself or the language changed."""
    source = _service_worker_source(folder)
    setup = {
        "static": url_for("static", filename=""),
        "assets": list(assets),
        "pages": [url_for("desk.index"), url_for("desk.paper")],
        # the answer to a desk page that needs a connection, and to a form sent without one
        "offline": {
            "page": render_template("desk/offline.html", sent=False),
            "sent": render_template("desk/offline.html", sent=True),
        },
    }
    digest = hashlib.sha256(json.dumps([setup, source]).encode()).hexdigest()[:12]
    setup = {"version": digest, **setup}
    line = f"const SETUP = {json.dumps(setup, indent=1)};"
    return source.replace(SETUP_LINE, line).encode()


@bp.get("/sw.js")
def service_worker():
    """The desk's service worker (its scope is /desk/): it keeps the desk's files and pages
    when it installs, so the desk opens offline from the first visit on. Always checked for a
    newer version. Its page for "no connection" is in the desk's language (`?lang=`, which the
    desk page registers it with: a browser may not send its language with this request)."""
    folder = current_app.static_folder or "static"
    assets = tuple(url_for("static", filename=name) for name in desk_files(folder))
    language = request.args.get("lang", "")
    if language not in LANGUAGES:
        language = str(get_locale() or "nl")
    with force_locale(language):
        script = _service_worker_script(folder, language, assets)
    response = current_app.response_class(script, mimetype="text/javascript")
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
        # paper mode, offline, a time that cannot be read here (the server's own words)
        "paper_time": _("Write the time as hh:mm, for example 14:30."),
        "typed_offline": _(
            "Without a connection, an earlier moment needs both its date (dd-mm-yyyy) and its "
            "time (hh:mm). Nothing was saved yet."
        ),
        "log_out": _(
            "Not sent yet from this device: %(waiting)s. Log out? What waits is sent when you "
            "log in here again.",
            waiting="%(waiting)s",
        ),
        "you": _("you yourself"),
        "people": _("%(n)s people", n="%(n)s"),
        "people_waiting": _("%(n)s people (not sent yet)", n="%(n)s"),
        "people_refused": _("%(n)s people (refused)", n="%(n)s"),
        "counted": _("%(activity)s: %(n)s people counted.", activity="%(activity)s", n="%(n)s"),
        "counts_waiting_one": _("1 session's count waiting to be sent"),
        "counts_waiting_many": _("%(n)s sessions' counts waiting to be sent", n="%(n)s"),
        "counts_refused_one": _("1 session's count refused"),
        "counts_refused_many": _("%(n)s sessions' counts refused", n="%(n)s"),
    }
