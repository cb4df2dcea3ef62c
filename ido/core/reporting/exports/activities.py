"""Activities per branch and year as CSV (both dialects) and as an XLSX workbook: the same
figures, in the same order, as the JSON API (ido.core.activities.report.figures_row)."""

import io
from collections.abc import Iterator, Sequence
from typing import Any

from ido.core.activities import BranchActivities
from ido.core.activities.report import figures_row
from ido.core.reporting.exports.cells import safe_cell, write_csv

DUTCH = {
    "branch": "vestiging_code",
    "branch_name": "vestiging",
    "municipality": "gemeente",
    "takes_part": "doet_mee_convenant",
    "convenant_held": "convenant_gehouden",
    "convenant_minimum": "convenant_minimum",
    "still_needed": "nog_nodig",
    "held": "gehouden",
    "planned": "gepland",
    "reached": "bereikt",
    "reached_other_form": "bereikt_anders_dan_fysiek",
}


def activity_records(
    figures: Sequence[BranchActivities], year: int, kinds: Sequence[str], dialect: str
) -> list[list[Any]]:
    """The header and a record per branch; one column per kind of activity (sessions held)."""
    dutch = dialect == "excel-nl"
    header = ["jaar" if dutch else "year"]
    header += [DUTCH[key] if dutch else key for key in DUTCH]
    header += [f"{'soort' if dutch else 'kind'}_{kind}" for kind in kinds]
    records: list[list[Any]] = [header]
    for found in figures:
        row = figures_row(found, kinds)
        by_kind = row.pop("by_kind")
        values: list[Any] = [year]
        for _key, value in row.items():
            if isinstance(value, bool):
                value = ("ja" if value else "nee") if dutch else ("yes" if value else "no")
            values.append(safe_cell("" if value is None else value))
        records.append([*values, *by_kind.values()])  # type: ignore[attr-defined]
    return records


def activities_csv(
    figures: Sequence[BranchActivities], year: int, kinds: Sequence[str], dialect: str
) -> Iterator[str]:
    return write_csv(activity_records(figures, year, kinds, dialect), dialect)


def activities_workbook(
    figures: Sequence[BranchActivities], year: int, kinds: Sequence[str]
) -> bytes:
    """One sheet, Activiteiten, with the Dutch columns of the CSV."""
    from openpyxl import Workbook  # noqa: PLC0415  (imported when first used: a worker stays small)

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Activiteiten")
    for record in activity_records(figures, year, kinds, "excel-nl"):
        sheet.append(record)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
