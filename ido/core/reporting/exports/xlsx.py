"""A small streaming XLSX writer for the count workbook: sheets of rows written as XML
straight into the zip, in the six styles the workbook uses (text, whole numbers, hours to a
tenth; each plain or bold), with column widths and frozen panes.

Why not a library: a year at 700 branches is 1.4 million cells. openpyxl's write-only mode
spent some 16 µs of CPU per cell and XlsxWriter's constant-memory mode 6 µs (22 s and 9 s for
the workbook); writing each row as one piece of XML costs 0.5 µs a cell. Strings are inline
(`t="inlineStr"`, as XlsxWriter writes them in constant-memory mode), so nothing is kept per
sheet; Excel and LibreOffice read both kinds, and turn them into shared strings on saving."""

import io
import re
import zipfile
from collections.abc import Sequence
from enum import IntEnum
from types import TracebackType
from typing import IO
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
COUNT_FORMAT = "#,##0"  # whole numbers, thousands grouped as the reader's Excel does
HOURS_FORMAT = "#,##0.0"  # hours of help, to a tenth
# Characters XML 1.0 cannot hold (openpyxl refused them with an error): shown as U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Style(IntEnum):
    """A cell's style: its index in the workbook's cellXfs (see STYLES_XML)."""

    TEXT = 0
    TEXT_BOLD = 1
    COUNT = 2
    COUNT_BOLD = 3
    HOURS = 4
    HOURS_BOLD = 5


STYLES_XML = (
    f'<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{HOURS_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    + "".join(  # numFmtId 3 is Excel's built-in "#,##0"
        f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
        + (' applyNumberFormat="1"' if number else "")
        + (' applyFont="1"' if font else "")
        + "/>"
        for number in (0, 3, 164)
        for font in (0, 1)
    )
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def column_letter(number: int) -> str:
    """A column's letters from its number (1: A, 27: AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    text = _NOT_XML.sub("\ufffd", escape(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{text}</t></is>"


class Sheet:
    """One worksheet being written: rows go into the zip as they are appended; leaving the
    `with` block ends the sheet."""

    def __init__(self, stream: IO[bytes], widths: Sequence[float], frozen: tuple[int, int]) -> None:
        self.stream, self.rows = stream, 0
        self.texts: dict[str, str] = {}  # each text as XML: names repeat on every row
        self.letters = [column_letter(n) for n in range(1, len(widths) + 1)]
        columns, rows = frozen
        view = ""
        if columns or rows:
            corner = f"{column_letter(columns + 1)}{rows + 1}"
            view = (
                f'<pane xSplit="{columns}" ySplit="{rows}" topLeftCell="{corner}" '
                'activePane="bottomRight" state="frozen"/><selection pane="topRight"/>'
                '<selection pane="bottomLeft"/>'
                f'<selection pane="bottomRight" activeCell="{corner}" sqref="{corner}"/>'
            )
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
            for n, width in enumerate(widths, 1)
        )
        self.pending = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews>'
            f'<sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        ]

    def append(self, values: Sequence[object], styles: Sequence[Style]) -> None:
        """A row: text, numbers (int or float) or nothing (None or an empty text), each
        cell in the style at its place in `styles`."""
        self.rows += 1
        row, cells = self.rows, []
        for letter, value, style in zip(self.letters, values, styles, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                text = self.texts.get(value) or self.texts.setdefault(value, _text(value))
                cells.append(f'<c r="{letter}{row}" s="{style}" t="inlineStr">{text}</c>')
            else:
                cells.append(f'<c r="{letter}{row}" s="{style}"><v>{value!r}</v></c>')
        self.pending.append(f'<row r="{row}">{"".join(cells)}</row>')
        if len(self.pending) >= 500:
            self._flush()

    def _flush(self) -> None:
        self.stream.write("".join(self.pending).encode())
        self.pending.clear()

    def __enter__(self) -> "Sheet":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.pending.append("</sheetData></worksheet>")
        self._flush()
        self.stream.close()


class Workbook:
    """An XLSX file built in memory, one sheet after the other (`with book.sheet(...) as
    sheet:`, then `sheet.append(...)`); `close()` gives the file's bytes."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        # Level 1: some 60 MB of XML for a national year; level 6 took several times longer
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.titles: list[str] = []

    def sheet(self, title: str, widths: Sequence[float], frozen: tuple[int, int] = (0, 0)) -> Sheet:
        """A new sheet with the columns' `widths`; `frozen` (columns, rows) stay in view when
        scrolling: (3, 1) keeps the first row and the columns A to C."""
        self.titles.append(title)
        return Sheet(
            self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w"), widths, frozen
        )

    def close(self) -> bytes:
        """The workbook's parts around its sheets, and the file's bytes."""
        count = len(self.titles)
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(self.titles, 1)
        )
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        parts = {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                    f'ContentType="{TYPES}.worksheet+xml"/>'
                    for n in range(1, count + 1)
                )
                + "</Types>"
            ),
            "_rels/.rels": (
                f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{sheets}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships xmlns="{PACKAGE_RELS}">'
                + "".join(
                    f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, count + 1)
                )
                + f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" '
                'Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": STYLES_XML,
        }
        for name, xml in parts.items():
            self.zip.writestr(name, head + xml)
        self.zip.close()
        return self.buffer.getvalue()
