"""Assemble the Excel report: one scenario (with its live model) and, optionally, scenarios to compare.

`write_report` writes the file atomically; `report_bytes` returns the same workbook as bytes (for a web
download button).
"""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.workbook.properties import CalcProperties

from labormatch import __version__
from labormatch.errors import LabormatchError
from labormatch.figures import value
from labormatch.model import ScenarioResult
from labormatch.report import (
    comparison_sheet,
    demand_sheet,
    demand_trace,
    forecast_sheet,
    formulas,
    inputs,
    intervals_sheet,
    plain_tables,
    readme_sheet,
    sheets,
    style,
)
from labormatch.report.layout import wrap_loose_text
from labormatch.report.safe import atomic_write, clean_text, safe_output_path
from labormatch.report.stored_values import save_with_values
from labormatch.rules import load_rules

SHEETS = (
    readme_sheet.SHEET,
    "Summary",
    "Assumptions",
    "Forecasts",
    demand_trace.SHEET,
    demand_sheet.SHEET,
    demand_sheet.TOTALS_SHEET,
    "Demand and allocation",
    formulas.SHEET,
    intervals_sheet.SHEET,
    "Quotas",
    "H-2A",
    "Processing times",
    "Comparison",
    "Data sources",
    *plain_tables.SHEETS,
)


@dataclass(frozen=True)
class ReportScenario:
    """A scenario as the report shows it: its name, header text (user text, written as plain text) and result."""

    name: str
    result: ScenarioResult
    title: str = ""
    author: str = ""
    notes: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.title})" if self.title and self.title != self.name else self.name


@dataclass(frozen=True)
class ForecastTables:
    """Forecast and backtest tables in the columns of docs/ARCHITECTURE.md ("Forecast tables")."""

    forecast: pd.DataFrame
    backtest: pd.DataFrame | None = None
    chart_series: str | None = None


def snapshot_forecasts() -> ForecastTables:
    """The data snapshot's sector forecasts and the backtests of their chosen models (fits cached on disk)."""
    from labormatch.forecast import Forecaster, sector_forecasts
    from labormatch.forecast.sectors import snapshot_series

    return ForecastTables(sector_forecasts(), Forecaster().backtest(snapshot_series()))


