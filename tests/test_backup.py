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


def test_a_backup_restores_over_the_revision_before_or_after_the_question_key(database, tmp_path):
    """Take a backup first, says the upgrade note: a backup from before a4c8e2f1b7d3 restores
    over the upgraded database, and one from after it over a database of the revision before,
    every question with its link rows (on PostgreSQL `restore --replace` drops the dump's
    constraints by name; the key's primary key is named apart from the id's)."""
    from ido.core.backup import backup, restore
    from ido.web.migrations import downgrade, upgrade

    from .conftest import build_org
    from .helpers import store_question

    before, after = "6e8effd95fd9", "a4c8e2f1b7d3"
    url = database("backup_across_revisions")
    app = create_app(make_config(url))
    with app.app_context():
        upgrade(revision=after)
        from ido.core.taxonomy import seed_categories

        seed_categories()
        build_org()
        store_question("a1", None, ["digid"], agencies=["svb"])
        db.session.commit()
        backup(url, tmp_path / "after.dump")
        downgrade(revision=before)
        backup(url, tmp_path / "before.dump")
        restore(url, tmp_path / "after.dump", replace=True)  # the newer one over the older
        links = db.session.execute(
            db.select(Question.topic_codes, func.count())
            .join(LINKS[0].table, LINKS[0].table.c.question_key == Question.key)
            .group_by(Question.topic_codes)
        ).all()
        assert links == [("digid", 1)]
        db.session.rollback()
        restore(url, tmp_path / "before.dump", replace=True)  # and the older over the newer
        with db.engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == before
            count = connection.exec_driver_sql("SELECT count(*) FROM question_topic")
            assert count.scalar() == 1
    dispose(app)
