"""covering indexes for the dashboard

The desk's day index also holds `deleted_at`, so that the quiet branches' questions per day
are read from it alone; the month index also holds the minutes, weekday and hour, so that the
dashboard's totals and its channel, outcome, weekday and hour figures are too. A year of 700
branches' dashboard on SQLite: 2.4 s -> 1.2 s (with the other changes of the same commit).

Revision ID: a7e2c5d9f104
Revises: f3bf9c23efc4
Create Date: 2026-12-07 16:15:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7e2c5d9f104"
down_revision = "f3bf9c23efc4"
branch_labels = None
depends_on = None

DESK_DAY = ["branch_id", "local_date", "deleted_at", "asked_at", "created_at"]
MONTH_COUNTS = [
    "local_month",
    "branch_id",
    "channel_id",
    "outcome_id",
    "deleted_at",
    "duration_minutes",
    "local_weekday",
    "local_hour",
    "id",
]


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index("ix_question_desk_day", DESK_DAY, unique=False)
        batch_op.drop_index("ix_question_branch_day")
        batch_op.create_index("ix_question_month_counts", MONTH_COUNTS, unique=False)
        batch_op.drop_index("ix_question_month_branch")


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_month_branch",
            ["local_month", "branch_id", "channel_id", "outcome_id", "deleted_at", "id"],
            unique=False,
        )
        batch_op.drop_index("ix_question_month_counts")
        batch_op.create_index(
            "ix_question_branch_day",
            ["branch_id", "local_date", "asked_at", "created_at"],
            unique=False,
        )
        batch_op.drop_index("ix_question_desk_day")
