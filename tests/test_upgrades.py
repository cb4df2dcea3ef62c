"""Upgrades that keep everything.

From revision BASELINE on, the migration history only grows: a revision is never edited,
removed or reordered. For every revision since then, `tests/data/migrations/<revision>.json`
holds a database's content as it was at that revision (made with `python -m
tests.test_upgrades`, once, when the revision is added). Each is loaded into a database
migrated to its revision, migrated to the newest revision, and must come out whole: every row
kept, the same counts, the schema the models describe, and new entries still possible.
"""

import json
import sys
import uuid
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from ido import MIGRATIONS_DIR, create_app
from ido.core.db import db
from ido.core.models import LINKS, Branch, BranchConvenantYear, Question, joined_codes
from ido.core.reporting.counts import DIMENSIONS, monthly_counts
from ido.web.migrations import upgrade

from .conftest import DB_KIND, dispose, make_config
from .snapshots import SNAPSHOTS, load_tables

# The history as it stood when it was frozen; new revisions are appended after it.
HISTORY = ["07c4eaa5e320", "d06d07f94e00", "c158317a8e68", "5e2b7c1d9a40", "8a3f6d2e4b17"]
BASELINE = "8a3f6d2e4b17"
MONTHS = (date(2025, 1, 1), date(2026, 12, 1))


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory(MIGRATIONS_DIR)
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def since_baseline() -> list[str]:
    found = revisions()
    return found[found.index(BASELINE) :]


@pytest.mark.once
def test_the_history_only_grows():
    """Revisions are only added at the end, each on one parent: no branch, none edited away."""
    found = revisions()
    assert found[: len(HISTORY)] == HISTORY
    assert len(ScriptDirectory(MIGRATIONS_DIR).get_heads()) == 1


@pytest.mark.once
def test_every_revision_since_the_baseline_has_a_filled_database():
    missing = [r for r in since_baseline() if not (SNAPSHOTS / f"{r}.json").exists()]
    assert missing == [], "run: python -m tests.test_upgrades (see its docstring)"


@pytest.fixture(scope="module")
def migrated(databases):
    """Templates of an empty database migrated to each revision since the baseline: one
    database migrated revision by revision, kept at each (each test then migrates only from its
    revision on, not from empty again)."""
    url = databases.empty("upgrade_steps")
    app = create_app(make_config(url))
    for revision in since_baseline():
        with app.app_context():
            upgrade(revision=revision)
        dispose(app)
        databases.keep_as_template(url, f"upgrade_{revision}")
    databases.drop(url)


@pytest.mark.parametrize("revision", since_baseline())
def test_a_database_filled_at_a_revision_upgrades_whole(migrated, database, revision):
    snapshot = json.loads((SNAPSHOTS / f"{revision}.json").read_text(encoding="utf-8"))
    app = create_app(make_config(database.copy(f"upgrade_{revision}")))
    with app.app_context():
        load_tables(snapshot["tables"])
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
            for name, rows in snapshot["tables"].items():
                table = db.metadata.tables[name]
                count = connection.scalar(select(func.count()).select_from(table))
                assert count == len(rows) + _added(name, rows)
        assert _counts() == snapshot["counts"]
        # every link row still finds its question (e5a2d7c3b819 rewrote the ids on SQLite)
        for question in db.session.scalars(select(Question)):
            for link in LINKS:
                joined = joined_codes(getattr(question, link.relation))
                assert joined == getattr(question, link.column), (question.id, link.relation)
        assert db.session.get(Question, uuid.UUID(snapshot["tables"]["question"][0]["id"]))
        if snapshot["tables"].get("activity") and "branch_convenant_year" not in snapshot["tables"]:
            # f3bf9c23efc4 signs a branch up for the years it held convenant activities in
            signed_up = db.session.execute(
                select(Branch.code, BranchConvenantYear.year).join(BranchConvenantYear)
            )
            assert sorted(tuple(row) for row in signed_up) == [("a1", 2026)]
        # and life goes on: a new question gets its ids from the database's sequences
        from .helpers import store_question

        store_question("a1", datetime(2026, 6, 1, 10, tzinfo=UTC), ["digid"], agencies=["svb"])
        db.session.commit()
    dispose(app)


