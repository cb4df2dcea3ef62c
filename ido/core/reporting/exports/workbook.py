"""The counts as an XLSX workbook: a sheet per measure, cells styled as the reader's Excel
shows numbers, and a sheet that says how it counts."""

import typing
from collections import defaultdict
from datetime import date

from ido.core.models import Branch
from ido.core.reporting.counts import (
    DIMENSIONS,
    Totals,
    monthly_counts,
    monthly_totals,
)
from ido.core.reporting.exports.cells import DUTCH_DIMENSIONS, Key, Table, safe_cell
from ido.core.reporting.exports.xlsx import Style, Workbook
from ido.core.timeutil import months_between


def _count_sheet(
    book: Workbook, title: str, months: list[date], table: Table, keyed: bool, hours: bool
) -> None:
    """A sheet of a row per branch (and category when `keyed`), months as columns, grouped by
    municipality with the municipality's totals under its branches and the total of all at
    the bottom. The header row and the name columns stay in view when scrolling."""
    head = ["Gemeente", "Vestiging", "Code"] + (["Code", "Categorie"] if keyed else [])
    widths = [22, 30, 14] + ([18, 44] if keyed else []) + [10] * len(months) + [11]
    plain, bold = (Style.HOURS, Style.HOURS_BOLD) if hours else (Style.COUNT, Style.COUNT_BOLD)
    styles = {
        bold_row: [Style.TEXT_BOLD if bold_row else Style.TEXT] * len(head)
        + [bold if bold_row else plain] * (len(months) + 1)
        for bold_row in (False, True)
    }
    with book.sheet(title, widths, frozen=(len(head), 1)) as sheet:
        sheet.append(
            [*head, *[m.strftime("%Y-%m") for m in months], "Totaal"],
            [Style.TEXT_BOLD] * len(widths),
        )

        def append(labels: list[str], key: Key, per_month: dict[date, float], strong: bool) -> None:
            values = [per_month.get(m, 0) for m in months]
            keys = [] if key is None else [safe_cell(key[1]), safe_cell(key[2])]
            texts = [safe_cell(label) for label in labels]
            sheet.append([*texts, *keys, *values, sum(values)], styles[strong])

        towns: defaultdict[str, list[tuple[tuple[str, str, str, Key], dict[date, float]]]]
        towns = defaultdict(list)
        for item in table.items():
            towns[item[0][0]].append(item)
        everything: defaultdict[Key, dict[date, float]] = defaultdict(dict)
        for municipality in sorted(towns):
            mine = sorted(towns[municipality], key=lambda item: (item[0][1], item[0][3] or ()))
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
    book = Workbook()
    months = months_between(first, last)
    by_id = {b.id: b for b in branches}
    totals = monthly_totals(first, last, branches)

    def per_branch(value: typing.Callable[[Totals], float]) -> Table:
        table: defaultdict[tuple[str, str, str, Key], dict[date, float]] = defaultdict(dict)
        for (month, branch_id), found in totals.items():
            branch = by_id[branch_id]
            table[(branch.municipality, branch.name, branch.code, None)][month] = value(found)
        return table

    # A branch's and a category's names looked up once, not on each of 175,000 rows (the
    # ORM's attributes took two seconds for a year at 700 branches)
    names = {b: (b.municipality, b.name, b.code) for b in branches}
    for by in ("total", *[d for d in DIMENSIONS if d != "total"]):
        table: defaultdict[tuple[str, str, str, Key], dict[date, float]] = defaultdict(dict)
        keys: dict[object, Key] = {None: None}
        for month, branch, category, count in monthly_counts(first, last, by, branches):
            if category is not None and category not in keys:
                keys[category] = (category.position, category.code, category.name_nl)
            table[(*names[branch], keys[category])][month] = count
        if by == "total":
            _count_sheet(book, "Totaal", months, table, False, False)
            _count_sheet(book, "Vragen", months, per_branch(lambda t: t.questions), False, False)
            hours = per_branch(lambda t: t.minutes / 60)
            _count_sheet(book, "Uren hulp", months, hours, False, True)
        else:
            _count_sheet(book, DUTCH_DIMENSIONS[by].capitalize(), months, table, True, False)
    with book.sheet("Toelichting", [110]) as notes:
        for line in WORKBOOK_NOTES:
            notes.append([line], [Style.TEXT])
    return book.close()


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
