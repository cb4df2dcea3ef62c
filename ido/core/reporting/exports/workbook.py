"""The counts as an XLSX workbook: a sheet per measure, cells styled as the reader's Excel
shows numbers, and a sheet that says how it counts."""

import io
import typing
from collections import defaultdict
from copy import copy
from datetime import date
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ido.core.models import Branch
from ido.core.reporting.counts import (
    DIMENSIONS,
    Totals,
    monthly_counts,
    monthly_totals,
)
from ido.core.timeutil import months_between

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ido.core.reporting.exports.cells import DUTCH_DIMENSIONS, Key, Table, safe_cell

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
