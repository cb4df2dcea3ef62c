"""Fixtures: the same tests run on SQLite and, with IDO_TEST_DB=postgresql, on PostgreSQL.

Speed: the schema, the default categories and the two-library organisation are built once per
session into template databases; each test gets its own copy (a file copy on SQLite, CREATE
DATABASE ... TEMPLATE on PostgreSQL), with users whose password hashes were made once, cheaply.
Tests marked `once` do not depend on the database and run in one pass only. Tests marked
`slow` (servers, subprocesses, fuzzing) and `browser` (Chromium, tests/browser/) are left out by
`make test-quick`; tests that use a gunicorn or Redis server are marked slow here.
"""

import contextlib
import copy
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import coverage
import pytest
from argon2 import PasswordHasher
from hypothesis import settings
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from ido import create_app
from ido.core.db import db
from ido.core.organisation import create_branch, create_library, create_user
from ido.core.taxonomy import seed_categories
from ido.web.extensions import limiter

from .oidc_provider import oidc_provider  # noqa: F401  (a fixture: the test provider)
from .scratch import scratch_folder

DB_KIND = os.environ.get("IDO_TEST_DB", "sqlite")
# CI runs the property tests with fixed examples, so a run is repeatable; locally they vary.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
PASSWORD = "correct horse battery"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
ORG_USERS = [  # email, name, role, library, branches
    ("vol@a.example", "Vrijwilliger A1", "volunteer", "lib-a", ("a1",)),
    ("vol2@a.example", "Vrijwilliger A1+A2", "volunteer", "lib-a", ("a1", "a2")),
    ("coord@a.example", "Coördinator A", "coordinator", "lib-a", ()),
    ("vol@b.example", "Vrijwilliger B", "volunteer", "lib-b", ("b1",)),
    ("coord@b.example", "Coördinator B", "coordinator", "lib-b", ()),
    ("admin@ido.example", "Beheerder", "admin", None, ()),
]


# Tests marked `once` do not depend on the database and run in one pass only: most in the
# SQLite pass, these in the PostgreSQL pass (a module, or a module's tests whose names hold a
# given text), so that the two passes (which run side by side) take about as long (on Python
# 3.13 the PostgreSQL pass ended last by 16 s, so the authorization matrix went back to the
# SQLite pass, where it costs less). The browser tests (all `once`) run in a pass of their own:
# `make test-browser`.
ONCE_IN_POSTGRES_PASS = {
    "test_benchmarks.py": "",
    "test_throttle.py": "",
}


def pytest_addoption(parser):
    parser.addoption(
        "--cov-dialect",
        action="store_true",
        help="measure the line coverage of ido only while the tests marked `dialect` run",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "once: does not depend on the database; runs in one of the two passes"
    )
    config.addinivalue_line(
        "markers",
        "dialect: reaches code that differs by database; measured in the PostgreSQL pass too",
    )
    config.addinivalue_line(
        "markers",
        "untraced: a test that repeats what others reach (a fuzzer, many saves at once, a"
        " timing, a server's client), run without the coverage tracer, which made such tests"
        " two to four times slower; every line it reaches has a test that is traced",
    )
    if config.getoption("--cov-dialect"):
        config.stash[DIALECT_COVERAGE] = coverage.Coverage(source=["ido"])
    config.addinivalue_line("markers", "slow: takes several seconds (left out by test-quick)")
    config.addinivalue_line("markers", "browser: drives Chromium (left out by test-quick)")


SLOW_FIXTURES = {"gunicorn_url", "redis_url"}  # each starts a server process

