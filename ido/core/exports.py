"""CSV (two dialects), XLSX and the raw question export, all fed by the report queries."""

import csv
import io
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from copy import copy
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, SQLColumnExpression, String, bindparam, cast, func, null

from ido.core.counts import (
    DIMENSIONS,
    CountRow,
    Totals,
    among,
    driver_chunks,
    monthly_counts,
    monthly_totals,
)
from ido.core.db import db
from ido.core.models import Branch, Category, Channel, Outcome, Question
from ido.core.timeutil import LOCAL_TZ, months_between

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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


COUNT_FORMAT = "#,##0"  # whole numbers, thousands grouped as the reader's Excel does
HOURS_FORMAT = "#,##0.0"  # hours of help, to a tenth


class _Styles:
    """Cells of a workbook in a few styles (bold or not, a number format). Setting a font or
    a number format on a cell makes openpyxl look the style up in the workbook's tables, and
    a year at 700 branches has 1.4 million cells: the first cell of each style is styled, the
    others get a copy of its style array (what openpyxl's own copy of a style does)."""

    def __init__(self) -> None:
        self.arrays: dict[tuple[bool, str | None], Any] = {}

    def cell(
        self, sheet: "WriteOnlyWorksheet", value: object, bold: bool, number_format: str | None
    ) -> "Cell":
        cell = WriteOnlyCell(sheet, value=value)
        key = (bold, number_format)
        if key in self.arrays:
            cell._style = copy(self.arrays[key])
            return cell
        if bold:
            cell.font = Font(bold=True)
        if number_format:
            cell.number_format = number_format
        self.arrays[key] = copy(cell._style)
        return cell

    def text(self, sheet: "WriteOnlyWorksheet", value: object, bold: bool = False) -> "Cell":
        cell = self.cell(sheet, safe_cell(value), bold, None)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    def number(
        self,
        sheet: "WriteOnlyWorksheet",
        value: float,
        bold: bool = False,
        number_format: str = COUNT_FORMAT,
    ) -> "Cell":
        return self.cell(sheet, value, bold, number_format)


Key = tuple[int, str, str] | None  # a category's (position, code, Dutch name); None: a total
Table = dict[tuple[str, str, str, Key], dict[date, float]]  # (municipality, branch, code, key)


