"""Column types shared by the models."""

import typing
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, LargeBinary, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; SQLite keeps no offset, so it is added back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a timezone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = date(1970, 1, 1).toordinal()
MICROSECOND = timedelta(microseconds=1)


class _IntegerOnSQLite(TypeDecorator[Any]):
    """A type kept as an INTEGER on SQLite, as its own type elsewhere."""

    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return super().load_dialect_impl(dialect)


class CompactDateTime(_IntegerOnSQLite, UTCDateTime):
    """A question's moments: on SQLite an INTEGER of microseconds since 1970-01-01 UTC (8 bytes
    where SQLAlchemy's text takes 26, in the question and three of its indexes); PostgreSQL
    keeps its own `timestamptz`. The same aware UTC datetime in Python, in the same order."""

    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return super().process_bind_param(value, dialect)
        return moment_number(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or dialect.name != "sqlite":
            return super().process_result_value(value, dialect)
        if isinstance(value, str):
            # text on SQLite: written before migration b7e1c9d4a2f6, read by a worker of the
            # new code that runs before `init-db` has migrated the database
            return super().process_result_value(datetime.fromisoformat(value), dialect)
        return EPOCH + int(value) * MICROSECOND


class CompactDate(_IntegerOnSQLite):
    """A question's local day and month: on SQLite an INTEGER of days since 1970-01-01 (2 bytes
    where SQLAlchemy's text takes 10, in the question, its indexes and every link row);
    PostgreSQL keeps its own `date`."""

    impl = Date
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return day_number(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        if value is None or dialect.name != "sqlite":
            return typing.cast(date | None, value)
        if isinstance(value, str):  # text written before migration b7e1c9d4a2f6
            return date.fromisoformat(value)
        return date.fromordinal(value + EPOCH_DAY)


def integers_only(*columns: str, nullable: tuple[str, ...] = ()) -> CheckConstraint:
    """On SQLite, a check that these compact columns hold integers (or NULL where `nullable`):
    a worker of an older version that still serves after the upgrade would write text, which
    no count or list finds, and is refused instead (its desk's script saves again later)."""
    checks = [f"typeof({c}) = 'integer'" for c in columns]
    checks += [f"typeof({c}) IN ('integer', 'null')" for c in nullable]
    return CheckConstraint(" AND ".join(checks), name="compact").ddl_if(dialect="sqlite")


def moment_number(value: datetime) -> int:
    """An aware datetime as CompactDateTime keeps it on SQLite."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; attach a timezone first")
    return (value - EPOCH) // MICROSECOND


def day_number(value: date) -> int:
    """A day as CompactDate keeps it on SQLite."""
    return value.toordinal() - EPOCH_DAY


def utcnow() -> datetime:
    """The current time, aware, in UTC (used as a callable column default)."""
    return datetime.now(UTC)


class CompactUuid(TypeDecorator[uuid.UUID]):
    """A UUID in 16 bytes: PostgreSQL's own `uuid`; on SQLite a 16-byte BLOB, where
    SQLAlchemy's `Uuid` keeps 32 hex characters (a question's id is stored in the question, its
    primary key, an index and every link row and its key: 150 MB of a million questions)."""

    impl = Uuid
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(LargeBinary(16))
        return super().load_dialect_impl(dialect)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        if dialect.name != "sqlite" or isinstance(value, str):
            # text on SQLite: an id written before migration e5a2d7c3b819, read by a worker
            # of the new code that runs before `init-db` has migrated the database
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        return uuid.UUID(bytes=bytes(value))