# The PostgreSQL pass (`--cov-dialect`) measures line coverage only while these tests run (set
# up, call and tear down): those marked `dialect`, which reach what only PostgreSQL runs
# (backups, purging, a duplicate's race, the raw export's SQL), and the `once` tests that run in
# this pass alone. The others run untraced: the tracer made the pass 40 % slower, to measure
# what the SQLite pass measures already.
DIALECT_COVERAGE = pytest.StashKey()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    measure = item.config.stash.get(DIALECT_COVERAGE, None)
    marked = item.get_closest_marker("dialect") or item.get_closest_marker("once")
    if measure is not None and marked is not None:
        measure.start()
        try:
            yield
        finally:
            measure.stop()
        return
    tracing = coverage.Coverage.current()  # the SQLite pass's (pytest-cov)
    if tracing is None or item.get_closest_marker("untraced") is None:
        yield
        return
    tracing.stop()
    try:
        yield
    finally:
        tracing.start()


def pytest_sessionfinish(session):
    measure = session.config.stash.get(DIALECT_COVERAGE, None)
    if measure is not None:
        measure.save()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config, items):
    """Mark browser and server tests, and leave out, in each pass, the `once` tests that the
    other pass runs."""
    browser_tests = Path(__file__).parent / "browser"
    for item in items:
        if browser_tests in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)

    def runs_here(item) -> bool:
        if item.get_closest_marker("once") is None:
            return True
        part = ONCE_IN_POSTGRES_PASS.get(item.path.name)
        in_postgres_pass = part is not None and part in item.name
        return in_postgres_pass == (DB_KIND == "postgresql")

    kept = [item for item in items if runs_here(item)]
    config.hook.pytest_deselected(items=[i for i in items if i not in kept])
    items[:] = kept


def make_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-of-at-least-thirty-two-characters",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PARAMS": CHEAP_ARGON2,
        "IDO_PURGE_IN_APP": False,
        "IDO_LOG_LEVEL": "WARNING",
        # The test administrator logs in with the password alone; tests of the second factor
        # (tests/test_second_factor*.py) require it themselves.
        "IDO_REQUIRE_2FA": "none",
        **extra,
    }


def build_org() -> None:
    """Two libraries: A with branches a1 and a2, B with b1; users of every role."""
    create_library("lib-a", "Bibliotheek A")
    create_library("lib-b", "Bibliotheek B")
    create_branch("a1", "A Centrum", "lib-a", "Astad")
    create_branch("a2", "A Dorp", "lib-a", "Adorp", in_library=False)
    create_branch("b1", "B Centrum", "lib-b", "Bstad")
    hashed = PasswordHasher(**CHEAP_ARGON2).hash(PASSWORD)  # once, not per user and test
    for email, name, role, library, branches in ORG_USERS:
        create_user(email, name, role, None, library, branches, password_hash=hashed)


class Databases:
    """Empty databases on demand, and fresh copies of the two seeded templates."""

    def __init__(self, folder, cluster=None):
        self.folder, self.cluster, self.counter = folder, cluster, itertools.count()

    def empty(self, name: str) -> str:
        """A new, empty database."""
        if self.cluster is None:
            return f"sqlite:///{self.folder / name}.sqlite"
        return self.cluster.create_database(name)

    def build_template(self, name: str, fill) -> None:
        url = self.empty(f"template_{name}")
        app = create_app(make_config(url))
        with app.app_context():
            db.create_all()
            fill()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()  # SQLite checkpoints its WAL into the file here

    def keep_as_template(self, url: str, name: str) -> None:
        """Keep what the database at `url` holds now (its connections closed) as a template
        that `copy(name)` copies."""
        if self.cluster is None:
            shutil.copyfile(url.removeprefix("sqlite:///"), self.folder / f"template_{name}.sqlite")
        else:
            self.cluster.create_database(f"template_{name}", template=url.rsplit("/", 1)[1])

    def copy(self, template: str) -> str:
        """A fresh database holding what the template holds."""
        name = f"t{next(self.counter)}"
        if self.cluster is None:
            shutil.copyfile(
                self.folder / f"template_{template}.sqlite", self.folder / f"{name}.sqlite"
            )
            return f"sqlite:///{self.folder / name}.sqlite"
        return self.cluster.create_database(name, template=f"template_{template}")

    def drop(self, url: str) -> None:
        """Remove a SQLite copy; PostgreSQL copies go with the throwaway cluster (a DROP
        DATABASE waits for a checkpoint)."""
        if self.cluster is None:
            for suffix in ("", "-wal", "-shm"):
                path = url.removeprefix("sqlite:///") + suffix
                if os.path.exists(path):
                    os.remove(path)


