"""Start page and language choice."""

import logging

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ido.core.db import db
from ido.web.extensions import throttle_store_ok
from ido.web.forms import LanguageForm
from ido.web.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_SECONDS, LANGUAGES
from ido.web.navigation import safe_next

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index():
    """Send coordinators and administrators to their reports, volunteers and tablets to the
    desk, anyone else to the log-in page."""
    if current_user.is_authenticated and (current_user.is_coordinator or current_user.is_admin):
        return redirect(url_for("reports.index"))
    if current_user.is_authenticated:
        return redirect(url_for("desk.index"))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language and go back; this browser keeps it (a cookie of its own,
    so it outlives a log-out and the next person at a shared desk PC sees it too)."""
    form = LanguageForm()
    response = redirect(safe_next(request.form.get("next")) or url_for("main.index"))
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
        response.set_cookie(
            LANGUAGE_COOKIE,
            form.lang.data,
            max_age=LANGUAGE_COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


@bp.get("/privacy")
def privacy():
    """What the app stores, what it never stores, for how long, and who sees what."""
    return render_template(
        "main/privacy.html", retention_days=current_app.config["IDO_NOTE_RETENTION_DAYS"]
    )


@bp.get("/toegankelijkheid")
def accessibility():
    """The accessibility statement: the standard, what was tested and how, what is known."""
    return render_template("main/accessibility.html")


@bp.get("/healthz")
def healthz():
    """For a load balancer or monitor: 200 when the app can reach its database, else 503.

    A throttle store (Redis) that cannot be reached gives 200 with status "degraded": the app
    still serves everyone (log-ins are let through unthrottled), but a monitor should warn."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.error("health check: the database cannot be reached (%s)", type(error).__name__)
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    if not throttle_store_ok():
        return jsonify(status="degraded", database="ok", throttle="unreachable")
    return jsonify(status="ok", database="ok", throttle="ok")
