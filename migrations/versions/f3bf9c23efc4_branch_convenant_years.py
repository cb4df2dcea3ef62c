"""branch convenant years

The years a branch takes part in the Belastingdienst/Toeslagen convenant (a library signs up
per branch): the activities report holds a branch signed up for a year to the minimum, also
while it has planned nothing. A branch that holds convenant activities in a year (how the
report told until now) is signed up for that year, so no report changes on the upgrade.

Revision ID: f3bf9c23efc4
Revises: a2d6787b647c
Create Date: 2026-12-07 13:58:51

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "f3bf9c23efc4"
down_revision = "a2d6787b647c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "branch_convenant_year",
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branch.id"],
            name=op.f("fk_branch_convenant_year_branch_id_branch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("branch_id", "year", name=op.f("pk_branch_convenant_year")),
    )
    if op.get_bind().dialect.name == "sqlite":
        year = "CAST(strftime('%Y', s.day) AS INTEGER)"
    else:
        year = "CAST(EXTRACT(YEAR FROM s.day) AS INTEGER)"
    op.execute(
        "INSERT INTO branch_convenant_year (branch_id, year) "
        f"SELECT DISTINCT s.branch_id, {year} FROM activity_session s "
        "JOIN activity a ON a.id = s.activity_id WHERE a.convenant AND NOT s.cancelled"
    )


def downgrade():
    op.drop_table("branch_convenant_year")
