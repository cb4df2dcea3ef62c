"""The database: one SQLAlchemy object, created unbound and attached in the application factory."""

import sqlite3
import sys

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import (
    DeclarativeBase,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
)
from sqlalchemy.pool import ConnectionPoolEntry

# One naming convention so that migrations name constraints alike on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The two drivers the connection settings below are made for.
DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
EXAMPLE_URLS = "sqlite:////path/to/ido.sqlite or postgresql://user:password@host/name"


def database_url(configured: str | URL) -> str | URL:
    """The configured database URL, with `postgres://` and `postgresql://` (what hosts hand
    out) pointed at psycopg 3; raises ValueError, with a one-line reason, for any other."""
    try:
        url = make_url(configured)
    except ArgumentError:  # the message never repeats the URL: it may hold a password
        raise ValueError(
            f"The database URL (SQLALCHEMY_DATABASE_URI) cannot be read; expected {EXAMPLE_URLS}."
        ) from None
    if url.drivername in ("postgres", "postgresql"):
        if isinstance(configured, URL):
            return url.set(drivername="postgresql+psycopg")
        # by text, so that the rest (an escaped password, the options) stays exactly as given
        return "postgresql+psycopg://" + str(configured).partition("://")[2]
    if url.drivername not in DRIVERS:
        raise ValueError(
            f"The database URL (SQLALCHEMY_DATABASE_URI) begins with {url.drivername}://, "
            f"which IDO Logboek does not use; expected {EXAMPLE_URLS}."
        )
    return configured


def one_line(error: BaseException) -> str:
    """A database error's own message (the driver's, not SQLAlchemy's wrapping) on one line."""
    reason = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    return " ".join(str(reason).split())


def connection_problem() -> str | None:
    """Why the database cannot be opened, in one line for the operator; None when it can."""
    try:
        with db.engine.connect():
            pass
    except DBAPIError as error:
        where = db.engine.url.render_as_string(hide_password=True)
        hint = ""
        if db.engine.dialect.name == "sqlite":
            hint = " (does its folder exist, may this user write there, is it an SQLite file?)"
        return f"Cannot open the database {where}: {one_line(error)}{hint}"
    return None


SQLITE_BUSY_MS = 30_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """WAL, a busy timeout and foreign keys for SQLite, so several desks can write at once;
    secure_delete, so that text that is emptied or replaced is zeroed in the file."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # A write waits up to 30 s for its turn. SQLite's busy handler polls rather than queues,
    # so under many writers at once an unlucky one can keep missing its turn until the timeout.
    # Reads run outside a transaction until the first write (pysqlite's default), so the write
    # lock is held from the first write to the commit only, and no transaction reads first and
    # then cannot wait to write. (Taking the lock when a writing request began, BEGIN
    # IMMEDIATE, held it for the whole request: 16 desks saving without pause on the
    # development server then lost 1 to 14 of 1,600 saves with a 5 s timeout.) Readers never
    # wait (WAL).
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Without it an emptied note stays readable in the page's free space: 364 of 500 purged
    # notes were still in the file after a checkpoint. Debian builds SQLite with it on; SQLite's
    # own default is off. See ido.core.retention.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_custom_plans(
    # object: psycopg's Connection does not match SQLAlchemy's DBAPIConnection protocol
    dbapi_connection: object,
    _record: ConnectionPoolEntry,
) -> None:
    """No prepared statements on PostgreSQL, so each query gets a plan for its own values.

    psycopg prepares a query after its fifth run, and after five more PostgreSQL may switch
    to a generic plan: for a year of counts over 700 branches (`branch_id = ANY(...)`) that
    took 2 s instead of 0.2 s. This also keeps the app working behind a PgBouncer that pools
    transactions.
    """
    # psycopg is imported by SQLAlchemy's dialect only when PostgreSQL is used
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.prepare_threshold = None


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: UOWTransaction) -> None:
    session.info["flushed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE sent through the session without its unit of work (a
    question's row and links, an audit event) writes as a flush does."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["flushed"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_flush(session: Session, transaction: SessionTransaction) -> None:
    """The transaction's writes end with it, committed or rolled back. A savepoint's end
    leaves them: what the transaction around it wrote is still to be committed (SQLAlchemy
    calls `after_commit` for a savepoint's release too, which once made a request with
    savepoints skip its commit)."""
    if transaction.parent is None:
        session.info.pop("flushed", None)


def has_writes() -> bool:
    """Whether the current transaction wrote (or is about to write) anything."""
    session = db.session
    return bool(session.info.get("flushed") or session.new or session.dirty or session.deleted)
