"""Report and export speed on 1,000,000 questions over three years at 700 branches.

Usage: python benchmarks/bench_reports.py [--rows N] [--postgres]
       python benchmarks/bench_reports.py --kept [--postgres] --case dashboard --case xlsx
Prints one line per measurement (counts: the median of five runs after a warm-up). `--kept`
measures the million questions kept in benchmarks/data (generated once, as make bench-desk
does); `--case` measures one figure only (counts, dashboard, xlsx, report, csv), `--runs N`
times.
Targets: a year of counts <= 0.3 s per dimension, the raw CSV of 1,000,000 rows <= 8 s,
streamed, with peak RSS <= 150 MB; the year's report of the largest municipality <= 1 s as a
page and <= 3 s as a PDF.
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from ido import create_app  # noqa: E402
from ido.core.db import db  # noqa: E402
from ido.core.models import LINKS, Branch, Library, User, joined_codes  # noqa: E402
from ido.core.questions import insert_questions  # noqa: E402
from ido.core.reporting.counts import DIMENSIONS, monthly_counts  # noqa: E402
from ido.core.reporting.exports import counts_workbook, raw_csv  # noqa: E402
from ido.core.reporting.figures import dashboard  # noqa: E402
from ido.core.reporting.params import CountParams  # noqa: E402
from ido.core.taxonomy import active_categories, seed_categories  # noqa: E402
from ido.core.timeutil import local_columns  # noqa: E402

BRANCHES, LIBRARIES, YEARS = 700, 70, 3
BIG_TOWN = 24  # branches in the largest municipality
FIRST_DAY = date(2023, 11, 1)


def config(url: str) -> dict:
    return {
        "SECRET_KEY": "bench-secret-of-at-least-thirty-two-characters",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
    }


def generate(url: str, rows: int) -> None:
    """Fill an empty database with libraries, branches and `rows` questions."""
    app = create_app(config(url))
    rng = random.Random(1)
    with app.app_context():
        db.create_all()
        seed_categories()
        cats = active_categories()
        libraries = [Library(code=f"lib{i}", name=f"Bibliotheek {i}") for i in range(LIBRARIES)]
        branches = [
            Branch(
                code=f"b{i}",
                name=f"Vestiging {i}",
                # a large town of 24 branches (the report's benchmark), the rest three each
                municipality="Gemeente 0" if i < BIG_TOWN else f"Gemeente {i // 3}",
                library=libraries[i % LIBRARIES],
            )
            for i in range(BRANCHES)
        ]
        user = User(email="bench@example.org", name="bench", password_hash="-", role="admin")
        db.session.add_all([*libraries, *branches, user])
        db.session.commit()
        branch_ids, user_id = [b.id for b in branches], user.id
        channels, outcomes = [c.id for c in cats.channels], [o.id for o in cats.outcomes]
        seconds = YEARS * 365 * 86400
        # Stored in the order they are asked, as desks log them (a few back-dated ones aside).
        moments = sorted(rng.randrange(seconds) for _ in range(rows))
        start = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=UTC)
        # How many of each kind a question has, drawn at random.
        how_many = {
            "topics": (1, 1, 1, 2),
            "agencies": (0, 1, 1, 1, 1, 2),
            "help": (1, 1, 1, 2),
            "referrals": (0,) * 17 + (1,) * 3,
        }
        choices = {
            "topics": cats.topics,
            "agencies": cats.agencies,
            "help": cats.help,
            "referrals": cats.agencies,
        }
        chunk = 20000
        for offset in range(0, rows, chunk):
            questions, links = [], []
            for moment in moments[offset : offset + chunk]:
                at = start + timedelta(seconds=moment)
                qid, branch_id, local = uuid.uuid4(), rng.choice(branch_ids), local_columns(at)
                question = {
                    "id": qid,
                    "branch_id": branch_id,
                    "asked_at": at,
                    **local,
                    "logged_by_id": user_id,
                    "channel_id": rng.choice(channels),
                    "outcome_id": rng.choice(outcomes),
                    "duration_minutes": rng.choice((5, 10, 15, 30)),
                    "note": None,
                    "created_at": at,
                    "updated_at": at,
                }
                # The copies the question service keeps, written here directly: a bulk insert.
                chosen = {}
                for link in LINKS:
                    items = rng.sample(choices[link.relation], rng.choice(how_many[link.relation]))
                    question[link.column] = joined_codes(items)
                    chosen[link] = [item.id for item in items]
                questions.append(question)
                links.append(chosen)
            insert_questions(questions, links)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()  # measured later by an app of its own


def timed(function, runs: int = 1, spread: list | None = None, cpu: list | None = None):
    """Seconds of one call, or the median of `runs` calls (this machine's timings wander);
    all the runs' seconds are added to `spread` when it is given, and this process's CPU
    seconds of each run to `cpu` (steady on a busy machine; PostgreSQL's own not in it)."""
    seconds = []
    for _ in range(runs):
        started, process = time.perf_counter(), time.process_time()
        result = function()
        seconds.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - process)
    if spread is not None:
        spread.extend(seconds)
    return statistics.median(seconds), result


def measure_counts(url: str, label: str) -> None:
    app = create_app(config(url))
    with app.app_context():
        everything = list(db.session.scalars(db.select(Branch)))
        one_library = [b for b in everything if b.library_id == everything[0].library_id]
        year_first, year_last = date(2025, 11, 1), date(2026, 10, 1)
        for scope, branches in (
            ("700 branches", everything),
            (f"1 library ({len(one_library)} br.)", one_library),
        ):
            for period, first, last in (
                ("month", year_last, year_last),
                ("year", year_first, year_last),
            ):
                for by in DIMENSIONS:
                    monthly_counts(first, last, by, branches)  # warm the cache
                    spread: list[float] = []
                    seconds, rows = timed(
                        lambda f=first, la=last, b=by, br=branches: monthly_counts(f, la, b, br),
                        runs=5,
                        spread=spread,
                    )
                    print(
                        f"{label}  counts  {scope:20} {period:5}  by={by:8}  "
                        f"{seconds:7.3f} s  {len(rows):6} rows  (5 runs: "
                        f"{min(spread):.3f}-{max(spread):.3f} s)",
                        flush=True,
                    )
        # A server runs the same counts all day: no plan cache or driver setting may slow a
        # query down after its first few runs (PostgreSQL's generic plans once did, tenfold).
        seconds = [
            timed(lambda: monthly_counts(year_first, year_last, "agency", everything))[0]
            for _ in range(15)
        ]
        print(
            f"{label}  counts  700 branches  year  by=agency  15 runs in a row: slowest of "
            f"the last five {max(seconds[-5:]):7.3f} s"
        )
    measure_dashboard(url, label)
    subprocess.run([sys.executable, __file__, "--xlsx-only", url, "--label", label], check=True)


def measure_dashboard(url: str, label: str, runs: int = 1) -> None:
    """The dashboard of the last whole year for all 700 branches: its figures alone, and the
    whole page as the view draws it for an administrator, the median of `runs` after a
    warm-up (none for a single run)."""
    from flask_login import login_user  # noqa: PLC0415

    app = create_app(config(url))
    with app.test_request_context("/reports/?from=2025-11&to=2026-10"):
        login_user(db.session.scalar(db.select(User).limit(1)))
        branches = list(db.session.scalars(db.select(Branch)))
        params = CountParams(date(2025, 11, 1), date(2026, 10, 1), "total", branches)
        page = app.view_functions["reports.index"]
        if runs > 1:
            page()
        for what, function in (("figures", lambda: dashboard(params)), ("page   ", page)):
            spread: list[float] = []
            cpu: list[float] = []
            seconds, _ = timed(function, runs=runs, spread=spread, cpu=cpu)
            print(
                f"{label}  dashboard  year  700 branches  {what} {seconds:7.3f} s  "
                f"({runs} runs: {min(spread):.3f}-{max(spread):.3f} s; CPU of this process "
                f"{statistics.median(cpu):.3f} s)",
                flush=True,
            )
        db.session.remove()
        db.engine.dispose()


def measure_xlsx(url: str, label: str, runs: int = 1) -> None:
    """The XLSX of the last whole year, all sheets, all 700 branches. Runs in its own process,
    so that peak RSS is the workbook's alone."""
    app = create_app(config(url))
    with app.app_context():
        branches = list(db.session.scalars(db.select(Branch)))
        before, spread, cpu = peak_rss_mb(), [], []
        seconds, body = timed(
            lambda: counts_workbook(date(2025, 11, 1), date(2026, 10, 1), branches),
            runs=runs,
            spread=spread,
            cpu=cpu,
        )
        print(
            f"{label}  xlsx    year   all sheets  {seconds:7.3f} s  ({runs} runs: "
            f"{min(spread):.3f}-{max(spread):.3f} s; CPU {statistics.median(cpu):.3f} s)  "
            f"{len(body) // 1024} KiB  "
            f"peak RSS {peak_rss_mb():.0f} MB (before it {before:.0f} MB)",
            flush=True,
        )
        db.session.remove()
        db.engine.dispose()


def measure_report(url: str, label: str, runs: int = 3) -> None:
    """The annual report of the largest municipality (the most branches) for the last whole
    year of the data, as the page and as the PDF, the median of `runs` runs after a warm-up
    (none for a single run)."""
    from collections import Counter

    from flask import render_template
    from flask_login import login_user

    from ido.core.reporting.municipality import municipality_report
    from ido.core.reporting.periods import parse_period, period_choices
    from ido.web.documents import report_pdf

    app = create_app(config(url))
    with app.test_request_context("/reports/municipality"):
        branches = list(db.session.scalars(db.select(Branch)))
        town, size = Counter(b.municipality for b in branches).most_common(1)[0]
        mine = [b for b in branches if b.municipality == town]
        login_user(db.session.scalar(db.select(User).limit(1)))
        period = parse_period("2025")

        def page() -> str:
            report = municipality_report(town, period, mine)
            return render_template(
                "reports/municipality.html",
                report=report,
                towns=[town],
                chosen_town=town,
                period=period,
                periods=period_choices(),
            )

        def pdf() -> bytes:
            return report_pdf(municipality_report(town, period, mine))

        if runs > 1:
            page(), pdf()  # warm up: templates compiled, fonts found
        report = municipality_report(town, period, mine)
        seconds, html = timed(page, runs=runs)
        print(
            f"{label}  municipality report  {town} ({size} branches, "
            f"{report.now.visitors} visitors in 2025)  page {seconds:6.3f} s  "
            f"{len(html) // 1024} KiB",
            flush=True,
        )
        seconds, body = timed(pdf, runs=runs)
        print(f"{label}  municipality report  PDF  {seconds:6.3f} s  {len(body) // 1024} KiB")
        db.session.remove()
        db.engine.dispose()  # no connection left open behind it


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; getrusage's figure survives exec on Linux,
    so a child process would report its parent's peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_export(url: str, label: str) -> None:
    """Runs in its own process, so that peak RSS is the export's alone."""
    app = create_app(config(url))
    with app.app_context():
        branches = list(db.session.scalars(db.select(Branch)))
        before = peak_rss_mb()
        started, lines, size = time.perf_counter(), 0, 0
        for piece in raw_csv(FIRST_DAY, date(2026, 10, 1), branches, "excel-nl"):
            size += len(piece)
            lines += piece.count("\n")
        seconds = time.perf_counter() - started
        print(
            f"{label}  raw csv  {lines - 1} rows  {seconds:7.2f} s  {size / 2**20:.0f} MiB  "
            f"peak RSS {peak_rss_mb():.0f} MB (before the export {before:.0f} MB)"
        )


CASES = ("counts", "dashboard", "xlsx", "report", "csv")


def run(
    url: str, rows: int, label: str, generated: bool = False, cases=CASES, runs: int = 1
) -> None:
    if not generated:
        seconds, _ = timed(lambda: generate(url, rows))
        print(f"{label}  generated {rows} questions in {seconds:.0f} s", flush=True)
    if "counts" in cases:
        measure_counts(url, label)  # the dashboard and the XLSX with them
    elif "dashboard" in cases:
        measure_dashboard(url, label, runs)
    if "xlsx" in cases and "counts" not in cases:
        child = [sys.executable, __file__, "--xlsx-only", url, "--label", label]
        subprocess.run([*child, "--runs", str(runs)], check=True)
    if "report" in cases:
        measure_report(url, label)
    if "csv" in cases:
        child = [sys.executable, __file__, "--export-only", url, "--label", label]
        subprocess.run(child, check=True)


def kept_schema(url: str) -> None:
    """Data generated by older code: the tables and the questions' indexes as the models have
    them now (the migrations are not run on it)."""
    from bench_desk_http import update_schema  # noqa: PLC0415

    app = create_app(config(url))
    with app.app_context():
        update_schema()
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    parser.add_argument("--export-only")
    parser.add_argument("--label", default="sqlite")
    parser.add_argument("--keep", help="SQLite file to keep (and reuse when it exists)")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--url", help="measure a database generated before (SQLAlchemy URL)")
    parser.add_argument("--report-only", action="store_true", help="only the municipality report")
    parser.add_argument(
        "--kept", action="store_true", help="the data kept in benchmarks/data (made once)"
    )
    parser.add_argument(
        "--case", action="append", choices=CASES, help="measure only this (repeatable)"
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of --case dashboard or xlsx")
    parser.add_argument("--xlsx-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    cases = tuple(args.case or CASES)
    if args.export_only:
        measure_export(args.export_only, args.label)
        return
    if args.xlsx_only:
        measure_xlsx(args.xlsx_only, args.label, args.runs)
        return
    if args.kept:
        from bench_desk_http import postgres_url, sqlite_url  # noqa: PLC0415

        if not args.no_sqlite:
            url = sqlite_url(args.rows)
            kept_schema(url)
            run(url, args.rows, "sqlite  ", True, cases, args.runs)
        if args.postgres:
            with postgres_url(args.rows) as url:
                kept_schema(url)
                run(url, args.rows, "postgres", True, cases, args.runs)
        return
    if args.url and args.report_only:
        measure_report(args.url, args.url.split(":")[0].split("+")[0][:8].ljust(8))
        return
    if args.url:
        label = args.url.split(":")[0].split("+")[0][:8].ljust(8)
        run(args.url, args.rows, label, True, cases, args.runs)
        return
    if args.no_sqlite:
        pass
    elif args.keep:
        run(
            f"sqlite:///{os.path.abspath(args.keep)}",
            args.rows,
            "sqlite  ",
            generated=os.path.exists(args.keep),
        )
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{os.path.join(folder, 'bench.sqlite')}", args.rows, "sqlite  ")
    if args.postgres:
        from tests.pgcluster import PostgresCluster

        with PostgresCluster(in_memory=False) as cluster:
            run(cluster.create_database("bench"), args.rows, "postgres")


if __name__ == "__main__":
    main()
