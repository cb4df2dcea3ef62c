"""Language: Dutch first, English on request; the browser's own on a first visit."""

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

import pyphen
from babel.numbers import get_group_symbol
from flask import Flask, has_request_context, request, session
from flask_babel import format_decimal, get_locale, get_translations
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


# Only long words get soft hyphens: a word of 9 letters (Bezoekers) fits the narrowest tile, at
# 320 px some 125 px for its label. Chromium on Linux has no hyphenation dictionaries (Debian
# ships none, and it fetches them as a component at run time): `hyphens: auto` alone leaves
# Bibliotheekdienstver|lening cut without a hyphen there.
LONG_WORD = re.compile(r"\w{10,}")
SOFT_HYPHEN = "\u00ad"
HYPHENATION = {"nl": "nl_NL", "en": "en_GB"}


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=HYPHENATION.get(language, "nl_NL"), left=3, right=3)


@lru_cache(maxsize=4096)
def _hyphenated(word: str, language: str) -> str:
    return _dictionary(language).inserted(word, hyphen=SOFT_HYPHEN)


def hyphenate(text: Any) -> Markup:
    """The text, escaped, with soft hyphens where its long words may break in the page's
    language: a tile's label breaks as Bibliotheek-|dienstverlening, with a hyphen, in every
    browser (Chromium on Linux hyphenates no language by `hyphens: auto` alone). Screen readers
    and Ctrl+F pass over a soft hyphen."""
    locale = get_locale()
    language = locale.language if locale is not None else "nl"
    escaped = Markup.escape(text)  # entities (&amp;) are too short to be touched
    return Markup(LONG_WORD.sub(lambda word: _hyphenated(word.group(), language), escaped))


@cache
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def decimalformat(number: Any, format: str | None = None) -> str:  # noqa: A002 (Flask-Babel's)
    """Flask-Babel's `decimalformat`, with whole counts of zero or more grouped straight from
    the locale's symbol: the dashboard of 700 branches formats some 2,500 of them, at 10 us
    each through Babel."""
    if format is None and type(number) is int and number >= 0:
        return f"{number:,}".replace(",", _group_symbol(str(get_locale())))
    return format_decimal(number, format)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, get_locale=get_locale, error_anchor=error_anchor
    )
    app.context_processor(template_translations)
    app.add_template_filter(hyphenate)
    app.add_template_filter(decimalformat)  # in place of Flask-Babel's, which gives the same
