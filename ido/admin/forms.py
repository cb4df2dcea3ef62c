"""Forms of the management pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ido.core.models import TOPIC_GROUPS
from ido.core.models.taxonomy import OLD_AGENCY_KINDS
from ido.core.questions.privacy import personal_data_kinds, personal_data_message
from ido.web.forms import INVALID_CHOICE, Form


class BranchForm(Form):
    code = StringField(
        _l("Code (never changes)"),
        validators=[Length(max=40)],
        description=_l("Lowercase letters, digits, - or _; for example centrum"),
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=200)])
    municipality = StringField(
        _l("Municipality"), validators=[DataRequired(_l("Give the municipality.")), Length(max=200)]
    )
    in_library = BooleanField(_l("The IDO is inside the library building"), default=True)
    active = BooleanField(_l("Active (shown on the desk)"), default=True)
    library = RadioField(
        _l("Library"), invalid_choice_message=INVALID_CHOICE, validate_choice=False
    )
    convenant_years = SelectMultipleField(
        _l("Takes part in the Belastingdienst/Toeslagen convenant in"),
        coerce=int,
        invalid_choice_message=INVALID_CHOICE,
    )


class PersonForm(Form):
    email = EmailField(_l("E-mail address"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=200)])
    role = RadioField(_l("Role"), invalid_choice_message=INVALID_CHOICE)
    branches = SelectMultipleField(
        _l("Branches where they log questions"), invalid_choice_message=INVALID_CHOICE
    )
    active = BooleanField(_l("May log in"), default=True)
    library = RadioField(
        _l("Library"), invalid_choice_message=INVALID_CHOICE, validate_choice=False
    )


class LibraryForm(Form):
    code = StringField(_l("Code (never changes)"), validators=[Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


class DeviceForm(Form):
    branch = RadioField(
        _l("Branch"),
        invalid_choice_message=INVALID_CHOICE,
        validators=[DataRequired(_l("Choose a branch."))],
    )
    name = StringField(
        _l("Name of the tablet"),
        validators=[Length(max=100)],
        description=_l("For example: tablet at the IDO desk"),
    )


def no_personal_data(form, field) -> None:
    """Labels, hints and activity names are shown to every desk and in exports and the API:
    no visitor's personal data (control characters are refused for every form, see
    ido.web.forms.plain_text). A partner's contact details are not read: its address, office
    number and hours are its own, public."""
    if field.data and len(field.data) > 1000:
        return  # the field's Length rule (500 at most) refuses it; no need to read a megabyte
    kinds = personal_data_kinds(field.data)
    if kinds:
        raise ValidationError(personal_data_message(kinds))


AGENCY_KIND_NAMES = {
    "npd": _l("National network of public service providers (NPD)"),
    "government": _l("Other government body"),
    "partner": _l("Local partner"),
}
AGENCY_LEVEL_NAMES = {
    "rijk": _l("Central government"),
    "uitvoering": _l("Executive agency"),
    "gemeente": _l("Municipality"),
    "provincie": _l("Province"),
    "overig": _l("Other"),
}


class KindField(RadioField):
    """An agency's kind; the old code (manifestgroep) is still taken, as the new one (npd)."""

    def process_formdata(self, valuelist):
        super().process_formdata([OLD_AGENCY_KINDS.get(value, value) for value in valuelist])


class CategoryForm(Form):
    code = StringField(_l("Code (never changes)"), validators=[Length(max=40)])
    name_nl = StringField(
        _l("Dutch label"),
        validators=[DataRequired(_l("Give a label.")), Length(max=200), no_personal_data],
    )
    name_en = StringField(
        _l("English label"),
        validators=[DataRequired(_l("Give a label.")), Length(max=200), no_personal_data],
    )
    position = IntegerField(
        _l("Order (lower comes first)"), default=0, validators=[Optional(), NumberRange(0, 100000)]
    )
    active = BooleanField(_l("Active (shown on the desk)"), default=True)
    hint_nl = StringField(_l("Dutch hint"), validators=[Length(max=300), no_personal_data])
    hint_en = StringField(_l("English hint"), validators=[Length(max=300), no_personal_data])
    group = RadioField(
        _l("Group (as on the national form)"),
        invalid_choice_message=INVALID_CHOICE,
        choices={g: g for g in TOPIC_GROUPS},
        default="overheid",
    )
    parent = SelectField(_l("Follow-up of"), invalid_choice_message=INVALID_CHOICE, default="")
    kind = KindField(_l("Kind"), invalid_choice_message=INVALID_CHOICE, default="partner")
    level = RadioField(
        _l("Level (for the national form)"),
        invalid_choice_message=INVALID_CHOICE,
        choices=[SelectChoice(value=k, label=v) for k, v in AGENCY_LEVEL_NAMES.items()],
        default="overig",
    )
