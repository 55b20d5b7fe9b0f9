"""The Forecasts sheet: sector forecasts with intervals, each series' data end ("data through"), unit and proxy,
the chosen models' backtests, interval charts. Stale series (flagged by `labormatch.forecast.sectors`) are not
shown as forecasts: a forecast from a series ending over a year before the snapshot covers months already past."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from openpyxl.utils import get_column_letter as _col
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.crosswalk import sector_labels
from labormatch.forecast.models import model_label
from labormatch.panel import STALE_MONTHS
from labormatch.report import charts, style
from labormatch.report.layout import (
    HEADER_ROW,
    Column,
    frame_rows,
    sector_column,
    write_note,
    write_paragraph,
    write_table,
    write_title,
)
from labormatch.report.provenance import month_of, write_source
from labormatch.series_names import series_name

FORECAST_COLUMNS = (
    ("sector", sector_column()),
    ("series", Column("Series")),
    ("series_id", Column("Series id")),
    ("data_through", Column("Data through", style.MONTH)),
    ("unit", Column("Unit", width=14)),
    ("proxy_of", Column("Proxy (what the series measures)", width=24, wrap=True)),
    ("date", Column("Month", style.MONTH)),
    ("mean", Column("Forecast", style.DECIMAL, width=11)),
    ("lo80", Column("80% low", style.DECIMAL, width=11)),
    ("hi80", Column("80% high", style.DECIMAL, width=11)),
    ("lo95", Column("95% low", style.DECIMAL, width=11)),
    ("hi95", Column("95% high", style.DECIMAL, width=11)),
    ("model", Column("Model", width=26, wrap=True)),  # the longest model label on two lines
)
BACKTEST_COLUMNS = (
    ("series_id", Column("Series id")),
    ("sector", Column("Sector")),
    ("series", Column("Series")),
    ("model", Column("Chosen model")),
    ("mase", Column("MASE", style.SCORE)),
    ("snaive_mase", Column("Seasonal-naive MASE", style.SCORE)),
    ("smape", Column("sMAPE (%)", style.DECIMAL)),
    ("coverage80", Column("80% interval coverage", style.SHARE)),
    ("coverage95", Column("95% interval coverage", style.SHARE)),
    ("origins", Column("Backtest origins", style.COUNT)),
)


#: Series charted first for a sector, in order of preference (shortage signals before levels).
CHART_PREFERENCE = (
    "openings",
    "unfilled_openings",
    "openings_rate",
    "h2a_certified_worker_months",
    "h2b_certified_worker_months",
    "hires",
    "employment",
)
CHART_ROWS = 17  # rows between stacked forecast charts


def write_forecasts(
    ws: Worksheet,
    forecast: pd.DataFrame | None,
    backtest: pd.DataFrame | None,
    chart_series: Sequence[str] | None = None,
) -> None:
    """Forecasts by sector with 80/95% intervals, the chosen models' backtest scores, and interval charts."""
    write_title(
        ws,
        "Shortage forecasts by sector",
        "Point forecast with 80% and 95% intervals; the chosen model's rolling-origin backtest: MASE "
        "beside seasonal naive's MASE on the same origins and horizon (the model beats naive when its MASE is "
        "the lower of the two), interval coverage.",
    )
    if forecast is None or forecast.empty:
        write_note(
            ws,
            HEADER_ROW,
            1,
            "No forecast was supplied with this report (`labormatch report` adds them unless --no-forecasts is given).",
        )
        return
    labels = sector_labels()
    forecast = forecast.assign(
        **{
            c: forecast.get(c, default)
            for c, default in (("data_through", pd.NaT), ("unit", ""), ("proxy_of", ""), ("stale", False))
        }
    )
    stale = forecast[forecast["stale"].astype(bool)]
    forecast = forecast[~forecast["stale"].astype(bool)]
    rows = forecast.sort_values(["sector", "series", "date"]).assign(
        sector=lambda t: t["sector"].map(lambda s: labels.get(s, s)), model=lambda t: t["model"].map(model_label)
    )
    keys = [k for k, _ in FORECAST_COLUMNS]
    _, last = write_table(ws, "Forecasts", [c for _, c in FORECAST_COLUMNS], frame_rows(rows, keys))
    if len(stale):  # wrapped within the printed columns (written once their widths are known), so none is cut
        left_out = stale.drop_duplicates("series_id")
        write_paragraph(
            ws,
            HEADER_ROW - 1,
            1,
            len(FORECAST_COLUMNS),
            f"Stale series left out (data end more than {STALE_MONTHS} months before the snapshot's "
            "as-of month; a forecast would cover months already past): "
            + "; ".join(f"{r.series_id} (data through {r.data_through:%Y-%m})" for r in left_out.itertuples()),
        )
    write_source(
        ws,
        last + 1,
        "labormatch.forecast on the snapshot's sector series (series id per row; raw files on the Data sources sheet)",
        f"{month_of(forecast['data_through'].min())} to "
        f"{month_of(forecast['data_through'].max())} by series (Data through column)",
    )
    left = len(FORECAST_COLUMNS) + 2
    top = HEADER_ROW
    # printed: the forecast table at a readable size (the backtest and charts beside it are for the screen), its
    # header row repeated on every page (the title and the stale-series note print once, on the first)
    ws.print_area = f"A1:{_col(len(FORECAST_COLUMNS))}{ws.max_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    chosen = _chosen_backtest(forecast, backtest)
    if chosen is not None:
        chosen = chosen.assign(
            sector=chosen["sector"].map(lambda s: labels.get(s, s)), model=chosen["model"].map(model_label)
        )
    if chosen is not None and len(chosen):
        write_note(ws, top - 1, left, "Backtest of the chosen models", style.SECTION_FONT)
        keys = [k for k, _ in BACKTEST_COLUMNS]
        _, last = write_table(
            ws,
            "Backtests",
            [c for _, c in BACKTEST_COLUMNS],
            frame_rows(chosen, keys),
            top=top,
            left=left,
            freeze=False,
        )
        top = (
            last
            + 3
            + write_source(
                ws,
                last + 1,
                "labormatch.forecast rolling-origin backtest of each series' chosen model",
                "each series' own data end (Data through column of the forecast table)",
                col=left,
                beside=True,
            )
        )
    _forecast_charts(ws, rows, chart_series or charted_series(forecast), left, top)


