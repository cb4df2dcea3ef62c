"""The question's compact column types (ido/core/models/types.py): the same values in Python on
both databases, and on SQLite integers where SQLAlchemy would write text."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ido.core.db import db
from ido.core.models import LINKS, Question
from ido.core.models.types import CompactDate, CompactDateTime, day_number, moment_number, utcnow
from ido.core.timeutil import LOCAL_TZ

from .conftest import DB_KIND
from .helpers import store_question

pytestmark = pytest.mark.dialect

# a moment with microseconds, one in summer time, one before 1970 and one far ahead
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 7, 1, 10, 0, 0, 1, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2199, 1, 1, tzinfo=UTC),
]
DAYS = [date(1970, 1, 1), date(1969, 12, 31), date(2026, 2, 28), date(2400, 2, 29)]


def test_moments_and_days_go_to_the_database_and_back_unchanged(app):
    with app.app_context():
        for moment in MOMENTS:
            echoed = select(bindparam("v", moment, type_=CompactDateTime()))
            assert db.session.scalar(echoed) == moment
        for day in DAYS:
            assert db.session.scalar(select(bindparam("v", day, type_=CompactDate()))) == day


def test_questions_keep_their_moments_and_days_in_order(org, app):
    now = utcnow().replace(microsecond=123456)
    moments = [now - timedelta(hours=30), now - timedelta(minutes=1, microseconds=1), now]
    with app.app_context():
        ids = [store_question("a1", moment, ["digid"], referrals=["uwv"]).id for moment in moments]
        db.session.commit()
        db.session.expire_all()
        for question_id, moment in zip(ids, moments, strict=True):
            question = db.session.get(Question, question_id)
            assert question.asked_at == moment and question.created_at.tzinfo is not None
            assert question.local_date == moment.astimezone(LOCAL_TZ).date()
            assert question.local_month == question.local_date.replace(day=1)
        ordered = db.session.scalars(select(Question.asked_at).order_by(Question.asked_at.desc()))
        assert list(ordered) == sorted(moments, reverse=True)
        later = select(Question.id).where(
            Question.asked_at > moments[1] - timedelta(microseconds=1)
        )
        assert set(db.session.scalars(later)) == set(ids[1:])
        today = select(Question.id).where(
            Question.local_date == moments[2].astimezone(LOCAL_TZ).date()
        )
        assert ids[2] in set(db.session.scalars(today))


def test_a_moment_without_a_time_zone_is_refused():
    naive = datetime(2026, 7, 1, 10)
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        with pytest.raises(ValueError, match="naive datetimes"):
            CompactDateTime().process_bind_param(naive, dialect)


@pytest.mark.skipif(DB_KIND != "sqlite", reason="PostgreSQL keeps timestamptz and date")
def test_sqlite_keeps_integers_and_link_rows_without_a_rowid(org, app):
    with app.app_context():
        store_question("a1", MOMENTS[1], ["digid"], referrals=["uwv"])
        db.session.commit()
        kinds = db.session.execute(
            text(
                "SELECT typeof(asked_at), typeof(local_date), typeof(local_month),"
                " typeof(created_at), asked_at, local_date FROM question"
            )
        ).one()
        assert kinds[:4] == ("integer",) * 4
        assert kinds[4] == moment_number(MOMENTS[1]) == 1782900000000001
        assert kinds[5] == day_number(date(2026, 7, 1)) == (date(2026, 7, 1) - DAYS[0]).days
        for link in LINKS:
            schema = db.session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": link.table.name}
            )
            assert schema.rstrip().endswith("WITHOUT ROWID"), link.table.name
        month = db.session.scalar(text("SELECT DISTINCT typeof(local_month) FROM question_topic"))
        assert month == "integer"


@pytest.mark.skipif(DB_KIND != "sqlite", reason="PostgreSQL keeps timestamptz and date")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE question SET asked_at = '2026-07-01 10:00:00.000001'",
        "UPDATE question SET local_date = '2026-07-01'",
        "UPDATE question SET deleted_at = '2026-07-01 10:00:00.000001'",
        "UPDATE question_topic SET local_month = '2026-07-01'",
    ],
)
def test_text_written_after_the_upgrade_is_refused(org, app, statement):
    """A worker of the older version that still serves after `init-db` (b7e1c9d4a2f6) would
    write text, which no count or list finds: SQLite refuses it, and nothing changes."""
    with app.app_context():
        store_question("a1", MOMENTS[1], ["digid"])
        db.session.commit()
        with pytest.raises(IntegrityError, match="CHECK constraint failed"):
            db.session.execute(text(statement))
        db.session.rollback()
        again = db.session.scalars(select(Question)).one()
        assert again.asked_at == MOMENTS[1] and again.deleted_at is None


@pytest.mark.skipif(DB_KIND != "sqlite", reason="PostgreSQL keeps timestamptz and date")
def test_text_from_before_the_upgrade_is_still_read(org, app):
    """A worker of the new code that runs before `init-db` has migrated (b7e1c9d4a2f6) reads
    the moments and days an older version wrote as text."""
    with app.app_context():
        question = store_question("a1", MOMENTS[0], ["digid"])
        db.session.commit()
        # as the database was before the upgrade: no check that the values are integers
        db.session.execute(text("PRAGMA ignore_check_constraints = ON"))
        db.session.execute(
            text(
                "UPDATE question SET asked_at = '2026-03-29 00:59:59.999999',"
                " local_date = '2026-03-29', local_month = '2026-03-01'"
            )
        )
        db.session.execute(text("PRAGMA ignore_check_constraints = OFF"))
        db.session.commit()
        db.session.expire_all()
        again = db.session.get(Question, question.id)
        assert again.asked_at == MOMENTS[0]
        assert (again.local_date, again.local_month) == (date(2026, 3, 29), date(2026, 3, 1))
