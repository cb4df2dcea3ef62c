"""The migration snapshots in tests/data/migrations/: a database's rows as they were at one
revision, loaded into a database migrated to that revision (made by tests/test_upgrades.py)."""

import uuid
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import MetaData, insert, text

from ido.core.db import db
from ido.core.models.types import day_number, moment_number

SNAPSHOTS = Path(__file__).parent / "data" / "migrations"


def load_tables(tables: dict[str, list[dict]]) -> None:
    """Make the tables, as they are at this revision (reflected, not the models), hold
    exactly the rows, then move PostgreSQL's id sequences past them."""
    with db.engine.begin() as connection:
        reflected = MetaData()
        reflected.reflect(connection)
        for name in reversed(tables):  # what the migrations wrote (seed rows) gives way
            connection.execute(reflected.tables[name].delete())
        for name, rows in tables.items():
            table = reflected.tables[name]
            if rows:
                connection.execute(insert(table), [decoded(table, row) for row in rows])
            # the integer id of most tables, and the question's key (since a4c8e2f1b7d3)
            for column in ("id", "key"):
                serial = rows and isinstance(rows[0].get(column), int)
                if connection.dialect.name == "postgresql" and serial:
                    sequence = f"pg_get_serial_sequence('\"{name}\"', '{column}')"
                    connection.execute(
                        text(f'SELECT setval({sequence}, (SELECT max("{column}") FROM "{name}"))')
                    )


def decoded(table, row: dict) -> dict:
    """A snapshot row's values as the column types take them (JSON holds them as text)."""
    values = {}
    for name, value in row.items():
        column = table.c[name]
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = object
        if value is not None and kind is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and kind is date:
            value = date.fromisoformat(value)
        elif value is not None and kind is time:
            value = time.fromisoformat(value)
        elif value is not None and kind is uuid.UUID:
            value = uuid.UUID(value)
        elif isinstance(value, str) and kind is bytes:  # a question id on SQLite: 16 bytes
            value = uuid.UUID(value).bytes
        elif isinstance(value, str) and kind is int:
            # a question's moment or day on SQLite since b7e1c9d4a2f6: an integer
            value = (
                day_number(date.fromisoformat(value))
                if len(value) == len("2026-01-01")
                else moment_number(datetime.fromisoformat(value))
            )
        elif isinstance(value, str) and getattr(column.type, "length", None) == 32:
            # a question id on SQLite before e5a2d7c3b819: 32 hex digits, as `Uuid` wrote it
            value = uuid.UUID(value).hex
        values[name] = value
    return values
