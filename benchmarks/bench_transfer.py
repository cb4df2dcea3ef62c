"""Moving a library of 100,000 questions: export-library and import-library, on SQLite and on
PostgreSQL, each step as its own `flask` process (as an operator runs it).

Usage: python benchmarks/bench_transfer.py [--questions N] [--postgres]
Prints, per step, the wall time and the process's peak RSS. SQLite source -> the target
database (SQLite, or PostgreSQL with --postgres) -> exported again from the target.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLASK = Path(sys.executable).with_name("flask")
SECRET = "bench-secret-of-at-least-thirty-two-characters"
WEEKDAYS_A_YEAR = 261
CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def instance(url: str, questions: int = 0) -> None:
    """The schema and default categories; with `questions`, the demo library that size. In a
    process of its own: a child forked from a large parent would report the parent's memory as
    its peak."""
    subprocess.run([sys.executable, __file__, "--make", url, str(questions)], check=True)


def make(url: str, questions: int) -> None:
    from ido import create_app  # noqa: PLC0415
    from ido.core.db import db  # noqa: PLC0415
    from ido.core.demo import seed_demo  # noqa: PLC0415
    from ido.core.reporting.national_form import ensure_first_version  # noqa: PLC0415
    from ido.core.taxonomy import seed_categories  # noqa: PLC0415

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "ARGON2_PARAMS": CHEAP})
    with app.app_context():
        db.create_all()
        seed_categories()
        db.session.commit()
        ensure_first_version()
        if questions:  # the demo's three branches, one of them half as busy: 2.5 desks a day
            seed_demo(per_day=questions / WEEKDAYS_A_YEAR / 2.5)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


def step(url: str, *args: str) -> tuple[float, float, str]:
    """Run one flask command; its wall time (s), peak RSS (MB) and first line of output."""
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_IDO_PURGE_IN_APP": "false",
        "FLASK_IDO_LOG_LEVEL": '"WARNING"',
        "FLASK_ARGON2_PARAMS": json.dumps(CHEAP),
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [FLASK, "--app", "ido", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, f"exit {code}: {output.strip().splitlines()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.make:
        make(options.make[0], int(options.make[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = f"sqlite:///{work / 'source.sqlite'}"
        instance(source, options.questions)
        if options.postgres:
            from tests.pgcluster import PostgresCluster  # noqa: PLC0415

            cluster = PostgresCluster(in_memory=False)
            cluster.start()
            target = cluster.create_database("target")
        else:
            cluster, target = None, f"sqlite:///{work / 'target.sqlite'}"
        try:
            instance(target)
            for name, url, args in (
                ("flask --help (baseline)", source, ("--help",)),
                ("export (SQLite)", source, ("export-library", "demo", str(work / "a.jsonl.gz"))),
                ("import", target, ("import-library", str(work / "a.jsonl.gz"))),
                ("export again", target, ("export-library", "demo", str(work / "b.jsonl"))),
                ("import again (refused)", target, ("import-library", str(work / "b.jsonl"))),
            ):
                seconds, peak, line = step(url, *args)
                print(f"{name:24} {seconds:6.1f} s  peak RSS {peak:5.0f} MB  {line[:90]}")
            for file in ("a.jsonl.gz", "b.jsonl"):
                print(f"{file}: {(work / file).stat().st_size / 1e6:.1f} MB")
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
