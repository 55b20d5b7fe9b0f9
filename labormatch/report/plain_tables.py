"""Plain copies of the main tables, for machine reading: one table per sheet, its single header row in row 1 with
the unit in each header, no merged cells, no title, values rather than formulas.

The values are labormatch's result tables, which the live sheets' stored values equal, so a reader gets the same
numbers from `pandas.read_excel(path, sheet_name="Plain quotas")` as from the formatted sheet. Each sheet's source
and data-through months are in the comment on its first header cell and on the README.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.crosswalk import sector_labels
from labormatch.fiscal import HALF_LEGEND
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.layout import Column, frame_rows, sector_column, write_table
from labormatch.report.provenance import demand_through, month_of, scenario_through, source_line
from labormatch.report.sheets import aewr_years, quota_frame, shown_allocation

SECTOR = ("sector_label", sector_column())


@dataclass(frozen=True)
class PlainTable:
    """One plain sheet: its name, the Excel table's name, (result column, header with unit) pairs, and how to get
    its rows and its source line from a result and the forecast table."""

    sheet: str
    name: str
    columns: tuple[tuple[str, Column], ...]
    rows: Callable[[ScenarioResult, pd.DataFrame | None], pd.DataFrame]
    source: Callable[[ScenarioResult, pd.DataFrame | None], tuple[str, str]]


def _allocation(result: ScenarioResult, _forecast) -> pd.DataFrame:
    return shown_allocation(result)


def _quotas(result: ScenarioResult, _forecast) -> pd.DataFrame:
    return quota_frame(result)


def _demand(result: ScenarioResult, _forecast) -> pd.DataFrame:
    return result.tables["demand"].sort_values(["visa_class", "sector", "month"])


def _h2a(result: ScenarioResult, _forecast) -> pd.DataFrame:
    h2a = result.tables["h2a"]
    return h2a.assign(aewr_year=aewr_years(h2a))


def _forecasts(_result, forecast: pd.DataFrame | None) -> pd.DataFrame:
    """The forecasts the Forecasts sheet shows (stale series left out), in its order."""
    if forecast is None or forecast.empty:
        return pd.DataFrame(columns=[key for key, _ in FORECAST_COLUMNS])
    forecast = forecast.assign(
        **{c: forecast.get(c, d) for c, d in (("data_through", pd.NaT), ("unit", ""), ("proxy_of", ""), ("stale", 0))}
    )
    return forecast[~forecast["stale"].astype(bool)].sort_values(["sector", "series", "date"])


def _scenario_source(what: str) -> Callable[[ScenarioResult, pd.DataFrame | None], tuple[str, str]]:
    return lambda result, _forecast: (f"{what} of the scenario's labormatch run", scenario_through(result))


def _forecast_source(_result, forecast: pd.DataFrame | None) -> tuple[str, str]:
    rows = _forecasts(_result, forecast)
    if rows.empty:
        return "no forecast was supplied with this report", "unknown"
    through = rows["data_through"]
    return (
        "labormatch.forecast on the snapshot's sector series (series id per row)",
        f"{month_of(through.min())} to {month_of(through.max())} by series (Data through column)",
    )


FORECAST_COLUMNS = (
    SECTOR,
    ("series", Column("Series")),
    ("series_id", Column("Series id")),
    ("unit", Column("Unit of the forecast values")),
    ("data_through", Column("Data through (month)", style.MONTH)),
    ("proxy_of", Column("Proxy of (what the series measures)")),
    ("date", Column("Month", style.MONTH)),
    ("mean", Column("Forecast (unit column)", style.DECIMAL)),
    ("lo80", Column("80% low (unit column)", style.DECIMAL)),
    ("hi80", Column("80% high (unit column)", style.DECIMAL)),
    ("lo95", Column("95% low (unit column)", style.DECIMAL)),
    ("hi95", Column("95% high (unit column)", style.DECIMAL)),
    ("model", Column("Model")),
)

TABLES = (
    PlainTable(
        "Plain allocation",
        "PlainAllocation",
        (
            SECTOR,
            ("half", Column(f"Half ({HALF_LEGEND})")),
            ("tranche", Column("Tranche")),
            ("demand", Column("Demand before tranche (workers)", style.WORKERS)),
            ("allocated", Column("Allocated (workers)", style.WORKERS)),
            ("unmet", Column("Unmet after tranche (workers)", style.WORKERS)),
        ),
        _allocation,
        _scenario_source("H-2B allocation by sector, half and tranche"),
    ),
    PlainTable(
        "Plain quotas",
        "PlainQuotas",
        (
            ("season", Column("Season (number)", "0")),
            ("fiscal_year", Column("Fiscal year", "0")),
            ("origin", Column("Origin")),
            SECTOR,
            ("visa_class", Column("Visa class")),
            ("total_workers", Column("Total workers (workers in the season)", style.WORKERS)),
            ("returning_workers", Column("Returning workers (workers in the season)", style.WORKERS)),
            ("new_workers", Column("New workers (workers in the season)", style.WORKERS)),
            ("non_returning", Column("Non-returning (workers)", style.WORKERS)),
            ("overstays", Column("Overstays (workers)", style.WORKERS)),
            ("wages_earned_usd", Column("Wages earned (USD)", style.USD)),
            ("wages_carried_home_usd", Column("Wages carried home (USD)", style.USD)),
        ),
        _quotas,
        _scenario_source("circular-migration stock-flow by origin, sector and season"),
    ),
    PlainTable(
        "Plain demand",
        "PlainDemand",
        (
            SECTOR,
            ("visa_class", Column("Visa class")),
            ("month", Column("Employment start month", style.MONTH)),
            ("fiscal_year", Column("Fiscal year", "0")),
            ("half", Column(f"Half ({HALF_LEGEND})")),
            ("shortage_workers", Column("Baseline demand (workers)", style.WORKERS)),
            ("fillable_share", Column("Fillable share (share)", style.SHARE)),
            ("domestic_offset", Column("Domestic-recruitment offset (share)", style.SHARE)),
            ("wage_factor", Column("Wage factor (ratio)", style.SCORE)),
            ("demand_workers", Column("Demand (workers)", style.WORKERS)),
        ),
        _demand,
        lambda result, _forecast: (
            "national demand total x composition share (Demand sheet), times the scenario's levers",
            demand_through(result),
        ),
    ),
    PlainTable(
        "Plain H-2A",
        "PlainH2A",
        (
            ("state", Column("State")),
            ("workers", Column("Workers (workers)", style.WORKERS)),
            ("aewr_usd_hour", Column("AEWR (USD/hour)", style.USD_HOURLY)),
            ("aewr_year", Column("AEWR year", "0")),
            ("aewr_basis", Column("AEWR basis (rate of state or mean, year)")),
            ("weeks", Column("Contract length (weeks)", style.DECIMAL)),
            ("hours_per_week", Column("Hours per week (hours)", style.DECIMAL)),
            ("wage_bill_usd", Column("Wage bill (USD)", style.USD)),
        ),
        _h2a,
        lambda result, _forecast: (
            "H-2A workers by state at the AEWR (rates: secondary copies, see the H-2A sheet)",
            scenario_through(result),
        ),
    ),
    PlainTable("Plain forecasts", "PlainForecasts", FORECAST_COLUMNS, _forecasts, _forecast_source),
)

SHEETS = tuple(t.sheet for t in TABLES)


def write_plain(ws: Worksheet, table: PlainTable, result: ScenarioResult, forecast: pd.DataFrame | None) -> None:
    """One plain table from A1: a single header row, then its rows; its source line in the header's comment."""
    rows = table.rows(result, forecast)
    labels = sector_labels()
    if "sector" in rows:
        rows = rows.assign(sector_label=rows["sector"].map(lambda s: labels.get(s, s)))
    keys = [key for key, _ in table.columns]
    text = rows[keys].select_dtypes(exclude=["number", "datetime"]).columns
    rows = rows.assign(**{c: rows[c].replace("", None) for c in text})  # an empty text is an empty cell
    write_table(ws, table.name, [c for _, c in table.columns], frame_rows(rows, keys), top=1)
    ws["A1"].comment = Comment(source_line(*table.source(result, forecast)), "labormatch", width=400, height=120)
