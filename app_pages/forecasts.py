"""Forecasts: per sector and series, history with the forecast's 80% / 95% bands, the chosen model and its
backtest scores against seasonal naive, and the table behind the chart."""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import charts, common, demand_track_record, tables
from labormatch.crosswalk import sector_labels
from labormatch.forecast import ForecastConfig
from labormatch.forecast.metrics import beats_seasonal_naive
from labormatch.forecast.models import CANDIDATES, COMBINATION, COMBINATION_LABEL, combine, model_label
from labormatch.panel import MAX_GAP_MONTHS, STALE_MONTHS
from labormatch.series_names import series_name, series_title

HISTORY_YEARS = 6

CONFIG = ForecastConfig()
#: Backtest scores with their units; ratios and shares to two decimals, sMAPE (percent) to one.
#: column -> (title, format); a static table, so that no column is cut off on the right.
SCORE_COLUMNS = {
    "sector": ("Sector", "{}"),
    "series": ("Series", "{}"),
    "model": ("Chosen model", "{}"),
    "mase": ("MASE (ratio)", "{:.2f}"),
    "snaive_mase": ("Seasonal-naive MASE (ratio)", "{:.2f}"),
    "beats_seasonal_naive": ("Beats seasonal naive", "{}"),
    "smape": ("sMAPE (percent)", "{:.1f}"),
    "coverage80": ("80% band coverage (share)", "{:.2f}"),
    "coverage95": ("95% band coverage (share)", "{:.2f}"),
    "origins": ("Backtest origins", "{:.0f}"),
}
SCORE_TABLE_PX = 600  # a long table scrolls inside this height
BAND_LEGEND = (
    "Solid dark line: observed months. Dashed blue line: the forecast (mean). Dark blue band: 80% "
    "prediction interval; light blue band: 95% prediction interval."
)
#: The rule for "beats naive" (`labormatch.forecast.metrics.beats_seasonal_naive`) in words; the workbook's
#: Forecasts sheet states the same rule.
BEATS_NAIVE = (
    "A model beats naive when its backtest MASE is below seasonal naive's MASE on the same backtest "
    "origins and horizon: both are scored out of sample on the same months. A MASE below 1 says less: "
    "only that the errors are smaller than seasonal naive's one-step errors within the training data, "
    "which scale every MASE (MASE: mean absolute scaled error, lower is better)."
)


def score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The backtest scores as text: titles with their units, ratios and shares to two decimals, sMAPE to one,
    'yes'/'no' for beating seasonal naive, an empty cell for a score the backtest could not give."""

    def cell(pattern: str, value) -> str:
        if isinstance(value, (bool, np.bool_)):
            return "yes" if value else "no"
        return "" if pd.isna(value) else pattern.format(value)

    return pd.DataFrame(
        {title: [cell(pattern, v) for v in scores[column]] for column, (title, pattern) in SCORE_COLUMNS.items()}
    )


#: The chart's table: months without a day, values to a tenth (series are in thousands, percent or worker-months).
VALUE_COLUMNS = {
    "date": st.column_config.DateColumn("date", format="YYYY-MM"),
    **{
        column: st.column_config.NumberColumn(column, format="%,.1f")
        for column in ("value", "mean", "lo80", "hi80", "lo95", "hi95")
    },
}
CHART_TABLE_COLUMNS = ["date", "kind", "value", "mean", "lo80", "hi80", "lo95", "hi95", "model"]


def model_help(name: str) -> str:
    """What a model does: the first paragraph of its definition's docstring."""
    definition = combine if name == COMBINATION else CANDIDATES[name]
    return inspect.getdoc(definition).split("\n\n")[0]


st.title("Forecasts")
st.caption(
    f"Each series is forecast by the {COMBINATION_LABEL[0].lower() + COMBINATION_LABEL[1:]} unless a single candidate "
    f"({', '.join(model_label(m) for m in CONFIG.models if m != COMBINATION)}) scored a mean MASE more than "
    f"{CONFIG.combo_margin:.0%} lower in the rolling-origin backtest ({CONFIG.origins} origins, "
    f"{CONFIG.backtest_horizon} months ahead); seasonal naive is always backtested as the baseline. A MASE below "
    "the seasonal-naive MASE (not merely below 1) means the chosen model beat the naive forecast out of sample; "
    "coverage is the share "
    "of backtest actuals inside the 80% / 95% bands. Every model trains on all months. For series with breaks, "
    "`labormatch forecast --windows average` (command line) also averages each model over the last 10, 8 and 6 "
    "years: more accurate after the pandemic in the benchmark, with narrower bands, at about 3 times the time "
    "(docs/FORECAST.md)."
)

STALE_NOTE = (
    f"Stale: its last month is more than {STALE_MONTHS} months before the snapshot's as-of month ({{as_of:%Y-%m}}), "
    "so it is shown as history only, never forecast (a forecast from its end would cover months already past)."
)

