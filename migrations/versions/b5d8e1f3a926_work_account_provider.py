"""work account provider

A library's OpenID Connect provider: its issuer, client id, the client secret sealed with a key
derived from SECRET_KEY, the e-mail domains it vouches for, the claim that says an address is
verified, and whether the library's people must sign in with it.

Revision ID: b5d8e1f3a926
Revises: a7c3e5f9b214
Create Date: 2026-12-07 13:08:18

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b5d8e1f3a926"
down_revision = "a7c3e5f9b214"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "work_account_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("client_secret_sealed", sa.Text(), nullable=False),
        sa.Column("domains", sa.String(length=1000), nullable=False),
        sa.Column("verified_claim", sa.String(length=40), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_id"], ["library.id"], name=op.f("fk_work_account_provider_library_id_library")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_account_provider")),
        sa.UniqueConstraint("library_id", name=op.f("uq_work_account_provider_library_id")),
    )


def downgrade():
    op.drop_table("work_account_provider")
