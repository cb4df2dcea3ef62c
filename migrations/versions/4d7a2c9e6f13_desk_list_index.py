"""desk list index

The desk's list of today reads the latest questions of a branch and day from one index in
order of asking, instead of reading and sorting all of that day's questions.

Revision ID: 4d7a2c9e6f13
Revises: 3c9e1f7a5b20
Create Date: 2026-11-22 21:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "4d7a2c9e6f13"
down_revision = "3c9e1f7a5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_branch_day",
            ["branch_id", "local_date", "asked_at", "created_at"],
            unique=False,
        )
        batch_op.drop_index("ix_question_branch_date")


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_branch_date", ["branch_id", "local_date"], unique=False
        )
        batch_op.drop_index("ix_question_branch_day")
