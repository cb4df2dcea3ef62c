"""The desk's own small forms (the question form is shared with the API: ido.web)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField

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


class PaperDayForm(Form):
    """Paper mode: the day of the tally sheet, asked once."""

    day = StringField(
        _l("Day on the paper"),
        description=_l("dd-mm-yyyy"),
        render_kw={"autocomplete": "off", "inputmode": "decimal", "size": 10, "maxlength": 10},
    )
    confirm_early = BooleanField(_l("The date is right"))


TIMES = (1, 2, 3, 4, 5, 10)  # a tally sheet's strokes: up to five, and a bundle of two


class PaperForm(Form):
    """Paper mode: one tap on a topic tile logs `times` questions on the chosen day."""

    id = HiddenField()  # of this tap; the questions' ids are made from it (a resend adds none)
    topic = StringField()  # sent by the tapped tile
    at = StringField(
        _l("Time (optional)"),
        description=_l("hh:mm; empty when the paper gives none"),
        render_kw={"autocomplete": "off", "inputmode": "decimal", "size": 5, "maxlength": 5},
    )
    times = IntegerField(_l("How many"), default=1)
