"""Recording activities and their sessions: an activity with its rule (its sessions made and
kept in step), a session cancelled or moved on its own, and how many people came. Every rule
is checked here, for the coordinator's pages, the desk and the API alike; each change is
audited. Services flush; the caller commits."""

import logging
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from flask_babel import gettext as _

from ido.core.activities.recurrence import Rule, check_day, occurrences
from ido.core.audit import Actor, audit
from ido.core.checks import has_bad_characters
from ido.core.db import db
from ido.core.exceptions import InvalidActivity
from ido.core.models import (
    ACTIVITY_FORMS,
    MAX_ATTENDANCE,
    Activity,
    ActivityKind,
    ActivitySession,
    Agency,
    Branch,
    Topic,
    utcnow,
)
from ido.core.timeutil import now_local

log = logging.getLogger(__name__)
MAX_TITLE = 200
MAX_MOVE_DAYS = 366  # a session moves within a year of the day its rule gave


@dataclass
class ActivityData:
    """What a coordinator enters for an activity."""

    branch: Branch
    kind: ActivityKind
    rule: Rule
    start_time: time
    end_time: time
    partner: Agency | None = None  # None: the library runs it
    title: str = ""
    form: str = "in_person"
    convenant: bool = False
    topics: list[Topic] = field(default_factory=list)


def check_times(start: time, end: time) -> None:
    if end <= start:
        raise InvalidActivity("end_time", "invalid", _("The end time is before the start time."))


def check_activity(data: ActivityData) -> list[date]:
    """Every rule of an activity; returns the days its rule gives (InvalidActivity if not)."""
    if not data.kind.active:
        raise InvalidActivity("kind", "unknown_code", _("This kind is not (or no longer) in use."))
    partner = data.partner
    if partner is not None and (
        partner.kind != "partner"
        or not partner.active
        or not partner.seen_by(data.branch.library_id)
    ):  # another library's partner reads as an unknown one
        raise InvalidActivity("partner", "unknown_code", _("No such partner."))
    if data.form not in ACTIVITY_FORMS:
        raise InvalidActivity("form", "invalid", _("Choose in person, by telephone or online."))
    if len(data.title) > MAX_TITLE or has_bad_characters(data.title, multiline=False):
        raise InvalidActivity(
            "title", "invalid", _("A name is one line of at most %(n)s characters.", n=MAX_TITLE)
        )
    check_times(data.start_time, data.end_time)
    return occurrences(data.rule)


def _values(data: ActivityData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "partner": data.partner,
        "title": data.title.strip(),
        "form": data.form,
        "convenant": data.convenant,
        "repeat": data.rule.repeat,
        "first_day": data.rule.first,
        "until": data.rule.until if data.rule.repeat != "once" else None,
        "nth": data.rule.nth if data.rule.repeat == "monthly" else None,
        "start_time": data.start_time,
        "end_time": data.end_time,
    }


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: getattr(value, "code", value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in values.items()
    }


def save_activity(
    data: ActivityData, actor: Actor | None, activity: Activity | None = None
) -> Activity:
    """Add an activity with its sessions, or change one: a changed rule adds the days it
    gives and drops the sessions it no longer gives that are still to come and uncounted;
    sessions already held, counted or in the past stay as they are."""
    days = check_activity(data)
    values = _values(data)
    if activity is None:
        activity = Activity(branch=data.branch, **values)
        db.session.add(activity)
        action, changes = "create", {"branch": data.branch.code, **_audited(values)}
    else:
        changes = {}
        for key, value in values.items():
            old = getattr(activity, key)
            if old != value:
                changes[key] = [_audited({key: old})[key], _audited({key: value})[key]]
                setattr(activity, key, value)
        action = "update"
    old_topics = sorted(t.code for t in activity.topics)
    activity.topics = list(data.topics)
    if sorted(t.code for t in data.topics) != old_topics:
        changes["topics"] = [old_topics, sorted(t.code for t in data.topics)]
    _sync_sessions(activity, days)
    db.session.flush()
    if changes:
        audit(actor, action, "activity", activity.id, data.branch.library_id, changes)
        log.info("activity %s %sd", activity.id, action)
    return activity


def _sync_sessions(activity: Activity, days: list[date]) -> None:
    today = now_local().date()
    wanted = set(days)
    kept = {}
    for session in list(activity.sessions):
        if session.held or session.day < today or session.rule_day in wanted:
            kept[session.rule_day] = session
            if not session.moved and not session.held:
                session.start_time, session.end_time = activity.start_time, activity.end_time
        else:
            activity.sessions.remove(session)
    for day in days:
        if day not in kept:
            activity.sessions.append(
                ActivitySession(
                    branch_id=activity.branch.id,
                    rule_day=day,
                    day=day,
                    start_time=activity.start_time,
                    end_time=activity.end_time,
                )
            )


def _audit_session(actor: Actor | None, session: ActivitySession, changes: dict[str, Any]) -> None:
    audit(actor, "update", "activity_session", session.id, session.branch.library_id, changes)


def cancel_session(session: ActivitySession, cancelled: bool, actor: Actor | None) -> None:
    """Cancel a session (or take the cancellation back); a counted one stays counted."""
    if session.held and cancelled:
        raise InvalidActivity("_", "held", _("People were counted at this session."))
    if session.cancelled != cancelled:
        session.cancelled = cancelled
        _audit_session(actor, session, {"cancelled": [not cancelled, cancelled]})
        db.session.flush()


def move_session(
    session: ActivitySession, day: date, start: time, end: time, actor: Actor | None
) -> None:
    """Hold one session on another day or at other times; the rule stays as it is."""
    check_times(start, end)
    check_day("day", day)
    if abs((day - session.rule_day).days) > MAX_MOVE_DAYS:
        raise InvalidActivity("day", "out_of_range", _("A session moves by a year at most."))
    before = [session.day.isoformat(), session.start_time.isoformat(timespec="minutes")]
    session.day, session.start_time, session.end_time = day, start, end
    activity = session.activity
    session.moved = (day, start, end) != (session.rule_day, activity.start_time, activity.end_time)
    after = [day.isoformat(), start.isoformat(timespec="minutes")]
    if before != after:
        _audit_session(actor, session, {"moved": [before, after]})
    db.session.flush()


def attendance_problem(session: ActivitySession, count: object) -> tuple[str, str] | None:
    """Why this count cannot be stored for the session, as (code, message); None if it can."""
    if isinstance(count, bool) or not isinstance(count, int):
        return "invalid", _("Give the number of people as a whole number.")
    if not 0 <= count <= MAX_ATTENDANCE:
        return "out_of_range", _("Give a number from 0 to %(n)s.", n=MAX_ATTENDANCE)
    if session.cancelled:
        return "cancelled", _("This session was cancelled.")
    if session.day > now_local().date():
        return "future", _("This session has not taken place yet.")
    return None


def record_attendance(session: ActivitySession, count: int, actor: Actor | None) -> bool:
    """Store how many people came (no names); the same count again changes nothing. Returns
    whether it changed."""
    problem = attendance_problem(session, count)
    if problem is not None:
        raise InvalidActivity("count", *problem)
    if session.attendance == count:
        return False
    _audit_session(actor, session, {"attendance": [session.attendance, count]})
    session.attendance, session.counted_at = count, utcnow()
    db.session.flush()
    log.info("session %s counted", session.id)
    return True
