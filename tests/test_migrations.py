"""The migrations, run on an empty database, give exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from ido import create_app
from ido.core.db import db
from ido.web.migrations import downgrade, upgrade

from .conftest import DB_KIND, dispose, make_config


def test_migrations_from_empty_match_the_models(database):
    app = create_app(make_config(database("ido_migrations")))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        if db.engine.dialect.name == "sqlite":  # the migrations' settings stayed with them
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            driver = db.session.connection().connection.dbapi_connection
            assert driver.isolation_level == ""  # pysqlite's own transactions for the app
            db.session.rollback()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
    dispose(app)


def _sqlite_schema(table: str) -> str:
    return db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table})


def test_the_compact_moments_come_and_go_with_their_checks_and_rowids(database):
    """What autogenerate's comparison does not see: b7e1c9d4a2f6 keeps the link tables without
    a rowid and checks that the moments and days are integers; its downgrade undoes both."""
    if DB_KIND != "sqlite":
        pytest.skip("PostgreSQL keeps timestamptz and date, and its rows have no rowid")
    app = create_app(make_config(database("ido_compact")))
    with app.app_context():
        upgrade()
        made = {name: _sqlite_schema(name) for name in ("question", "question_topic")}
        assert "ck_question_compact" in made["question"]
        assert "ck_question_topic_compact" in made["question_topic"]
        assert made["question_topic"].rstrip().endswith("WITHOUT ROWID")
        db.session.rollback()
        downgrade(revision="e5a2d7c3b819")
        for name in ("question", "question_topic"):
            assert "compact" not in _sqlite_schema(name) and "ROWID" not in _sqlite_schema(name)
        db.session.rollback()
    dispose(app)


def test_the_code_copies_are_filled_for_questions_stored_before_them(database):
    from datetime import UTC, datetime

    from ido.core.models import Question
    from ido.core.organisation import create_branch, create_library, create_user
    from ido.core.taxonomy import seed_categories

    from .conftest import PASSWORD
    from .helpers import store_question

    app = create_app(make_config(database("ido_copies")))
    with app.app_context():
        upgrade()
        seed_categories()
        create_library("lib-a", "Bibliotheek A")
        create_branch("a1", "A Centrum", "lib-a", "Astad")
        create_user("vol2@a.example", "Vrijwilliger", "volunteer", PASSWORD, "lib-a", ("a1",))
        at = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
        store_question(
            "a1",
            at,
            ["zorg", "digid_app"],
            referrals=["uwv"],
            agencies=["svb", "duo"],
            help=["uitleg"],
        )
        store_question("a1", at, ["zorg"])

        def copies():
            db.session.expire_all()
            return sorted(
                (q.topic_codes, q.agency_codes, q.referral_codes, q.help_codes)
                for q in db.session.scalars(db.select(Question))
            )

        stored = copies()
        assert stored == [
            ("digid|digid_app|zorg", "duo|svb", "uwv", "uitleg"),
            ("zorg", "", "", ""),
        ]
        db.session.commit()
        downgrade(revision="07c4eaa5e320")  # the schema before the copies, links kept
        upgrade()
        assert copies() == stored
    dispose(app)


def test_older_audit_events_lose_their_note_text(database):
    """Events written before notes stopped being copied are scrubbed by the migration."""
    from sqlalchemy import text

    app = create_app(make_config(database("ido_scrub")))
    with app.app_context():
        upgrade(revision="d06d07f94e00")
        insert = text(
            "INSERT INTO audit_event (at, action, entity, entity_id, changes) "
            "VALUES ('2026-01-05 10:00:00', :action, :entity, '1', :changes)"
        )
        for action, entity, changes in [
            ("create", "question", '{"topics": ["digid"], "note": "Bel meneer terug"}'),
            ("create", "question", '{"topics": ["zorg"], "note": null}'),
            ("update", "question", '{"note": ["Bel meneer terug", "Brief gestuurd"]}'),
            ("update", "user", '{"name": ["Oud", "Nieuw"]}'),
        ]:
            db.session.execute(insert, {"action": action, "entity": entity, "changes": changes})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT changes FROM audit_event ORDER BY id")).all()
        import json

        changes = [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in rows]
        assert changes == [
            {"topics": ["digid"], "note": "given"},
            {"topics": ["zorg"], "note": None},
            {"note": "changed"},
            {"name": ["Oud", "Nieuw"]},
        ]
    dispose(app)


def test_partners_a_coordinator_added_go_to_that_library(database):
    from sqlalchemy import text

    app = create_app(make_config(database("ido_partners")))
    with app.app_context():
        upgrade(revision="5e2b7c1d9a40")
        db.session.execute(
            text("INSERT INTO library (id, code, name, active) VALUES (7, 'lib-x', 'X', true)")
        )
        for code in ("eigen_partner", "taalhuis"):
            db.session.execute(
                text(
                    "INSERT INTO agency (code, name_nl, name_en, position, active, kind) "
                    "VALUES (:code, :code, :code, 0, true, 'partner')"
                ),
                {"code": code},
            )
        db.session.execute(
            text(
                "INSERT INTO audit_event (at, action, entity, entity_id, library_id, changes) "
                "VALUES ('2026-01-05 10:00:00', 'create', 'category', 'agency:eigen_partner', 7, "
                "'{}')"
            )
        )
        db.session.commit()
        upgrade()
        owners = dict(db.session.execute(text("SELECT code, library_id FROM agency")).all())
        assert owners == {"eigen_partner": 7, "taalhuis": None}
    dispose(app)


def test_the_indexes_on_who_logged_a_question_hold_only_the_questions_it_names(database):
    """a4c8e2f1b7d3: a question has a person or a desk tablet who logged it, so each of the two
    indexes keeps only the questions that have one (what autogenerate does not compare)."""
    app = create_app(make_config(database("ido_who_logged")))
    with app.app_context():
        upgrade()
        indexes = {i["name"]: i for i in db.inspect(db.engine).get_indexes("question")}
        for column in ("logged_by_id", "device_id"):
            options = indexes[f"ix_question_{column}"]["dialect_options"]
            where = options[f"{db.engine.dialect.name}_where"]
            assert " ".join(str(where).split()).lower().strip("()") == f"{column} is not null"
    dispose(app)