@pytest.mark.skipif(DB_KIND != "sqlite", reason="PostgreSQL's ids were 16 bytes already")
def test_a_question_resent_to_new_code_before_the_upgrade_is_kept_once(migrated, database):
    """A worker of the code of e5a2d7c3b819 that ran before `init-db` (a reload after `git
    pull`) missed the old text ids and, when a desk resent a question, stored it again under
    its id in 16 bytes (written here as it did): e5a2d7c3b819 keeps the question first
    stored, once, with its links."""
    before = "c4e8a1f6d253"
    snapshot = json.loads((SNAPSHOTS / f"{before}.json").read_text(encoding="utf-8"))
    first = uuid.UUID(snapshot["tables"]["question"][0]["id"])
    app = create_app(make_config(database.copy(f"upgrade_{before}")))
    with app.app_context():
        load_tables(snapshot["tables"])
        stored = text("SELECT typeof(id) FROM question WHERE id = :old")
        assert db.session.scalar(stored, {"old": first.hex}) == "text"
        db.session.rollback()
        with db.engine.begin() as connection:
            for table, column in (("question", "id"), ("question_topic", "question_id")):
                names = [
                    row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table})")
                ]
                values = ", ".join(":copy" if name == column else name for name in names)
                connection.execute(
                    text(f"INSERT INTO {table} SELECT {values} FROM {table} WHERE {column} = :old"),
                    {"copy": first.bytes, "old": first.hex},
                )
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Question)) == len(
            snapshot["tables"]["question"]
        )
        kinds = db.session.execute(text("SELECT DISTINCT typeof(id) FROM question")).scalars()
        assert list(kinds) == ["blob"]
        question = db.session.get(Question, first)
        assert joined_codes(question.topics) == question.topic_codes != ""
    dispose(app)


def _added(table: str, rows: list[dict]) -> int:
    """Rows a migration adds on purpose: f4b8d2a6c913 the outcome "Afspraak gemaakt bij …" to
    an instance that has its outcomes."""
    if table == "outcome" and rows and all(row["code"] != "afspraak" for row in rows):
        return 1
    return 0


def _counts() -> dict[str, list[list]]:
    branches = list(db.session.scalars(db.select(Branch).order_by(Branch.code)))
    return {
        by: sorted(
            [
                row.month.isoformat(),
                row.branch.code,
                getattr(row.key, "code", row.key),
                row.count,
            ]
            for row in monthly_counts(*MONTHS, by, branches)
        )
        for by in DIMENSIONS
    }


def _encoded(value):
    if isinstance(value, datetime | date | time | uuid.UUID):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    return value


def _add_activities(coordinator) -> None:
    """A repeating spreekuur at a1, one session counted, one cancelled, one moved."""
    from ido.core.activities import (
        ActivityData,
        Rule,
        cancel_session,
        move_session,
        record_attendance,
        save_activity,
    )
    from ido.core.models import ActivityKind, Topic

    from .helpers import branch

    kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "belastinghulp"))
    rule = Rule("monthly", date(2026, 1, 6), until=date(2026, 6, 30), nth=1)
    toeslagen = db.session.scalar(db.select(Topic).where(Topic.code == "toeslagen"))
    data = ActivityData(
        branch("a1"), kind, rule, time(10), time(12), convenant=True, topics=[toeslagen]
    )
    sessions = save_activity(data, coordinator).sessions
    record_attendance(sessions[0], 6, coordinator)
    cancel_session(sessions[1], True, coordinator)
    move_session(sessions[2], date(2026, 3, 4), time(13), time(15), coordinator)