def charted_series(forecast: pd.DataFrame) -> list[str]:
    """One series per sector: the first of `CHART_PREFERENCE` it has, else its first series."""
    rank = {name: i for i, name in enumerate(CHART_PREFERENCE)}
    pairs = forecast[["sector", "series", "series_id"]].drop_duplicates()
    pairs = pairs.assign(rank=pairs["series"].map(lambda s: rank.get(s, len(rank))))
    return list(pairs.sort_values(["sector", "rank", "series"]).groupby("sector", sort=True)["series_id"].first())


def _axis_floor(low: float, high: float) -> float | None:
    """A round value axis minimum a little below `low`, so the bands are not squashed against zero."""
    if not (low > 0 and high > low):
        return None
    floor = low - 0.1 * (high - low)
    if floor <= 0:
        return 0.0
    step = 10 ** math.floor(math.log10(high - low))
    return math.floor(floor / step) * step


def _chosen_backtest(forecast: pd.DataFrame, backtest: pd.DataFrame | None) -> pd.DataFrame | None:
    """Backtest rows of the model the forecast uses for each series."""
    if backtest is None or backtest.empty:
        return None
    used = forecast[["series_id", "model"]].drop_duplicates()
    return backtest.merge(used, on=["series_id", "model"], how="inner").sort_values(["sector", "series"])


def _forecast_charts(ws: Worksheet, rows: pd.DataFrame, series_ids: Sequence[str], left: int, top: int) -> None:
    """One interval chart per series: helper rows (band widths for the stacked shading), charts beside them."""
    parts = [rows[rows["series_id"] == sid] for sid in series_ids]
    parts = [p for p in parts if len(p)]
    if not parts:
        return
    write_note(ws, top - 1, left, "Chart data: the bands as widths, stacked to shade the intervals", style.NOTE_FONT)
    heads = ("Series id", "Month", "Forecast", "Below 95% band", "95% to 80% low", "80% band", "80% to 95% high")
    data = [
        (r.series_id, r.date, r.mean, r.lo95, r.lo80 - r.lo95, r.hi80 - r.lo80, r.hi95 - r.hi80)
        for part in parts
        for r in part.itertuples()
    ]
    chart_columns = [
        Column(h, None if i == 0 else style.MONTH if i == 1 else style.DECIMAL) for i, h in enumerate(heads)
    ]
    first, _ = write_table(ws, "ForecastChartData", chart_columns, data, top=top, left=left, freeze=False)
    chart_col = _col(left + len(heads) + 1)
    start, labels = first, sector_labels()
    for k, part in enumerate(parts):
        end = start + len(part) - 1
        name, sector = series_name(part["series"].iloc[0]), part["sector"].iloc[0]
        charts.interval_chart(
            ws,
            f"{labels.get(sector, sector)}: {name}",
            name,
            start,
            end,
            header_row=top,
            date_col=left + 1,
            mean_col=left + 2,
            band_first_col=left + 3,
            anchor=f"{chart_col}{top + k * CHART_ROWS}",
            y_min=_axis_floor(part["lo95"].min(), part["hi95"].max()),
        )
        write_source(
            ws,
            top + k * CHART_ROWS + CHART_ROWS - 1,
            f"labormatch.forecast, series {part['series_id'].iloc[0]} ({part['unit'].iloc[0] or 'unit in the table'})",
            month_of(part["data_through"].iloc[0]),
            col=left + len(heads) + 1,
            span=8,
            beside=True,
        )
        start = end + 1
