"""How the app sets up its database connections, on SQLite and on PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import text

from ido.core.db import db
from ido.core.models import Branch
from ido.core.reporting.counts import monthly_counts

from .conftest import DB_KIND


def test_connection_settings(counted):
    with counted.app_context():
        if db.engine.dialect.name == "sqlite":
            pragmas = {
                name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
            assert pragmas == {"journal_mode": "wal", "busy_timeout": 30_000, "foreign_keys": 1}
            return
        # A count run again and again is never prepared, so PostgreSQL plans it for its own
        # values each time (a generic plan for hundreds of branch ids is ten times slower).
        branches = list(db.session.scalars(db.select(Branch)))
        for _ in range(12):
            rows = monthly_counts(date(2026, 1, 1), date(2026, 12, 1), "topic", branches)
        assert sum(row.count for row in rows) == 7
        assert db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar() == 0


@pytest.mark.skipif(DB_KIND != "postgresql", reason="restarts the PostgreSQL server")
def test_a_database_restart_costs_no_request(databases, auth, client, app):
    """Pooled connections die with the server; each is tested before use (pool_pre_ping)."""
    auth.login("vol@a.example")
    assert client.get("/desk/").status_code == 200  # a pooled connection now exists
    databases.cluster.restart()
    assert client.get("/desk/").status_code == 200
