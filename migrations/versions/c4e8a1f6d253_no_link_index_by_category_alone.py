"""no link index by category alone

The link tables (a question's topics, agencies, referrals and help) lose their index on the
category alone: every query reads them by question (their primary key) or by month, branch
and category (their counts index), and categories are never deleted (they are made
inactive). At a million questions on SQLite this was 40 MB of the file, and every save
wrote one more index page per link table.

Revision ID: c4e8a1f6d253
Revises: a7e2c5d9f104
Create Date: 2026-12-07 21:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1f6d253"
down_revision = "a7e2c5d9f104"
branch_labels = None
depends_on = None

# (link table, category column)
LINKS = [
    ("question_topic", "topic_id"),
    ("question_agency", "agency_id"),
    ("question_referral", "agency_id"),
    ("question_help", "help_id"),
]


def upgrade():
    for table, column in LINKS:
        op.drop_index(f"ix_{table}_{column}", table_name=table, if_exists=True)


def downgrade():
    for table, column in LINKS:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
