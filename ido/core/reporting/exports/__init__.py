"""CSV (two dialects), XLSX and the raw question export, all fed by the report queries."""

from ido.core.reporting.exports.activities import activities_csv, activities_workbook
from ido.core.reporting.exports.cells import (
    DIALECTS,
    DUTCH_DIMENSIONS,
    count_header,
    count_record,
    counts_csv,
    hours_text,
    municipality_csv,
    municipality_rows,
    safe_cell,
    write_csv,
)
from ido.core.reporting.exports.raw import RAW_COLUMNS, raw_csv
from ido.core.reporting.exports.workbook import counts_workbook

__all__ = [
    "activities_csv",
    "activities_workbook",
    "DIALECTS",
    "DUTCH_DIMENSIONS",
    "RAW_COLUMNS",
    "count_header",
    "count_record",
    "counts_csv",
    "counts_workbook",
    "hours_text",
    "municipality_csv",
    "municipality_rows",
    "raw_csv",
    "safe_cell",
    "write_csv",
]
