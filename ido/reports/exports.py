"""CSV (two dialects), XLSX and the raw question export, all fed by the report queries."""

import csv
import io
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import String, cast

from ..extensions import db
from ..models import Agency, Branch, Channel, Help, Outcome, Question, Topic
from ..models.question import question_agencies, question_help, question_referrals, question_topics
from ..timeutil import LOCAL_TZ
from .params import add_months
from .queries import DIMENSIONS, CountRow, monthly_counts

DUTCH_DIMENSIONS = {"topic": "onderwerp", "agency": "instantie", "referral": "doorverwijzing",
                    "help": "hulp", "channel": "kanaal", "outcome": "uitkomst", "total": "totaal"}
DIALECTS = ("excel-nl", "rfc4180")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
RAW_CHUNK = 5000
_CURSOR_NAMES = itertools.count()


def safe_cell(value):
    """A cell that no spreadsheet runs as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def count_header(by: str, dialect: str) -> list[str]:
    if dialect == "excel-nl":
        name = DUTCH_DIMENSIONS[by]
        keys = [] if by == "total" else [f"{name}_code", name]
        return ["maand", "vestiging_code", "vestiging", *keys, "aantal"]
    keys = [] if by == "total" else [f"{by}_code", f"{by}_name"]
    return ["month", "branch_code", "branch_name", *keys, "count"]


def count_record(row: CountRow, by: str, dialect: str) -> list:
    """One CSV record; the names are free text, so they are neutralised."""
    label = (row.key.name_nl if dialect == "excel-nl" else row.key.name_en) if row.key else None
    keys = [] if by == "total" else [row.key.code, safe_cell(label)]
    return [row.month.strftime("%Y-%m"), row.branch.code, safe_cell(row.branch.name), *keys,
            row.count]


def write_csv(records: Iterable[list], dialect: str) -> Iterator[str]:
    """CSV text in pieces: excel-nl is BOM, semicolons and CRLF; rfc4180 commas and CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dialect == "excel-nl" else ",",
                        lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if dialect == "excel-nl":
        yield "\ufeff"
    for count, record in enumerate(records, 1):
        writer.writerow(record)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def counts_csv(rows: list[CountRow], by: str, dialect: str) -> Iterator[str]:
    header = count_header(by, dialect)
    return write_csv([header, *(count_record(r, by, dialect) for r in rows)], dialect)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _text(sheet, value, bold=False):
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def counts_workbook(first: date, last: date, branches: list[Branch]) -> bytes:
    """A workbook with a sheet per dimension: a row per branch and category, months as columns."""
    book = Workbook(write_only=True)
    months = months_between(first, last)
    for by in ("total", *[d for d in DIMENSIONS if d != "total"]):
        sheet = book.create_sheet(DUTCH_DIMENSIONS[by].capitalize())
        table: dict = defaultdict(dict)
        for row in monthly_counts(first, last, by, branches):
            table[(row.branch.name, row.branch.code,
                   (row.key.position, row.key.code, row.key.name_nl) if row.key else None)][
                row.month] = row.count
        head = ["Vestiging", "Code"] + ([] if by == "total" else ["Code", "Categorie"])
        sheet.append([_text(sheet, h, True) for h in
                      head + [m.strftime("%Y-%m") for m in months] + ["Totaal"]])
        column_totals = defaultdict(int)
        for (name, code, key), per_month in sorted(table.items(), key=lambda i: (
                i[0][0], i[0][2] or ())):
            values = [per_month.get(m, 0) for m in months]
            for m, v in zip(months, values, strict=True):
                column_totals[m] += v
            keys = [] if key is None else [_text(sheet, key[1]), _text(sheet, key[2])]
            sheet.append([_text(sheet, name), _text(sheet, code), *keys, *values, sum(values)])
        pad = [""] * (len(head) - 1)
        sheet.append([_text(sheet, "Totaal", True), *pad,
                      *[column_totals[m] for m in months], sum(column_totals.values())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RAW_LINKS = {"topics": (question_topics, "topic_id", Topic),
             "agencies": (question_agencies, "agency_id", Agency),
             "referrals": (question_referrals, "agency_id", Agency),
             "help": (question_help, "help_id", Help)}
RAW_HEADER = ["id", "branch_code", "asked_at", "local_date", "topics", "agencies", "referrals",
              "help", "channel", "duration_minutes", "outcome"]


def _raw_filter(query, first: date, last: date, branch_ids: list[int]):
    # The same filter and order for the questions and each link table, so that the link rows
    # arrive in step with their question (a merge join): no per-chunk IN lists, no sorting.
    return (query.where(Question.deleted_at.is_(None), Question.local_month >= first,
                        Question.local_month <= last, Question.branch_id.in_(branch_ids))
            .order_by(Question.local_month, Question.branch_id, Question.id))


def _stream(query) -> Iterator[tuple]:
    """Plain driver rows of a query, in chunks, without SQLAlchemy's per-row work.

    A million rows must stream in seconds, so the rows come straight from the driver: the
    query (dates and integer ids only) is rendered with literal values, PostgreSQL reads it
    through a server-side cursor, and values come as the driver gives them.
    """
    connection = db.session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = connection.connection.dbapi_connection
    server_side = connection.dialect.name == "postgresql"
    cursor = dbapi.cursor(name=f"ido_export_{next(_CURSOR_NAMES)}") if server_side \
        else dbapi.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(RAW_CHUNK):
            yield from rows
    finally:
        cursor.close()


def _aware(value) -> datetime:
    """A stored UTC moment as an aware datetime (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def _link_codes(name: str, first: date, last: date, branch_ids: list[int]) -> Iterator:
    """(question id text, '|'-joined codes) per question that has any, in export order."""
    table, column, model = RAW_LINKS[name]
    codes = {i.id: i.code for i in db.session.scalars(db.select(model))}
    query = _raw_filter(db.select(cast(table.c.question_id, String), table.c[column])
                        .join(Question, Question.id == table.c.question_id),
                        first, last, branch_ids)
    current, found = None, []
    for question_id, key in _stream(query):
        if question_id != current:
            if current is not None:
                yield current, "|".join(sorted(found))
            current, found = question_id, []
        found.append(codes[key])
    if current is not None:
        yield current, "|".join(sorted(found))


def _dashed(text: str) -> str:
    """A UUID as text with dashes (SQLite keeps it as 32 hex digits)."""
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def raw_records(first: date, last: date, branches: list[Branch], notes: bool) -> Iterator[list]:
    """One record per question (never personal data; notes only when asked), streamed."""
    ids = [b.id for b in branches]
    branch_codes = {b.id: b.code for b in branches}
    channels = {i.id: i.code for i in db.session.scalars(db.select(Channel))}
    outcomes = {i.id: i.code for i in db.session.scalars(db.select(Outcome))}
    yield [*RAW_HEADER, *(["note"] if notes else [])]
    links = [_link_codes(name, first, last, ids) for name in RAW_LINKS]
    heads = [next(stream, (None, "")) for stream in links]
    query = _raw_filter(db.select(
        cast(Question.id, String), Question.branch_id, Question.asked_at,
        cast(Question.local_date, String), Question.channel_id, Question.duration_minutes,
        Question.outcome_id, Question.note), first, last, ids)
    for qid, branch_id, asked_at, local_date, channel, minutes, outcome, note in _stream(query):
        joined = []
        for index, stream in enumerate(links):
            head_id, codes = heads[index]
            if head_id == qid:
                joined.append(codes)
                heads[index] = next(stream, (None, ""))
            else:
                joined.append("")
        record = [_dashed(qid), branch_codes[branch_id],
                  _aware(asked_at).astimezone(LOCAL_TZ).isoformat(), local_date, *joined,
                  channels[channel], minutes, outcomes[outcome]]
        if notes:
            record.append(safe_cell(note or ""))
        yield record