with common.shown_errors():
    forecast, backtest, observed = common.forecasts()
    about = common.shortage_catalogue()
    as_of = common.as_of_month()
    labels = sector_labels()
    st.caption(
        f'Every series says where its data end ("data through"), its unit, its source and, where a sector\'s own '
        f"series is stale, the supersector series standing in (a proxy). Series whose data end more than "
        f"{STALE_MONTHS} months before the snapshot's as-of month ({as_of:%Y-%m}) are stale: history only, not "
        "forecast. Forecasts of current series start the month after their data end. A month without data breaks "
        f"the line; a gap of more than {MAX_GAP_MONTHS} months is never bridged: the series restarts after it."
    )
    left, right = st.columns(2)
    sectors = sorted(about["sector"].unique(), key=lambda s: labels.get(s, s))
    sector = left.selectbox("Sector", sectors, format_func=lambda s: labels.get(s, s), key="forecast_sector")
    in_sector = about[about["sector"] == sector].sort_values(["stale", "series"])  # current series first
    names = dict(zip(in_sector["series"], in_sector["stale"]))
    series = right.selectbox(
        "Series",
        list(names),
        key="forecast_series",
        format_func=lambda s: f"{series_name(s)} (stale)" if names[s] else series_name(s),
    )
    row = in_sector[in_sector["series"] == series].iloc[0]
    series_id = row["series_id"]
    unit = row["unit"]
    name = series_name(series)
    # the unit once: "H-2A certified worker-months (worker-months)" was cut off on the 320-pixel axis
    y_title = f"{name} ({unit})" if unit and unit not in name else name
    title = series_title(series_id)
    st.markdown(f"**{title}** — {common.data_label(row)}")
    full = common.series_history(series_id, observed)
    gap_label = "no complete disclosure file" if common.h2_gap_note(series) else ""
    ahead = forecast[forecast["series_id"] == series_id].sort_values("date")
    if ahead.empty:
        st.info(
            STALE_NOTE.format(as_of=as_of)
            if row["stale"]
            else "Too few months since its last gap to be "
            "forecast (at least 12 observed months are needed): history only.",
            icon=":material/history:",
        )
        history = full
        charts.show(
            charts.history_chart(history, y_title, gap_label),
            history.assign(kind="history"),
            f"{title} ({unit}), history",
            "forecast",
            VALUE_COLUMNS,
        )
    else:
        start = ahead["date"].min() - pd.DateOffset(years=HISTORY_YEARS)
        history = full[full["date"] >= start]
        scores = backtest[backtest["series_id"] == series_id]
        chosen = ahead["model"].iloc[0]
        # a line, not a metric: a metric's third of the page cut the label ("Exponential smo…")
        st.markdown(f"**Chosen model:** {model_label(chosen)}", help=model_help(chosen))
        if len(scores):
            score = scores.iloc[0]
            for column, (label, key) in zip(
                charts.metric_columns(4),
                [
                    ("Backtest MASE (ratio)", "mase"),
                    ("Seasonal-naive MASE (ratio)", "snaive_mase"),
                    ("80% band coverage (share)", "coverage80"),
                    ("95% band coverage (share)", "coverage95"),
                ],
            ):
                column.metric(
                    label,
                    "n/a" if pd.isna(score[key]) else f"{score[key]:.2f}",
                    help=f"{int(score['origins'])} backtest origins"
                    if score["origins"]
                    else "series too short to backtest: seasonal naive is used",
                )
        table = pd.concat([history.assign(kind="history"), ahead.assign(kind="forecast")], ignore_index=True)[
            CHART_TABLE_COLUMNS
        ].assign(model=lambda t: t["model"].map(model_label, na_action="ignore"))  # the series is named in the caption
        chart = charts.band_chart(history, ahead, y_title)
        if not charts.unknown_spans(history).empty:
            chart = charts.history_chart(history, y_title, gap_label) + chart
        st.caption(BAND_LEGEND)
        charts.show(chart, table, f"{title} ({unit}), history and forecast", "forecast", VALUE_COLUMNS)
    for span in charts.unknown_spans(history).itertuples():
        reason = (
            common.h2_gap_note(series, span.start, span.end) or "no data in the snapshot for these months (not bridged)"
        )
        st.caption(
            f"Break in the line: no value from {span.start:%Y-%m} to {span.end:%Y-%m} ({span.months} months): {reason}."
        )

    st.subheader("Every series: where its data end")
    listing = pd.DataFrame(
        {
            "series": about["series_id"].map(series_title),
            "data end": about["last_month"].map(lambda m: f"data through {m:%Y-%m}"),
            "unit": about["unit"],
            "source": [
                tables.breakable(f"{s} · proxy: {p}" if p else s) for s, p in zip(about["source"], about["proxy_of"])
            ],
        }
    ).set_index("series")
    stale = about["stale"].to_numpy()
    st.caption(f"Current series ({int((~stale).sum())}): forecast from the month after their data end.")
    st.table(listing[~stale].sort_index(), height=SCORE_TABLE_PX)
    st.caption(
        f"Stale series ({int(stale.sum())}): data end more than {STALE_MONTHS} months before {as_of:%Y-%m}; "
        "history only."
    )
    st.table(listing[stale].sort_index(), height=SCORE_TABLE_PX)

    st.subheader("Backtest scores of every forecast series")
    summary = backtest.assign(
        beats_seasonal_naive=beats_seasonal_naive(backtest["mase"], backtest["snaive_mase"]),
        sector=backtest["sector"].map(labels).fillna(backtest["sector"]),
        series=backtest["series"].map(series_name),
        model=backtest["model"].map(model_label),
    )
    too_short = int((summary["origins"] == 0).sum())
    st.caption(
        f"The chosen model beats seasonal naive on {int(summary['beats_seasonal_naive'].sum())} of "
        f"{len(summary)} series. {BEATS_NAIVE} {too_short} series are too short to backtest: their scores are "
        "empty and seasonal naive forecasts them."
    )
    st.table(score_table(summary), hide_index=True, height=SCORE_TABLE_PX)

demand_track_record.show()