@pytest.fixture(scope="session")
def databases():
    """The test databases: a folder of SQLite files, or a throwaway PostgreSQL server."""
    cluster = None
    if DB_KIND == "postgresql":
        from .pgcluster import PostgresCluster

        try:
            cluster = PostgresCluster()
            cluster.start()
        except Exception as error:  # a missing server must fail the run, never skip it
            pytest.exit(f"PostgreSQL could not be started: {error}", returncode=3)
    # the SQLite files in memory (tmpfs) where the machine has one, since each commit waits for
    # the disk otherwise; still real files, as in production
    found = Databases(Path(scratch_folder("ido-test-")), cluster)
    found.build_template("base", seed_categories)
    found.build_template("org", lambda: (seed_categories(), build_org()))
    yield found
    if cluster is not None:
        cluster.stop()
    shutil.rmtree(found.folder, ignore_errors=True)


class OwnDatabases:
    """The test's own databases, dropped after it: `database(name)` makes an empty one,
    `database.copy(template)` a copy of a template `Databases.keep_as_template` kept."""

    def __init__(self, databases: Databases) -> None:
        self.databases, self.made = databases, []

    def __call__(self, name: str) -> str:
        self.made.append(self.databases.empty(f"{name}_{next(self.databases.counter)}"))
        return self.made[-1]

    def copy(self, template: str) -> str:
        self.made.append(self.databases.copy(template))
        return self.made[-1]


@pytest.fixture
def database(databases):
    """Make an empty database by name (for migrations and init-db), or copy a kept template."""
    made = OwnDatabases(databases)
    yield made
    for url in made.made:
        databases.drop(url)


@pytest.fixture
def database_url(request, databases):
    """This test's own database: the default categories, and the organisation when the test
    asks for `org` (directly or through another fixture)."""
    url = databases.copy("org" if "org" in request.fixturenames else "base")
    yield url
    databases.drop(url)


@pytest.fixture(scope="session")
def one_app(databases):
    """The app of a pass, and what a test may change of it as it was built. Building an app
    (its URL rules, templates and catalogues) per test took a fifth of a typical test's time."""
    app = create_app(make_config(databases.copy("base")))
    dispose(app)  # each test puts its own database in (see `app`)
    built = SimpleNamespace(
        config=copy.deepcopy(dict(app.config)),
        wsgi_app=app.wsgi_app,
        # the one Limiter of ido.web.extensions keeps the store of the app it was last
        # attached to: an app a test builds for itself replaces it
        throttle=(limiter._storage, limiter._limiter),
    )
    yield app, built
    dispose(app)


