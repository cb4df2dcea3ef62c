"""The benchmarks still run against today's code: their generators write what the service
writes, and the desk benchmark prints its figures."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ido import create_app
from ido.core.db import db
from ido.core.models import LINKS, Question, joined_codes

from .conftest import CHEAP_ARGON2, dispose, make_config

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # the benchmark scripts, on small data


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_report_generator_writes_whole_link_rows(database):
    url = database("bench_small")
    _module("bench_reports").generate(url, 300)
    app = create_app(make_config(url))
    with app.app_context():
        stored = list(db.session.scalars(db.select(Question)))
        assert len(stored) == 300
        for link in LINKS:  # copies match the link rows, which carry month, branch, counted
            assert all(
                getattr(q, link.column) == joined_codes(getattr(q, link.relation)) for q in stored
            )
            incomplete = db.session.scalar(
                db.select(db.func.count())
                .select_from(link.table)
                .where(
                    (link.table.c.local_month.is_(None))
                    | (link.table.c.branch_id.is_(None))
                    | link.table.c.counted.is_(None)
                )
            )
            assert incomplete == 0
    dispose(app)


def test_the_size_benchmark_lists_every_table_and_index(database, capsys):
    url = database("bench_size")
    _module("bench_reports").generate(url, 300)
    sizes = _module("bench_db_size")
    if url.startswith("sqlite"):
        total, objects = sizes.sqlite_sizes(url.removeprefix("sqlite:///"))
    else:
        total, objects = sizes.postgres_sizes(url)
    names = {name for name, _kind, _size in objects}
    assert {"question", "question_topic", "ix_question_month_counts"} <= names
    assert 0 < sum(size for _name, _kind, size in objects) <= total
    sizes.show("small", total, objects, 300, 5)
    printed = capsys.readouterr().out
    assert "bytes per question" in printed and "| question |" in printed


@pytest.mark.once  # a smoke test of the benchmark; the report itself is tested on both
def test_the_report_benchmark_measures_the_largest_municipality(database, capsys):
    """The yearly municipality report of the benchmark: its largest town, as page and PDF."""
    url = database("bench_report")
    bench = _module("bench_reports")
    bench.generate(url, 400)
    bench.measure_report(url, "test", runs=1)
    printed = capsys.readouterr().out
    assert "Gemeente 0 (24 branches" in printed and "page" in printed
    assert "municipality report  PDF" in printed


@pytest.mark.once  # a smoke test of the benchmark; the dashboard and XLSX are tested on both
def test_the_report_benchmark_measures_the_dashboard_and_the_xlsx(database, capsys):
    url = database("bench_figures")
    bench = _module("bench_reports")
    bench.generate(url, 300)
    bench.measure_dashboard(url, "test", runs=2)
    bench.measure_xlsx(url, "test")
    printed = capsys.readouterr().out
    assert printed.count("dashboard  year  700 branches") == 2
    assert "xlsx    year   all sheets" in printed and "peak RSS" in printed


@pytest.mark.once  # a smoke test of the benchmark; the counts are tested on both
def test_the_dashboard_sql_benchmark_lists_each_statement(database, capsys):
    url = database("bench_dashboard_sql")
    _module("bench_reports").generate(url, 300)
    _module("bench_dashboard_sql").measure(url, "test", runs=1)
    printed = capsys.readouterr().out
    assert "statements of the dashboard" in printed and "| no |" in printed
    assert printed.count("test: before:") == 2


@pytest.mark.once
def test_the_desk_benchmark_prints_its_figures():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_desk.py"), "--posts", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "SQLite: desk POST, 3 saves: CPU median" in result.stdout
    # the user with their library and branches, the taxonomy version (the lists come from the
    # process cache), the question, four link tables, the audit event (no id check first)
    assert "SQL statements per save: 8" in result.stdout


@pytest.mark.once
def test_the_http_desk_benchmark_runs_gunicorn_and_counts_every_row(tmp_path):
    """`make bench-desk` in small: a database generated, gunicorn with sync workers, desks that
    log in and save; every figure printed, no error, and the rows added equal the loops."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_desk_http.py"),
            *("--rows", "200", "--loops", "6", "--today", "25", "--desks", "3"),
            *("--data", str(tmp_path)),
        ],
        env={**os.environ, "FLASK_ARGON2_PARAMS": json.dumps(CHEAP_ARGON2)},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("SQLite")]
    assert len(lines) == 4, result.stdout
    for line in lines[:3]:
        assert "POST median" in line and "server CPU" in line and line.endswith("errors 0")
    assert "rows added 33 (expected 33: ok)" in lines[3]  # 18 loops, 3 warm-ups x 5 desks


@pytest.mark.once
def test_the_benchmarks_import_the_test_helpers_as_a_package():
    """The benchmarks' `--postgres` runs start the tests' throwaway cluster: imported as
    `tests.pgcluster`, since it imports its neighbours relatively (as a top-level module it
    failed only when `--postgres` was asked for)."""
    import ast

    helpers = {path.stem for path in (ROOT / "tests").glob("*.py")}
    found = []
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [f"{path.name}: {name}" for name in names if name in helpers]
    assert found == []
