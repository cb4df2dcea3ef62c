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
