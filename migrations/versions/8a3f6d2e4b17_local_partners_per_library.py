"""local partners per library

A local partner (agency of kind 'partner') belongs to one library, whose coordinators manage
it; the shared agencies and the default partners keep no library (administrators manage them).
Partners a coordinator added are given to that coordinator's library, as the audit trail of
their creation records it.

Revision ID: 8a3f6d2e4b17
Revises: 5e2b7c1d9a40
Create Date: 2026-11-22 17:50:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "8a3f6d2e4b17"
down_revision = "5e2b7c1d9a40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(sa.Column("library_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_agency_library_id"), ["library_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_agency_library_id_library"), "library", ["library_id"], ["id"]
        )
    op.execute(
        "UPDATE agency SET library_id = ("
        " SELECT MIN(e.library_id) FROM audit_event e"
        " WHERE e.entity = 'category' AND e.action = 'create'"
        " AND e.entity_id = 'agency:' || agency.code AND e.library_id IS NOT NULL)"
        " WHERE kind = 'partner'"
    )


def downgrade():
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_agency_library_id_library"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_agency_library_id"))
        batch_op.drop_column("library_id")
