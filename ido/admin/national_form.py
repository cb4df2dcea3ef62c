"""The national IDO form's mapping: an administrator says which line of the form each topic
and channel goes to, names the referral lines and sets the duration bands. Each save is a new
version from a month on; the versions before it stay as they were."""

import re
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ido.admin.views import bp
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import Channel, Topic
from ido.core.reporting.national_form import (
    FormMapping,
    Line,
    applying,
    bands_text,
    get_version,
    history,
    parse_bands,
    save_version,
)
from ido.core.timeutil import add_months, now_local
from ido.web.access import allow
from ido.web.forms import INVALID_CHOICE, Form
from ido.web.pages import render_form

SPARE_LINES = 2  # empty rows under each list of lines, to add a line
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only, as everywhere
NAME = [Length(max=100)]


def _month(text: str | None) -> date | None:
    found = MONTH.fullmatch((text or "").strip())
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


class MappingForm(Form):
    """The fixed part; the lines, topics and channels are added per page (`mapping_form`)."""

    valid_from = StringField(
        _l("In force from (month)"),
        validators=[DataRequired(_l("Give the month from which this applies."))],
        description=_l("Months before it keep the mapping they were reported with."),
    )
    referred_nl = StringField(
        _l("Referred (Dutch)"), validators=[DataRequired(_l("Give a name.")), *NAME]
    )
    referred_en = StringField(_l("Referred (English)"), validators=NAME)
    not_referred_nl = StringField(
        _l("Not referred (Dutch)"), validators=[DataRequired(_l("Give a name.")), *NAME]
    )
    not_referred_en = StringField(_l("Not referred (English)"), validators=NAME)
    bands = StringField(
        _l("Duration bands (minutes)"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "For example 1-10, 11-30, 31-60, 61+. Leave empty to count per preset of the desk "
            "(5, 10, 15, 30, 45, 60 minutes, other) until the form's bands are known."
        ),
    )

    def validate_valid_from(self, field) -> None:
        month = _month(field.data)
        latest = add_months(now_local().date().replace(day=1), 12)
        if month is None:
            raise ValidationError(_("Write the month as yyyy-mm, for example 2026-01."))
        if not date(2000, 1, 1) <= month <= latest:
            raise ValidationError(_("Choose a month from 2000 up to a year from now."))

    def validate_bands(self, field) -> None:
        try:
            parse_bands(field.data or "")
        except ServiceError as error:
            raise ValidationError(
                _(
                    "Write bands that follow each other from 1 minute up without gaps, the "
                    "last ending in + (for example 1-10, 11-30, 31-60, 61+). Not understood: "
                    "%(part)s",
                    part=str(error).partition(":")[2] or _("the last band"),
                )
            ) from None


LINE_LABELS = {
    "group": (
        _l("Type of question, line %(n)s (Dutch)"),
        _l("Type of question, line %(n)s (English)"),
    ),
    "line": (_l("Channel, line %(n)s (Dutch)"), _l("Channel, line %(n)s (English)")),
}


def _line_fields(prefix: str, count: int) -> dict:
    dutch, english = LINE_LABELS[prefix]
    fields = {}
    for i in range(count):
        fields[f"{prefix}_{i}_nl"] = StringField(str(dutch) % {"n": i + 1}, validators=NAME)
        fields[f"{prefix}_{i}_en"] = StringField(str(english) % {"n": i + 1}, validators=NAME)
    return fields


def mapping_form(mapping: FormMapping, topics: list[Topic], channels: list[Channel]):
    """The form for this mapping: a row per line (and spare rows), a choice per topic and
    channel. Each choice names a row by its number."""
    groups, lines = len(mapping.groups) + SPARE_LINES, len(mapping.channels) + SPARE_LINES

    def choices(names: tuple[Line, ...], count: int) -> list[SelectChoice]:
        # a category the saved mapping does not place (added since) shows as not chosen
        return [SelectChoice("", _("– choose a line –"))] + [
            SelectChoice(
                str(i + 1),
                names[i].name if i < len(names) else _("New line %(n)s", n=i + 1),
            )
            for i in range(count)
        ]

    fields = {
        **_line_fields("group", groups),
        **_line_fields("line", lines),
        **{
            f"topic_{t.code}": SelectField(
                t.name_nl,
                choices=choices(mapping.groups, groups),
                invalid_choice_message=INVALID_CHOICE,
            )
            for t in topics
        },
        **{
            f"channel_{c.code}": SelectField(
                c.name_nl,
                choices=choices(mapping.channels, lines),
                invalid_choice_message=INVALID_CHOICE,
            )
            for c in channels
        },
    }
    form_class = type("NationalMappingForm", (MappingForm,), fields)
    return form_class, groups, lines


