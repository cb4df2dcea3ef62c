"""How many people came to a session: the desk's tile and the coordinator's page post it."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from ido.core.models import MAX_ATTENDANCE
from ido.web.forms import Form

QUICK_COUNTS = range(1, 11)  # the tile's buttons; "meer" opens a field for any number


class AttendanceForm(Form):
    count = IntegerField(
        _l("People who came"),
        validators=[
            InputRequired(_l("Give the number of people.")),
            NumberRange(0, MAX_ATTENDANCE, _l("Give a number from 0 to %(max)s.")),
        ],
    )
