"""What the database of the million questions holds on disk, per table and index.

Usage: python benchmarks/bench_db_size.py [--rows N] [--postgres] [--top N]

Reads the data kept in benchmarks/data (generated once by `make bench`, see bench_desk_http.py;
brought to the models' indexes first): on SQLite each table's and index's pages from SQLite's
`dbstat`, on PostgreSQL `pg_relation_size` of each table, index and TOAST table. Prints the
file's (or database's) size, then the largest objects with their share, and bytes per question.
The aim of issue 26: at most 350 MB at 1,000,000 questions.
"""

import argparse
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_desk_http import postgres_url, sqlite_url  # noqa: E402
from bench_reports import kept_schema  # noqa: E402

MB = 1_000_000
PG_SIZES = """
SELECT c.relname, c.relkind, pg_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')
"""


def sqlite_sizes(path: str) -> tuple[int, list[tuple[str, str, int]]]:
    """The file's size and (name, kind, bytes) per table and index."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
        rows = connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        page = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    # pages freed (by a dropped index, say) stay in the file for later writes until VACUUM
    objects = [(name, kinds.get(name, "index"), size) for name, size in rows]
    return page * pages, [*objects, ("(free pages)", "free", page * free)]


def postgres_sizes(url: str) -> tuple[int, list[tuple[str, str, int]]]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        total = connection.scalar(sa.text("SELECT pg_database_size(current_database())"))
        rows = connection.execute(sa.text(PG_SIZES)).all()
    engine.dispose()
    kind = {"r": "table", "i": "index", "t": "toast"}
    return total, [(name, kind[relkind], size) for name, relkind, size in rows]


def show(label: str, total: int, objects: list[tuple[str, str, int]], rows: int, top: int) -> None:
    print(f"{label}: {total / MB:.0f} MB in all, {total / rows:.0f} bytes per question")
    print(f"| {label} object | kind | MB | share |")
    print("| --- | --- | --- | --- |")
    for name, kind, size in sorted(objects, key=lambda o: -o[2])[:top]:
        print(f"| {name} | {kind} | {size / MB:.1f} | {100 * size / total:.1f} % |")
    tables = sum(size for _name, kind, size in objects if kind == "table")
    indexes = sum(size for _name, kind, size in objects if kind == "index")
    free = sum(size for _name, kind, size in objects if kind == "free")
    parts = f"tables {tables / MB:.0f} MB, indexes {indexes / MB:.0f} MB"
    print(f"{parts}, free pages {free / MB:.0f} MB\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="also the PostgreSQL copy")
    parser.add_argument("--top", type=int, default=25, help="objects listed")
    args = parser.parse_args()
    url = sqlite_url(args.rows)
    kept_schema(url)
    show("SQLite", *sqlite_sizes(url.removeprefix("sqlite:///")), args.rows, args.top)
    if args.postgres:
        with postgres_url(args.rows) as pg_url:
            kept_schema(pg_url)
            show("PostgreSQL", *postgres_sizes(pg_url), args.rows, args.top)


if __name__ == "__main__":
    main()
