"""A busy day at a regional host: 50 desks for 60 seconds against `make serve`.

Usage: python benchmarks/bench_load.py [--rows N] [--seconds S] [--postgres] [--only-postgres]

On the million-question database of `make bench` (benchmarks/data/, generated once), gunicorn
runs with the settings of `make serve` (threaded workers, as many as the CPUs suggest). Then, at
once: 44 desks in browsers (post the desk form, follow the redirect), 4 desks that save through
the API and send every question twice (a retry after a lost answer: the second must be 200),
and 2 coordinators who download a year's raw CSV of all 700 branches, over and over, and look
at the dashboard in between. Prints requests per second and latency percentiles per kind, the
errors, and then checks the database: every acknowledged question stored exactly once.

Targets: 0 errors (no "database is locked" on SQLite), 0 lost, 0 duplicates, desk save p95 <= 50
ms while the two year exports run.
"""

import argparse
import http.client
import json
import random
import signal
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_desk_http import (  # noqa: E402
    Desk,
    config,
    percentile,
    postgres_url,
    serve,
    sqlite_url,
    update_schema,
)

from ido import create_app  # noqa: E402
from ido.core.db import db  # noqa: E402
from ido.core.models import Branch, Question, User  # noqa: E402
from ido.core.organisation import create_user  # noqa: E402
from ido.core.organisation.tokens import create_token  # noqa: E402

PASSWORD = "a long and unusual bench sentence"
BROWSER_DESKS, API_DESKS, EXPORTERS = 44, 4, 2
# Between two saves a desk waits 1 to 3 s (2 on average): faster than any volunteer with a
# visitor, about the pace of typing in a stack of paper tally sheets. With --pause 0 the
# desks never pause and saturate the machine: a test of throughput, not of latency.
PAUSE = 2.0


def prepare(url: str) -> dict:
    """48 volunteers at branches of their own and an administrator; API tokens for four."""
    app = create_app(config(url))
    with app.app_context():
        update_schema()
        for number in range(BROWSER_DESKS + API_DESKS):
            email = f"load{number}@bench.example"
            if db.session.scalar(db.select(User).where(User.email == email)) is None:
                branch = db.session.scalar(db.select(Branch).where(Branch.code == f"b{number}"))
                create_user(
                    email,
                    f"Load {number}",
                    "volunteer",
                    PASSWORD,
                    branch.library.code,
                    (branch.code,),
                )
        admin = "loadadmin@bench.example"
        if db.session.scalar(db.select(User).where(User.email == admin)) is None:
            create_user(admin, "Load admin", "admin", PASSWORD, None, ())
        tokens = {}
        for number in range(BROWSER_DESKS, BROWSER_DESKS + API_DESKS):
            person = db.session.scalar(
                db.select(User).where(User.email == f"load{number}@bench.example")
            )
            tokens[f"b{number}"] = create_token(person, "load")[1]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tokens


def stored(url: str, ids: set[str]) -> int:
    """How many of these ids are stored (each at most once: the id is the key)."""
    app = create_app(config(url))
    found = 0
    with app.app_context():
        wanted = [uuid.UUID(i) for i in ids]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found += db.session.scalar(
                db.select(db.func.count()).select_from(Question).where(Question.id.in_(chunk))
            )
        db.session.remove()
        db.engine.dispose()
    return found


class Load:
    def __init__(self, port: int, seconds: float, pause: float) -> None:
        self.port, self.until = port, time.monotonic() + seconds
        self.pause = pause
        self.random = random.Random(7)
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.acknowledged: set[str] = set()

    def wait(self) -> None:
        """A desk's pause between two saves: `pause` seconds on average (0: none)."""
        if self.pause:
            with self.lock:
                seconds = self.random.uniform(0.5, 1.5) * self.pause
            time.sleep(seconds)

    def note(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.timings[kind].append(seconds)
            if not ok:
                self.errors[f"{kind} {detail}"] += 1

    def browser(self, email: str) -> None:
        desk = Desk(self.port, email)
        while time.monotonic() < self.until:
            self.wait()
            question_id = Desk.form_id(desk.page)
            posted, _, ok = desk.log_one()
            self.note("desk save", posted, ok, "not 302")
            if ok:
                with self.lock:
                    self.acknowledged.add(question_id)

    def api(self, branch: str, token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while time.monotonic() < self.until:
            self.wait()
            question_id = str(uuid.uuid4())
            body = json.dumps({"id": question_id, "branch": branch, "topics": ["digid"]})
            for attempt, expected in ((1, 201), (2, 200)):  # the retry of a lost answer
                started = time.perf_counter()
                connection.request("POST", "/api/v1/questions", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expected
                self.note(
                    "api save" if attempt == 1 else "api retry",
                    time.perf_counter() - started,
                    ok,
                    str(response.status),
                )
                if response.status in (200, 201):
                    with self.lock:
                        self.acknowledged.add(question_id)

    def exporter(self, email: str) -> None:
        desk = Desk(self.port, email, landing="/reports/")
        pages = (
            ("year export", "/reports/questions.csv?from=2025-11&to=2026-10"),
            ("dashboard", "/reports/"),
        )
        while time.monotonic() < self.until:
            for kind, path in pages:
                started = time.perf_counter()
                response = desk.request("GET", path)
                ok = response.status == 200
                self.note(kind, time.perf_counter() - started, ok, str(response.status))


def measure(url: str, label: str, seconds: float, pause: float) -> None:
    tokens = prepare(url)
    server, port = serve(url, production=True)
    load = Load(port, seconds, pause)
    threads = [
        threading.Thread(target=load.browser, args=(f"load{n}@bench.example",))
        for n in range(BROWSER_DESKS)
    ]
    threads += [threading.Thread(target=load.api, args=(b, t)) for b, t in tokens.items()]
    threads += [
        threading.Thread(target=load.exporter, args=("loadadmin@bench.example",))
        for _ in range(EXPORTERS)
    ]
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in load.timings.values())
    print(f"{label}: {total} requests in {elapsed:.0f} s, {total / elapsed:.1f} per second")
    for kind, values in sorted(load.timings.items()):
        ms = 1000
        print(
            f"{label}:   {kind:12} {len(values):6}  median {statistics.median(values) * ms:8.1f} ms"
            f"  p95 {percentile(values, 0.95) * ms:8.1f}  p99 {percentile(values, 0.99) * ms:8.1f}"
        )
    found = stored(url, load.acknowledged)
    print(
        f"{label}: errors {sum(load.errors.values())} {dict(load.errors) or ''}; acknowledged "
        f"{len(load.acknowledged)}, stored {found}, lost {len(load.acknowledged) - found}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--pause",
        type=float,
        default=PAUSE,
        help="seconds a desk waits between two saves, on average (0: never pauses)",
    )
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"{BROWSER_DESKS + API_DESKS} desks pausing {args.pause:g} s between saves, "
        f"{EXPORTERS} coordinators exporting a year, for {args.seconds:g} s",
        flush=True,
    )
    if not args.only_postgres:
        measure(sqlite_url(args.rows), "SQLite", args.seconds, args.pause)
    if args.postgres or args.only_postgres:
        with postgres_url(args.rows) as url:
            measure(url, "PostgreSQL", args.seconds, args.pause)


if __name__ == "__main__":
    main()
