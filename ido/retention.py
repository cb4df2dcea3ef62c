"""Notes are kept for a limited time: older ones are emptied; the counts stay."""

import time
from datetime import timedelta

from flask import Flask, current_app

from .extensions import db
from .models import AuditEvent, Question, utcnow

CHECK_EVERY_SECONDS = 3600  # how often a running app looks whether the daily purge is due


def purge_old_notes() -> int:
    """Empty the notes of questions saved longer ago than IDO_NOTE_RETENTION_DAYS; how many."""
    days = current_app.config["IDO_NOTE_RETENTION_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    emptied = db.session.execute(
        db.update(Question).where(Question.note.is_not(None), Question.created_at < cutoff)
        .values(note=None).execution_options(synchronize_session=False)).rowcount
    db.session.add(AuditEvent(action="purge", entity="notes", entity_id="*",
                              changes={"emptied": emptied, "days": days}))
    db.session.commit()
    return emptied


def last_purge() -> AuditEvent | None:
    """The most recent purge, if any."""
    return db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "notes")
                             .order_by(AuditEvent.at.desc()).limit(1))


def purge_if_due() -> bool:
    """Purge when the last purge is a day old (or there was none); True when it purged."""
    previous = last_purge()
    if previous is not None and utcnow() - previous.at < timedelta(days=1):
        return False
    purge_old_notes()
    return True


def register(app: Flask) -> None:
    """A daily purge inside the app, looked at once an hour per process (cron is the other way)."""
    next_check = {"at": 0.0}

    @app.before_request
    def daily_purge():
        if not app.config["IDO_PURGE_IN_APP"] or time.monotonic() < next_check["at"]:
            return
        next_check["at"] = time.monotonic() + CHECK_EVERY_SECONDS
        purge_if_due()
