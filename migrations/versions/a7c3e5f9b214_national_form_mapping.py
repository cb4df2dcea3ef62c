"""the national form's mapping as versions an administrator saves

Which line of the national IDO form each topic and channel goes to, the referral lines and
the duration bands: one row per saved version, applying from its month on. `flask init-db`
stores the built-in mapping as the first version (from April 2024).

Revision ID: a7c3e5f9b214
Revises: 9b4e2f6a1d38
Create Date: 2026-11-23 02:00:00

"""
import sqlalchemy as sa
from alembic import op

import ido.core.models.types

# revision identifiers, used by Alembic.
revision = "a7c3e5f9b214"
down_revision = "9b4e2f6a1d38"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "national_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("saved_at", ido.core.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["user.id"],
            name=op.f("fk_national_form_saved_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_form")),
    )
    with op.batch_alter_table("national_form", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_national_form_valid_from"), ["valid_from"])


def downgrade():
    with op.batch_alter_table("national_form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_national_form_valid_from"))
    op.drop_table("national_form")