def _count_sheet(
    book: Workbook,
    styles: _Styles,
    title: str,
    months: list[date],
    table: Table,
    keyed: bool,
    number_format: str,
) -> None:
    """A sheet of a row per branch (and category when `keyed`), months as columns, grouped by
    municipality with the municipality's totals under its branches and the total of all at
    the bottom. The header row and the name columns stay in view when scrolling."""
    sheet = book.create_sheet(title)
    head = ["Gemeente", "Vestiging", "Code"] + (["Code", "Categorie"] if keyed else [])
    widths = [22, 30, 14] + ([18, 44] if keyed else [])
    for index, width in enumerate([*widths, *[10] * len(months), 11], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"{get_column_letter(len(head) + 1)}2"
    sheet.append(
        [
            styles.text(sheet, h, True)
            for h in head + [m.strftime("%Y-%m") for m in months] + ["Totaal"]
        ]
    )

    def append(labels: list[str], key: Key, per_month: dict[date, float], bold: bool) -> None:
        values = [per_month.get(m, 0) for m in months]
        keys = (
            []
            if key is None
            else [styles.text(sheet, key[1], bold), styles.text(sheet, key[2], bold)]
        )
        sheet.append(
            [
                *[styles.text(sheet, label, bold) for label in labels],
                *keys,
                *[styles.number(sheet, v, bold, number_format) for v in values],
                styles.number(sheet, sum(values), bold, number_format),
            ]
        )

    everything: defaultdict[Key, dict[date, float]] = defaultdict(dict)
    for municipality in sorted({k[0] for k in table}):
        mine = sorted(
            ((k, v) for k, v in table.items() if k[0] == municipality),
            key=lambda item: (item[0][1], item[0][3] or ()),
        )
        subtotal: defaultdict[Key, dict[date, float]] = defaultdict(dict)
        for (_m, name, code, key), per_month in mine:
            append([municipality, name, code], key, per_month, False)
            for month, count in per_month.items():
                subtotal[key][month] = subtotal[key].get(month, 0) + count
                everything[key][month] = everything[key].get(month, 0) + count
        for key in sorted(subtotal, key=lambda k: k or ()):
            append([municipality, f"Totaal {municipality}", ""], key, subtotal[key], True)
    for key in sorted(everything, key=lambda k: k or ()):
        append(["Totaal", "", ""], key, everything[key], True)


def counts_workbook(first: date, last: date, branches: list[Branch]) -> bytes:
    """A workbook: visitors ("Totaal"), questions and hours of help per branch and month, then
    a sheet per dimension (a row per branch and category), each grouped by municipality."""
    book, styles = Workbook(write_only=True), _Styles()
    months = months_between(first, last)
    by_id = {b.id: b for b in branches}
    totals = monthly_totals(first, last, branches)

    def per_branch(value: typing.Callable[[Totals], float]) -> Table:
        table: defaultdict[tuple[str, str, str, Key], dict[date, float]] = defaultdict(dict)
        for (month, branch_id), found in totals.items():
            branch = by_id[branch_id]
            table[(branch.municipality, branch.name, branch.code, None)][month] = value(found)
        return table

    for by in ("total", *[d for d in DIMENSIONS if d != "total"]):
        table: defaultdict[tuple[str, str, str, Key], dict[date, float]] = defaultdict(dict)
        for row in monthly_counts(first, last, by, branches):
            key = (row.key.position, row.key.code, row.key.name_nl) if row.key else None
            table[(row.branch.municipality, row.branch.name, row.branch.code, key)][row.month] = (
                row.count
            )
        if by == "total":
            _count_sheet(book, styles, "Totaal", months, table, False, COUNT_FORMAT)
            _count_sheet(
                book,
                styles,
                "Vragen",
                months,
                per_branch(lambda t: t.questions),
                False,
                COUNT_FORMAT,
            )
            _count_sheet(
                book,
                styles,
                "Uren hulp",
                months,
                per_branch(lambda t: t.minutes / 60),
                False,
                HOURS_FORMAT,
            )
        else:
            _count_sheet(
                book, styles, DUTCH_DIMENSIONS[by].capitalize(), months, table, True, COUNT_FORMAT
            )
    notes = book.create_sheet("Toelichting")
    notes.column_dimensions["A"].width = 110
    for line in WORKBOOK_NOTES:
        notes.append([styles.text(notes, line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# How the workbook counts, on its last sheet (the workbook is for the municipality and the
# national reporting, so in Dutch like its sheet names)
WORKBOOK_NOTES = (
    "Zo wordt geteld",
    "Eén registratie aan de balie is één bezoeker (blad Totaal en de bladen per categorie).",
    "Elk onderwerp in een registratie is één vraag; een vervolgvraag en haar onderwerp samen "
    "één (DigiD en DigiD-app: één vraag over DigiD) (blad Vragen).",
    "Uren hulp: de som van de duur van de registraties, in uren (blad Uren hulp).",
    "Een registratie met twee onderwerpen telt onder elk onderwerp één keer, en één keer in "
    "het totaal.",
    "Maanden in Nederlandse tijd; verwijderde registraties tellen niet mee. Er staan geen "
    "persoonsgegevens van bezoekers in dit bestand.",
)


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


# (rfc4180 header, excel-nl header) per column, in order; several codes are joined with "|".
RAW_COLUMNS = [
    ("id", "id"),
    ("branch_code", "vestiging_code"),
    ("asked_at", "moment"),
    ("local_date", "datum"),
    ("topics", "onderwerpen"),
    ("agencies", "instanties"),
    ("referrals", "doorverwijzingen"),
    ("help", "hulp"),
    ("channel", "kanaal"),
    ("duration_minutes", "duur_minuten"),
    ("outcome", "uitkomst"),
]
NOTE_COLUMN = ("note", "notitie")
RAW_PIECE = 2000  # rows fetched and lines streamed at a time


def _codes(model: type[Branch] | type[Category]) -> dict[int, str]:
    return dict(db.session.execute(db.select(model.id, model.code)).all())


def _raw_query(dialect: str, branch_ids: list[int], notes: bool) -> Select[*tuple[Any, ...]]:
    """A month's questions (the month is a parameter) in order of asking, as driver values."""
    if dialect == "postgresql":  # as SQLite gives them: dashed id text, "YYYY-MM-DD HH:MM:SS"
        qid: SQLColumnExpression[Any] = cast(Question.id, String)
        utc: SQLColumnExpression[Any] = func.to_char(
            func.timezone("UTC", Question.asked_at), "YYYY-MM-DD HH24:MI:SS"
        )
    else:
        qid, utc = Question.id, Question.asked_at
    return typing.cast(
        Select[*tuple[Any, ...]],
        db.select(
            qid,
            Question.branch_id,
            utc,
            Question.topic_codes,
            Question.agency_codes,
            Question.referral_codes,
            Question.help_codes,
            Question.channel_id,
            Question.duration_minutes,
            Question.outcome_id,
            Question.local_hour,
            Question.note if notes else null(),
        )
        .where(
            Question.deleted_at.is_(None),
            Question.local_month == bindparam("month"),
            among(Question.branch_id, branch_ids),
        )
        .order_by(Question.asked_at, Question.id),
    )


class _LocalHours(dict[str, tuple[str, str, str]]):
    """UTC hour ("YYYY-MM-DD HH") -> (local "YYYY-MM-DDTHH", "+01:00", local date), on demand.

    Europe/Amsterdam differs from UTC by whole hours, so a moment's local text is its local
    hour plus the UTC minutes and seconds: one time zone conversion per hour, not per row.
    """

    def __missing__(self, hour: str) -> tuple[str, str, str]:
        local = datetime.fromisoformat(f"{hour}:00:00+00:00").astimezone(LOCAL_TZ)
        if typing.cast(timedelta, local.utcoffset()) % timedelta(hours=1):
            raise ValueError(f"{LOCAL_TZ.key} is not a whole number of hours from UTC at {hour}")
        text = local.isoformat()
        self[hour] = found = (text[:13], text[19:], text[:10])
        return found


def _quoted(text: str, separator: str) -> str:
    """One CSV field of free text: neutralised, and quoted when it needs to be."""
    text = safe_cell(text)
    if any(c in text for c in (separator, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def raw_csv(
    first: date, last: date, branches: list[Branch], dialect: str, notes: bool = False
) -> Iterator[str]:
    """Every question of the period in the branches, a CSV line each, streamed month by month.

    A million questions must stream in seconds, so each month is one plain query (the question
    row holds copies of its link codes) and the lines are put together from driver values:
    codes, dates and numbers, none needing quotes. Questions come in order of asking; several
    codes in one field are joined with "|"; notes (free text) only when asked for.
    """
    s = ";" if dialect == "excel-nl" else ","
    header = [
        english if dialect == "rfc4180" else dutch
        for english, dutch in [*RAW_COLUMNS, *([NOTE_COLUMN] if notes else [])]
    ]
    yield ("\ufeff" if dialect == "excel-nl" else "") + s.join(header) + "\r\n"
    if not branches:
        return
    query = _raw_query(db.session.connection().dialect.name, [b.id for b in branches], notes)
    branch_codes, channels, outcomes = _codes(Branch), _codes(Channel), _codes(Outcome)
    hours = _LocalHours()
    for month in months_between(first, last):
        for chunk in driver_chunks(query, {"month": month}, RAW_PIECE):
            lines = []
            for (
                qid,
                branch,
                utc,
                topics,
                agencies,
                referrals,
                help_,
                channel,
                minutes,
                outcome,
                hour_known,
                note,
            ) in chunk:
                if len(qid) == 32:  # SQLite keeps a UUID as 32 hex digits
                    qid = f"{qid[:8]}-{qid[8:12]}-{qid[12:16]}-{qid[16:20]}-{qid[20:]}"
                local_hour, offset, day = hours[utc[:13]]
                # a question whose time is not known (from a paper sheet): the day alone
                moment = day if hour_known is None else f"{local_hour}{utc[13:19]}{offset}"
                line = (
                    f"{qid}{s}{branch_codes[branch]}{s}{moment}{s}"
                    f"{day}{s}{topics}{s}{agencies}{s}{referrals}{s}{help_}{s}"
                    f"{channels[channel]}{s}{minutes}{s}{outcomes[outcome]}"
                )
                lines.append(f"{line}{s}{_quoted(note or '', s)}" if notes else line)
            yield "\r\n".join(lines) + "\r\n"