def _initial(mapping: FormMapping, groups: int, lines: int) -> dict:
    """The form's values for a mapping, and this month as its start."""
    data: dict[str, str] = {
        "valid_from": f"{now_local():%Y-%m}",
        "referred_nl": mapping.referred.nl,
        "referred_en": mapping.referred.en,
        "not_referred_nl": mapping.not_referred.nl,
        "not_referred_en": mapping.not_referred.en,
        "bands": bands_text(mapping.bands),
    }
    for prefix, items in (("group", mapping.groups), ("line", mapping.channels)):
        for i, line in enumerate(items):
            data[f"{prefix}_{i}_nl"], data[f"{prefix}_{i}_en"] = line.nl, line.en
    for mapped, names, prefix in (
        (mapping.topics, mapping.groups, "topic"),
        (mapping.channel_of, mapping.channels, "channel"),
    ):
        for code, line_code in mapped.items():
            position = next((i for i, x in enumerate(names) if x.code == line_code), None)
            if position is not None:
                data[f"{prefix}_{code}"] = str(position + 1)
    return data


def _lines(form, prefix: str, count: int, old: tuple[Line, ...]) -> dict[int, Line]:
    """The named rows as lines, by row number; a row keeps the code of the line it showed."""
    found = {}
    taken = {line.code for line in old}
    names: set[str] = set()
    for i in range(count):
        nl = (form[f"{prefix}_{i}_nl"].data or "").strip()
        en = (form[f"{prefix}_{i}_en"].data or "").strip()
        if not nl:
            if en:
                form[f"{prefix}_{i}_nl"].errors.append(_("Give the Dutch name too."))
            continue
        if nl.casefold() in names:  # the printed page would show two lines of that name
            form[f"{prefix}_{i}_nl"].errors.append(_("Another line already has this name."))
        names.add(nl.casefold())
        code = (
            old[i].code
            if i < len(old)
            else next(f"{prefix}{n}" for n in range(i + 1, i + 100) if f"{prefix}{n}" not in taken)
        )
        taken.add(code)
        found[i + 1] = Line(code, nl, en)
    return found


def _assigned(form, prefix: str, codes: list[str], lines: dict[int, Line]) -> dict[str, str]:
    mapped = {}
    for code in codes:
        field = form[f"{prefix}_{code}"]
        line = lines.get(int(field.data)) if field.data else None
        if line is None:
            field.errors.append(_("Choose a line that has a name."))
        else:
            mapped[code] = line.code
    return mapped


@bp.route("/national-form", methods=["GET", "POST"])
@allow("admin")
def national_form():
    """The mapping onto the national form: the one in force now (or a saved version to start
    from, `?version=`), and the history of versions."""
    shown = applying(now_local().date().replace(day=1))
    mapping, version = shown.mapping, shown.version
    if request.args.get("version"):
        wanted = request.args["version"]
        plain = wanted.isascii() and wanted.isdigit() and len(wanted) < 10
        version = get_version(int(wanted)) if plain else None
        if version is None:
            abort(404)
        mapping = FormMapping.from_json(version.mapping)
    topics = list(
        db.session.scalars(
            db.select(Topic).where(Topic.parent_id.is_(None)).order_by(Topic.position, Topic.id)
        )
    )
    channels = list(db.session.scalars(db.select(Channel).order_by(Channel.position, Channel.id)))
    form_class, groups, lines = mapping_form(mapping, topics, channels)
    form = form_class(data=_initial(mapping, groups, lines))
    if form.validate_on_submit():
        group_lines = _lines(form, "group", groups, mapping.groups)
        channel_lines = _lines(form, "line", lines, mapping.channels)
        new = FormMapping(
            groups=tuple(group_lines.values()),
            topics=_assigned(form, "topic", [t.code for t in topics], group_lines),
            channels=tuple(channel_lines.values()),
            channel_of=_assigned(form, "channel", [c.code for c in channels], channel_lines),
            referred=Line("ja", form.referred_nl.data.strip(), form.referred_en.data.strip()),
            not_referred=Line(
                "nee", form.not_referred_nl.data.strip(), form.not_referred_en.data.strip()
            ),
            bands=parse_bands(form.bands.data or ""),
        )
        if not form.errors:
            month = _month(form.valid_from.data)
            assert month is not None  # validated
            save_version(new, month, current_user)
            flash(
                _(
                    "Mapping saved; it applies from %(month)s.",
                    month=form.valid_from.data,
                ),
                "success",
            )
            return redirect(url_for("admin.national_form"))
    return render_form(
        "admin/national_form.html",
        form,
        groups=groups,
        lines=lines,
        topics=topics,
        channels=channels,
        version=version,
        in_force=shown.version,
        history=history(),
    )
