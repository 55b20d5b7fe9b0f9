"""Forecasts page section: the national demand model's track record on published figures, its forecast with
intervals, the composition checks and the control totals it rests on."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common, tables
from labormatch.composition import check_summary
from labormatch.crosswalk import sector_labels
from labormatch.demand_backtest import summary
from labormatch.demand_baseline import basis_rows, data_through, with_gaps

#: The backtest's columns shown (the workbook's Demand sheet has every column): the forecasts, their errors
#: against both naive forecasts, and the 80% interval.
BACKTEST_COLUMNS = [
    "visa_class",
    "fiscal_year",
    "check",
    "actual",
    "model",
    "model_error_pct",
    "naive_last_error_pct",
    "naive_growth_error_pct",
    "lo80",
    "hi80",
    "inside80",
]
TABLE_PX = 560  # a longer table scrolls inside this height
#: The control totals' columns shown (the workbook has every column: how each figure was made, verified, and the
#: rule behind its publication date).
CONTROL_COLUMNS = ["visa_class", "fiscal_year", "measure", "value", "unit", "published", "source"]


#: The national table's columns on the page: the figures and their intervals, in positions certified. Each
#: figure's basis is listed apart (a column of file names and citations ran the table past the page's edge); the
#: model's working columns (horizon, log sd, driver) are in the workbook's Demand sheet.
NATIONAL_COLUMNS = ["visa_class", "fiscal_year", "kind", "median", "lo80", "hi80", "lo95", "hi95"]


def national_chart(national: pd.DataFrame) -> alt.LayerChart:
    """Published (or converted) positions certified by fiscal year, the forecast median and its 80% / 95% bands,
    one panel per visa class."""
    x = alt.X("fiscal_year:O", title="Fiscal year")
    y_title = "Positions certified (OFLC)"
    base = alt.Chart(national)
    ahead = base.transform_filter("datum.kind == 'forecast'")
    band95 = ahead.mark_area(color=charts.BAND_95).encode(x=x, y=alt.Y("lo95:Q", title=y_title), y2="hi95:Q")
    band80 = ahead.mark_area(color=charts.BAND_80, opacity=0.6).encode(x=x, y="lo80:Q", y2="hi80:Q")
    median = ahead.mark_line(color=charts.FORECAST, strokeDash=[4, 2], point=True).encode(
        x=x,
        y="median:Q",
        tooltip=[
            "fiscal_year",
            alt.Tooltip("median:Q", format=",.0f"),
            alt.Tooltip("lo80:Q", format=",.0f"),
            alt.Tooltip("hi80:Q", format=",.0f"),
        ],
    )
    history = (
        base.transform_filter("datum.kind != 'forecast'")
        .mark_line(color=charts.HISTORY, point=True)
        .encode(
            x=x,
            y="median:Q",
            detail="segment:N",  # one line per run of known years: a gap stays open
            tooltip=["fiscal_year", "kind", alt.Tooltip("median:Q", format=",.0f")],
        )
    )
    return (
        alt.layer(band95, band80, history, median, data=national)
        .properties(height=260)
        .facet(row=alt.Row("visa_class:N", title=None))
        .resolve_scale(y="independent")
    )


def show() -> None:
    """The section, drawn from the cached model inputs."""
    st.header("Demand track record")
    with common.shown_errors():
        demand = common.model_inputs().demand_tables
        backtest, national = demand["demand_backtest"], demand["demand_forecast"]
        st.caption(
            "National demand in one measure, OFLC positions certified by fiscal year of decision "
            f"({data_through(national)}). Each backtest year is forecast "
            "from the figures public before it (origin = when the previous year's total was public), against the "
            "last value and the last value x the mean growth of the 3 years before. The model's form (growth with a "
            "lagged employment driver) was fixed on years before FY2019; FY2019 onward is the test."
        )
        lines = summary(backtest)
        columns = charts.metric_columns(3 * len(lines))
        for i, (_, row) in enumerate(lines.iterrows()):
            v = row["visa_class"]
            columns[3 * i].metric(
                f"{v} model MAPE (percent)", f"{row['model_mape']:.1f}", help=f"{int(row['years'])} fiscal years"
            )
            columns[3 * i + 1].metric(
                f"{v} better naive MAPE (percent)", f"{min(row['naive_last_mape'], row['naive_growth_mape']):.1f}"
            )
            columns[3 * i + 2].metric(
                f"{v} outcomes inside the 80% interval", f"{int(row['inside80'])} of {int(row['years'])}"
            )
        labels = sector_labels()
        tables.show_static(
            backtest[BACKTEST_COLUMNS].rename(columns={"actual": "actual_positions", "model": "model_positions"}),
            labels,
        )
        st.caption(
            "January windows (check 'january window positions') are a secondary check, not scored: positions "
            "requested in the Jan 1-3 window against the model's April-start positions certified; the 2026 "
            "window figure is unverified."
        )
        st.subheader("National positions certified, with 80% / 95% intervals")
        national = with_gaps(national)
        shown = tables.in_words(national[NATIONAL_COLUMNS], labels)
        charts.show(
            national_chart(national),
            shown,
            "national positions certified by visa class and fiscal year "
            "(observed, converted from another measure, forecast)",
            "demand_national",
            tables.column_config(shown),
        )
        with st.expander("Basis of each national figure (the file, conversion or model it comes from)"):
            tables.show_static(basis_rows(national), labels, height=TABLE_PX)
        st.subheader("Where demand goes: composition checks")
        picture = common.table("reference/job_orders")["as_of"].max()
        st.caption(
            "The model's FY2026 H-2B sector and state shares next to the DOL SeasonalJobs job orders of "
            f"{picture:%Y-%m-%d} (the snapshot's newest picture; positions; sectors from job titles) and the "
            "FY2024 January-peak list (applications)."
        )
        tables.show_static(demand["composition_current"], labels, height=TABLE_PX)
        st.caption(
            "Sector shares out of sample (one fold per fiscal year): mean absolute error of the log-share trend "
            "and of last year's shares (share of the visa class, 0-1)."
        )
        tables.show_static(
            check_summary(demand["composition_check"]).sort_values("visa_class", ascending=False, kind="stable"),
            labels,
            height=TABLE_PX,
        )
        with st.expander("Control totals: every national figure, its measure, source and publication date"):
            totals = demand["control_totals"]
            tables.show_static(totals[totals["period"] != "month"][CONTROL_COLUMNS], labels, height=TABLE_PX)
