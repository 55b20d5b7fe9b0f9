"""Writing blocks onto a sheet: titles, notes and Excel tables with units, formats and filters.

Every string goes through `safe.put_text`, so only `Formula` values written by this package can ever
become formulas.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.report import style
from labormatch.report.safe import put_text

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 4
_MIN_WIDTH, _MAX_WIDTH = 8, 60
DEFAULT_WIDTH = 8.43  # a column whose width is not set (Excel's and LibreOffice's default for Calibri 11)
#: Width (characters) of a column of sector labels: they wrap (the longest, 60 characters, on three lines) rather
#: than widen the printed page.
SECTOR_WIDTH = 26


class Formula(str):
    """An Excel formula written by this package (starts with `=`); the only strings stored as formulas."""

    def __new__(cls, text: str):
        if not text.startswith("="):
            raise ValueError(f"an Excel formula starts with '=': {text!r}")
        return super().__new__(cls, text)


@dataclass(frozen=True)
class Column:
    """One table column: `header` names the quantity and its unit, e.g. "Cap (workers)"."""

    header: str
    number_format: str | None = None
    width: float | None = None
    wrap: bool = False


def quote_sheet(sheet: str) -> str:
    """Sheet name quoted for a formula reference: 'H-2A'."""
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class TableRef:
    """Where a table sits on its sheet (headers, first and last data row, first column): formulas refer to its
    columns by header, never by a typed column letter."""

    sheet: str
    headers: tuple[str, ...]
    first: int
    last: int
    left: int = 1

    @classmethod
    def of(cls, sheet: str, columns: Sequence[Column], first: int, last: int, left: int = 1) -> TableRef:
        return cls(sheet, tuple(c.header for c in columns), first, last, left)

    def index(self, header: str) -> int:
        """The column number of `header` (A = 1); a header the table lacks is an error naming it."""
        if header not in self.headers:
            raise KeyError(f"the table on sheet {self.sheet!r} has no column {header!r}; it has {self.headers}")
        return self.left + self.headers.index(header)

    def letter(self, header: str) -> str:
        """The column letter of `header`; a header the table lacks is an error naming it."""
        return get_column_letter(self.index(header))

    def cell(self, header: str, row: int, *, qualified: bool = False, absolute: bool = False) -> str:
        """`C12` (same sheet), `$C$12` when `absolute`, or, `qualified`, `'Sheet'!C12` (from another sheet)."""
        ref = f"${self.letter(header)}${row}" if absolute else f"{self.letter(header)}{row}"
        return f"{quote_sheet(self.sheet)}!{ref}" if qualified else ref

    def column(self, header: str) -> str:
        """The column's data cells from another sheet: `'Sheet'!J5:J20`."""
        letter = self.letter(header)
        return f"{quote_sheet(self.sheet)}!{letter}{self.first}:{letter}{self.last}"


def put(cell, value) -> None:
    """Write one value: a `Formula` as a formula, any other text as literal text, numbers and dates as such."""
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = excel_value(value)


