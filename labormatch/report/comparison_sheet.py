"""The Comparison sheet: scenarios side by side with changes against the first (tables of `labormatch.compare`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from openpyxl.utils import get_column_letter as _col
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.compare import TABLE_TITLES, compare, measure_words, wide
from labormatch.crosswalk import sector_labels
from labormatch.report import charts, style
from labormatch.report.headline import figures, number_format
from labormatch.report.layout import (
    HEADER_ROW,
    Column,
    Formula,
    sector_column,
    write_note,
    write_table,
    write_title,
)
from labormatch.report.provenance import scenario_through, write_source

#: The comparison tables the sheet shows beside the headline figures (the others are not computed).
SHOWN = ("by_sector", "by_origin")


def write_comparison(ws: Worksheet, scenarios: Sequence) -> None:
    """Headline figures, H-2B by sector and workers by origin side by side, changes against the first scenario,
    and bars of the H-2B figures by scenario (tables from `labormatch.compare`)."""
    names = _unique_names([s.name for s in scenarios])
    tables = compare({n: s.result for n, s in zip(names, scenarios, strict=False)}, baseline=names[0], only=SHOWN)
    write_title(
        ws,
        "Scenario comparison",
        f"{len(names)} scenarios; changes (Δ) against {names[0]}, the first. Missing items count as 0 workers.",
    )
    n = len(names)
    headline = wide(tables["headline"], deltas=False)
    formats = {f.key: number_format(f) for f, _ in figures({k: 0.0 for k in headline["figure"]})}
    first, last = _write_side_by_side(
        ws, "Comparison", headline, ["label", "unit"], ["Figure", "Unit"], names, HEADER_ROW, 1, freeze=True
    )
    for i, key in enumerate(headline["figure"]):
        for c in range(3, 3 + 2 * n - 1):
            ws.cell(first + i, c).number_format = formats.get(key, style.DECIMAL)
    source = (
        f"labormatch runs of the scenarios {', '.join(names)} (labormatch.compare)",
        scenario_through(scenarios[0].result),
    )
    write_source(ws, last + 1, *source)
    rows_of = {key: first + i for i, key in enumerate(headline["figure"])}
    chart_keys = [k for k in ("h2b_demand", "h2b_cap_total", "h2b_allocated", "h2b_unmet") if k in rows_of]
    row = last + 3
    if chart_keys:
        write_note(ws, row - 1, 1, "H-2B figures by scenario (workers)", style.SECTION_FONT)
        labels = dict(zip(headline["figure"], headline["label"], strict=False))
        chart_rows = [
            (labels[k].strip(), *[Formula(f"={_col(3 + j)}{rows_of[k]}") for j in range(n)]) for k in chart_keys
        ]
        c_first, c_last = write_table(
            ws,
            "ComparisonChartData",
            [Column("H-2B figure")] + [Column(name, style.WORKERS) for name in names],
            chart_rows,
            top=row,
            freeze=False,
        )
        charts.bar_chart(
            ws,
            "H-2B: demand, numbers, admitted and unmet by scenario",
            "workers",
            row,
            c_first,
            c_last,
            1,
            2,
            1 + n,
            f"A{c_last + 2}",
        )
        write_source(ws, c_last + 1, *source)
        write_source(ws, c_last + 2 + math.ceil(charts.CHART_HEIGHT_CM / 0.53) + 1, *source, span=6, beside=True)
    left = 2 * n + 3
    top = HEADER_ROW
    labels = sector_labels()
    for name, key in (("ComparisonBySector", "by_sector"), ("ComparisonByOrigin", "by_origin")):
        table = wide(tables[key], deltas=False)
        if table.empty:
            continue
        table["measure"] = [measure_words(key, m) for m in table["measure"]]
        if "sector" in table:
            table["sector"] = table["sector"].map(lambda s: labels.get(s, s))
        keys = [c for c in table.columns if c not in names]
        write_note(ws, top - 1, left, TABLE_TITLES[key], style.SECTION_FONT)
        _, end = _write_side_by_side(ws, name, table, keys, [k.capitalize() for k in keys], names, top, left)
        for r in range(top + 1, end + 1):
            for c in range(left + len(keys), left + len(keys) + 2 * n - 1):
                ws.cell(r, c).number_format = style.WORKERS
        top = end + write_source(ws, end + 1, *source, col=left, beside=True) + 3


def _write_side_by_side(
    ws: Worksheet,
    name: str,
    table: pd.DataFrame,
    keys: list[str],
    key_heads: list[str],
    names: list[str],
    top: int,
    left: int,
    freeze: bool = False,
) -> tuple[int, int]:
    """Key columns, one value column per scenario, then a live Δ column per other scenario."""
    n = len(names)
    first_value = left + len(keys)
    rows = []
    for i, record in enumerate(table.itertuples(index=False)):
        r = top + 1 + i
        values = dict(zip(table.columns, record, strict=False))
        base = f"{_col(first_value)}{r}"
        rows.append(
            [values[k] for k in keys]
            + [values[s] for s in names]
            + [Formula(f"={_col(first_value + j)}{r}-{base}") for j in range(1, n)]
        )
    heads = (
        [_key_column(h) for h in key_heads]
        + [Column(s, style.DECIMAL, width=18) for s in names]
        + [Column(f"Δ {s}", style.DECIMAL, width=16) for s in names[1:]]
    )
    return write_table(ws, name, heads, rows, top=top, left=left, freeze=freeze)


def _key_column(header: str) -> Column:
    """A key column: figure and sector labels wrap at the sector column's width, measures a little narrower."""
    if header in ("Figure", "Sector"):
        return sector_column(header)
    return Column(header, width=20, wrap=True) if header == "Measure" else Column(header)


def _unique_names(names: list[str]) -> list[str]:
    """Scenario names made unique (the same scenario may be compared with itself)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
