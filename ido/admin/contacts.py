"""Contact details of an agency or partner for the desk's referral slip (Verwijskaart).

Administrators keep every agency's details, shared by all libraries; a coordinator keeps their
library's partners' details (and their library's details of a default partner). A national
agency or another library's partner answers a coordinator 404, as an unknown one does."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ido.admin.views import bp
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import Agency
from ido.core.taxonomy.contacts import LIMITS, may_edit, save_contact, stored_contact
from ido.web.forms import Form
from ido.web.pages import render_form


class ContactForm(Form):
    website = StringField(
        _l("Website"),
        validators=[Length(max=LIMITS["website"])],
        description=_l("For instance https://www.uwv.nl"),
    )
    phone = StringField(
        _l("Public telephone number"),
        validators=[Length(max=LIMITS["phone"])],
        description=_l(
            "A number for the public, never a person's: 088 898 92 94, 0800 0543, 14 030"
        ),
    )
    address = TextAreaField(
        _l("Address"), validators=[Length(max=LIMITS["address"])], render_kw={"rows": 2}
    )
    hours = TextAreaField(
        _l("Opening hours or consultation hours"),
        validators=[Length(max=LIMITS["hours"])],
        render_kw={"rows": 3},
    )
    bring = TextAreaField(
        _l("What to bring"),
        validators=[Length(max=LIMITS["bring"])],
        description=_l("For instance: DigiD, an authorisation code, the letter"),
        render_kw={"rows": 2},
    )


def _library() -> int | None:
    """Whose details this person keeps: None for an administrator (every library's)."""
    return None if current_user.is_admin else current_user.library_id


@bp.route("/categories/agency/<code>/contact", methods=["GET", "POST"])
def contact(code: str):
    """Change the public contact details the referral slip shows for an agency or partner."""
    agency = db.first_or_404(db.select(Agency).where(Agency.code == code))
    library_id = _library()
    if not may_edit(agency, library_id):
        abort(404)  # a national agency or another library's partner: as if it did not exist
    kept_for = agency.library_id if library_id is None else library_id
    form = ContactForm(obj=stored_contact(agency, kept_for))
    if form.validate_on_submit():
        try:
            save_contact(agency, library_id, form.data, current_user)
        except ParamError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("Contact details of %(name)s saved.", name=agency.name), "success")
            return redirect(url_for("admin.categories", kind="agency"))
    return render_form("admin/contact.html", form, item=agency)