def excel_value(value):
    """A Python/NumPy/pandas scalar as a value openpyxl stores (missing values become empty cells)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, (dt.datetime, dt.date, int)):
        return value
    return str(value)


def write_title(ws: Worksheet, title: str, subtitle: str) -> None:
    """Sheet title in A1 and a one-line subtitle (what, for which scenario, which data) in A2."""
    put(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = style.TITLE_FONT
    put(ws.cell(SUBTITLE_ROW, 1), subtitle)
    ws.cell(SUBTITLE_ROW, 1).font = style.SUBTITLE_FONT
    ws.row_dimensions[TITLE_ROW].height = 24


def write_note(ws: Worksheet, row: int, col: int, text: str, font=style.NOTE_FONT) -> None:
    """A line of explanatory text (italic grey by default)."""
    put(ws.cell(row, col), text)
    ws.cell(row, col).font = font


def write_paragraph(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, font=style.NOTE_FONT) -> None:
    """`text` wrapped in the merged cells first_col..last_col of `row`, the row tall enough to show it (so long
    text neither runs past the table it belongs to nor widens the printed page)."""
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    cell = ws.cell(row, first_col)
    put(cell, text)
    cell.font = font
    cell.alignment = style.WRAP_ALIGNMENT
    width = sum(_col_width(ws, c) for c in range(first_col, last_col + 1))
    _fit_height(ws, row, _lines(text, width * 1.1))


def write_label(ws: Worksheet, row: int, col: int, text: str, font=None) -> None:
    """`text` wrapped within its own column, the row made tall enough (for a label beside the numbers of its row)."""
    cell = ws.cell(row, col)
    put(cell, text)
    cell.alignment = style.WRAP_ALIGNMENT
    if font is not None:
        cell.font = font
    _fit_height(ws, row, _lines(text, _col_width(ws, col), bold=bool(font is not None and font.b)))


def write_lines(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, font=style.NOTE_FONT) -> int:
    """`text` wrapped to the width of columns first_col..last_col, one line per row from `row`, leaving row heights
    alone (for text beside another table, whose rows a taller row would stretch); returns the rows used."""
    width = sum(_col_width(ws, c) for c in range(first_col, last_col + 1))
    lines = textwrap.wrap(text, max(20, int(width * 1.1)))
    for i, line in enumerate(lines):
        put(ws.cell(row + i, first_col), line)
        ws.cell(row + i, first_col).font = font
    return len(lines)


def write_table(
    ws: Worksheet,
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    top: int = HEADER_ROW,
    left: int = 1,
    freeze: bool = True,
) -> tuple[int, int]:
    """Write a header row and `rows` at (`top`, `left`) as a filtered Excel table named `name`.

    Returns the first and last data row numbers (last < first when there are no rows). Freezes the panes
    below the header and right of the first column when `freeze` is set, and sizes the columns.
    """
    headers = [c.header for c in columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"table {name}: column headers must be unique: {headers}")
    for j, column in enumerate(columns):
        cell = ws.cell(top, left + j)
        put(cell, column.header)
        cell.alignment = style.HEADER_ALIGNMENT
        cell.font = style.HEADER_FONT
        cell.fill = style.HEADER_FILL
    widths = [len(max(c.header.split(), key=len)) + 2 for c in columns]
    widths = [max(w, len(c.header) / 2 + 2) for w, c in zip(widths, columns, strict=False)]
    last = top
    wrapped: list[tuple[int, int, str]] = []
    any_wrap = any(c.wrap for c in columns)
    # each column's cell style (number format, alignment) is set on its first cell and given to the cells below as
    # they are made: assigning styles cell by cell, or copying them onto cells made first, was a fifth of a report's
    # build time (openpyxl looks each one up in the workbook's style lists)
    styles: list = [None] * len(columns)
    # a number's display width grows with its magnitude, so a column's widest number is measured once, at the end
    largest: list[float | None] = [None] * len(columns)
    for last, values in enumerate(rows, start=top + 1):
        for j, (value, column) in enumerate(zip(values, columns, strict=False)):
            if styles[j] is None:
                cell = ws.cell(last, left + j)
                if column.number_format:
                    cell.number_format = column.number_format
                if column.wrap:
                    cell.alignment = style.WRAP_ALIGNMENT
                elif any_wrap:
                    cell.alignment = style.TOP_ALIGNMENT
                styles[j] = cell._style
            else:
                cell = Cell(ws, row=last, column=left + j, style_array=styles[j])  # the style array is copied
                ws._add_cell(cell)
            put(cell, value)  # after the style: text that looks like a formula gets its quote prefix
            if column.wrap:
                wrapped.append((last, left + j, str(value or "")))
            if column.width is not None:
                continue
            if type(value) in (float, int) and math.isfinite(value):
                largest[j] = abs(value) if largest[j] is None else max(largest[j], abs(value))
            else:
                widths[j] = max(widths[j], _display_width(value, column.number_format))
    for j, column in enumerate(columns):
        if largest[j] is not None:
            widths[j] = max(widths[j], _display_width(largest[j], column.number_format))
        width = column.width or min(max(widths[j], _MIN_WIDTH), _MAX_WIDTH)
        letter = get_column_letter(left + j)
        ws.column_dimensions[letter].width = max(set_width(ws, left + j) or 0, width)
    _fit_height(ws, top, max(_lines(h, _col_width(ws, left + j), bold=True) for j, h in enumerate(headers)))
    tallest: dict[int, int] = {}
    for r, c, text in wrapped:
        tallest[r] = max(tallest.get(r, 1), _lines(text, _col_width(ws, c)))
    for r, lines in tallest.items():
        _fit_height(ws, r, lines)
    if last > top:
        ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(columns) - 1)}{last}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=style.TABLE_STYLE, showRowStripes=True)
        ws.add_table(table)
    if freeze:
        ws.freeze_panes = ws.cell(top + 1, left + 1)
    return top + 1, last


def sector_column(header: str = "Sector") -> Column:
    """A column of sector labels, wrapped at `SECTOR_WIDTH`."""
    return Column(header, width=SECTOR_WIDTH, wrap=True)


def printed_columns(ws: Worksheet) -> int:
    """The last column that prints: the print area's, else the last one holding a value."""
    if ws.print_area:
        return max(range_boundaries(part.split("!")[-1].replace("$", ""))[2] for part in ws.print_area.split(","))
    return max((col for (_, col), cell in ws._cells.items() if cell.value is not None), default=1)


