"""taxonomy version

One row whose number is raised with every change of the reference lists or of a branch's
desk choice, so that each worker's cached lists are renewed on its next request.

Revision ID: 3c9e1f7a5b20
Revises: 8a3f6d2e4b17
Create Date: 2026-11-22 19:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "3c9e1f7a5b20"
down_revision = "8a3f6d2e4b17"
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        "taxonomy_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_version")),
    )
    op.bulk_insert(version, [{"id": 1, "value": 1}])


def downgrade():
    op.drop_table("taxonomy_version")
