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
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_reports import generate  # noqa: E402

from ido import create_app  # noqa: E402
from ido.core.categories import active_categories  # noqa: E402
from ido.core.db import db  # noqa: E402
from ido.core.models import Branch, Question, User  # noqa: E402
from ido.core.organisation import create_user  # noqa: E402
from ido.core.questions import QuestionData, record_question  # noqa: E402
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
    return {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "IDO_PURGE_IN_APP": False}


def prepare(url: str, rows: int) -> None:
    """The million questions (once), 10 volunteers each at a branch of their own, and 300
    questions today at the first one."""
    app = create_app(config(url))
    with app.app_context():
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
        for index in range(max(0, TODAY_AT_BUSY_BRANCH - (have or 0))):
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


class Desk:
    """One browser: a keep-alive connection, its cookies, the form it has in front of it."""

    def __init__(self, port: int, email: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.get("/auth/login")
        answer = self.post(
            "/auth/login", {"csrf_token": self.token(page), "email": email, "password": PASSWORD}
        )
        assert answer.status == 302, answer.status
        self.page = self.get("/desk/")

    def request(self, method: str, path: str, body: str | None = None):
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Encoding": "identity",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        response.content = content
        return response

    def get(self, path: str) -> str:
        response = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        return response.content

    def post(self, path: str, fields: dict):
        return self.request("POST", path, urllib.parse.urlencode(fields, doseq=True))

    @staticmethod
    def token(page: str) -> str:
        return TOKEN.search(page).group(1)

    def log_one(self) -> tuple[float, float, bool]:
        """POST the form in front of it and follow the redirect: (POST s, round trip s, ok)."""
        fields = {
            **FORM,
            "csrf_token": self.token(self.page),
            "id": FORM_ID.search(self.page).group(1),
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


def serve(url: str) -> tuple[subprocess.Popen, int]:
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
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:ido.gunicorn_config",
            "--worker-class",
            "sync",
            "--workers",
            "2",
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


def measure(url: str, label: str, rows: int, loops: int) -> None:
    prepare(url, rows)
    before = count_questions(url)
    server, port = serve(url)
    master = psutil.Process(server.pid)
    emails = [f"desk{n}@bench.example" for n in range(DESKS)]
    try:
        busy = run(port, master, 1, loops, f"{label} (300 today)", emails[:1])
        quiet = run(port, master, 1, loops, f"{label} (none today)", emails[5:6])
        many = run(port, master, DESKS, loops, label, emails)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    added = count_questions(url) - before
    expected = busy["questions"] + quiet["questions"] + many["questions"]
    print(
        f"{label}: a round trip with 300 questions today takes "
        f"{busy['trip'] / quiet['trip'] * 100 - 100:+.0f} % against one with none; rows added "
        f"{added} (expected {expected}: {'ok' if added == expected else 'MISMATCH'})",
        flush=True,
    )


def sqlite_url(rows: int) -> str:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"bench-{rows}.sqlite"
    if not path.exists():
        print(f"generating {rows} questions into {path} (once)", flush=True)
        scratch = path.with_suffix(".partial")
        scratch.unlink(missing_ok=True)
        generate(f"sqlite:///{scratch}", rows)
        scratch.rename(path)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loops", type=int, default=300, help="questions per setting")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    if not args.only_postgres:
        measure(sqlite_url(args.rows), "SQLite", args.rows, args.loops)
    if args.postgres or args.only_postgres:
        from pgcluster import PostgresCluster  # noqa: PLC0415

        cluster = PostgresCluster(folder=str(DATA / "pg"), fsync=True)
        cluster.start()
        try:
            name = f"bench_{args.rows}"
            if not cluster.has_database(name):
                print(f"generating {args.rows} questions into PostgreSQL (once)", flush=True)
                generate(cluster.create_database(name), args.rows)
            measure(cluster.url(name), "PostgreSQL", args.rows, args.loops)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
