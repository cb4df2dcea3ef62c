"""The desk at national scale: gunicorn on 1,000,000 questions, desks that behave like browsers.

Usage: python benchmarks/bench_desk_http.py [--rows N] [--loops N] [--postgres] [--only-postgres]

Generates the database of `make bench` once (benchmarks/data/, reused on later runs; SQLite,
and a PostgreSQL cluster kept on disk with fsync on, as in production), starts gunicorn with 2
sync workers, logs in volunteers, and runs the loop of a browser at 1 and at 10 desks at once:
POST one question from the desk form, follow the redirect (the desk page, with today's list,
which is the form for the next question). One branch holds 300 questions today.

Prints per setting: POST and round-trip (POST + redirected page) median/p95/p99, questions per
second, the gunicorn processes' CPU time per logged question (psutil: user + system of the
master and its workers), errors, and rows added (must equal the loop count). Targets (a quiet
machine): <= 3 ms server CPU per logged question, POST p95 <= 15 ms at 10 desks, and a round
trip with 300 questions today within 10 % of one with none.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

import psutil
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_reports import generate  # noqa: E402

from ido import create_app  # noqa: E402
from ido.core.db import db  # noqa: E402
from ido.core.models import LINKS, Branch, Question, User  # noqa: E402
from ido.core.models.types import day_number, moment_number  # noqa: E402
from ido.core.organisation import create_user  # noqa: E402
from ido.core.questions import QuestionData, record_question  # noqa: E402
from ido.core.taxonomy import active_categories  # noqa: E402
from ido.core.timeutil import now_local  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
SECRET = "bench-secret-of-at-least-thirty-two-characters"
PASSWORD = "a long and unusual bench sentence"
DESKS = 10
TODAY_AT_BUSY_BRANCH = 300
FORM = {
    "topics": ["toeslagen"],
    "channel": "balie",
    "outcome": "geholpen",
    "duration_minutes": "10",
    "note": "",
}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FORM_ID = re.compile(r'name="id"[^>]*value="([^"]+)"')


def config(url: str) -> dict:
    settings = {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "IDO_PURGE_IN_APP": False}
    if "FLASK_ARGON2_PARAMS" in os.environ:  # cheap hashing, as gunicorn reads it (a smoke test)
        settings["ARGON2_PARAMS"] = json.loads(os.environ["FLASK_ARGON2_PARAMS"])
    return settings


def _sqlite_text(column: str) -> bool:
    """Whether the kept questions are on SQLite with this column still as text."""
    if db.engine.dialect.name != "sqlite":
        return False
    query = sa.text(f"SELECT typeof({column}) FROM question LIMIT 1")
    return db.session.execute(query).scalar() == "text"


def _ids_in_sixteen_bytes() -> None:
    """SQLite data generated before 2026-12-07 kept question ids as 32 hex characters: made
    16 bytes as migration e5a2d7c3b819 makes them (the declared type does not change what
    SQLite stores), then the file rebuilt, so that its size is what the data takes."""
    if not _sqlite_text("id"):
        return
    print("storing question ids in 16 bytes, then VACUUM (once)", flush=True)
    with db.engine.begin() as connection:
        connection.connection.driver_connection.create_function(
            "ido_id_bytes", 1, lambda value: bytes.fromhex(value), deterministic=True
        )
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        columns = [("question", "id"), *((link.table.name, "question_id") for link in LINKS)]
        for table, column in columns:
            connection.exec_driver_sql(
                f"UPDATE {table} SET {column} = ido_id_bytes({column}) "
                f"WHERE typeof({column}) = 'text'"
            )
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")


def _moments_as_integers() -> None:
    """SQLite data generated before 2026-12-08 kept a question's moments and days as text: made
    integers as migration b7e1c9d4a2f6 makes them, the link tables kept without a rowid, then
    the file rebuilt. The questions' indexes go first (update_schema makes them again after):
    rewriting a million rows under six indexes took minutes."""
    if not _sqlite_text("asked_at"):
        return
    print("storing moments and days as integers, link rows without a rowid (once)", flush=True)
    db.session.remove()
    with db.engine.begin() as connection:
        create = connection.connection.driver_connection.create_function
        create("ido_moment", 1, lambda v: moment_number(datetime.fromisoformat(v + "+00:00")))
        create("ido_day", 1, lambda v: day_number(date.fromisoformat(v)))
        tables = [Question.__table__, *(link.table for link in LINKS)]
        for index in (index for table in tables for index in table.indexes):
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
        moments = ("asked_at", "created_at", "updated_at")
        assignments = [f"{c} = ido_moment({c})" for c in moments]
        assignments += ["local_date = ido_day(local_date)", "local_month = ido_day(local_month)"]
        connection.exec_driver_sql(f"UPDATE question SET {', '.join(assignments)}")
        connection.exec_driver_sql(
            "UPDATE question SET deleted_at = ido_moment(deleted_at) WHERE deleted_at IS NOT NULL"
        )
        for link in LINKS:
            name = link.table.name
            connection.exec_driver_sql(f"ALTER TABLE {name} RENAME TO old_{name}")
            link.table.create(connection)  # without a rowid; its index made after the rows
            connection.exec_driver_sql(f"DROP INDEX ix_{name}_counts")
            connection.exec_driver_sql(
                f"INSERT INTO {name} SELECT question_id, {link.key}, ido_day(local_month), "
                f"branch_id, counted FROM old_{name}"
            )
            connection.exec_driver_sql(f"DROP TABLE old_{name}")
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")


def update_schema() -> None:
    """A database generated by older code gets the tables added since, its question ids in 16
    bytes, its moments as integers, and the questions' indexes as the models have them now
    (the migrations are not run on these databases)."""
    db.create_all()
    _ids_in_sixteen_bytes()
    _moments_as_integers()
    inspector = sa.inspect(db.engine)
    tables = [Question.__table__, *(link.table for link in LINKS)]
    have = {
        i["name"]: i["column_names"] for table in tables for i in inspector.get_indexes(table.name)
    }
    wanted = {index.name: index for table in tables for index in table.indexes}
    db.session.remove()
    with db.engine.begin() as connection:
        for name, columns in sorted(have.items()):
            changed = name in wanted and columns != [c.name for c in wanted[name].columns]
            if name.startswith("ix_question_") and (name not in wanted or changed):
                connection.exec_driver_sql(f"DROP INDEX {name}")
                del have[name]
    for name in sorted(set(wanted) - set(have)):
        print(f"creating index {name} (once)", flush=True)
        wanted[name].create(db.engine)


def prepare(url: str, rows: int, wanted: int = TODAY_AT_BUSY_BRANCH) -> None:
    """The million questions (once), 10 volunteers each at a branch of their own, and 300
    (`wanted`) questions today at the first one."""
    app = create_app(config(url))
    with app.app_context():
        update_schema()
        if db.session.scalar(db.select(User).where(User.email == "desk0@bench.example")) is None:
            for number in range(DESKS):
                branch = db.session.scalar(db.select(Branch).where(Branch.code == f"b{number}"))
                create_user(
                    f"desk{number}@bench.example",
                    f"Desk {number}",
                    "volunteer",
                    PASSWORD,
                    branch.library.code,
                    (branch.code,),
                )
            db.session.commit()
        busy = db.session.scalar(db.select(Branch).where(Branch.code == "b0"))
        today = now_local().date()
        have = db.session.scalar(
            db.select(db.func.count())
            .select_from(Question)
            .where(Question.branch_id == busy.id, Question.local_date == today)
        )
        cats = active_categories(busy)
        for index in range(max(0, wanted - (have or 0))):
            data = QuestionData(
                branch=busy,
                topics=[cats.topics[index % len(cats.topics)]],
                channel=cats.channels[0],
                outcome=cats.outcomes[0],
                duration_minutes=10,
                asked_at=now_local() - timedelta(minutes=index % 300),
            )
            record_question(data, None)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def count_questions(url: str) -> int:
    app = create_app(config(url))
    with app.app_context():
        found = db.session.scalar(db.select(db.func.count()).select_from(Question)) or 0
        db.session.remove()
        db.engine.dispose()
    return found


class Browser:
    """A browser's connection (opened again after the server closed it) and its cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        """The response, its body read into `content`; a body is a form unless `headers`
        say otherwise."""
        sent = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Encoding": "identity",
        }
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = self.connection.getresponse()
        response.content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        if response.will_close:  # a sync worker's answer: the next request connects anew
            self.connection.close()
        return response


class Desk(Browser):
    """One desk's browser, logged in, with the form it has in front of it."""

    def __init__(self, port: int, email: str, landing: str = "/desk/") -> None:
        super().__init__(port)
        page = self.get("/auth/login")
        answer = self.post(
            "/auth/login", {"csrf_token": self.token(page), "email": email, "password": PASSWORD}
        )
        assert answer.status == 302, answer.status
        self.page = self.get(landing)

    def get(self, path: str) -> str:
        response = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        return response.content

    def post(self, path: str, fields: dict):
        return self.request("POST", path, urllib.parse.urlencode(fields, doseq=True))

    @staticmethod
    def token(page: str) -> str:
        return TOKEN.search(page).group(1)

    @staticmethod
    def form_id(page: str) -> str:
        return FORM_ID.search(page).group(1)

    def log_one(self) -> tuple[float, float, bool]:
        """POST the form in front of it and follow the redirect: (POST s, round trip s, ok)."""
        fields = {
            **FORM,
            "csrf_token": self.token(self.page),
            "id": self.form_id(self.page),
        }
        started = time.perf_counter()
        answer = self.post("/desk/", fields)
        posted = time.perf_counter()
        if answer.status != 302:
            return posted - started, posted - started, False
        location = urllib.parse.urlsplit(answer.headers["Location"])
        self.page = self.get(location.path + (f"?{location.query}" if location.query else ""))
        return posted - started, time.perf_counter() - started, True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def server_cpu(master: psutil.Process) -> float:
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run(
    port: int, master: psutil.Process, desks: int, loops: int, label: str, emails: list[str]
) -> dict:
    browsers = [Desk(port, email) for email in emails[:desks]]
    for browser in browsers:  # warm up each worker and connection
        for _ in range(3):
            browser.log_one()
    per_desk = max(1, loops // desks)
    results: list[tuple[float, float, bool]] = []
    lock = threading.Lock()

    def work(browser: Desk) -> None:
        mine = [browser.log_one() for _ in range(per_desk)]
        with lock:
            results.extend(mine)

    cpu_before, started = server_cpu(master), time.perf_counter()
    threads = [threading.Thread(target=work, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds, cpu = time.perf_counter() - started, server_cpu(master) - cpu_before
    posts = [r[0] for r in results if r[2]]
    trips = [r[1] for r in results if r[2]]
    errors = sum(1 for r in results if not r[2])
    ms = 1000
    print(
        f"{label}: {desks:2} desk(s), {len(results)} questions: POST median "
        f"{statistics.median(posts) * ms:.1f} ms, p95 {percentile(posts, 0.95) * ms:.1f}, "
        f"p99 {percentile(posts, 0.99) * ms:.1f}; round trip median "
        f"{statistics.median(trips) * ms:.1f} ms, p95 {percentile(trips, 0.95) * ms:.1f}, "
        f"p99 {percentile(trips, 0.99) * ms:.1f}; {len(results) / seconds:.1f} questions/s; "
        f"server CPU {cpu / len(results) * ms:.2f} ms per question; errors {errors}",
        flush=True,
    )
    for browser in browsers:
        browser.connection.close()
    return {"questions": len(results) + 3 * len(browsers), "trip": statistics.median(trips)}


def serve(url: str, production: bool = False) -> tuple[subprocess.Popen, int]:
    """gunicorn with the settings of `make serve` (production), or with 2 sync workers."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_IDO_PURGE_IN_APP": "false",
        "IDO_BIND": f"127.0.0.1:{port}",
        "IDO_THROTTLE_PER_PROCESS": "accept",  # no log-ins measured: the throttle is idle
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:ido.gunicorn_config",
            *([] if production else ["--worker-class", "sync", "--workers", "2", "--threads", "1"]),
            "ido:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        raise SystemExit("gunicorn did not start")
    return server, port


def measure(url: str, label: str, rows: int, loops: int, today: int, desks: int = DESKS) -> None:
    prepare(url, rows, today)
    before = count_questions(url)
    server, port = serve(url)
    master = psutil.Process(server.pid)
    emails = [f"desk{n}@bench.example" for n in range(DESKS)]
    try:
        busy = run(port, master, 1, loops, f"{label} ({today} today)", emails[:1])
        quiet = run(port, master, 1, loops, f"{label} (none today)", emails[5:6])
        many = run(port, master, desks, loops, label, emails)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    added = count_questions(url) - before
    expected = busy["questions"] + quiet["questions"] + many["questions"]
    print(
        f"{label}: a round trip with {today} questions today takes "
        f"{busy['trip'] / quiet['trip'] * 100 - 100:+.0f} % against one with none; rows added "
        f"{added} (expected {expected}: {'ok' if added == expected else 'MISMATCH'})",
        flush=True,
    )


def sqlite_url(rows: int, data: Path = DATA) -> str:
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"bench-{rows}.sqlite"
    if not path.exists():
        print(f"generating {rows} questions into {path} (once)", flush=True)
        scratch = path.with_suffix(".partial")
        scratch.unlink(missing_ok=True)
        generate(f"sqlite:///{scratch}", rows)
        scratch.rename(path)
    return f"sqlite:///{path}"


@contextlib.contextmanager
def postgres_url(rows: int):
    """The million questions in the PostgreSQL cluster kept in benchmarks/data (started for
    the run, generated the first time, stopped after)."""
    from tests.pgcluster import PostgresCluster  # noqa: PLC0415

    cluster = PostgresCluster(folder=str(DATA / "pg"), fsync=True)
    cluster.start()
    try:
        name = f"bench_{rows}"
        if not cluster.has_database(name):
            print(f"generating {rows} questions into PostgreSQL (once)", flush=True)
            generate(cluster.create_database(name), rows)
        yield cluster.url(name)
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loops", type=int, default=300, help="questions per setting")
    parser.add_argument("--data", type=Path, default=DATA, help="where the SQLite file is kept")
    parser.add_argument(
        "--today", type=int, default=TODAY_AT_BUSY_BRANCH, help="questions today at the busy desk"
    )
    parser.add_argument(
        "--desks", type=int, default=DESKS, choices=range(2, DESKS + 1), help="desks at once"
    )
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    if not args.only_postgres:
        url = sqlite_url(args.rows, args.data)
        measure(url, "SQLite", args.rows, args.loops, args.today, args.desks)
    if args.postgres or args.only_postgres:
        with postgres_url(args.rows) as url:
            measure(url, "PostgreSQL", args.rows, args.loops, args.today, args.desks)


if __name__ == "__main__":
    main()
