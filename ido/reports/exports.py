"""CSV (two dialects), XLSX and the raw question export, all fed by the report queries."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import Date, Integer, String, bindparam, cast, func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ..extensions import db
from ..models import Agency, Branch, Channel, Help, Outcome, Question, Topic
from ..models.question import question_agencies, question_help, question_referrals, question_topics
from .params import add_months
from .queries import DIMENSIONS, CountRow, driver_rows, monthly_counts

DUTCH_DIMENSIONS = {"topic": "onderwerp", "agency": "instantie", "referral": "doorverwijzing",
                    "help": "hulp", "channel": "kanaal", "outcome": "uitkomst", "total": "totaal"}
DIALECTS = ("excel-nl", "rfc4180")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


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
# (rfc4180 header, excel-nl header) per column, in order; several codes are joined with "|".
RAW_COLUMNS = [("id", "id"), ("branch_code", "vestiging_code"), ("asked_at", "moment"),
               ("local_date", "datum"), ("topics", "onderwerpen"), ("agencies", "instanties"),
               ("referrals", "doorverwijzingen"), ("help", "hulp"), ("channel", "kanaal"),
               ("duration_minutes", "duur_minuten"), ("outcome", "uitkomst")]
NOTE_COLUMN = ("note", "notitie")
RAW_PIECE = 2000  # lines per streamed piece


def _as_text(value):
    return cast(value, String)


def _local_moment(dialect: str):
    """When the question was asked, as Europe/Amsterdam ISO 8601 text with its UTC offset.

    The database computes it from the stored UTC moment and the local date and hour fixed at
    write time: the offset is their difference in whole hours (Europe/Amsterdam has no other
    kind), so no row passes through Python's time zone code.
    """
    if dialect == "postgresql":
        utc = func.timezone("UTC", Question.asked_at)
        days = Question.local_date - cast(utc, Date)
        utc_hour = cast(func.extract("hour", utc), Integer)
        hour = func.to_char(Question.local_hour, "FM00")
        minutes_seconds = func.to_char(utc, ":MI:SS")
        offset = func.to_char(days * 24 + Question.local_hour - utc_hour, "SG00")
    else:  # SQLite keeps the UTC moment as text: "YYYY-MM-DD HH:MM:SS.ffffff"
        days = cast(func.julianday(Question.local_date)
                    - func.julianday(func.substr(Question.asked_at, 1, 10)), Integer)
        utc_hour = cast(func.substr(Question.asked_at, 12, 2), Integer)
        hour = func.printf("%02d", Question.local_hour)
        minutes_seconds = func.substr(Question.asked_at, 14, 6)
        offset = func.printf("%+03d", days * 24 + Question.local_hour - utc_hour)
    return _as_text(Question.local_date) + "T" + hour + minutes_seconds + offset + ":00"


def _dashed_id(dialect: str):
    """The question id as text with dashes (SQLite keeps a UUID as 32 hex digits)."""
    if dialect == "postgresql":
        return _as_text(Question.id)
    parts = [func.substr(Question.id, start, length)
             for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    dashed = parts[0]
    for part in parts[1:]:
        dashed = dashed + "-" + part
    return dashed


def _joined_codes(name: str, dialect: str, branch_ids: list[int]):
    """A month's (question id, "code|code") rows of one link table, codes in sorted order."""
    table, column, model = RAW_LINKS[name]
    rows = (db.select(table.c.question_id.label("question_id"), model.code.label("code"))
            .join(model, model.id == table.c[column])
            .where(table.c.counted, table.c.local_month == bindparam("month"),
                   table.c.branch_id.in_(branch_ids)))
    if dialect == "postgresql":
        codes = func.string_agg(model.code, aggregate_order_by(literal_column("'|'"), model.code))
        return rows.with_only_columns(_as_text(table.c.question_id), codes).group_by(
            table.c.question_id)
    # SQLite (3.40 here) has no ORDER BY inside group_concat; it joins in the order it reads,
    # and an ordered subquery under an aggregate is not flattened.
    ordered = rows.order_by(table.c.question_id, model.code).subquery()
    return (db.select(_as_text(ordered.c.question_id), func.group_concat(ordered.c.code, "|"))
            .group_by(ordered.c.question_id))


def _quoted(text: str, separator: str) -> str:
    """One CSV field of free text: neutralised, and quoted when it needs to be."""
    text = safe_cell(text)
    if any(c in text for c in (separator, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def raw_csv(first: date, last: date, branches: list[Branch], dialect: str,
            notes: bool = False) -> Iterator[str]:
    """Every question of the period in the branches, a CSV line each, streamed month by month.

    A million questions must stream in seconds: the database builds each line's fixed part as
    text (all of it codes, dates and numbers, none needing quotes) and each question's linked
    codes per month; Python only joins them. Only a month's codes are held in memory.
    Questions come in order of asking; notes (free text) only when asked for.
    """
    separator = ";" if dialect == "excel-nl" else ","
    header = [english if dialect == "rfc4180" else dutch
              for english, dutch in [*RAW_COLUMNS, *([NOTE_COLUMN] if notes else [])]]
    yield ("\ufeff" if dialect == "excel-nl" else "") + separator.join(header) + "\r\n"
    ids = [b.id for b in branches]
    if not ids:
        return
    name = db.session.connection().dialect.name
    link_queries = [_joined_codes(link, name, ids) for link in RAW_LINKS]
    head = (_dashed_id(name) + separator + Branch.code + separator + _local_moment(name)
            + separator + _as_text(Question.local_date) + separator)
    tail = separator + Channel.code + separator + _as_text(Question.duration_minutes) \
        + separator + Outcome.code
    questions = (db.select(_as_text(Question.id), head, tail, Question.note)
                 .join(Branch, Branch.id == Question.branch_id)
                 .join(Channel, Channel.id == Question.channel_id)
                 .join(Outcome, Outcome.id == Question.outcome_id)
                 .where(Question.deleted_at.is_(None), Question.local_month == bindparam("month"),
                        Question.branch_id.in_(ids))
                 .order_by(Question.asked_at, Question.id))
    for month in months_between(first, last):
        on = {"month": month}
        topics, agencies, referrals, help_ = (dict(driver_rows(q, on)) for q in link_queries)
        lines = []
        for key, start, end, note in driver_rows(questions, on):
            line = (f"{start}{topics.get(key, '')}{separator}{agencies.get(key, '')}{separator}"
                    f"{referrals.get(key, '')}{separator}{help_.get(key, '')}{end}")
            lines.append(f"{line}{separator}{_quoted(note or '', separator)}" if notes else line)
            if len(lines) == RAW_PIECE:
                yield "\r\n".join(lines) + "\r\n"
                lines = []
        if lines:
            yield "\r\n".join(lines) + "\r\n"
