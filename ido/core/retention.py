"""Notes are kept for a limited time: older ones are emptied, also in the database files;
the counts stay.

An UPDATE leaves the old text readable in the files: SQLite keeps the page images in its WAL
until a checkpoint (and the old cell in the page's free space, unless `secure_delete` is on, see
ido.core.db); PostgreSQL never overwrites a row in place, so the old row version stays in the
table's pages, also after a plain VACUUM. Once a purge that emptied notes is committed, the
pages are therefore rewritten: a WAL checkpoint on SQLite, `VACUUM FULL question` and a
CHECKPOINT on PostgreSQL. The WAL segments PostgreSQL already wrote keep the text until they are
recycled: see README, Retention.
"""

import logging
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ido.core.audit import audit
from ido.core.db import db
from ido.core.models import AuditEvent, Question, utcnow

log = logging.getLogger(__name__)
ERASE_PENDING = "ido.erase_emptied_notes"  # in Session.info: a purge emptied notes
# VACUUM FULL waits for the table's exclusive lock, and saves queue behind it while it waits:
# when a long report holds the table, give up after this long rather than hold the desks.
LOCK_TIMEOUT = "3s"


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
    if emptied:  # the files are rewritten once the caller commits (see erase_emptied_notes)
        db.session.info[ERASE_PENDING] = True
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


def erase_emptied_notes() -> None:
    """Rewrite the database pages that held emptied or replaced notes, so that the text cannot
    be read from the files; runs after the commit of a purge that emptied notes. A failure is
    logged and changes nothing: the next purge that empties notes tries again."""
    try:
        if db.engine.dialect.name == "postgresql":
            _rewrite_question_table()
        elif db.engine.dialect.name == "sqlite":
            _checkpoint_sqlite()
    except DBAPIError:
        log.warning("emptied notes may still be readable in the database files", exc_info=True)


def _checkpoint_sqlite() -> None:
    """Copy the WAL into the database and empty it: the WAL holds page images from before the
    purge (secure_delete has zeroed the old text in the pages themselves)."""
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
    if busy:  # a reader or writer stayed longer than the busy timeout
        log.warning("the WAL could not be emptied after the purge; it is tried again next time")


def _rewrite_question_table() -> None:
    """VACUUM FULL writes the live rows into new files and drops the old ones (it cannot run
    in a transaction); the CHECKPOINT lets PostgreSQL recycle the WAL written before it.

    It holds the table for the whole rewrite: 5-15 s for 1,000,000 questions on two cores
    (README, Retention). ANALYZE too: pg_stats' sample of the column holds some hundred notes.
    """
    table = Question.__tablename__
    autocommit = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as connection:
        connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            connection.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {table}")
        finally:  # the connection goes back to the pool, where saves must wait as long as ever
            connection.exec_driver_sql("RESET lock_timeout")
        try:
            connection.exec_driver_sql("CHECKPOINT")
        except DBAPIError:  # not a superuser, nor in pg_checkpoint: the next timed one does
            log.info("CHECKPOINT not allowed; PostgreSQL's next checkpoint recycles the WAL")


@event.listens_for(Session, "after_commit")
def _erase_after_purge(session: Session) -> None:
    if session.info.pop(ERASE_PENDING, False):
        erase_emptied_notes()


@event.listens_for(Session, "after_soft_rollback")
def _forget_purge(session: Session, *_args: object) -> None:
    session.info.pop(ERASE_PENDING, None)
