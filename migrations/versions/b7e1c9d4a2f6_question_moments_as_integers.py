"""question moments and days as integers, link rows without a rowid

On SQLite a question's moments (asked, created, updated, deleted) were text of 26 characters
and its local day and month text of 10; they become integers: microseconds since 1970-01-01
UTC, and days since 1970-01-01 (ido/core/models/types.py, CompactDateTime and CompactDate).
The month in every link row too. The four link tables are then kept without a rowid (SQLite's
WITHOUT ROWID), in the order of their key, which is no longer stored a second time in an index
of its own. At a million questions the file went from 760 MB to 479 MB. PostgreSQL keeps its
own `timestamptz` and `date`: nothing changes there.

Revision ID: b7e1c9d4a2f6
Revises: e5a2d7c3b819
Create Date: 2026-12-07 23:55:00

"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e1c9d4a2f6"
down_revision = "e5a2d7c3b819"
branch_labels = None
depends_on = None

MOMENTS = ["asked_at", "created_at", "updated_at", "deleted_at"]
DAYS = ["local_date", "local_month"]
LINKS = ["question_topic", "question_agency", "question_referral", "question_help"]
# written out here, not imported: a migration must do what it did when it was written
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = date(1970, 1, 1).toordinal()
MICROSECOND = timedelta(microseconds=1)
# Checks that the moments and days hold integers: a worker of the older version that still
# serves after the upgrade would write text, which no count or list finds; it is refused.
QUESTION_CHECK = " AND ".join(
    [f"typeof({c}) = 'integer'" for c in ["asked_at", *DAYS, "created_at", "updated_at"]]
    + ["typeof(deleted_at) IN ('integer', 'null')"]
)
LINK_CHECK = "typeof(local_month) IN ('integer', 'null')"


def _moment(value):
    """SQLAlchemy's text of a UTC moment as microseconds since 1970; anything else as it is
    (a value written by the new code before this migration ran is an integer already)."""
    if isinstance(value, str):
        return (datetime.fromisoformat(value).replace(tzinfo=UTC) - EPOCH) // MICROSECOND
    return value


def _day(value):
    if isinstance(value, str):
        return date.fromisoformat(value).toordinal() - EPOCH_DAY
    return value


def _moment_text(value):
    if isinstance(value, int):
        moment = (EPOCH + value * MICROSECOND).replace(tzinfo=None)
        return moment.isoformat(" ", timespec="microseconds")
    return value


def _day_text(value):
    return date.fromordinal(value + EPOCH_DAY).isoformat() if isinstance(value, int) else value


def _functions(bind, **functions) -> None:
    for name, function in functions.items():
        bind.connection.driver_connection.create_function(name, 1, function, deterministic=True)


def _convert(moment: str, day: str) -> None:
    """Every moment and day of the questions and their link rows through the two functions."""
    assignments = [f"{c} = {moment}({c})" for c in MOMENTS] + [f"{c} = {day}({c})" for c in DAYS]
    op.execute(f"UPDATE question SET {', '.join(assignments)}")
    for table in LINKS:
        op.execute(f"UPDATE {table} SET local_month = {day}(local_month)")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    _functions(bind, ido_moment=_moment, ido_day=_day)
    # values first, then the declared types, by SQLite's copy of each table (SQLite keeps an
    # integer in a column declared DATETIME or DATE as it is)
    _convert("ido_moment", "ido_day")
    with op.batch_alter_table("question", schema=None) as batch_op:
        for column in MOMENTS:
            batch_op.alter_column(column, existing_type=sa.DateTime(), type_=sa.Integer())
        for column in DAYS:
            batch_op.alter_column(column, existing_type=sa.Date(), type_=sa.Integer())
        batch_op.create_check_constraint(op.f("ck_question_compact"), QUESTION_CHECK)
    for table in LINKS:
        with op.batch_alter_table(
            table, schema=None, recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ) as batch_op:
            batch_op.alter_column("local_month", existing_type=sa.Date(), type_=sa.Integer())
            batch_op.create_check_constraint(op.f(f"ck_{table}_compact"), LINK_CHECK)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    _functions(bind, ido_moment_text=_moment_text, ido_day_text=_day_text)
    # the declared types first (a copy keeps the integers), then the values as text
    for table in LINKS:
        with op.batch_alter_table(
            table, schema=None, recreate="always", table_kwargs={"sqlite_with_rowid": True}
        ) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_compact"), type_="check")
            batch_op.alter_column("local_month", existing_type=sa.Integer(), type_=sa.Date())
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_question_compact"), type_="check")
        for column in MOMENTS:
            batch_op.alter_column(column, existing_type=sa.Integer(), type_=sa.DateTime())
        for column in DAYS:
            batch_op.alter_column(column, existing_type=sa.Integer(), type_=sa.Date())
    _convert("ido_moment_text", "ido_day_text")
