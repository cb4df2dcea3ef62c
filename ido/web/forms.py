"""Form pieces every front end shares: bare buttons, coded errors, the password forms."""

import functools

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, StopValidation

from ido.core.checks import has_bad_characters

INVALID_CHOICE = _l("This choice is not (or no longer) available. Reload the page.")


@functools.cache
def wtforms_translations(language: str) -> support.NullTranslations:
    """WTForms' own messages (a missing choice, a number that is not one) in a language, read
    once per process: Flask-WTF reads them from disk again for every request."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def plain_text(form, field) -> None:
    """Refuse control characters (NUL among them) in a typed text; a text area (a note) may
    hold tabs and line breaks, a one-line field (a name, a code, an e-mail address) not."""
    multiline = isinstance(field, TextAreaField)
    if isinstance(field.data, str) and has_bad_characters(field.data, multiline):
        field.errors[:] = []  # the other rules need not read it
        raise StopValidation(coded("invalid_character", BAD_CHARACTER))


BAD_CHARACTER = _l("This text holds a character that cannot be stored.")


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's (CSRF, request data), WTForms' messages cached, and
    no control character in any text field."""

    class Meta:
        def get_translations(self, form):
            locale = get_locale()
            return wtforms_translations(locale.language if locale is not None else "nl")

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(found) for name, found in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField):
                extra.setdefault(name, []).append(plain_text)
        return super().validate(extra)


def error_anchor(field) -> str:
    """Where a link in the error summary goes: the field's input, or the fieldset of a group of
    checkboxes or radio buttons (marked `grouped`, or a choice of several)."""
    if getattr(field, "grouped", False) or field.type in ("SelectMultipleField", "RadioField"):
        return f"{field.id}-fieldset"
    return field.id


class EmptyForm(Form):
    """A bare button (log out, delete, undo): only the CSRF token."""


class LanguageForm(Form):
    lang = HiddenField()


class Coded(str):
    """An error message that also carries a stable code, for the API's error objects."""

    code = "invalid"


def coded(code: str, message) -> Coded:
    """The message, carrying the code the API reports for it."""
    error = Coded(str(message))
    error.code = code
    return error


def error_code(message: str) -> str:
    """The code of a form error: its own, or unknown_code for a choice that does not exist."""
    if isinstance(message, Coded):
        return message.code
    return "unknown_code" if message == str(INVALID_CHOICE) else "invalid"


class Required:
    """Stops validation with a coded message when the field was not sent or is empty."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not field.raw_data or not any(str(v).strip() for v in field.raw_data):
            field.errors[:] = []
            raise StopValidation(coded("required", self.message))


def choices(items, **extra) -> list[SelectChoice]:
    """Categories as choices by code, each with extra data attributes (hint, parent, ...)."""
    return [
        SelectChoice(
            value=item.code, label=item.name, render_kw={key: fn(item) for key, fn in extra.items()}
        )
        for item in items
    ]


class PasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password."))],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 12 characters; a short sentence is easy to remember."),
    )


class ChangePasswordForm(PasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
