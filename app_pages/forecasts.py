"""Forecasts: per sector and series, history with the forecast's 80% / 95% bands, the chosen model and its
backtest scores against seasonal naive, and the table behind the chart."""

import pandas as pd
import streamlit as st

from app_pages import charts, common, demand_track_record
from labormatch.forecast import ForecastConfig
from labormatch.forecast.models import COMBINATION, COMBINED

HISTORY_YEARS = 6

CONFIG = ForecastConfig()
MODEL_NAMES = {"ets": "ETS (damped trend)", "sarimax": "SARIMAX airline", "theta": "Theta", "uc": "unobserved components",
               "snaive": "seasonal naive"}
#: Backtest scores with their units; ratios and shares to two decimals, sMAPE (percent) to one.
SCORE_COLUMNS = {
    "mase": st.column_config.NumberColumn("MASE (ratio)", format="%.2f"),
    "snaive_mase": st.column_config.NumberColumn("seasonal-naive MASE (ratio)", format="%.2f"),
    "smape": st.column_config.NumberColumn("sMAPE (percent)", format="%.1f"),
    "coverage80": st.column_config.NumberColumn("80% band coverage (share)", format="%.2f"),
    "coverage95": st.column_config.NumberColumn("95% band coverage (share)", format="%.2f"),
    "origins": st.column_config.NumberColumn("backtest origins"),
}
SCORE_ORDER = ["sector", "series", "model", "mase", "snaive_mase", "beats_seasonal_naive", "smape", "coverage80",
               "coverage95", "origins"]
#: The chart's table: months without a day, values to a tenth (series are in thousands, percent or worker-months).
VALUE_COLUMNS = {"date": st.column_config.DateColumn("date", format="YYYY-MM"),
                 **{column: st.column_config.NumberColumn(column, format="%,.1f")
                    for column in ("value", "mean", "lo80", "hi80", "lo95", "hi95")}}
CHART_TABLE_COLUMNS = ["date", "kind", "value", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
COMBO_HELP = f"combo = the equal-weight combination of {', '.join(MODEL_NAMES[m] for m in COMBINED)}"

st.title("Forecasts")
st.caption(
    f"Each series is forecast by the combination ({COMBO_HELP}) unless a single candidate "
    f"({', '.join(MODEL_NAMES[m] for m in CONFIG.models if m in MODEL_NAMES)}) scored a mean MASE more than "
    f"{CONFIG.combo_margin:.0%} lower in the rolling-origin backtest ({CONFIG.origins} origins, "
    f"{CONFIG.backtest_horizon} months ahead); seasonal naive is always backtested as the baseline. A MASE below "
    "the seasonal-naive MASE means the chosen model beat the naive forecast out of sample; coverage is the share "
    "of backtest actuals inside the 80% / 95% bands. Every model trains on all months. For series with breaks, "
    "`labormatch forecast --windows average` (command line) also averages each model over the last 10, 8 and 6 "
    "years: more accurate after the pandemic in the benchmark, with narrower bands, at about 3 times the time "
    "(docs/FORECAST.md)."
)

with common.shown_errors():
    forecast, backtest, observed = common.forecasts()
    labels = common.sector_labels()
    left, right = st.columns(2)
    sectors = sorted(forecast["sector"].unique(), key=lambda s: labels.get(s, s))
    sector = left.selectbox("Sector", sectors, format_func=lambda s: labels.get(s, s), key="forecast_sector")
    in_sector = forecast[forecast["sector"] == sector]
    series = right.selectbox("Series", sorted(in_sector["series"].unique()), key="forecast_series")
    ahead = in_sector[in_sector["series"] == series].sort_values("date")
    series_id = ahead["series_id"].iloc[0]
    unit = common.series_unit(series)
    start = ahead["date"].min() - pd.DateOffset(years=HISTORY_YEARS)
    past = observed[observed["series_id"] == series_id]
    history = past[past["date"] >= start][["date", "value"]]

    scores = backtest[backtest["series_id"] == series_id]
    chosen = ahead["model"].iloc[0]
    columns = charts.metric_columns(5)
    columns[0].metric("Chosen model", chosen, help=COMBO_HELP if chosen == COMBINATION else MODEL_NAMES.get(chosen))
    if len(scores):
        row = scores.iloc[0]
        for column, (label, key) in zip(columns[1:], [
            ("Backtest MASE (ratio)", "mase"), ("Seasonal-naive MASE (ratio)", "snaive_mase"),
            ("80% band coverage (share)", "coverage80"), ("95% band coverage (share)", "coverage95"),
        ]):
            column.metric(label, "n/a" if pd.isna(row[key]) else f"{row[key]:.2f}",
                          help=f"{int(row['origins'])} backtest origins" if row["origins"] else "series too short "
                          "to backtest: seasonal naive is used")
    table = pd.concat([history.assign(kind="history"), ahead.assign(kind="forecast")],
                      ignore_index=True)[CHART_TABLE_COLUMNS]  # the series is named in the caption, not in every row
    charts.show(charts.band_chart(history, ahead, f"{series} ({unit})" if unit else series), table,
                f"{labels.get(sector, sector)}: {series_id} ({unit}), history and forecast", "forecast", VALUE_COLUMNS)
    st.subheader("Backtest scores of every series")
    summary = backtest.assign(beats_seasonal_naive=backtest["mase"] < backtest["snaive_mase"])
    too_short = int((summary["origins"] == 0).sum())
    st.caption(f"The chosen model beats seasonal naive on {int(summary['beats_seasonal_naive'].sum())} of "
               f"{len(summary)} series (MASE: mean absolute scaled error, lower is better). {too_short} series are too "
               "short to backtest: their scores are empty (None) and seasonal naive forecasts them.")
    st.dataframe(summary, hide_index=True, width="stretch", column_config=SCORE_COLUMNS,
                 column_order=[*SCORE_ORDER, "series_id"])  # the scores first, the long id last

demand_track_record.show()
