"""What one desk save costs the server: CPU time and SQL statements per POST.

Usage: python benchmarks/bench_desk.py [--posts N] [--postgres]
Logs in as a volunteer through the app's own test client (no network, no server process),
then POSTs N desk forms (a topic with its follow-up, an agency, a referral, help given) and
prints, per POST: the median and p95 of the server's CPU time (process time, stable on a busy
machine), the wall time, and the number of SQL statements sent to the database.
The database is made through the command line, as `make run` does (migrations, categories).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from ido import create_app  # noqa: E402

PASSWORD = "a long and unusual bench sentence"
FORM = {
    "topics": ["digid", "digid_app"],
    "agencies": ["belastingdienst"],
    "referrals": ["uwv"],
    "help": ["uitleg"],
    "channel": "balie",
    "outcome": "geholpen",
    "duration_minutes": "10",
    "note": "",
}


def config(url: str) -> dict:
    return {
        "SECRET_KEY": "bench-secret-of-at-least-thirty-two-characters",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "IDO_PURGE_IN_APP": False,
        "TESTING": True,
    }


def prepare(app) -> None:
    """Schema, categories, one library with one branch and one volunteer, through the CLI."""
    runner = app.test_cli_runner()
    for args in (
        ["init-db"],
        ["create-library", "bench", "Bench"],
        [
            "create-branch",
            "bench-1",
            "Bench 1",
            "--library",
            "bench",
            "--municipality",
            "Benchstad",
        ],
        [
            "create-user",
            "vol@bench.example",
            "--role",
            "volunteer",
            "--library",
            "bench",
            "--branch",
            "bench-1",
            "--password",
            PASSWORD,
        ],
    ):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(args)} failed: {result.output}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(url: str, posts: int, label: str) -> None:
    app = create_app(config(url))
    prepare(app)
    statements = []
    database = app.extensions["sqlalchemy"]
    with app.app_context():
        engine = database.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "vol@bench.example", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    client.get("/desk/")
    cpu, wall, counts, page_cpu = [], [], [], []
    for index in range(posts + 20):
        data = {**FORM, "id": str(uuid.uuid4())}
        statements.clear()
        started_cpu, started = time.process_time(), time.perf_counter()
        response = client.post("/desk/", data=data)
        post_cpu, post_wall = time.process_time() - started_cpu, time.perf_counter() - started
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        sent = len(statements)
        started_cpu = time.process_time()
        assert client.get("/desk/").status_code == 200
        if index >= 20:  # the first saves warm caches and the code up
            cpu.append(post_cpu)
            wall.append(post_wall)
            counts.append(sent)
            page_cpu.append(time.process_time() - started_cpu)
    ms = 1000
    print(
        f"{label}: desk POST, {posts} saves: CPU median {statistics.median(cpu) * ms:.2f} ms, "
        f"p95 {percentile(cpu, 0.95) * ms:.2f} ms; wall median "
        f"{statistics.median(wall) * ms:.2f} ms; SQL statements per save: "
        f"{statistics.median(counts):.0f} (min {min(counts)}, max {max(counts)})"
    )
    print(
        f"{label}: desk page after the save (today's list grows to {posts + 20}): CPU median "
        f"{statistics.median(page_cpu) * ms:.2f} ms"
    )
    # With its script (desk-offline.js) the desk saves through the JSON API: one request per
    # question, and no page to draw again after it
    api_cpu = []
    for index in range(posts + 20):
        body = {
            "id": str(uuid.uuid4()),
            "branch": "bench-1",
            "asked_at": datetime.now(UTC).isoformat(),
            "topics": ["digid"],
            "channel": "balie",
            "outcome": "geholpen",
            "duration_minutes": 10,
        }
        started_cpu = time.process_time()
        response = client.post("/api/v1/questions", json=body)
        used = time.process_time() - started_cpu
        assert response.status_code == 201, response.get_data(as_text=True)[:500]
        if index >= 20:
            api_cpu.append(used)
    print(
        f"{label}: desk with its script, {posts} saves through the API: CPU median "
        f"{statistics.median(api_cpu) * ms:.2f} ms, p95 {percentile(api_cpu, 0.95) * ms:.2f} ms "
        "(the whole of a logged question: no page drawn after it)"
    )
    with app.app_context():
        database.session.remove()
        database.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{os.path.join(folder, 'bench.sqlite')}", args.posts, "SQLite")
    if args.postgres:
        from tests.pgcluster import PostgresCluster  # noqa: PLC0415

        with PostgresCluster(in_memory=False) as cluster:
            measure(cluster.create_database("bench_desk"), args.posts, "PostgreSQL")


if __name__ == "__main__":
    main()
