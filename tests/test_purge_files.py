"""A purged note cannot be read from the database files either, not only not through SQL.

SQLite: the database file and its WAL. PostgreSQL: the files of the question table and of its
TOAST table (the WAL is not looked at: see README, Retention).
"""

import contextlib
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ido.core import retention
from ido.core.db import db
from ido.core.models import Question

from .conftest import DB_KIND
from .helpers import store_question

pytestmark = pytest.mark.dialect  # purging: each database erases in its own way


def _note_question(app, note: str, days_old: int) -> uuid.UUID:
    with app.app_context():
        question = store_question(
            "a1", datetime(2026, 3, 2, 10, 0, tzinfo=UTC), ["digid"], note=note
        )
        question.created_at -= timedelta(days=days_old)
        db.session.commit()
        return question.id


def _checkpoint() -> None:
    """Write what was committed into the database files, as a running database does in time."""
    autocommit = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as connection:
        if db.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            connection.exec_driver_sql("CHECKPOINT")


def _question_files() -> list[Path]:
    """The files that hold the question table's rows (on PostgreSQL with every segment and
    fork of the table and of its TOAST table)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        main = Path(str(url.database))
        return [path for path in (main, Path(f"{main}-wal")) if path.exists()]
    with db.engine.connect() as connection:
        data = Path(connection.exec_driver_sql("SHOW data_directory").scalar_one())
        relations = connection.exec_driver_sql(
            "SELECT pg_relation_filepath(oid) FROM pg_class WHERE oid = 'question'::regclass"
            " OR oid = (SELECT reltoastrelid FROM pg_class WHERE oid = 'question'::regclass)"
        ).scalars()
        files = []
        for relation in relations:
            first = data / relation
            files += [first, *first.parent.glob(f"{first.name}.*")]  # past 1 GB
            files += first.parent.glob(f"{first.name}_*")  # free space and visibility maps
    return files


def _files_holding(text: str) -> list[str]:
    marker = text.encode()
    return [path.name for path in _question_files() if marker in path.read_bytes()]


def _purge_from_the_command_line(app) -> None:
    assert app.test_cli_runner().invoke(args=["purge-notes"]).exit_code == 0


def _purge_in_the_app(app) -> None:
    with app.app_context():  # as ido.web.lifecycle does before the day's first request
        assert retention.purge_if_due() is True
        db.session.commit()


def _letters() -> str:
    """A unique text of letters only: a random hex string's digits now and then make a
    number that passes the BSN check, and the privacy guard then refuses the note."""
    return uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


@pytest.fixture
def default_sqlite(app):
    """SQLite as built by itself, where secure_delete is off (Debian's build turns it on)."""

    def secure_delete_off(connection, _record) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.execute("PRAGMA secure_delete=OFF")

    event.listen(Engine, "connect", secure_delete_off, insert=True)  # before the app's own
    with app.app_context():
        db.engine.dispose()  # no connection made before
    yield
    event.remove(Engine, "connect", secure_delete_off)


@pytest.mark.parametrize("purge", [_purge_from_the_command_line, _purge_in_the_app])
def test_a_purged_note_is_gone_from_the_database_files(org, app, default_sqlite, purge):
    old, kept, edited = (f"Merkteken {kind} {_letters()}" for kind in "ABC")
    # A long note: SQLite without secure_delete writes the emptied row over a short one's
    # place now and then, but leaves a long one's text in the page's free space.
    _note_question(app, f"{old} {'terugbellen over de brief ' * 16}", days_old=91)
    kept_id = _note_question(app, edited, days_old=10)
    with app.app_context():
        db.session.get(Question, kept_id).note = kept  # a volunteer corrects a recent note
        db.session.commit()
        _checkpoint()
        assert _files_holding(old) and _files_holding(kept)  # where the test looks is right
    purge(app)
    with app.app_context():
        assert db.session.get(Question, kept_id).note == kept
        assert _files_holding(old) == []
        assert _files_holding(edited) == []  # the text a correction replaced went too
        assert _files_holding(kept)  # a note within the retention period is still there


def test_the_files_are_rewritten_only_after_a_purge_that_emptied_notes(org, app, monkeypatch):
    erased = []
    monkeypatch.setattr(retention, "erase_emptied_notes", lambda: erased.append(1))
    _note_question(app, "Terugbellen over de brief", days_old=10)
    _purge_from_the_command_line(app)
    assert erased == []  # nothing was old enough: saves are not held up for nothing
    _note_question(app, "Terugbellen over de aanslag", days_old=91)
    with app.app_context():
        retention.purge_old_notes()
        db.session.rollback()
    assert erased == []  # a purge that was rolled back emptied nothing
    _purge_from_the_command_line(app)
    assert erased == [1]


@pytest.mark.skipif(DB_KIND != "postgresql", reason="VACUUM FULL's table lock")
def test_a_long_read_of_the_table_does_not_hold_the_purge(org, app, monkeypatch, caplog):
    monkeypatch.setattr(retention, "LOCK_TIMEOUT", "100ms")
    question_id = _note_question(app, "Terugbellen over de aanslag", days_old=91)
    with app.app_context(), db.engine.connect() as report:
        report.exec_driver_sql("SELECT count(*) FROM question")  # its transaction stays open
        _purge_from_the_command_line(app)
        assert db.session.get(Question, question_id).note is None  # the purge itself stands
    assert "may still be readable in the database files" in caplog.text
    with app.app_context(), contextlib.ExitStack() as stack:
        pooled = [stack.enter_context(db.engine.connect()) for _ in range(3)]
        settings = {c.exec_driver_sql("SHOW lock_timeout").scalar() for c in pooled}
        assert settings == {"0"}  # saves on these connections wait for locks as before
