"""Around every request: one transaction, one log line, and the daily purge of old notes.

Services flush their writes; the request commits them once, when it answers with success
(below 400), and rolls them back otherwise, so a refused request changes nothing.
"""

import logging
import sys
import time

from flask import Flask, g, request
from flask_babel import gettext as _

from ido.core.db import db, has_writes
from ido.core.exceptions import ParamError
from ido.core.retention import purge_if_due

log = logging.getLogger("ido.request")
PURGE_CHECK_SECONDS = 3600  # how often a running app looks whether the daily purge is due
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(app: Flask) -> None:
    """The ido loggers write to stderr at IDO_LOG_LEVEL (default INFO); set up once."""
    logger = logging.getLogger("ido")
    logger.setLevel(app.config["IDO_LOG_LEVEL"])
    if not any(getattr(h, "ido", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.ido = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def _who() -> str:
    """Who asked, if the request looked (static files load no user, and should not start)."""
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded
    if user is None or not user.is_authenticated:
        return "-"
    return f"device:{user.device_id}" if user.is_device else str(user.id)


def _field_with_nul() -> str | None:
    """The query parameter or form field whose name or value holds a NUL character, if any."""
    fields = [request.args] + ([request.form] if request.mimetype in FORM_TYPES else [])
    for found in fields:
        for key, values in found.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "") or "_"
    return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _purge_quietly() -> None:
    """The daily purge in its own transaction, before the request's; a failure (a busy
    database, say) is logged and tried again an hour later, and the request goes on."""
    try:
        if purge_if_due():
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.warning("the daily purge of old notes failed; it is tried again later", exc_info=True)


class IdoFlask(Flask):
    """Flask, but an unhandled error is logged with the route, not the path: a path can hold
    a secret (the one-time password link)."""

    def log_exception(self, exc_info) -> None:
        route = request.url_rule.rule if request.url_rule is not None else "(none)"
        self.logger.error("Exception on %s %s", request.method, route, exc_info=exc_info)


def register(app: Flask) -> None:
    """Install the hooks."""
    next_purge = {"at": 0.0}

    @app.before_request
    def start():
        g.started = time.perf_counter()
        field = _field_with_nul()
        if field is not None:  # PostgreSQL cannot store or even compare it; no field needs it
            message = _("A character that is not allowed was sent.")
            raise ParamError(field, "invalid_character", message)
        if (
            app.config["IDO_PURGE_IN_APP"]
            and request.endpoint != "static"
            and time.monotonic() >= next_purge["at"]
        ):
            next_purge["at"] = time.monotonic() + PURGE_CHECK_SECONDS
            _purge_quietly()

    @app.after_request
    def finish(response):
        who = _who()  # before the commit expires the user (reading it after costs a SELECT)
        if response.status_code < 400 and has_writes():
            db.session.commit()
        elif response.status_code >= 400:
            db.session.rollback()
        # The route, not the path: a path can hold a secret (the one-time password link) and a
        # query string is the client's own text. A note appears in neither.
        route = request.url_rule.rule if request.url_rule is not None else "(none)"
        log.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            route,
            response.status_code,
            (time.perf_counter() - g.get("started", time.perf_counter())) * 1000,
            who,
        )
        return response