def build_workbook(
    scenarios: Sequence[ReportScenario],
    forecasts: ForecastTables | None = None,
    manifest: dict | None = None,
    written_at: datetime | None = None,
) -> Workbook:
    """The report workbook: the first scenario in full with its live model; the others in the Comparison."""
    if not scenarios:
        raise LabormatchError("report: give at least one scenario")
    main = scenarios[0]
    result = main.result
    stamp = (written_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    wb = Workbook()
    wb.remove(wb.active)
    ws = {name: wb.create_sheet(name) for name in SHEETS if name != "Comparison" or len(scenarios) > 1}
    label = main.label
    names = inputs.write_assumptions(ws["Assumptions"], result, label, manifest)
    baseline, demand_row = demand_trace.write_demand(ws[demand_trace.SHEET], result, label)
    refs = formulas.write_allocation_model(ws[formulas.SHEET], result, names, label, baseline)
    demand_trace.write_demand_intervals(ws[demand_trace.SHEET], result, demand_row, refs.demand_by_half)
    sheets.write_allocation(ws["Demand and allocation"], result, refs, label)
    intervals_sheet.write_intervals(ws[intervals_sheet.SHEET], result, label)
    h2a = sheets.write_h2a(ws["H-2A"], result, refs, label, manifest)
    quotas = sheets.write_quotas(ws["Quotas"], result, refs, names, h2a, label, manifest)
    sheets.write_processing(ws["Processing times"], result, label, manifest)
    forecast_sheet.write_forecasts(
        ws["Forecasts"],
        forecasts.forecast if forecasts else None,
        forecasts.backtest if forecasts else None,
        forecasts.chart_series if forecasts else None,
    )
    demand_sheet.write_demand_record(ws[demand_sheet.SHEET], result, manifest)
    demand_sheet.write_control_totals(ws[demand_sheet.TOTALS_SHEET], result)
    if len(scenarios) > 1:
        comparison_sheet.write_comparison(ws["Comparison"], scenarios)
    sheets.write_sources(ws["Data sources"], [s.result for s in scenarios], manifest, __version__, load_rules().table())
    for table in plain_tables.TABLES:
        plain_tables.write_plain(ws[table.sheet], table, result, forecasts.forecast if forecasts else None)
    h = result.headline
    checks = [
        ("H-2B workers admitted", value(h, "h2b_allocated"), refs.total_allocated, style.WORKERS),
        ("H-2B demand unmet", value(h, "h2b_unmet"), refs.total_unmet, style.WORKERS),
        (
            "New worker-seasons, all seasons",
            value(h, "new_workers"),
            f"SUM({quotas.column('New workers')})",
            style.WORKERS,
        ),
        (
            "Returning worker-seasons, all seasons",
            value(h, "returning_workers"),
            f"SUM({quotas.column('Returning workers')})",
            style.WORKERS,
        ),
        (
            "Wages carried home, all seasons (USD)",
            value(h, "wages_carried_home_usd"),
            f"SUM({quotas.column('Wages carried home (USD)')})",
            style.USD,
        ),
        ("H-2A wage bill (USD)", value(h, "h2a_wage_bill_usd"), f"SUM({h2a.column('Wage bill (USD)')})", style.USD),
    ]
    sheets.write_summary(ws["Summary"], result, main, checks, stamp)
    readme_sheet.write_readme(
        ws[readme_sheet.SHEET], result, label, list(ws), sheets.vintage_line(result.data_vintage), stamp
    )
    for sheet in wb.worksheets:
        _print_setup(sheet, clean_text(f"labormatch report: {label}"), stamp)
    wb.active = 0
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.properties.title = clean_text(f"labormatch report: {label}")[:250]
    wb.properties.creator = f"labormatch {__version__}"
    return wb


def _print_setup(ws, title: str, stamp: str) -> None:
    """Landscape US Letter, one page wide, frozen header rows (unless the sheet chose its own) repeated on every
    page, and a header and footer with the report title, scenario, sheet name, date written and page number. Text
    alone on its row wraps within the printed columns, so it does not widen the page."""
    wrap_loose_text(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    frozen = ws.freeze_panes
    if frozen and ws[frozen].row > 1 and not ws.print_title_rows:  # a sheet may repeat fewer rows (Forecasts)
        ws.print_title_rows = f"1:{ws[frozen].row - 1}"
    text = title.replace("&", "&&")
    ws.oddHeader.left.text, ws.oddHeader.left.size = text[:120], 8
    ws.oddHeader.right.text, ws.oddHeader.right.size = "&A", 8
    ws.oddFooter.left.text, ws.oddFooter.left.size = f"written {stamp}", 8
    ws.oddFooter.right.text, ws.oddFooter.right.size = "page &P of &N", 8


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a workbook is built and saved: the tens of thousands of cell objects
    it creates trigger repeated full collections (about a fifth of the CPU time of a report) that find nothing to
    free. Reference counting still frees memory; the collector resumes afterwards, as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def report_bytes(
    scenarios: Sequence[ReportScenario], forecasts: ForecastTables | None = None, manifest: dict | None = None
) -> bytes:
    """The report as .xlsx bytes (for a download button)."""
    buffer = io.BytesIO()
    with _without_gc():
        save_with_values(build_workbook(scenarios, forecasts, manifest), buffer)
    return buffer.getvalue()


def write_report(
    scenarios: Sequence[ReportScenario],
    out_path: str | os.PathLike,
    forecasts: ForecastTables | None = None,
    manifest: dict | None = None,
) -> Path:
    """Write the report to `out_path` (file name sanitised, `.xlsx`); returns the path written.

    The workbook is built in memory, written to a temporary file in the target folder and moved into place,
    so a failure never leaves a half-written report or clobbers an existing one.
    """
    target = safe_output_path(out_path)
    with _without_gc():
        workbook = build_workbook(scenarios, forecasts, manifest)
        return atomic_write(target, lambda path: save_with_values(workbook, path))
