"""Computed values stored beside every formula, so readers that do not recalculate see the numbers.

openpyxl writes a formula cell with an empty value. `formula_values` evaluates the formulas this package
writes (arithmetic, comparisons, `^`, `%`, cell and range references across sheets, defined names, and
SUM, SUMPRODUCT, MIN, MAX, IF, ROUND, EOMONTH, DAY) on the workbook's own input cells, with Excel's
semantics (empty cells count as 0, ROUND rounds halves away from zero, dates are serial numbers);
`save_with_values` saves the workbook and writes each value into its formula cell's `<v>` element.
Excel and LibreOffice still recalculate on opening; the stored value is what they compute from the
exported inputs. A formula outside that subset raises `UnsupportedFormula` rather than storing a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import io
import math
import re
import zipfile
from collections.abc import Callable
from types import CodeType
from xml.sax.saxutils import escape

import numpy as np
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.writer.excel import ExcelWriter

from labormatch.fiscal import MONTHS_PER_YEAR, month_number


class UnsupportedFormula(ValueError):
    """A formula uses syntax or a function the evaluator does not implement."""


def _flat(args) -> list:
    out = []
    for a in args:
        if isinstance(a, list):
            out.extend(_flat(a))
        else:
            out.append(a)
    return out


def _numbers(args) -> list[float]:
    """Numbers among the arguments (text and empty cells in ranges are skipped, as Excel does)."""
    return [float(v) for v in _flat(args) if isinstance(v, (int, float, np.floating)) and not isinstance(v, bool)]


def _round(x, digits=0):
    """Excel ROUND: halves away from zero (an error value, NaN or infinite, stays as it is)."""
    if not math.isfinite(float(x)):
        return float(x)
    scale = 10.0 ** int(digits)
    return math.copysign(math.floor(abs(float(x)) * scale + 0.5) / scale, float(x))


def _eomonth(serial, months):
    day = from_excel(float(serial))
    year, month = divmod(month_number(day.year, day.month) + int(months), MONTHS_PER_YEAR)
    return float(to_excel(dt.datetime(year, month + 1, calendar.monthrange(year, month + 1)[1])))


def _sumproduct(*ranges):
    arrays = [
        np.array(
            [[float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0 for v in row] for row in r]
        )
        for r in ranges
    ]
    return float(np.sum(np.prod(arrays, axis=0)))


def _if(condition, then=True, otherwise=False):
    """Excel IF. Both branches were already evaluated; one the condition does not take may hold inf or NaN
    (a division by zero gives those here instead of raising), which is harmless as in Excel."""
    return then if condition else otherwise


FUNCTIONS: dict[str, Callable] = {
    "SUM": lambda *a: sum(_numbers(a)),
    "MIN": lambda *a: min(_numbers(a), default=0.0),
    "MAX": lambda *a: max(_numbers(a), default=0.0),
    "SUMPRODUCT": _sumproduct,
    "IF": _if,
    "ROUND": _round,
    "EOMONTH": _eomonth,
    "DAY": lambda serial: float(from_excel(float(serial)).day),
}
_INFIX = {
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "^": "**",
    "=": "==",
    "<>": "!=",
    "<": "<",
    ">": ">",
    "<=": "<=",
    ">=": ">=",
}
_TOKEN = re.compile(
    r"""
  (?P<text>"(?:[^"]|"")*")
