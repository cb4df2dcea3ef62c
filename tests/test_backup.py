"""Backups that keep everything: made while desks write, restored into a fresh database."""

import threading
import time
import uuid
from datetime import date

import pytest
from sqlalchemy import func

from ido import create_app
from ido.core.db import db
from ido.core.models import LINKS, Branch, Question
from ido.core.organisation.tokens import create_token
from ido.core.reporting.counts import DIMENSIONS, monthly_counts
from ido.core.timeutil import now_local

from .conftest import dispose, make_config
from .helpers import post_question, user, wait_until

pytestmark = pytest.mark.dialect  # backups: pg_dump and SQLite's copy


def _counts(app) -> dict:
    """Every dimension's monthly counts over this year and last at every branch, and the ids."""
    this = now_local().date()
    first, last = date(this.year - 1, 1, 1), date(this.year, 12, 1)
    with app.app_context():
        branches = list(db.session.scalars(db.select(Branch).order_by(Branch.id)))
        counts = {
            by: [
                (row.month, row.branch.code, getattr(row.key, "code", row.key), row.count)
                for row in monthly_counts(first, last, by, branches)
            ]
            for by in DIMENSIONS
        }
        ids = {str(i) for i in db.session.scalars(db.select(Question.id))}
        db.session.remove()
    return {"counts": counts, "ids": ids}


def _links_whole(app) -> None:
    """Each question has exactly the topic rows its topic codes name: no torn snapshot."""
    topics = LINKS[0]
    with app.app_context():
        column = topics.table.c.question_key
        rows = db.session.execute(
            db.select(Question.id, func.count())
            .join(topics.table, column == Question.key)
            .group_by(Question.id)
        ).all()
        links = {str(question_id): count for question_id, count in rows}
        codes = {
            str(q.id): len(q.topic_codes.split("|"))
            for q in db.session.scalars(db.select(Question))
        }
        db.session.remove()
    assert links == codes and len(codes) > 10


def test_a_backup_made_while_desks_write_keeps_every_acknowledged_entry(
    gunicorn_url, app, database, runner, tmp_path
):
    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    acknowledged: list[tuple[float, str]] = []
    stop = threading.Event()

    def desk(number: int) -> None:
        while not stop.is_set():
            question_id = str(uuid.uuid4())
            topics = ["digid", "toeslagen"][: 1 + number % 2]
            if post_question(gunicorn_url, token, question_id, topics=topics) == 201:
                acknowledged.append((time.monotonic(), question_id))

    desks = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
    for thread in desks:
        thread.start()
    wait_until(lambda: len(acknowledged) >= 20, "20 saves acknowledged", 30)
    during = tmp_path / "during.backup"
    started = time.monotonic()
    result = runner.invoke(args=["backup", str(during)])
    assert result.exit_code == 0, result.output
    saved_by_then = len(acknowledged)
    # the desks go on saving after the backup, too
    wait_until(lambda: len(acknowledged) >= saved_by_then + 5, "5 saves after the backup", 30)
    stop.set()
    for thread in desks:
        thread.join(30)
    before_backup = {qid for at, qid in acknowledged if at < started}
    assert len(before_backup) >= 20  # the desks were busy when the backup began

    restored = create_app(make_config(database("restored")))
    answer = restored.test_cli_runner().invoke(args=["restore", str(during)])
    assert answer.exit_code == 0, answer.output
    copy = _counts(restored)
    assert before_backup <= copy["ids"]  # nothing acknowledged before the backup is missing
    _links_whole(restored)

    # After the burst, a second backup restores to identical counts
    quiet = tmp_path / "quiet.backup"
    assert runner.invoke(args=["backup", str(quiet)]).exit_code == 0
    again = create_app(make_config(database("again")))
    assert again.test_cli_runner().invoke(args=["restore", str(quiet)]).exit_code == 0
    assert _counts(again) == _counts(app)
    assert {qid for _, qid in acknowledged} <= _counts(again)["ids"]
    dispose(restored)
    dispose(again)
