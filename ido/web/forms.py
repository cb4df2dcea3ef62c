"""Form pieces every front end shares: bare buttons, coded errors, the password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, StopValidation

INVALID_CHOICE = _l("This choice is not (or no longer) available. Reload the page.")


class EmptyForm(FlaskForm):
    """A bare button (log out, delete, undo): only the CSRF token."""


class LanguageForm(FlaskForm):
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


class PasswordForm(FlaskForm):
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
