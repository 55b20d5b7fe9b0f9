"""Showing one `ScenarioResult`: headline figures and the tables behind them, each with a chart.

Only the table names and columns documented in `labormatch.model` are used.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts
from labormatch.model import ScenarioResult

#: Headline key -> (label, unit, whether a fall is good news).
HEADLINE = {
    "h2b_unmet": ("H-2B unmet demand", "workers", True),
    "h2b_demand": ("H-2B demand", "workers", False),
    "h2b_allocated": ("H-2B allocated", "workers", False),
    "h2b_cap_total": ("H-2B numbers available", "workers", False),
    "h2a_workers": ("H-2A workers", "workers", False),
    "h2a_wage_bill_usd": ("H-2A wage bill", "USD", False),
    "returning_workers": ("Returning workers (all seasons)", "workers", False),
    "late_worker_months_saved": ("Late worker-months saved", "worker-months", False),
}


def metric_label(key: str) -> str:
    label, unit, _ = HEADLINE[key]
    return f"{label} ({unit})"


def headline(result: ScenarioResult, baseline: ScenarioResult | None) -> None:
    """Headline metrics, with the change against `baseline` (the default assumptions)."""
    columns = st.columns(4)
    for index, (key, (_, _, fall_is_good)) in enumerate(HEADLINE.items()):
        value = result.headline.get(key)
        if value is None:
            continue
        delta = None
        if baseline is not None and key in baseline.headline:
            delta = f"{value - baseline.headline[key]:+,.0f} vs defaults"
        columns[index % 4].metric(
            metric_label(key), f"{value:,.0f}", delta=delta, delta_color="inverse" if fall_is_good else "normal",
        )


def h2b_by_sector(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    table = result.tables["h2b_by_sector"].copy()
    table.insert(1, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    long = table.melt(id_vars=["sector_label", "half"], value_vars=["allocated", "unmet"],
                      var_name="outcome", value_name="workers")
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("sum(workers):Q", title="Workers"),
        y=alt.Y("sector_label:N", title=None, sort="-x"),
        color=alt.Color("outcome:N", title=None, scale=alt.Scale(domain=["allocated", "unmet"],
                                                                 range=["#2b8cbe", "#e34a33"])),
        column=alt.Column("half:N", title="Half of the fiscal year"),
        tooltip=["sector_label", "half", "outcome", alt.Tooltip("workers:Q", format=",.0f")],
    )
    charts.show(chart, table, "H-2B demand, allocation and unmet demand by sector and half (workers)", "h2b_by_sector")


def demand_by_half(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    demand = result.tables["demand"]
    table = (demand.groupby(["visa_class", "sector", "fiscal_year", "half"], as_index=False)["demand_workers"].sum())
    table.insert(2, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("sum(demand_workers):Q", title="Demand (workers starting in the half)"),
        y=alt.Y("sector_label:N", title=None, sort="-x"),
        color=alt.Color("fiscal_year:O", title="Fiscal year"),
        yOffset="fiscal_year:O",
        column=alt.Column("half:N", title="Half"),
        row=alt.Row("visa_class:N", title=None),
        tooltip=list(table.columns),
    )
    charts.show(chart, table, "demand by visa class, sector, fiscal year and half (workers)", "demand")


def quotas(result: ScenarioResult) -> None:
    quota = result.tables["quotas"]
    table = quota.groupby(["season", "fiscal_year", "origin"], as_index=False)[
        ["total_workers", "returning_workers", "new_workers", "non_returning", "overstays"]
    ].sum()
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("fiscal_year:O", title="Season (fiscal year)"),
        y=alt.Y("sum(total_workers):Q", title="Workers (quota)"),
        color=alt.Color("origin:N", title="Origin"),
        tooltip=list(table.columns),
    )
    charts.show(chart, table, "quotas by origin and season (workers)", "quotas")


def details(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    """Tabs: H-2B by sector, demand by half, quotas, tranches, H-2A, processing and cap timing."""
    tabs = st.tabs(["H-2B by sector and half", "Demand by sector and half", "Quotas by origin and season",
                    "Tranches", "H-2A sizing", "Processing time", "Cap timing"])
    with tabs[0]:
        h2b_by_sector(result, sector_labels)
    with tabs[1]:
        demand_by_half(result, sector_labels)
    with tabs[2]:
        quotas(result)
    for tab, name, caption in [
        (tabs[3], "tranches", "Cap and supplemental tranches in the order applied (workers)."),
        (tabs[4], "h2a", "H-2A workers by state, AEWR (USD/hour) and wage bill (USD)."),
        (tabs[5], "processing", "OFLC processing time (days) and late starts, before and after the lever."),
        (tabs[6], "cap_timing", "When each half's numbers run out: estimated and observed (USCIS)."),
    ]:
        with tab:
            st.caption(caption)
            st.dataframe(result.tables[name], hide_index=True, width="stretch")


def frame_of_headlines(results: dict[str, ScenarioResult]) -> pd.DataFrame:
    """Scenario name x headline figure, labelled with units (for side-by-side views)."""
    rows = {name: {metric_label(k): r.headline.get(k) for k in HEADLINE} for name, r in results.items()}
    return pd.DataFrame(rows)
