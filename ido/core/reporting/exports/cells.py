"""CSV for Dutch Excel or RFC 4180: the dialects, cells that never run as formulas, and the
count tables per month (by dimension, and a municipality's)."""

import csv
import io
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from ido.core.models import Category
from ido.core.reporting.counts import (
    CountRow,
    Totals,
)

if TYPE_CHECKING:
    pass


_T = TypeVar("_T")

DUTCH_DIMENSIONS = {
    "topic": "onderwerp",
    "agency": "instantie",
    "referral": "doorverwijzing",
    "help": "hulp",
    "channel": "kanaal",
    "outcome": "uitkomst",
    "total": "totaal",
}
DIALECTS = ("excel-nl", "rfc4180")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def safe_cell(value: _T) -> _T | str:
    """A cell that no spreadsheet runs as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def count_header(by: str, dialect: str) -> list[str]:
    """The columns of the monthly counts; the totals also give the questions (topics) and the
    hours of help beside the visitors (entries) they count."""
    if dialect == "excel-nl":
        name = DUTCH_DIMENSIONS[by]
        keys = [] if by == "total" else [f"{name}_code", name]
        extra = ["vragen", "uren_hulp"] if by == "total" else []
        return ["maand", "vestiging_code", "vestiging", *keys, "aantal", *extra]
    keys = [] if by == "total" else [f"{by}_code", f"{by}_name"]
    extra = ["questions", "hours"] if by == "total" else []
    return ["month", "branch_code", "branch_name", *keys, "count", *extra]


def hours_text(minutes: int, dialect: str) -> str:
    """Hours to a tenth, with the decimal comma Dutch Excel reads (excel-nl) or a point."""
    text = f"{minutes / 60:.1f}"
    return text.replace(".", ",") if dialect == "excel-nl" else text


def count_record(
    row: CountRow, by: str, dialect: str, totals: dict[tuple[date, int], Totals] | None = None
) -> list[Any]:
    """One CSV record; the names are free text, so they are neutralised."""
    label = (row.key.name_nl if dialect == "excel-nl" else row.key.name_en) if row.key else None
    keys = [] if by == "total" else [typing.cast(Category, row.key).code, safe_cell(label)]
    extra: list[Any] = []
    if by == "total":
        found = (totals or {}).get((row.month, row.branch.id), Totals())
        extra = [found.questions, hours_text(found.minutes, dialect)]
    return [
        row.month.strftime("%Y-%m"),
        row.branch.code,
        safe_cell(row.branch.name),
        *keys,
        row.count,
        *extra,
    ]


def write_csv(records: Iterable[list[Any]], dialect: str) -> Iterator[str]:
    """CSV text in pieces: excel-nl is BOM, semicolons and CRLF; rfc4180 commas and CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if dialect == "excel-nl" else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    if dialect == "excel-nl":
        yield "\ufeff"
    for count, record in enumerate(records, 1):
        writer.writerow(record)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def counts_csv(
    rows: list[CountRow],
    by: str,
    dialect: str,
    totals: dict[tuple[date, int], Totals] | None = None,
) -> Iterator[str]:
    """The monthly counts as CSV; for `by=total`, `totals` gives the questions and hours."""
    header = count_header(by, dialect)
    return write_csv([header, *(count_record(r, by, dialect, totals) for r in rows)], dialect)


Key = tuple[int, str, str] | None  # a category's (position, code, Dutch name); None: a total
Table = dict[tuple[str, str, str, Key], dict[date, float]]  # (municipality, branch, code, key)


def municipality_rows(rows: list[CountRow]) -> list[tuple[date, str, Category | None, int]]:
    """The branches' counts added up per month, municipality and category."""
    summed: defaultdict[tuple[date, str, Category | None], int] = defaultdict(int)
    for row in rows:
        summed[(row.month, row.branch.municipality, row.key)] += row.count
    return sorted(
        ((month, town, key, count) for (month, town, key), count in summed.items()),
        key=lambda r: (r[0], r[1], (r[2].position, r[2].code) if r[2] else ()),
    )


def municipality_csv(
    rows: list[CountRow],
    by: str,
    dialect: str,
    totals: dict[tuple[date, int], Totals] | None = None,
) -> Iterator[str]:
    """Monthly counts per municipality (its branches added up) as CSV; for `by=total` with
    the questions and hours of help (from `totals`) as well."""
    dutch = dialect == "excel-nl"
    branch_header = count_header(by, dialect)  # month, branch code and name, the rest
    header = [branch_header[0], "gemeente" if dutch else "municipality", *branch_header[3:]]
    towns: defaultdict[tuple[date, str], list[Totals]] = defaultdict(list)
    if by == "total":
        branch_towns = {row.branch.id: row.branch.municipality for row in rows}
        for (month, branch_id), found in (totals or {}).items():
            towns[(month, branch_towns.get(branch_id, ""))].append(found)
    records = []
    for month, town, key, count in municipality_rows(rows):
        label = (key.name_nl if dutch else key.name_en) if key else None
        codes = [] if by == "total" else [typing.cast(Category, key).code, safe_cell(label)]
        extra: list[Any] = []
        if by == "total":
            summed = Totals.of(towns[(month, town)])
            extra = [summed.questions, hours_text(summed.minutes, dialect)]
        records.append([month.strftime("%Y-%m"), safe_cell(town), *codes, count, *extra])
    return write_csv([header, *records], dialect)
