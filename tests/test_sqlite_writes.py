"""SQLite writes that wait their turn: a busy database makes a save wait (up to 30 s), never
fail, and a reading request holds no lock that would keep a desk's save waiting."""

import sqlite3
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from ido.core.db import SQLITE_BUSY_MS, db
from ido.core.models import Branch
from ido.core.organisation.tokens import create_token

from .conftest import DB_KIND, flask_run_serving
from .helpers import post_question, questions, user

sqlite_only = pytest.mark.skipif(DB_KIND != "sqlite", reason="SQLite's locking")


def _other_writer_waits(url: str) -> bool:
    """Whether another connection, waiting for nothing, finds the write lock taken."""
    other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    else:
        other.rollback()
    finally:
        other.close()
    return False


@sqlite_only
def test_the_write_lock_is_held_from_the_first_write_to_the_commit(org, app, database_url):
    with app.app_context():
        timeout = db.session.execute(db.text("PRAGMA busy_timeout")).scalar()
        assert timeout == SQLITE_BUSY_MS == 30_000
        db.session.scalar(db.select(Branch.id).limit(1))  # a read holds nothing
        assert not _other_writer_waits(database_url)
        db.session.execute(db.update(Branch).where(Branch.code == "a1").values(name="A"))
        assert _other_writer_waits(database_url)  # from the first write...
        db.session.commit()
        assert not _other_writer_waits(database_url)  # ...to the commit


def _many_saves(base_url: str, token: str, threads: int = 16, each: int = 100) -> Counter:
    ids = [str(uuid.uuid4()) for _ in range(threads * each)]
    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(lambda i: post_question(base_url, token, i), ids))


@pytest.mark.slow
@pytest.mark.untraced  # 1,600 saves over HTTP: test_api.py reaches each line
@sqlite_only
def test_sixteen_desks_saving_at_once_under_make_serve(gunicorn_url, app):
    """16 threads × 100 saves against gunicorn as `make serve` starts it: no 5xx, every
    question stored once."""
    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    assert _many_saves(gunicorn_url, token) == {201: 1600}
    with app.app_context():
        assert len(questions()) == 1600


@pytest.mark.slow
@pytest.mark.untraced  # as above
@sqlite_only
def test_sixteen_desks_saving_at_once_on_the_development_server(org, app, database_url):
    """The same against Flask's development server as `make run` starts it: one thread per
    request, all sixteen desks writing at once."""
    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    with flask_run_serving(database_url) as url:
        assert _many_saves(url, token) == {201: 1600}
    with app.app_context():
        assert len(questions()) == 1600
