"""contact details and the outcome Afspraak gemaakt bij

The public contact details of agencies and partners (website, telephone, address, times, what
to bring) for the desk's referral slip: shared ones (library empty) and a library's own. And
the outcome "Afspraak gemaakt bij …" (a booked handover), added to an instance that has its
outcomes already (a fresh one gets it from init-db's defaults).

Revision ID: f4b8d2a6c913
Revises: 54165e38af09
Create Date: 2026-12-14 10:00:00

"""

from alembic import op
import sqlalchemy as sa

import ido.core.models.types

# revision identifiers, used by Alembic.
revision = "f4b8d2a6c913"
down_revision = "54165e38af09"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agency_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("hours", sa.String(length=500), nullable=False),
        sa.Column("bring", sa.String(length=300), nullable=False),
        sa.Column("updated_at", ido.core.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_agency_contact_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["library.id"],
            name=op.f("fk_agency_contact_library_id_library"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_contact")),
        sa.UniqueConstraint("agency_id", "library_id", name=op.f("uq_agency_contact_agency_id")),
    )
    with op.batch_alter_table("agency_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_contact_agency_id"), ["agency_id"])
        batch_op.create_index(batch_op.f("ix_agency_contact_library_id"), ["library_id"])
        batch_op.create_index(batch_op.f("ix_agency_contact_phone_e164"), ["phone_e164"])
    op.execute(
        sa.text(
            "INSERT INTO outcome (code, name_nl, name_en, position, active) "
            "SELECT 'afspraak', :nl, :en, COALESCE(MAX(position), 0) + 10, :on FROM outcome "
            "HAVING COUNT(*) > 0 AND SUM(CASE WHEN code = 'afspraak' THEN 1 ELSE 0 END) = 0"
        ).bindparams(nl="Afspraak gemaakt bij …", en="Appointment made with …", on=True)
    )
    op.execute("UPDATE taxonomy_version SET value = value + 1")


def downgrade():
    with op.batch_alter_table("agency_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_contact_phone_e164"))
        batch_op.drop_index(batch_op.f("ix_agency_contact_library_id"))
        batch_op.drop_index(batch_op.f("ix_agency_contact_agency_id"))
    op.drop_table("agency_contact")
