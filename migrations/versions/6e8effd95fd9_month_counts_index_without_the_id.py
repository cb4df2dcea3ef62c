"""the month index without the question's id

`ix_question_month_counts` ended with the question's id, for a raw export that once walked
questions in the index's order; the raw export now reads the month in order of asking (its own
index) and no count reads the id. At a million questions that was 16 bytes a question: 17 MB
of the SQLite file.

Revision ID: 6e8effd95fd9
Revises: b7e1c9d4a2f6
Create Date: 2026-12-08 00:25:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "6e8effd95fd9"
down_revision = "b7e1c9d4a2f6"
branch_labels = None
depends_on = None

NAME = "ix_question_month_counts"
COLUMNS = [
    "local_month",
    "branch_id",
    "channel_id",
    "outcome_id",
    "deleted_at",
    "duration_minutes",
    "local_weekday",
    "local_hour",
]


def upgrade():
    op.drop_index(NAME, table_name="question")
    op.create_index(NAME, "question", COLUMNS, unique=False)


def downgrade():
    op.drop_index(NAME, table_name="question")
    op.create_index(NAME, "question", [*COLUMNS, "id"], unique=False)
