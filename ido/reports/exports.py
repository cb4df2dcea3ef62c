"""CSV (two dialects), XLSX and the raw question export, all fed by the report queries."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..extensions import db
from ..models import Agency, Branch, Channel, Help, Outcome, Question, Topic
from ..models.question import question_agencies, question_help, question_referrals, question_topics
from ..timeutil import to_local
from .params import add_months
from .queries import DIMENSIONS, CountRow, monthly_counts

DUTCH_DIMENSIONS = {"topic": "onderwerp", "agency": "instantie", "referral": "doorverwijzing",
                    "help": "hulp", "channel": "kanaal", "outcome": "uitkomst", "total": "totaal"}
DIALECTS = ("excel-nl", "rfc4180")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
RAW_CHUNK = 5000


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
    label = (row.key.name_nl if dialect == "excel-nl" else row.key.name_en) if row.key else None
    keys = [] if by == "total" else [row.key.code, label]
    return [row.month.strftime("%Y-%m"), row.branch.code, row.branch.name, *keys, row.count]


def write_csv(records: Iterable[list], dialect: str) -> Iterator[str]:
    """CSV text in pieces: excel-nl is BOM, semicolons and CRLF; rfc4180 commas and CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dialect == "excel-nl" else ",",
                        lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if dialect == "excel-nl":
        yield "\ufeff"
    for count, record in enumerate(records, 1):
        writer.writerow([safe_cell(v) for v in record])
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


def raw_records(first: date, last: date, branches: list[Branch], notes: bool) -> Iterator[list]:
    """One record per question (never personal data; notes only when asked), in chunks."""
    codes = {model: {i.id: i.code for i in db.session.scalars(db.select(model))}
             for model in (Topic, Agency, Help, Channel, Outcome)}
    by_id = {b.id: b for b in branches}
    yield ["id", "branch_code", "asked_at", "local_date", "topics", "agencies", "referrals",
           "help", "channel", "duration_minutes", "outcome", "created_at",
           *(["note"] if notes else [])]
    columns = [Question.id, Question.branch_id, Question.asked_at, Question.local_date,
               Question.channel_id, Question.duration_minutes, Question.outcome_id,
               Question.created_at, Question.note]
    query = (db.select(*columns).where(
        Question.deleted_at.is_(None), Question.local_month >= first,
        Question.local_month <= last, Question.branch_id.in_(list(by_id)))
        .order_by(Question.local_month, Question.id)
        .execution_options(yield_per=RAW_CHUNK))
    for chunk in db.session.execute(query).partitions():
        ids = [row.id for row in chunk]
        links = {name: defaultdict(list) for name in RAW_LINKS}
        for name, (table, column, model) in RAW_LINKS.items():
            pairs = db.session.execute(db.select(table.c.question_id, table.c[column])
                                       .where(table.c.question_id.in_(ids)))
            for question_id, key in pairs:
                links[name][question_id].append(codes[model][key])
        for row in chunk:
            yield [str(row.id), by_id[row.branch_id].code, to_local(row.asked_at).isoformat(),
                   row.local_date.isoformat(),
                   *["|".join(sorted(links[name][row.id])) for name in RAW_LINKS],
                   codes[Channel][row.channel_id], row.duration_minutes,
                   codes[Outcome][row.outcome_id], to_local(row.created_at).isoformat(),
                   *([row.note or ""] if notes else [])]