@pytest.fixture
def app(one_app, database_url):
    """The app on the test's own database, with its configuration, its WSGI stack and the
    log-in throttle's counts as they were when it was built."""
    app, built = one_app
    limiter._storage, limiter._limiter = built.throttle
    limiter.storage.reset()
    app.config.clear()
    app.config.update(copy.deepcopy(built.config), SQLALCHEMY_DATABASE_URI=database_url)
    app.wsgi_app = built.wsgi_app
    with app.app_context():  # the engines Flask-SQLAlchemy made from the configuration
        db.engines[None] = create_engine(database_url, **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    yield app
    dispose(app)


@pytest.fixture
def own_app(database_url):
    """An app of the test's own, for a test that changes how the app is set up (adds a route,
    a hook): the shared one has answered requests and takes no more."""
    app = create_app(make_config(database_url))
    yield app
    dispose(app)


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
    """Two libraries: A with branches a1 and a2, B with b1; users of every role (see ORG_USERS)."""
    return app


class Auth:
    """The one way tests log in: `auth.login(email)` for the test's client, or
    `Auth(another_client).login(email)`; request options (query_string, headers,
    environ_base, ...) go with the POST."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD, csrf_token=None, **request):
        data = {"email": email, "password": password}
        if csrf_token is not None:  # for an app with CSRF protection on
            data["csrf_token"] = csrf_token
        return self.client.post("/auth/login", data=data, **request)

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
    """The flash messages, the error summary's title and the field errors shown on a page."""
    found = re.findall(r'class="message message-[^"]*"[^>]*>([^<]+)<', html)
    found += re.findall(r'<h2 id="error-summary-title">([^<]+)</h2>', html)
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


GUNICORN = Path(sys.executable).with_name("gunicorn")
FLASK = Path(sys.executable).with_name("flask")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict:
    """The environment of a server process on that database, configured as the tests' app."""
    return {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SECRET_KEY": "test-secret-of-at-least-thirty-two-characters",
        "FLASK_ARGON2_PARAMS": json.dumps(CHEAP_ARGON2),
        "FLASK_IDO_PURGE_IN_APP": "false",
        "FLASK_IDO_LOG_LEVEL": '"WARNING"',
        "FLASK_IDO_REQUIRE_2FA": '"none"',
    }


@contextlib.contextmanager
def gunicorn_serving(database_url: str):
    """gunicorn as `make serve` starts it, with 2 worker processes of 4 threads each, on that
    database; its URL while it runs."""
    port = free_port()
    env = server_env(database_url)
    env.update(IDO_BIND=f"127.0.0.1:{port}", IDO_WORKERS="2", IDO_THREADS="4")
    env["IDO_THROTTLE_PER_PROCESS"] = "accept"  # the throttle has tests of its own
    command = [GUNICORN, "--config", "python:ido.gunicorn_config", "ido:create_app()"]
    with _serving(command, env, port) as url:  # with the settings of `make serve`
        yield url


@contextlib.contextmanager
def flask_run_serving(database_url: str):
    """Flask's development server as `make run` starts it (`flask run`, a thread per request)
    on that database; its URL while it runs."""
    port = free_port()
    command = [FLASK, "--app", "ido", "run", "--host", "127.0.0.1", "--port", str(port)]
    with _serving(command, server_env(database_url), port) as url:
        yield url


@contextlib.contextmanager
def _serving(command: list, env: dict, port: int):
    """A server process's URL once it answers; afterwards it is stopped, and what it wrote to
    its error output (a file: a pipe nobody reads would fill and stop it) holds no traceback."""
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, env=env, stderr=log, text=True)
        deadline = time.monotonic() + 60  # a busy machine may take long to import the app
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
                break
            except OSError:
                if server.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.05)  # the interval between polls of the server, not a wait
                    continue
            server.kill()
            server.wait()
            log.seek(0)
            pytest.fail(f"{command[0]} did not start: {log.read()[-2000:]}")
        try:
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
        log.seek(0)
        errors = log.read()
    assert "Traceback" not in errors, errors[-3000:]


@contextlib.contextmanager
def serving_in_thread(wsgi_app):
    """A WSGI app served by Werkzeug in a thread, a thread per request; its URL while it runs.
    It looks for the order to stop every 20 ms (the default half second, at each test's end,
    cost the browser pass several seconds)."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def app_url(org):
    """The test's app (with the organisation) served on a port of its own, for what must reach
    it over HTTP: a browser, or an OpenID Connect provider that redirects back to it."""
    with serving_in_thread(org) as url:
        yield url


@pytest.fixture
def redis_url():
    """A Redis server of our own (Debian's redis-server), on a free port, gone afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="ido-redis-")
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)  # the interval between pings of Redis, not a wait
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}"
    client.close()
    server.terminate()
    server.wait(10)


@pytest.fixture
def gunicorn_url(database_url, org):
    """gunicorn on the test's own database (with the organisation)."""
    with gunicorn_serving(database_url) as url:
        yield url
