"""The SQL of the dashboard of a year at 700 branches, statement by statement.

Usage: python benchmarks/bench_dashboard_sql.py [--rows N] [--postgres] [--runs N]

Draws the dashboard's figures once on the kept million questions (benchmarks/data, generated
once by `make bench`; see bench_desk_http.py) and records every statement it sends; then runs
each again on the database driver's own connection, `--runs` times, and prints the fastest run
(executing and fetching every row), the rows, and whether the database sorts to group
(SQLite: a temporary B-tree in the query plan; PostgreSQL: a Sort node). Last, two groupings
as they were before 2026-12-07, for comparison: the totals per month and branch grouped by
`branch_id + 0`, and the channel, outcome, weekday and hour grouped as four columns.
"""

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import event, func

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_desk_http import postgres_url, sqlite_url  # noqa: E402
from bench_reports import config, kept_schema  # noqa: E402

from ido import create_app  # noqa: E402
from ido.core.db import db  # noqa: E402
from ido.core.models import Branch, Question  # noqa: E402
from ido.core.reporting.counts.rows import in_period  # noqa: E402
from ido.core.reporting.figures import dashboard  # noqa: E402
from ido.core.reporting.params import CountParams  # noqa: E402

YEAR = (date(2025, 11, 1), date(2026, 10, 1))


def fastest(run: Callable[[], int], runs: int) -> tuple[float, int]:
    """The fastest of `runs` calls in seconds, and the rows the call fetched."""
    best, rows = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = run()
        best = min(best, time.perf_counter() - started)
    return best, rows


def sorts(raw, statement: str, parameters, sqlite: bool) -> bool:
    cursor = raw.cursor()
    cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
    plan = " ".join(str(line) for line in cursor.fetchall())
    cursor.close()
    return "TEMP B-TREE" in plan if sqlite else "Sort" in plan


def measure(url: str, label: str, runs: int) -> None:
    app = create_app(config(url))
    with app.app_context():
        branches = list(db.session.scalars(db.select(Branch)))
        params = CountParams(*YEAR, "total", branches)
        sent: list[tuple[str, object]] = []

        def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
            sent.append((statement, parameters))

        dashboard(params)  # warm: the lists and the compiled statements
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            dashboard(params)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        raw = db.session.connection().connection.dbapi_connection
        sqlite = db.engine.dialect.name == "sqlite"
        print(f"{label}: {len(sent)} statements of the dashboard, a year, {len(branches)} branches")
        print("| statement | fastest | rows | sorts to group |")
        print("| --- | --- | --- | --- |")
        total = 0.0
        for statement, parameters in sent:

            def again(statement=statement, parameters=parameters) -> int:
                cursor = raw.cursor()
                cursor.execute(statement, parameters)
                found = len(cursor.fetchall())
                cursor.close()
                return found

            seconds, rows = fastest(again, runs)
            total += seconds
            head = " ".join(statement.split())[:90].replace("|", "/")
            grouped = sorts(raw, statement, parameters, sqlite)
            print(f"| `{head}` | {seconds:.3f} s | {rows} | {'yes' if grouped else 'no'} |")
        print(f"{label}: all statements {total:.3f} s")
        ids = [b.id for b in branches]
        branch = Question.branch_id + 0
        before = {
            "totals per month and branch, grouped by branch_id + 0": in_period(
                db.select(Question.local_month, branch, func.count()), *YEAR, ids
            ).group_by(Question.local_month, branch),
            "channel, outcome, weekday and hour as four columns": in_period(
                db.select(
                    Question.channel_id,
                    Question.outcome_id,
                    Question.local_weekday,
                    Question.local_hour,
                    func.count(),
                ),
                *YEAR,
                ids,
            ).group_by(
                Question.channel_id,
                Question.outcome_id,
                Question.local_weekday,
                Question.local_hour,
            ),
        }
        for what, query in before.items():
            seconds, rows = fastest(lambda q=query: len(db.session.execute(q).all()), runs)
            print(f"{label}: before: {what}: {seconds:.3f} s, {rows} rows")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="also the PostgreSQL copy")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = sqlite_url(args.rows)
    kept_schema(url)
    measure(url, "sqlite", args.runs)
    if args.postgres:
        with postgres_url(args.rows) as pg_url:
            kept_schema(pg_url)
            measure(pg_url, "postgres", args.runs)


if __name__ == "__main__":
    main()
