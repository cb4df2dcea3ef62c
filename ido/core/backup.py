"""Backups that keep everything, and restores from them.

SQLite: the online backup API of SQLite itself copies a consistent snapshot while the app goes
on writing (in WAL mode readers and the copy never block the desks). The backup is itself a
SQLite database file.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, also while the app writes) and
`pg_restore`, from Debian's `postgresql-client`. The password, if the URL has one, goes to them
in the environment, never on a command line that `ps` shows.

Everything includes the notes, and the purge of old notes cannot reach a backup: backups must
be deleted before they are IDO_NOTE_RETENTION_DAYS old (README, Backups).
"""

import logging
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from ido.core.db import db
from ido.core.exceptions import ServiceError

log = logging.getLogger(__name__)
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(ServiceError):
    """A backup or restore that cannot be done, with the reason in plain words."""


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database at `url` to the file `target`."""
    database = make_url(url)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name.")
    if database.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_file(database), target)
    elif database.get_backend_name() == "postgresql":
        _run_pg("pg_dump", database, "--format=custom", "--no-owner", f"--file={target}")
    else:
        raise BackupError(f"Backups of {database.get_backend_name()} are not supported.")
    log.info("backup written to %s (%d bytes)", target, target.stat().st_size)


def restore(url: str, source: Path, replace: bool = False) -> None:
    """Fill the database at `url` from a backup file. A database that holds tables already is
    only overwritten with `replace`. Stop the app first: a restore replaces everything."""
    database = make_url(url)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    backend = database.get_backend_name()
    expected = {"sqlite": SQLITE_MAGIC, "postgresql": PG_DUMP_MAGIC}.get(backend)
    if expected is None:
        raise BackupError(f"Restores into {backend} are not supported.")
    if not head.startswith(expected):
        raise BackupError(
            f"{source} is not a backup of a {backend} database (made by `backup` on {backend})."
        )
    tables = inspect(db.engine).get_table_names()
    db.engine.dispose()  # no pooled connection may hold the old database open
    if tables and not replace:
        raise BackupError(
            f"The database holds {len(tables)} tables already; give --replace to overwrite it."
        )
    if backend == "sqlite":
        _sqlite_copy(source, _sqlite_file(database))
    else:
        clean = ["--clean", "--if-exists"] if tables else []
        _run_pg(
            "pg_restore",
            database,
            *clean,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(source),
            dbname_option=True,
        )
    log.info("database restored from %s", source)


def _sqlite_file(database: URL) -> Path:
    if not database.database or database.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent snapshot, page by page, of a live database."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _run_pg(program: str, database: URL, *args: str, dbname_option: bool = False) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is missing: install Debian's postgresql-client.")
    env = {**os.environ}
    if database.password:
        env["PGPASSWORD"] = str(database.password)
    address = database.set(drivername="postgresql", password=None)
    conninfo = address.render_as_string(hide_password=False)
    target = [f"--dbname={conninfo}"] if dbname_option else [conninfo]
    done = subprocess.run(
        [program, *args, *target], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-2000:]}")
