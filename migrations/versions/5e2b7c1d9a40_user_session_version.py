"""user session version

Every log-in session keeps the user's session version beside the id; raising the version
(log-out, a new password, a role change, deactivation) ends all of the user's sessions.

Revision ID: 5e2b7c1d9a40
Revises: c158317a8e68
Create Date: 2026-11-22 17:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "5e2b7c1d9a40"
down_revision = "c158317a8e68"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