def _add_contacts(coordinator) -> None:
    """The referral slip's details: UWV's shared ones, and library A's of the Taalhuis."""
    from ido.core.models import Agency
    from ido.core.taxonomy.contacts import save_contact

    from .helpers import user

    def agency(code: str) -> Agency:
        return db.session.scalar(db.select(Agency).where(Agency.code == code))

    uwv = {"website": "https://www.uwv.nl", "phone": "088 898 92 94", "bring": "DigiD"}
    save_contact(agency("uwv"), None, uwv, user("admin@ido.example"))
    taalhuis = {"phone": "14 030", "address": "Bibliotheek Centrum", "hours": "di 10-12"}
    save_contact(agency("taalhuis"), coordinator.library_id, taalhuis, coordinator)


def _add_convenant_years(coordinator) -> None:
    """a1 takes part in the convenant in 2025 and 2026, a2 in 2026."""
    from ido.core.organisation import update_branch

    from .helpers import branch

    for code, years in (("a1", [2025, 2026]), ("a2", [2026])):
        found = branch(code)
        update_branch(
            found, found.name, found.municipality, found.in_library, True, coordinator, years
        )


def make_snapshot(folder: Path) -> Path:
    """Fill a database at the newest revision through the services (two libraries, users of
    every role, questions with every kind of link, a deleted one, tokens, a tablet, local
    partners, audit events) and write its content and counts as JSON."""
    from ido.core.organisation.devices import activate, enrol_device
    from ido.core.organisation.passwords import make_password_link
    from ido.core.organisation.tokens import create_token
    from ido.core.questions import delete_question
    from ido.core.reporting.national_form import default_mapping, ensure_first_version, save_version
    from ido.core.taxonomy import (
        active_categories,
        save_branch_desk,
        save_category,
        seed_categories,
    )

    from .conftest import build_org
    from .helpers import branch, store_question, user

    revision = revisions()[-1]
    app = create_app(make_config(f"sqlite:///{folder / 'snapshot.sqlite'}"))
    with app.app_context():
        upgrade()
        seed_categories()
        build_org()
        coordinator = user("coord@a.example")
        library_id = coordinator.library_id
        partner = {
            "code": "buurtteam-astad",
            "name_nl": "Buurtteam Astad",
            "name_en": "Neighbourhood team",
        }
        partner.update(kind="partner", library_id=library_id)
        save_category("agency", None, partner, library_id, coordinator)
        create_token(coordinator, "export")
        make_password_link(user("vol@a.example"), coordinator)
        topics = active_categories().by_code("topics")
        chosen = {topics["digid"].id: 1, topics["toeslagen"].id: 2}
        save_branch_desk(branch("a1"), {"topic": chosen}, coordinator)
        activate(enrol_device(branch("a1"), "tablet", coordinator)[1])
        at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
        store_question("a1", at(2025, 12, 31, 23, 30), ["digid", "digid_app"], agencies=["svb"])
        store_question("a1", at(2026, 3, 29, 1, 30), ["toeslagen"], referrals=["uwv"])
        store_question("a2", at(2026, 5, 4, 9), ["zorg"], help=["uitleg"], note="brief kwijt")
        store_question("b1", at(2026, 6, 1, 12), ["toeslagen", "digid"], agencies=["duo"])
        ensure_first_version()
        save_version(default_mapping(), date(2026, 1, 1), user("admin@ido.example"))
        gone = store_question("a1", at(2026, 6, 2, 12), ["digid"])
        delete_question(gone, coordinator)
        _add_activities(coordinator)
        _add_contacts(coordinator)
        _add_convenant_years(coordinator)
        db.session.commit()
        tables = {
            table.name: [
                {name: _encoded(value) for name, value in row._mapping.items()}
                for row in db.session.execute(select(table).order_by(*table.primary_key))
            ]
            for table in db.metadata.sorted_tables
        }
        counts = _counts()
    dispose(app)
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    target = SNAPSHOTS / f"{revision}.json"
    content = {"revision": revision, "tables": tables, "counts": counts}
    target.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":  # python -m tests.test_upgrades
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        print(f"wrote {make_snapshot(Path(scratch))}", file=sys.stderr)
