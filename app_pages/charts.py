"""Altair charts for the app; each is shown beside the table it was drawn from."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from labormatch.fiscal import HALF_START_NAMES

BAND_95 = "#c6dbef"
BAND_80 = "#6baed6"
FORECAST = "#08519c"
HISTORY = "#252525"
#: Category labels are drawn whole (Vega: 0 = no limit): a cut label lost its unit or data vintage.
FULL_LABEL = 0
#: A legend above the chart: beside a fixed-width faceted chart it ran past the page's column and was cut.
TOP_LEGEND = alt.Legend(orient="top")
#: Number labels centred on their ticks: Vega's default pushes the end labels inwards ("flush"), so "-100" sat on
#: top of "-80". Labels that would still touch are dropped.
CENTRED_LABELS = alt.Axis(labelFlush=False, labelOverlap="greedy")
METRIC_COLUMNS = 3  # metrics per row: few enough that no label (and its unit) is cut short
UNKNOWN = "#e0e0e0"
#: One meaning per colour across the result charts: blues are intervals and numbers used, red is unmet demand,
#: purples are the halves of the fiscal year (red never means a year).
ALLOCATED = "#2b8cbe"
UNMET = "#e34a33"
HALF_COLOURS = dict(zip(HALF_START_NAMES.values(), ("#54278f", "#9e9ac8"), strict=True))
#: Origin countries: a neutral categorical palette (blues, greens, greys, olives, a gold; no red, orange or brown,
#: as red means unmet demand), given to the origins in their listed order; a thirteenth origin starts it again.
ORIGIN_COLOURS = (
    "#1f77b4",
    "#2ca02c",
    "#7f7f7f",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#98df8a",
    "#aec7e8",
    "#637939",
    "#c7c7c7",
    "#e7ba52",
    "#5254a3",
)
#: A month without data breaks the line (Vega-Lite's default for lines varies by version): never joined across.
BREAK_LINE = "break-paths-show-domains"
GAP_LABEL_PX = 220  # a gap's label is cut (with '…') rather than run past the chart


def unknown_spans(history: pd.DataFrame) -> pd.DataFrame:
    """Runs of months without a value inside `history` (`date, value`, one row per month): `start, end,
    months`, one row per run."""
    ordered = history.sort_values("date").reset_index(drop=True)
    missing = ordered["value"].isna()
    run = (missing != missing.shift()).cumsum()
    spans = ordered[missing].groupby(run[missing])["date"].agg(start="min", end="max", months="size")
    return spans.reset_index(drop=True)


def metric_columns(count: int) -> list:
    """Places for `count` metrics, `METRIC_COLUMNS` to a row; each row is its own `st.columns`, so a row
    lines up whichever of its metrics show a delta."""
    rows = [st.columns(METRIC_COLUMNS) for _ in range(-(-count // METRIC_COLUMNS))]
    return [column for row in rows for column in row][:count]


def history_chart(history: pd.DataFrame, y_title: str, gap_label: str = "") -> alt.LayerChart:
    """History line that breaks where a month has no value, each unknown run shaded and labelled
    (`gap_label`, e.g. "no complete disclosure file"; "no data" when empty; the page says which years)."""
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y"))
    actual = (
        alt.Chart(history)
        .mark_line(color=HISTORY, invalid=BREAK_LINE)
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)), tooltip=["date:T", "value:Q"])
    )
    spans = unknown_spans(history).assign(label=gap_label or "no data")
    if spans.empty:
        return alt.layer(actual).properties(height=320)
    shade = (
        alt.Chart(spans)
        .mark_rect(color=UNKNOWN, opacity=0.7)
        .encode(
            x="start:T",
            x2="end:T",
            tooltip=[
                alt.Tooltip("start:T", format="%Y-%m"),
                alt.Tooltip("end:T", format="%Y-%m"),
                "months:Q",
                "label:N",
            ],
        )
    )
    text = (
        alt.Chart(spans)
        .mark_text(align="left", baseline="top", dx=3, dy=3, color="#555", fontSize=11, limit=GAP_LABEL_PX)
        .encode(x="start:T", y=alt.value(0), text="label:N")
    )
    return alt.layer(shade, actual, text).properties(height=320)


def band_chart(history: pd.DataFrame, forecast: pd.DataFrame, y_title: str) -> alt.LayerChart:
    """History line (broken where a month has no value), forecast mean and its 80% / 95% prediction bands.

    `history` has `date, value`; `forecast` has `date, mean, lo80, hi80, lo95, hi95`.
    """
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y"))
    band95 = (
        alt.Chart(forecast)
        .mark_area(color=BAND_95)
        .encode(
            x=x,
            y=alt.Y("lo95:Q", title=y_title, scale=alt.Scale(zero=False)),
            y2="hi95:Q",
            tooltip=["date:T", "lo95:Q", "hi95:Q"],
        )
    )
    band80 = (
        alt.Chart(forecast)
        .mark_area(color=BAND_80, opacity=0.6)
        .encode(x=x, y="lo80:Q", y2="hi80:Q", tooltip=["date:T", "lo80:Q", "hi80:Q"])
    )
    mean = (
        alt.Chart(forecast)
        .mark_line(color=FORECAST, strokeDash=[4, 2])
        .encode(x=x, y="mean:Q", tooltip=["date:T", "mean:Q"])
    )
    actual = (
        alt.Chart(history)
        .mark_line(color=HISTORY, invalid=BREAK_LINE)
        .encode(x=x, y="value:Q", tooltip=["date:T", "value:Q"])
    )
    return alt.layer(band95, band80, actual, mean).properties(height=320)


def show(
    chart: alt.TopLevelMixin,
    table: pd.DataFrame,
    caption: str,
    key: str,
    column_config: dict | None = None,
    static: bool = False,
) -> None:
    """Draw `chart`, then the table behind it (every chart has its table), its columns formatted by `column_config`;
    `static`: a static table of text whose long cells wrap, for a table too wide for a grid.

    The spec is built without Altair's JSON-schema validation (about 50 ms a chart, most of a re-render's
    budget); the charts here are fixed in code and checked by the tests that draw them.
    """
    st.vega_lite_chart(chart.to_dict(validate=False), width="stretch", key=f"chart_{key}")
    with st.expander(f"Table behind the chart: {caption}"):
        if static:
            st.table(table, hide_index=True)
        else:
            st.dataframe(table, hide_index=True, width="stretch", key=f"table_{key}", column_config=column_config)
