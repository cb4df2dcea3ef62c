"""Small forms shared by several pages."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class EmptyForm(FlaskForm):
    """A bare button (log out, delete, undo): only the CSRF token."""


class LanguageForm(FlaskForm):
    lang = HiddenField()
