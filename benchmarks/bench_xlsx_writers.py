"""Three ways to write the national count workbook's cells, side by side: openpyxl's write-only
mode (as the app did until issue 26), XlsxWriter's constant-memory mode, and the app's own
streaming writer (ido/core/reporting/exports/xlsx.py).

Usage: python benchmarks/bench_xlsx_writers.py [--rows 78000] [--runs 3]
Writes rows of the workbook's shape (5 texts and 13 numbers in a style, 1.4 million cells at the
default) in a process per writer and prints the CPU seconds (median of the runs, steady on a
busy machine), the wall seconds, the file's size and the process's peak RSS. XlsxWriter is not
a dependency of the app: `pip install xlsxwriter` to include it (skipped when missing).
"""

import argparse
import io
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rows(count: int) -> list[list]:
    rng = random.Random(1)
    return [
        [f"Gemeente {i // 300}", f"Vestiging {i // 100}", f"b{i // 100}", f"c{i % 100}"]
        + [f"Categorie {i % 100}"]
        + [rng.randrange(40) for _ in range(13)]
        for i in range(count)
    ]


def with_openpyxl(data: list[list]) -> bytes:
    """Write-only, each cell's style copied from the first of its kind (what the app did)."""
    from copy import copy  # noqa: PLC0415

    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Onderwerp")
    sheet.freeze_panes = "F2"
    proto = WriteOnlyCell(sheet, value=0)
    proto.number_format = "#,##0"
    for row in data:
        cells: list = list(row[:5])
        for value in row[5:]:
            cell = WriteOnlyCell(sheet, value=value)
            cell._style = copy(proto._style)
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_xlsxwriter(data: list[list]) -> bytes:
    import xlsxwriter  # noqa: PLC0415

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Onderwerp")
    sheet.freeze_panes(1, 5)
    number = book.add_format({"num_format": "#,##0"})
    for index, row in enumerate(data):
        for column in range(5):
            sheet.write_string(index, column, row[column])
        for column in range(5, 18):
            sheet.write_number(index, column, row[column], number)
    book.close()
    return out.getvalue()


def with_ours(data: list[list]) -> bytes:
    from ido.core.reporting.exports.xlsx import Style, Workbook  # noqa: PLC0415

    book = Workbook()
    styles = [Style.TEXT] * 5 + [Style.COUNT] * 13
    with book.sheet("Onderwerp", [10] * 18, frozen=(5, 1)) as sheet:
        for row in data:
            sheet.append(row, styles)
    return book.close()


WRITERS = {"openpyxl": with_openpyxl, "xlsxwriter": with_xlsxwriter, "ours": with_ours}


def measure(writer: str, count: int, runs: int) -> None:
    data = rows(count)
    WRITERS[writer](data[:10])  # imports done outside the timing (ours imports the app)
    cpu, wall = [], []
    for _ in range(runs):
        started, process = time.perf_counter(), time.process_time()
        body = WRITERS[writer](data)
        cpu.append(time.process_time() - process)
        wall.append(time.perf_counter() - started)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM"))
    print(
        f"{writer:10}  {count * 18:,} cells  CPU {statistics.median(cpu):6.2f} s "
        f"({1e6 * statistics.median(cpu) / (count * 18):.1f} µs a cell)  wall "
        f"{statistics.median(wall):6.2f} s  {len(body) // 1024:,} KiB  peak RSS {peak} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=78_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--writer", choices=WRITERS)
    args = parser.parse_args()
    if args.writer:
        measure(args.writer, args.rows, args.runs)
        return
    for writer in WRITERS:
        if writer == "xlsxwriter":
            try:
                import xlsxwriter  # noqa: F401, PLC0415
            except ImportError:
                print("xlsxwriter  not installed: skipped (pip install xlsxwriter)")
                continue
        command = [sys.executable, __file__, "--writer", writer]
        subprocess.run([*command, "--rows", str(args.rows), "--runs", str(args.runs)], check=True)


if __name__ == "__main__":
    main()
