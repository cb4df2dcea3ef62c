"""The desk's own small forms (the question form is shared with the API: ido.web)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField

from ido.web.forms import INVALID_CHOICE, Form, Required


class QuickForm(Form):
    """Quick mode: one tap on a topic tile stores a question with the desk's defaults."""

    id = HiddenField()
    topic = StringField()  # sent by the tapped tile (a submit button), so no input of its own


class DeskTokenForm(Form):
    """A fresh desk form's own hidden fields, its id and CSRF token: on a plain visit the
    fields come rendered from the process's memo, and the question form is not built."""

    id = HiddenField()


class BranchForm(Form):
    branch = RadioField(
        _l("Branch"),
        validators=[Required(_l("Choose a branch."))],
        invalid_choice_message=INVALID_CHOICE,
    )


class EnrolForm(Form):
    code = StringField(
        _l("Code from your IDO coordinator"),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
