"""audit events keep no note text

Question events used to copy the note: a create event its text, an update event its old and
new text. Notes are emptied after a while (purge-notes) and must leave no copy behind, so the
events now say only whether a note was given, or that it changed; this rewrites the older
events the same way. The text cannot come back, so the downgrade changes nothing.

Revision ID: c158317a8e68
Revises: d06d07f94e00
Create Date: 2026-11-22 17:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "c158317a8e68"
down_revision = "d06d07f94e00"
branch_labels = None
depends_on = None

AUDIT = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("entity", sa.String),
    sa.column("action", sa.String),
    sa.column("changes", sa.JSON),
)
BATCH = 5000


def scrubbed(action, changes):
    """The changes without note text (as ido.core.questions.audited writes them now)."""
    if not isinstance(changes, dict) or "note" not in changes:
        return None
    note = changes["note"]
    if action == "update":
        marker = "changed"
    else:
        marker = "given" if note else None
    if note == marker:
        return None
    return {**changes, "note": marker}


def upgrade():
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(AUDIT.c.id, AUDIT.c.action, AUDIT.c.changes)
            .where(AUDIT.c.entity == "question", AUDIT.c.id > last)
            .order_by(AUDIT.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        for event_id, action, changes in rows:
            clean = scrubbed(action, changes)
            if clean is not None:
                connection.execute(
                    AUDIT.update().where(AUDIT.c.id == event_id).values(changes=clean)
                )
        last = rows[-1][0]


def downgrade():
    pass  # the note text is gone for good, as it should be
