"""Notes are kept for a limited time: older ones are emptied; the counts stay."""

import logging
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult

from ido.core.audit import audit
from ido.core.db import db
from ido.core.models import AuditEvent, Question, utcnow

log = logging.getLogger(__name__)


def purge_old_notes() -> int:
    """Empty the notes of questions saved longer ago than IDO_NOTE_RETENTION_DAYS; how many."""
    days = current_app.config["IDO_NOTE_RETENTION_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    emptied = cast(
        CursorResult[*tuple[Any, ...]],
        db.session.execute(
            db.update(Question)
            .where(Question.note.is_not(None), Question.created_at < cutoff)
            .values(note=None)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    audit(None, "purge", "notes", "*", None, {"emptied": emptied, "days": days})
    db.session.flush()
    log.info("%s notes older than %s days emptied", emptied, days)
    return emptied


def last_purge() -> AuditEvent | None:
    """The most recent purge, if any."""
    return cast(
        AuditEvent | None,
        db.session.scalar(
            db.select(AuditEvent)
            .where(AuditEvent.entity == "notes")
            .order_by(AuditEvent.at.desc())
            .limit(1)
        ),
    )


def purge_if_due() -> bool:
    """Purge when the last purge is a day old (or there was none); True when it purged."""
    previous = last_purge()
    if previous is not None and utcnow() - previous.at < timedelta(days=1):
        return False
    purge_old_notes()
    return True