| (?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z_][\w.]*!)?\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?(?![\w(]))
| (?P<function>[A-Z][A-Z0-9.]*)\(
| (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)
| (?P<name>[A-Za-z_][\w.]*)
| (?P<operator><>|<=|>=|[-+*/^=<>%])
| (?P<punctuation>[(),])
| (?P<space>\s+)
""",
    re.VERBOSE,
)


def _python(formula: str) -> tuple[str, list[str]]:
    """The formula as a Python expression over `_fn[...]` calls and `_ref(i)` references, and the references."""
    parts: list[str] = []
    refs: list[str] = []
    kinds: list[str] = []
    body, at = formula[1:], 0
    while at < len(body):
        match = _TOKEN.match(body, at)
        if match is None:
            raise UnsupportedFormula(f"cannot read {body[at:]!r} in {formula}")
        at, kind, value = match.end(), match.lastgroup, match.group()
        if kind == "space":
            continue
        if kind in ("ref", "name"):
            refs.append(value)
            parts.append(f"_ref({len(refs) - 1})")
        elif kind == "number":
            parts.append(f"_num({value!r})")
        elif kind == "text":
            parts.append(repr(value[1:-1].replace('""', '"')))
        elif kind == "function":
            name = match.group("function")
            if name not in FUNCTIONS:
                raise UnsupportedFormula(f"function {name} in {formula}")
            parts.append(f"_fn[{name!r}](")
            value = "("
        elif kind == "punctuation":
            parts.append(value)
        elif value == "%":
            parts.append("/100")
        else:
            unary = not kinds or kinds[-1] == "operator" or parts[-1] in ("(", ",")
            if unary and value in "+-" and "^" in body[at:].split(",")[0]:
                raise UnsupportedFormula(f"a sign before a power (Excel and Python differ) in {formula}")
            parts.append(_INFIX[value])
        kinds.append(kind)
    return "".join(parts), refs


@functools.lru_cache(maxsize=65536)  # the same formulas come back in every report written by a session
def _compiled(formula: str) -> tuple[CodeType, tuple[str, ...]]:
    """The formula compiled to Python bytecode, and the references it reads."""
    expression, refs = _python(formula)
    return compile(expression, "<formula>", "eval"), tuple(refs)


@functools.lru_cache(maxsize=65536)
def _bounds(ref: str) -> tuple[int, int, int, int]:
    """First column, first row, last column, last row of a cell or range reference without its sheet."""
    return range_boundaries(ref.replace("$", ""))


def _cell_value(value):
    """A stored (non-formula) cell value as the evaluator sees it: numbers as floats, dates as serials."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return float(to_excel(value))
    return value


class _Evaluator:
    def __init__(self, wb: Workbook):
        # openpyxl's cell store, read without creating empty cells (ws.cell() would add them to the file)
        self.cells = {ws.title: ws._cells for ws in wb.worksheets}
        self.names = {name: next(dn.destinations) for name, dn in wb.defined_names.items()}
        self.values: dict[tuple[str, int, int], object] = {}
        self.busy: set[tuple[str, int, int]] = set()
        # a formula's value depends only on its sheet and text: a formula repeated down a column (e.g. the H-2A pay
        # formula on every H-2A row of Quotas) is evaluated once
        self.by_text: dict[tuple[str, str], object] = {}

    def cell(self, sheet: str, row: int, col: int):
        key = (sheet, row, col)
        if key in self.values:
            return self.values[key]
        cell = self.cells[sheet].get((row, col))
        if cell is None or cell.data_type != "f":
            return None if cell is None else _cell_value(cell.value)
        if key in self.busy:
            raise UnsupportedFormula(f"circular reference at {sheet}!{cell.coordinate}")
        self.busy.add(key)
        same = (sheet, cell.value)
        if same not in self.by_text:
            self.by_text[same] = self.formula(sheet, cell.value)
        self.values[key] = value = self.by_text[same]
        self.busy.discard(key)
        return value

    def formula(self, sheet: str, text: str):
        code, refs = _compiled(text)
        resolved = [self.reference(sheet, r) for r in refs]
        value = eval(
            code,
            {"__builtins__": {}},
            {  # code compiled from the tokens above
                "_fn": FUNCTIONS,
                "_num": np.float64,
                "_ref": resolved.__getitem__,
            },
        )
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, str):
            return value
        return float(value)

    def reference(self, sheet: str, ref: str):
        if "!" in ref:
            sheet, ref = ref.rsplit("!", 1)
            sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        elif ref in self.names:
            sheet, ref = self.names[ref]
        min_col, min_row, max_col, max_row = _bounds(ref)
        if ":" not in ref:
            value = self.cell(sheet, min_row, min_col)
            return np.float64(0.0) if value is None else (np.float64(value) if isinstance(value, float) else value)
        return [[self.cell(sheet, r, c) for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]


def formula_values(wb: Workbook) -> dict[tuple[str, int, int], object]:
    """The value of every formula cell of `wb` by (sheet, row, column), computed as Excel would."""
    evaluator = _Evaluator(wb)
    with np.errstate(all="ignore"):  # a division by zero gives inf or NaN, as in the branch IF does not take
        _evaluate_all(wb, evaluator)
    return evaluator.values


def _evaluate_all(wb: Workbook, evaluator: _Evaluator) -> None:
    for ws in wb.worksheets:
        for (row, col), c in list(ws._cells.items()):
            if c.data_type == "f":
                try:
                    evaluator.cell(ws.title, row, col)
                except (KeyError, ValueError, TypeError) as error:  # name the cell that failed
                    raise UnsupportedFormula(f"{ws.title}!{c.coordinate} {c.value}: {error}") from error


# an empty value is written <v/> (ElementTree) or <v></v> (lxml, which openpyxl uses when it is installed)
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v ?/>|<v></v>)</c>')


def _with_values(xml: str, values: dict[str, object]) -> str:
    def fill(match: re.Match) -> str:
        coord, attributes, formula = match.groups()
        value = values.get(coord)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return match.group(0)
        if isinstance(value, bool):
            kind, text = ' t="b"', "1" if value else "0"
        elif isinstance(value, str):
            kind, text = ' t="str"', escape(value)
        else:
            kind, text = "", repr(float(value))
        return f'<c r="{coord}"{attributes}{kind}><f>{formula}</f><v>{text}</v></c>'

    return _FORMULA_CELL.sub(fill, xml)


def save_with_values(wb: Workbook, target) -> None:
    """Save `wb` to `target` (path or binary file) with each formula's computed value stored in its cell."""
    values = formula_values(wb)
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, row, col), value in values.items():
        by_sheet.setdefault(sheet, {})[f"{get_column_letter(col)}{row}"] = value
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as stored:  # compressed once, below
        ExcelWriter(wb, stored).save()
    paths = {f"xl/worksheets/sheet{i}.xml": ws.title for i, ws in enumerate(wb.worksheets, start=1)}
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in paths and paths[item.filename] in by_sheet:
                data = _with_values(data.decode("utf-8"), by_sheet[paths[item.filename]]).encode("utf-8")
            out.writestr(item.filename, data)


__all__ = ["FUNCTIONS", "UnsupportedFormula", "formula_values", "save_with_values"]
