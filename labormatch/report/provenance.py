"""Source lines under tables and charts: "Source: ...; data through YYYY-MM", built from the data a sheet writes
(the result's tables and vintage, the snapshot manifest), never from typed dates."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from labormatch import fiscal
from labormatch.demand_baseline import data_through
from labormatch.report.layout import write_lines, write_paragraph

UNKNOWN = "unknown"


def fiscal_year_end(fiscal_year: int) -> str:
    """Last month of a US federal fiscal year as YYYY-MM (FY2025 -> 2025-09)."""
    return f"{fiscal.fiscal_year_end(int(fiscal_year)):%Y-%m}"


def month_of(value) -> str:
    """A date-like value as YYYY-MM ("unknown" when missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return UNKNOWN
    return f"{pd.Timestamp(value):%Y-%m}"


def snapshot_last_date(manifest: dict | None, table: str) -> dt.date | None:
    """Last date of a snapshot table (e.g. "reference/aewr") from the manifest's outputs; None when not recorded."""
    for entry in (manifest or {}).get("outputs", []):
        if entry.get("file", "").removesuffix(".parquet") == table and entry.get("date_range"):
            last = entry["date_range"][1]
            return None if last is None or pd.isna(last) else pd.Timestamp(last).date()
    return None


def snapshot_through(manifest: dict | None, table: str) -> str:
    """Last date of a snapshot table (e.g. "reference/aewr") as YYYY-MM, from the manifest's outputs."""
    return month_of(snapshot_last_date(manifest, table))


def raw_files(manifest: dict | None, folder: str) -> str:
    """Names of the raw files under `folder` (e.g. "h2_reference/aewr") the snapshot read, from the manifest."""
    names = [
        e["path"].rsplit("/", 1)[-1]
        for e in (manifest or {}).get("sources", [])
        if e.get("path", "").startswith(folder)
    ]
    return ", ".join(names) if names else "the data snapshot"


def case_files_through(vintage: dict, visa_class: str) -> str:
    """Latest complete fiscal year of a visa class's OFLC case files, e.g. "FY2017 (2017-09)"."""
    years = vintage.get("complete_fiscal_years", {}).get(visa_class, [])
    return f"FY{max(years)} ({fiscal_year_end(max(years))})" if years else UNKNOWN


def with_months(text: str) -> str:
    """Each "FY2025" in `text` followed by its last month: "FY2025 (2025-09)"."""
    return re.sub(r"FY(\d{4})", lambda m: f"FY{m[1]} ({fiscal_year_end(int(m[1]))})", text)


def demand_through(result) -> str:
    """How current the national demand figures behind a result are, per visa class, with months."""
    national = result.tables.get("demand_forecast")
    if national is None or national.empty:
        return UNKNOWN
    return with_months(data_through(national))


def scenario_through(result) -> str:
    """What a scenario's figures rest on: the national demand figures and the OFLC case files."""
    cases = ", ".join(f"{v} {case_files_through(result.data_vintage, v)}" for v in ("H-2A", "H-2B"))
    return f"national demand: {demand_through(result)}; OFLC case files: {cases}"


def source_line(source: str, through: str) -> str:
    return f"Source: {source}; data through {through}"


def write_source(
    ws: Worksheet, row: int, source: str, through: str, col: int = 1, span: int | None = None, beside: bool = False
) -> int:
    """The source line of the table or chart above `row`, wrapped within `span` columns (default: the width of the
    table that ends just above it, else one column): in merged cells with a fitted row height, or, `beside` another
    table (whose rows a taller row would stretch), one line per row. Returns the rows used."""
    if span is None:
        span = next(
            (
                max_col - min_col + 1
                for min_col, _, max_col, max_row in (range_boundaries(t.ref) for t in ws.tables.values())
                if max_row == row - 1 and min_col == col
            ),
            1,
        )
    last_col = col + max(span, 1) - 1
    if beside:
        return write_lines(ws, row, col, last_col, source_line(source, through))
    write_paragraph(ws, row, col, last_col, source_line(source, through))
    return 1
