"""agencies of the Netwerk van Publieke Dienstverleners, with a level

The agencies the KB and the libraries work with are now named the Netwerk van Publieke
Dienstverleners (npd): the Manifestgroep's members plus Huurcommissie, LBIO, RDW and Raad voor
Rechtsbijstand. Each agency also gets a level (rijk, uitvoering, gemeente, provincie, overig)
for the national form's government section.

Revision ID: 9b4e2f6a1d38
Revises: 6f1d3b8a2c57
Create Date: 2026-11-23 00:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b4e2f6a1d38"
down_revision = "6f1d3b8a2c57"
branch_labels = None
depends_on = None

JOINED = ("huurcommissie", "lbio", "rdw", "rvr")  # in the network since it was renamed
LEVELS = {
    "uitvoering": (
        "belastingdienst", "toeslagen", "cak", "cbr", "ciz", "cjib", "duo", "svb", "uwv",
        "huurcommissie", "lbio", "rdw", "rvr", "ind",
    ),
    "rijk": ("logius",),
    "gemeente": ("gemeente",),
}


def _codes(codes):
    return ", ".join(f"'{code}'" for code in codes)


def upgrade():
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_agency_kind"), type_="check")
        batch_op.add_column(
            sa.Column("level", sa.String(length=20), server_default="overig", nullable=False)
        )
    op.execute("UPDATE agency SET kind = 'npd' WHERE kind = 'manifestgroep'")
    op.execute(
        f"UPDATE agency SET kind = 'npd' WHERE code IN ({_codes(JOINED)}) "
        "AND library_id IS NULL AND kind = 'government'"
    )
    for level, codes in LEVELS.items():
        op.execute(
            f"UPDATE agency SET level = '{level}' WHERE code IN ({_codes(codes)}) "
            "AND library_id IS NULL"
        )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_agency_kind"), "kind IN ('npd', 'government', 'partner')"
        )
        batch_op.create_check_constraint(
            op.f("ck_agency_level"),
            "level IN ('rijk', 'uitvoering', 'gemeente', 'provincie', 'overig')",
        )


def downgrade():
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_agency_level"), type_="check")
        batch_op.drop_constraint(op.f("ck_agency_kind"), type_="check")
        batch_op.drop_column("level")
    op.execute(f"UPDATE agency SET kind = 'government' WHERE code IN ({_codes(JOINED)})")
    op.execute("UPDATE agency SET kind = 'manifestgroep' WHERE kind = 'npd'")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_agency_kind"), "kind IN ('manifestgroep', 'government', 'partner')"
        )
