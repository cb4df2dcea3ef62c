"""A crash in the middle of an upgrade costs nothing: the next `init-db` finishes it.

Each migration runs in one transaction, on SQLite too, so a process killed halfway through
leaves the database as it was before that migration. A table copy that an older version left
behind when it was killed (`_alembic_tmp_<table>`) is removed before the upgrade.

A filled database at BEFORE (the revision before the history's first table copy) is upgraded
by `init-db` in a child process that kills itself with SIGKILL at a given statement; then
`init-db` runs again and the database must hold exactly what an upgrade without a crash gives.
"""

import itertools
import json
import multiprocessing
import os
import signal

import pytest
from sqlalchemy import MetaData, event, inspect, select, text
from sqlalchemy.engine import Engine

from ido import create_app
from ido.core.db import db
from ido.web.migrations import upgrade

from .conftest import DB_KIND, dispose, make_config
from .snapshots import SNAPSHOTS, load_tables

pytestmark = pytest.mark.slow  # upgrades in child processes that are killed
BEFORE = "5e2b7c1d9a40"
FILLED = "8a3f6d2e4b17"  # the oldest filled database; its rows, less the columns BEFORE lacks
COPY = "_alembic_tmp_"  # what alembic names the copy when SQLite alters a table
WRITTEN_NOW = {"national_form": "saved_at"}  # init-db stores the first form with its own time

# (statement holding this text, its n-th run, killed before or after it runs)
KILL_POINTS = [
    ("CREATE TABLE _alembic_tmp_agency", 1, "after"),  # the copy made, nothing in it yet
    ("INSERT INTO _alembic_tmp_agency", 1, "after"),  # the rows copied, the old table there
    ("ALTER TABLE _alembic_tmp_agency", 1, "after"),  # the copy renamed, not committed
    ("CREATE TABLE _alembic_tmp_agency", 3, "after"),  # a migration's second copy begun
    ("INSERT INTO _alembic_tmp_question", 1, "after"),  # three migrations done
    ("UPDATE agency SET library_id", 1, "after"),  # a migration's data step
    ("UPDATE alembic_version", 3, "before"),  # a migration done but not yet recorded
    ("question_id = ido_id_bytes", 1, "after"),  # ids half in 16 bytes (e5a2d7c3b819)
    ("INSERT INTO _alembic_tmp_question_help", 1, "after"),  # its last table's copy
    ("local_month = ido_day(local_month)", 4, "after"),  # moments as integers (b7e1c9d4a2f6)
    ("WITHOUT ROWID", 2, "after"),  # its second link table's copy made, without a rowid
]
SQLITE_ONLY = (COPY, "ido_", "WITHOUT ROWID")  # a table's copy, or values rewritten in place


@pytest.fixture(scope="module")
def upgraded(databases):
    """A template database at BEFORE holding rows, and what `init-db` makes of a copy of it."""
    app = create_app(make_config(databases.empty("template_crash")))
    with app.app_context():
        upgrade(revision=BEFORE)
        snapshot = json.loads((SNAPSHOTS / f"{FILLED}.json").read_text(encoding="utf-8"))
        columns = {name: set(t.c.keys()) for name, t in _reflected().tables.items()}
        load_tables(
            {
                name: [{k: v for k, v in row.items() if k in columns[name]} for row in rows]
                for name, rows in snapshot["tables"].items()
            }
        )
    dispose(app)
    url = databases.copy("crash")
    _init_db(url)
    return _content(url)


def _reflected() -> MetaData:
    reflected = MetaData()
    with db.engine.connect() as connection:
        reflected.reflect(connection)
    return reflected


def _init_db(url: str) -> str:
    """Run `init-db` in this process; return what it printed."""
    app = create_app(make_config(url))
    result = app.test_cli_runner().invoke(args=["init-db"])
    dispose(app)
    assert result.exit_code == 0, result.output
    return result.output


def _content(url: str) -> dict[str, list[tuple]]:
    """Every table's rows."""
    app = create_app(make_config(url))
    content = {}
    with app.app_context(), db.engine.connect() as connection:
        for name, table in _reflected().tables.items():
            columns = [c for c in table.columns if c.name != WRITTEN_NOW.get(name)]
            query = select(*columns).order_by(*(table.primary_key.columns or table.columns))
            content[name] = [tuple(row) for row in connection.execute(query)]
    dispose(app)
    return content


def _init_db_killed_at(url: str, pattern: str, nth: int, when: str) -> None:
    """In a child process: `init-db`, killed (SIGKILL) at the nth statement holding pattern."""
    runs = itertools.count(1)

    def kill(_connection, _cursor, statement, *_args) -> None:
        if pattern in statement and next(runs) == nth:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, f"{when}_cursor_execute", kill)
    create_app(make_config(url)).test_cli_runner().invoke(args=["init-db"])


def _tables(url: str) -> set[str]:
    app = create_app(make_config(url))
    with app.app_context(), db.engine.connect() as connection:
        found = set(inspect(connection).get_table_names())
    dispose(app)
    return found


@pytest.mark.parametrize(("pattern", "nth", "when"), KILL_POINTS)
def test_an_upgrade_killed_halfway_is_finished_by_the_next_init_db(
    databases, upgraded, pattern, nth, when
):
    if any(text in pattern for text in SQLITE_ONLY) and DB_KIND != "sqlite":
        pytest.skip("only SQLite copies a table to alter it, or rewrites ids and moments")
    url = databases.copy("crash")
    # fork: the app is imported already, so the child starts in milliseconds, not seconds
    child = multiprocessing.get_context("fork").Process(
        target=_init_db_killed_at, args=(url, pattern, nth, when)
    )
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL, "the kill point was never reached"
    assert not {t for t in _tables(url) if t.startswith(COPY)}, "a copy was left behind"
    _init_db(url)
    assert _content(url) == upgraded
    databases.drop(url)


def test_a_copy_left_by_an_older_version_is_removed(databases, upgraded):
    url = databases.copy("crash")
    app = create_app(make_config(url))
    with app.app_context():
        db.session.execute(text(f"CREATE TABLE {COPY}agency (id INTEGER PRIMARY KEY)"))
        db.session.commit()
    dispose(app)
    logged = _init_db(url)
    assert f"Removed the table {COPY}agency, left behind by an interrupted upgrade" in logged
    assert _content(url) == upgraded
    databases.drop(url)


def test_a_copy_without_its_table_stops_the_upgrade(databases):
    """The copy may then hold the only rows: it is left alone and the operator told why."""
    url = databases.copy("crash")
    app = create_app(make_config(url))
    with app.app_context():
        db.session.execute(text(f"CREATE TABLE {COPY}ghost (id INTEGER PRIMARY KEY)"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "ERROR" in line]
    assert errors == [
        f"ERROR [flask_migrate] Error: The database holds {COPY}ghost, a copy left behind by an "
        "interrupted upgrade, but no table ghost: restore the last backup "
        "(flask --app ido restore FILE --replace), then run init-db again."
    ]
    assert "Traceback" not in result.output
    assert f"{COPY}ghost" in _tables(url)
    dispose(app)
    databases.drop(url)
