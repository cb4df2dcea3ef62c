"""question ids in sixteen bytes

On SQLite a question's id was 32 hex characters (SQLAlchemy's `Uuid`); it becomes a 16-byte
BLOB, in the question and in the question_id of its four link tables (the id is also in the
question's primary key, an index and every link row's key). PostgreSQL's `uuid` is 16 bytes
already: nothing changes there.

Revision ID: e5a2d7c3b819
Revises: c4e8a1f6d253
Create Date: 2026-12-07 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a2d7c3b819"
down_revision = "c4e8a1f6d253"
branch_labels = None
depends_on = None

# (table, column holding a question's id); the question first, as the link rows point to it
COLUMNS = [
    ("question", "id"),
    ("question_topic", "question_id"),
    ("question_agency", "question_id"),
    ("question_referral", "question_id"),
    ("question_help", "question_id"),
]


def _as_bytes(value):
    """32 hex digits (dashes allowed) as 16 bytes; anything else as it is."""
    if isinstance(value, str):
        return bytes.fromhex(value.replace("-", ""))
    return value


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.connection.driver_connection.create_function(
        "ido_id_bytes", 1, _as_bytes, deterministic=True
    )
    # A worker of the new code that ran before this migration (a reload after `git pull`)
    # stored a resent question again, under its id in 16 bytes beside the same id as text:
    # the copy goes (with its link rows), the question first stored stays.
    again = "SELECT ido_id_bytes(id) FROM question WHERE typeof(id) = 'text'"
    for table, column in reversed(COLUMNS):
        op.execute(f"DELETE FROM {table} WHERE typeof({column}) = 'blob' AND {column} IN ({again})")
    for table, column in COLUMNS:
        # values first (only those still text: an upgrade killed halfway may have done some),
        # then the declared type, by SQLite's copy of the table
        op.execute(
            f"UPDATE {table} SET {column} = ido_id_bytes({column}) WHERE typeof({column}) = 'text'"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.CHAR(32), type_=sa.LargeBinary(16))


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} = lower(hex({column})) WHERE typeof({column}) = 'blob'"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.LargeBinary(16), type_=sa.CHAR(32))