def wrap_loose_text(ws: Worksheet) -> None:
    """Text alone on its row (titles, subtitles, notes) and longer than the printed columns from its own: wrapped in
    merged cells up to the last printed column, the row made tall enough. Spreadsheets widen the printed page to
    show text that runs past the last column, shrinking every page of the sheet to fit."""
    last = printed_columns(ws)
    in_tables = [range_boundaries(t.ref) for t in ws.tables.values()]
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    by_row: dict[int, list] = {}
    for (row, _), cell in ws._cells.items():
        if cell.value is not None:
            by_row.setdefault(row, []).append(cell)
    for row, cells in by_row.items():
        if len(cells) != 1:
            continue
        (cell,) = cells
        text = cell.value
        if (
            not isinstance(text, str)
            or cell.data_type == "f"
            or (row, cell.column) in merged
            or (cell.alignment is not None and cell.alignment.wrap_text)
            or cell.column >= last
            or any(c1 <= cell.column <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in in_tables)
        ):
            continue
        size = (cell.font.sz if cell.font is not None and cell.font.sz else 11) / 11
        width = sum(_col_width(ws, c) for c in range(cell.column, last + 1))
        if len(text) * 0.9 * size <= width:
            continue
        ws.merge_cells(start_row=row, start_column=cell.column, end_row=row, end_column=last)
        cell.alignment = style.WRAP_ALIGNMENT
        _fit_height(ws, row, _lines(text, width / size), points=size * 11)


def frame_rows(frame: pd.DataFrame, keys: Sequence[str]) -> Iterable[tuple]:
    """The rows of `frame` restricted to `keys`, in order, as plain tuples."""
    return frame.loc[:, list(keys)].itertuples(index=False, name=None)


#: Widths of characters in width units (one unit = one digit of the default font, Calibri 11), rounded up from
#: Calibri's advance widths: narrow letters and punctuation, wide letters, capitals; other characters count a digit.
_CHAR_UNITS = {
    **dict.fromkeys(" ijlI.,;:'!|", 0.5),
    **dict.fromkeys('ftr()[]{}-/"', 0.7),
    **dict.fromkeys("mwMW%@", 1.5),
    **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ&", 1.2),
}
#: The share of a column's width that wrapped text may fill: with the widths above rounded up, about 8% to spare for
#: the cell's padding and fonts drawing a little wider than Calibri (a row a line too short hides text).
_FILL = 0.97
_BOLD = 1.07  # bold Calibri is about 5% wider


@functools.lru_cache(maxsize=65536)
def text_width(text: str, bold: bool = False) -> float:
    """The width of `text` on one line, in column width units (digits of Calibri 11), a little generous."""
    return sum(_CHAR_UNITS.get(ch, 1.0) for ch in text) * (_BOLD if bold else 1.0)


@functools.lru_cache(maxsize=4096)  # the same labels (sectors, origins) wrap in thousands of rows
def _lines(text: str, width: float, bold: bool = False) -> int:
    """Lines `text` takes when wrapped at spaces in a column `width` units wide, as a spreadsheet wraps it (a word
    longer than a line is broken across lines); measured with Calibri's character widths, with a margin."""
    room = max(1.0, width * _FILL)
    space = text_width(" ", bold)
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            size = text_width(word, bold)
            if used and used + space + size <= room:
                used += space + size
                continue
            if used:
                lines += 1
            lines += math.ceil(size / room) - 1 if size > room else 0
            used = size % room if size > room else size
        total += lines
    return total


def _fit_height(ws: Worksheet, row: int, lines: int, points: float = 11) -> None:
    """Make `row` tall enough for `lines` lines of text (11 points unless said), never lowering a taller row."""
    height = max(15.0, 15 * points / 11) * max(1, lines)
    dimension = ws.row_dimensions.get(row)  # .get: indexing would create an entry just to read it
    current = None if dimension is None else dimension.height
    if current is None or current < height:
        ws.row_dimensions[row].height = height


def set_width(ws: Worksheet, col: int) -> float | None:
    """The width this package set for column `col`, or None (looked up without creating a column entry: openpyxl
    gives a new one a width of 13 and writes it out, so merely reading a width would widen the column)."""
    letter = get_column_letter(col)
    return ws.column_dimensions[letter].width if letter in ws.column_dimensions else None


def _col_width(ws: Worksheet, col: int) -> float:
    return set_width(ws, col) or DEFAULT_WIDTH


def _display_width(value, number_format: str | None) -> float:
    if isinstance(value, Formula) or value is None:
        return 12
    if isinstance(value, str):
        return min(len(value), _MAX_WIDTH) + 2
    if isinstance(value, (dt.date, pd.Timestamp)):
        return 12
    if isinstance(value, (int, float, np.integer, np.floating)):
        digits = len(f"{abs(float(value)):,.0f}") if not pd.isna(value) else 0
        extra = 4 if number_format and ("0.0" in number_format or "%" in number_format) else 2
        return digits + extra + 2
    return len(str(value)) + 2
