"""The log-in form and the API token form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ido.web.forms import Form


class LoginForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class TokenForm(Form):
    name = StringField(
        _l("What is the token for?"),
        render_kw={"maxlength": 100},
        description=_l("For example: monthly export script"),
    )


class CodeForm(Form):
    """The second step of a log-in: the app's 6 digits, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": 40,
        },
        description=_l(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
    )


class SetupForm(Form):
    """The first code of a new authenticator app, which turns the second factor on."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": 40,
        },
        description=_l("The 6 digits the app shows now."),
    )


class TurnOffForm(CodeForm):
    """Turning the second factor off: the password and a code."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
