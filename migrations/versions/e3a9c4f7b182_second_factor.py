"""second factor

A person's authenticator app (its TOTP secret sealed with a key derived from SECRET_KEY, and the
last time step whose code was taken) and their single-use recovery codes (SHA-256 only).
Administrators must use a second factor by default (IDO_REQUIRE_2FA): their sessions made with
the password alone end, so that their next log-in asks for it.

Revision ID: e3a9c4f7b182
Revises: b5d8e1f3a926
Create Date: 2026-12-07 14:00:00

"""
from alembic import op
import sqlalchemy as sa

import ido.core.models.types

# revision identifiers, used by Alembic.
revision = "e3a9c4f7b182"
down_revision = "b5d8e1f3a926"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "second_factor",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", ido.core.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_second_factor_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_second_factor")),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", ido.core.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", ido.core.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_recovery_code_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"])
    user = sa.table("user", sa.column("role", sa.String), sa.column("session_version", sa.Integer))
    op.execute(
        user.update()
        .where(user.c.role == "admin")
        .values(session_version=user.c.session_version + 1)
    )


def downgrade():
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_user_id"))
    op.drop_table("recovery_code")
    op.drop_table("second_factor")
