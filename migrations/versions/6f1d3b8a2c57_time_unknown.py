"""a question's time may be unknown

A question typed in from a paper tally sheet may have a day without a time: its local hour
is then NULL, and it is left out of the busy-hours figures only.

Revision ID: 6f1d3b8a2c57
Revises: 4d7a2c9e6f13
Create Date: 2026-11-22 23:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f1d3b8a2c57"
down_revision = "4d7a2c9e6f13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.alter_column("local_hour", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("UPDATE question SET local_hour = 12 WHERE local_hour IS NULL")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.alter_column("local_hour", existing_type=sa.Integer(), nullable=False)
