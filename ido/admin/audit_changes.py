"""The audit trail's changes as a coordinator reads them: field names in their language,
category names instead of codes, moments in Amsterdam time."""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ido.core.db import db
from ido.core.models import (
    Agency,
    AuditEvent,
    Branch,
    Channel,
    DeskDevice,
    Help,
    Library,
    Outcome,
    Topic,
    User,
)
from ido.core.questions import NOTE_CHANGED, NOTE_GIVEN
from ido.core.timeutil import day_text, to_local

FIELDS = {
    "topics": _l("Topics"),
    "agencies": _l("Concerns agency"),
    "referrals": _l("Referred to"),
    "help": _l("Help given"),
    "channel": _l("Channel"),
    "outcome": _l("Outcome"),
    "duration_minutes": _l("Duration (minutes)"),
    "asked_at": _l("Date and time"),
    "note": _l("Note"),
    "branch": _l("Branch"),
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "role": _l("Role"),
    "active": _l("Active"),
    "branches": _l("Branches"),
    "code": _l("Code"),
    "municipality": _l("Municipality"),
    "in_library": _l("In the library building"),
    "enrolled": _l("Enrolled"),
    "desk_topics": _l("Topics on the desk"),
    "desk_partners": _l("Local partners on the desk"),
    "emptied": _l("Notes emptied"),
    "days": _l("Kept for (days)"),
    "recovery_codes": _l("New recovery codes"),
    "recovery_code_used": _l("Recovery code used"),
    "recovery_codes_left": _l("Recovery codes left"),
    "reset": _l("Reset by an administrator"),
    "quiet_dismissed_through": _l("Quiet-branch notice hidden until a question after"),
    "convenant_years": _l("Takes part in the convenant in"),
}
ROLES = {
    "volunteer": _l("volunteer"),
    "coordinator": _l("coordinator"),
    "admin": _l("administrator"),
}
BY_ID = {"desk_topics": Topic, "desk_partners": Agency}  # lists of category ids
CODED: dict[str, Any] = {  # question fields that hold codes, and where their names are
    "topics": Topic,
    "agencies": Agency,
    "referrals": Agency,
    "help": Help,
    "channel": Channel,
    "outcome": Outcome,
    "branch": Branch,
    "branches": Branch,
}


def _codes_in(value: Any) -> list[str]:
    """The codes in a value: one code, a list of them, or a change's [before, after]."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [code for item in value for code in _codes_in(item)]
    return []


def _names(events: list[AuditEvent]) -> dict[Any, dict[str, str]]:
    """The names of the codes the question events mention, in one query per kind."""
    wanted: dict[Any, set[str]] = {}
    ids: dict[Any, set[int]] = {}
    for event in events:
        for key, value in (event.changes or {}).items():
            if key in CODED and (event.entity == "question" or CODED[key] is Branch):
                wanted.setdefault(CODED[key], set()).update(_codes_in(value))
            if key in BY_ID:
                ids.setdefault(BY_ID[key], set()).update(_ids_in(value))
    found: dict[Any, dict[str, str]] = {}
    for model, codes in wanted.items():
        rows = db.session.scalars(db.select(model).where(model.code.in_(codes)))
        found[model] = {row.code: row.name for row in rows}
    for model, numbers in ids.items():
        rows = db.session.scalars(db.select(model).where(model.id.in_(numbers)))
        found[("id", model)] = {str(row.id): row.name for row in rows}
    return found


def _ids_in(value: Any) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list):
        return [number for item in value for number in _ids_in(item)]
    return []


def _shown(key: str, value: Any, names: dict[Any, dict[str, str]]) -> str:
    """One value of a question's field as a person reads it."""
    if value is None or value == []:
        return "–"
    if key in BY_ID:
        known = names.get(("id", BY_ID[key]), {})
        return ", ".join(known.get(str(number), str(number)) for number in _ids_in(value))
    if key == "role" and value in ROLES:
        return str(ROLES[value])
    if key in CODED:
        known = names.get(CODED[key], {})
        return ", ".join(known.get(code, code) for code in _codes_in(value))
    if key == "asked_at" and isinstance(value, str) and len(value) == 10:  # the day alone
        return _("%(day)s, time unknown", day=day_text(date.fromisoformat(value)))
    if key == "asked_at" and isinstance(value, str):
        try:
            moment = to_local(datetime.fromisoformat(value))
        except ValueError:
            return value
        return f"{day_text(moment.date())} {moment:%H:%M}"
    if key == "quiet_dismissed_through" and isinstance(value, str):
        return day_text(date.fromisoformat(value))
    if key == "note":
        return {NOTE_GIVEN: _("given"), NOTE_CHANGED: _("changed")}.get(value, str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def readable_changes(events: list[AuditEvent]) -> dict[int, list[tuple[str, str, str | None]]]:
    """Per event: (field, value or value before, value after for a change) in words."""
    names = _names(events)
    readable = {}
    for event in events:
        lines: list[tuple[str, str, str | None]] = []
        for key, value in (event.changes or {}).items():
            label = str(FIELDS.get(key, key))
            is_pair = event.action == "update" and isinstance(value, list) and len(value) == 2
            if is_pair:
                lines.append((label, _shown(key, value[0], names), _shown(key, value[1], names)))
            elif key == "note" and value == NOTE_CHANGED:
                lines.append((label, _("changed"), None))
            else:
                lines.append((label, _shown(key, value, names), None))
        readable[event.id] = lines
    return readable


SUBJECTS: dict[str, Any] = {
    "user": User,
    "branch": Branch,
    "library": Library,
    "device": DeskDevice,
    "second_factor": User,  # a person's second factor is named by the person
}


def subject_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """The names of the people, branches, libraries and tablets the events are about."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.entity in SUBJECTS and event.entity_id.isdecimal():
            wanted.setdefault(event.entity, set()).add(int(event.entity_id))
    found = {}
    for entity, numbers in wanted.items():
        model = SUBJECTS[entity]
        for row in db.session.execute(db.select(model.id, model.name).where(model.id.in_(numbers))):
            found[(entity, str(row.id))] = row.name
    return found
