"""Forms of the management pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length

from ..desk.forms import INVALID_CHOICE


class BranchForm(FlaskForm):
    code = StringField(_l("Code (never changes)"), validators=[Length(max=40)],
                       description=_l("Lowercase letters, digits, - or _; for example "
                                      "centrum"))
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")),
                                               Length(max=200)])
    municipality = StringField(_l("Municipality"),
                               validators=[DataRequired(_l("Give the municipality.")),
                                           Length(max=200)])
    in_library = BooleanField(_l("The IDO is inside the library building"), default=True)
    active = BooleanField(_l("Active (shown on the desk)"), default=True)
    library = RadioField(_l("Library"), invalid_choice_message=INVALID_CHOICE,
                         validate_choice=False)


class PersonForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")),
                                               Length(max=200)])
    role = RadioField(_l("Role"), invalid_choice_message=INVALID_CHOICE)
    branches = SelectMultipleField(_l("Branches where they log questions"),
                                   invalid_choice_message=INVALID_CHOICE)
    active = BooleanField(_l("May log in"), default=True)
    library = RadioField(_l("Library"), invalid_choice_message=INVALID_CHOICE,
                         validate_choice=False)


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(
        _l("Enter a password."))], render_kw={"autocomplete": "new-password"},
        description=_l("At least 12 characters; a short sentence is easy to remember."))


class ChangePasswordForm(PasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(
        _l("Enter your current password."))], render_kw={"autocomplete": "current-password"})
