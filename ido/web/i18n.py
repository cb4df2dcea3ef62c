"""Language: Dutch first, English on request; the browser's own on a first visit."""

from collections.abc import Callable
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ido.web.extensions import babel
from ido.web.forms import error_anchor

LANGUAGES = {"nl": "Nederlands", "en": "English"}


LANGUAGE_COOKIE = "ido_lang"  # the language chosen on this browser; outlives a log-out
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def select_locale() -> str:
    """The language chosen on this browser (this session's, else the one it chose before),
    else the browser's own (Accept-Language), else Dutch."""
    if not has_request_context():
        return "nl"
    chosen = session.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="nl")


def _newstyle(translations: Any) -> tuple[Callable[..., str], Callable[..., str]]:
    """A template's gettext and ngettext as Jinja's newstyle i18n makes them: escaped, always
    formatted, ngettext with `num` set to the count."""

    @pass_context
    def gettext(context: Context, message: str, /, **variables: Any) -> str:
        text = translations.ugettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext, ngettext


def template_translations() -> dict[str, Any]:
    """The request's translations, looked up once per page: Flask-Babel's own template
    functions look them up on every call (a desk page makes about twenty), through
    several context lookups each, a tenth of the page's time."""
    gettext, ngettext = _newstyle(get_translations())
    locale = get_locale()
    return {
        "gettext": gettext,
        "ngettext": ngettext,
        "language": locale.language if locale is not None else "nl",
    }


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, get_locale=get_locale, error_anchor=error_anchor
    )
    app.context_processor(template_translations)
