"""Fixtures: the same tests run on SQLite and, with IDO_TEST_DB=postgresql, on PostgreSQL."""

import os
import re
import tempfile
from html.parser import HTMLParser

import pytest
from hypothesis import settings
from sqlalchemy import text

from ido import create_app
from ido.categories import seed_categories
from ido.extensions import db
from ido.organisation import create_branch, create_library, create_user

DB_KIND = os.environ.get("IDO_TEST_DB", "sqlite")
# CI runs the property tests with fixed examples, so a run is repeatable; locally they vary.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
PASSWORD = "correct horse battery"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Where test databases live: a folder of SQLite files, or a throwaway PostgreSQL server."""
    if DB_KIND != "postgresql":
        folder = tmp_path_factory.mktemp("sqlite")
        yield lambda name: f"sqlite:///{folder / name}.sqlite"
        return
    from .pgcluster import PostgresCluster

    try:
        cluster = PostgresCluster()
        cluster.start()
    except Exception as error:  # a missing server must fail the run, never skip it
        pytest.exit(f"PostgreSQL could not be started: {error}", returncode=3)
    yield cluster.create_database
    cluster.stop()


def make_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PARAMS": CHEAP_ARGON2,
        "IDO_PURGE_IN_APP": False,
        **extra,
    }


@pytest.fixture(scope="session")
def database_url(database):
    """One database for the suite, with the schema made from the models."""
    url = database("ido_test")
    app = create_app(make_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url):
    """An app on a clean database holding the default categories."""
    app = create_app(make_config(database_url))
    with app.app_context():
        seed_categories()
    yield app
    with app.app_context():
        db.session.remove()
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def counted(org):
    """Six questions around month ends, a DST change, several topics and one deleted."""
    from .helpers import store_counted_fixture

    store_counted_fixture(org)
    return org


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(app):
    """Two libraries: A with branches a1 and a2, B with b1; users of every role."""
    with app.app_context():
        create_library("lib-a", "Bibliotheek A")
        create_library("lib-b", "Bibliotheek B")
        create_branch("a1", "A Centrum", "lib-a", "Astad")
        create_branch("a2", "A Dorp", "lib-a", "Adorp", in_library=False)
        create_branch("b1", "B Centrum", "lib-b", "Bstad")
        create_user("vol@a.example", "Vrijwilliger A1", "volunteer", PASSWORD, "lib-a", ("a1",))
        create_user("vol2@a.example", "Vrijwilliger A1+A2", "volunteer", PASSWORD, "lib-a",
                    ("a1", "a2"))
        create_user("coord@a.example", "Coördinator A", "coordinator", PASSWORD, "lib-a")
        create_user("vol@b.example", "Vrijwilliger B", "volunteer", PASSWORD, "lib-b", ("b1",))
        create_user("coord@b.example", "Coördinator B", "coordinator", PASSWORD, "lib-b")
        create_user("admin@ido.example", "Beheerder", "admin", PASSWORD)
    return app


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client, org):
    return Auth(client)


class FormReader(HTMLParser):
    """Collects what a browser would submit from the first form with the given action."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action", "") == self.action and not self.fields
        elif tag == "input" and self.inside and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button"):
                self.fields.append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict:
    """The fields (name: list of values) a browser submits from that form, untouched."""
    reader = FormReader(action)
    reader.feed(html)
    data: dict = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


def messages(html: str) -> list[str]:
    """The flash messages and field errors shown on a page."""
    found = re.findall(r'class="message message-[^"]*"[^>]*>([^<]+)<', html)
    found += re.findall(r'<ul class="field-errors"[^>]*>\s*((?:<li>[^<]*</li>\s*)+)</ul>', html)
    return [re.sub(r"</?li>", " ", m).strip() for m in found]


@pytest.fixture
def tmp_dir():
    with tempfile.TemporaryDirectory() as folder:
        yield folder


def dispose(app) -> None:
    """Close every database connection of an app made inside a test."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
