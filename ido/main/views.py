"""Start page and language choice."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ido.web.forms import LanguageForm
from ido.web.i18n import LANGUAGES
from ido.web.navigation import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Send a logged-in user to the desk, anyone else to the log-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("desk.index"))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language for this session and go back."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.get("/privacy")
def privacy():
    """What the app stores, what it never stores, for how long, and who sees what."""
    return render_template(
        "main/privacy.html", retention_days=current_app.config["IDO_NOTE_RETENTION_DAYS"]
    )
