"""Language: Dutch first, English on request; chosen per session."""

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale

from ido.web.extensions import babel

LANGUAGES = {"nl": "Nederlands", "en": "English"}


def select_locale() -> str:
    """The language the visitor chose, else Dutch."""
    if not has_request_context():
        return "nl"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if request.path.startswith("/api/"):  # scripts say what they want
        return request.accept_languages.best_match(list(LANGUAGES), default="nl")
    return "nl"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, get_locale=get_locale)
