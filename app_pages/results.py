"""Showing one `ScenarioResult`: headline figures and the tables behind them, each with a chart.

Only the table names and columns documented in `labormatch.model` are used.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts
from labormatch.compare import HEADLINE_FIGURES
from labormatch.model import ScenarioResult

#: Headline figures shown as metrics (labels and units from `labormatch.compare`), in rows of `charts.METRIC_COLUMNS`.
#: Every form group moves at least one of them: the cap and demand fields the H-2B figures, the first-half share
#: the unmet split by half, circular migration the returning workers and wages carried home, the processing
#: lever the worker-months it saves.
METRICS = ("h2b_unmet", "h2b_unmet_h1", "h2b_unmet_h2", "h2b_demand", "h2b_allocated", "h2b_cap_total",
           "h2a_workers", "h2a_wage_bill_usd", "returning_workers", "wages_carried_home_usd", "late_worker_months",
           "late_worker_months_saved")
#: Metric labels for figures that `labormatch.compare` words as indented sub-rows of the figure above them.
SUB_FIGURE_LABELS = {"h2b_unmet_h1": "H-2B unmet, Oct-Mar starts", "h2b_unmet_h2": "H-2B unmet, Apr-Sep starts",
                     "late_worker_months_saved": "Late-start worker-months saved"}
#: Figures where a fall is good news (shown with an inverted delta colour).
FALL_IS_GOOD = {"h2b_unmet", "h2b_unmet_h1", "h2b_unmet_h2", "late_worker_months", "late_start_share"}
CHART_WIDTH = 560
_LABELS = {key: (label.strip(), unit) for key, label, unit in HEADLINE_FIGURES}


def metric_label(key: str) -> str:
    label, unit = _LABELS[key]
    return f"{SUB_FIGURE_LABELS.get(key, label)} ({unit})"


def headline(result: ScenarioResult, baseline: ScenarioResult | None) -> None:
    """Headline metrics, with the change against `baseline` (the default assumptions)."""
    shown = [key for key in METRICS if result.headline.get(key) is not None]
    for column, key in zip(charts.metric_columns(len(shown)), shown):
        value = result.headline[key]
        delta = None
        if baseline is not None and key in baseline.headline and value != baseline.headline[key]:
            delta = f"{value - baseline.headline[key]:+,.0f} vs defaults"
        column.metric(
            metric_label(key), f"{value:,.0f}", delta=delta, delta_color="inverse" if key in FALL_IS_GOOD else "normal",
        )


def _number_format(column: str) -> str:
    """Shares to three decimals, hourly rates to the cent, weekly hours to a tenth; workers, days and USD whole."""
    if "share" in column:
        return "%.3f"
    if column.endswith("_hour"):
        return "%.2f"
    if column.endswith("_per_week"):
        return "%.1f"
    return "%,.0f"


def table_columns(table: pd.DataFrame) -> dict:
    """Column formats for a result table: the model's fractional workers and USD shown whole, dates without a time."""
    config = {}
    for column, dtype in table.dtypes.items():
        if pd.api.types.is_datetime64_any_dtype(dtype):
            config[column] = st.column_config.DateColumn(column, format="YYYY-MM-DD")
        elif pd.api.types.is_float_dtype(dtype):
            config[column] = st.column_config.NumberColumn(column, format=_number_format(column))
    return config


def h2b_by_sector(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    table = result.tables["h2b_by_sector"].copy()
    table.insert(1, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    long = table.melt(id_vars=["sector_label", "half"], value_vars=["allocated", "unmet"],
                      var_name="outcome", value_name="workers")
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("sum(workers):Q", title="Workers"),
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
        color=alt.Color("outcome:N", title=None, scale=alt.Scale(domain=["allocated", "unmet"],
                                                                 range=["#2b8cbe", "#e34a33"]),
                        legend=charts.TOP_LEGEND),
        row=alt.Row("half:N", title="Half of the fiscal year (H1 Oct-Mar, H2 Apr-Sep starts)"),
        tooltip=["sector_label", "half", "outcome", alt.Tooltip("workers:Q", format=",.0f")],
    ).properties(width=CHART_WIDTH)
    charts.show(chart, table, "H-2B demand, allocation and unmet demand by sector and half (workers)", "h2b_by_sector",
                table_columns(table))


def demand_by_half(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    demand = result.tables["demand"]
    table = (demand.groupby(["visa_class", "sector", "fiscal_year", "half"], as_index=False)["demand_workers"].sum())
    table.insert(2, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    table["period"] = "FY" + table["fiscal_year"].astype(str) + " " + table["half"]
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("demand_workers:Q", title="Demand (workers starting in the half)"),
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
        color=alt.Color("period:N", title="Fiscal year and half", legend=charts.TOP_LEGEND),
        yOffset="period:N",
        row=alt.Row("visa_class:N", title=None),
        tooltip=["visa_class", "sector_label", "period", alt.Tooltip("demand_workers:Q", format=",.0f")],
    ).properties(width=CHART_WIDTH).resolve_scale(x="independent", y="independent")  # H-2A is ten times H-2B
    charts.show(chart, table, "demand by visa class, sector, fiscal year and half (workers)", "demand",
                table_columns(table))


#: Quota table columns, all in workers.
WORKER_COLUMNS = ("total_workers", "returning_workers", "new_workers", "non_returning", "overstays")


def quotas(result: ScenarioResult) -> None:
    quota = result.tables["quotas"]
    table = quota.groupby(["season", "fiscal_year", "origin"], as_index=False)[list(WORKER_COLUMNS)].sum()
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("fiscal_year:O", title="Season (fiscal year)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(total_workers):Q", title="Workers (quota)"),
        color=alt.Color("origin:N", title="Origin"),
        tooltip=["season:O", "fiscal_year:O", "origin", *(alt.Tooltip(f"{column}:Q", format=",.0f") for column in WORKER_COLUMNS)],
    )
    charts.show(chart, table, "quotas by origin and season (workers)", "quotas", table_columns(table))


SECTIONS = ("H-2B by sector and half", "Demand by sector and half", "Quotas by origin and season", "Tranches",
            "H-2A sizing", "Processing time", "Cap timing")
TABLE_SECTIONS = {
    "Tranches": ("tranches", "Cap and supplemental tranches in the order applied (workers)."),
    "H-2A sizing": ("h2a", "H-2A workers by state, AEWR (USD/hour) and wage bill (USD)."),
    "Processing time": ("processing", "OFLC processing time (days) and late starts, before and after the lever."),
    "Cap timing": ("cap_timing", "When each half's numbers run out: estimated and observed (USCIS)."),
}


def details(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    """One section at a time (only the chosen one is drawn, which keeps a re-render fast)."""
    section = st.segmented_control("Results", SECTIONS, default=SECTIONS[0], key="result_section") or SECTIONS[0]
    if section == SECTIONS[0]:
        h2b_by_sector(result, sector_labels)
    elif section == SECTIONS[1]:
        demand_by_half(result, sector_labels)
    elif section == SECTIONS[2]:
        quotas(result)
    else:
        name, caption = TABLE_SECTIONS[section]
        st.caption(caption)
        table = result.tables[name]
        st.dataframe(table, hide_index=True, width="stretch", column_config=table_columns(table))
