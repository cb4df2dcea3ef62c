"""quiet branch notice dismissed

A coordinator may dismiss the landing page's notice that a branch went quiet (on holiday,
say): the branch keeps the day of its last question at that moment, and the notice stays away
until a question of a later day arrives.

Revision ID: a2d6787b647c
Revises: f4b8d2a6c913
Create Date: 2026-12-07 13:40:27

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "a2d6787b647c"
down_revision = "f4b8d2a6c913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("branch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiet_dismissed_through", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("branch", schema=None) as batch_op:
        batch_op.drop_column("quiet_dismissed_through")
