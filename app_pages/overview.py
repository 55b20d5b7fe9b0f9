"""Overview: which sectors are short now (ranked composite index with its indicators), where the forecasts
say they are heading, and the sources and data vintage behind both."""

import altair as alt
import streamlit as st

from app_pages import charts, common

st.title("Where are US labor shortages, and where are they heading?")

with common.shown_errors():
    labels = common.sector_labels()
    ranked = common.composite().copy()
    ranked.insert(1, "sector_label", ranked["sector"].map(labels).fillna(ranked["sector"]))
    st.subheader("Shortage now: composite index by sector")
    st.caption(common.composite_caption())
    chart = alt.Chart(ranked).mark_bar(color="#d95f02").encode(
        x=alt.X("composite:Q", title="Composite shortage index (weighted z-scores; higher = tighter)"),
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=280)),
        tooltip=list(ranked.columns),
    )
    charts.show(chart, ranked, "composite index and its indicators by sector", "composite")

with common.shown_errors():
    outlook = common.outlook().copy()
    outlook.insert(1, "sector_label", outlook["sector"].map(labels).fillna(outlook["sector"]))
    st.subheader("Where the forecasts say sectors are heading")
    st.caption(common.outlook_caption())
    chart = alt.Chart(outlook).mark_bar().encode(
        x=alt.X("change_pct:Q", title="Forecast change, next 12 months against the last 12 (percent)"),
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=280)),
        color=alt.condition("datum.change_pct > 0", alt.value("#d95f02"), alt.value("#1b9e77")),
        tooltip=list(outlook.columns),
    )
    charts.show(chart, outlook, "forecast direction by sector", "outlook")

with common.shown_errors():
    st.subheader("Sources and data vintage")
    manifest = common.manifest()
    vintage = common.panel_vintage()
    st.caption(
        f"Snapshot built {manifest['built_at']} (labormatch {manifest['package_version']}, data checksum "
        f"`{manifest['data_checksum'][:12]}`) from {len(manifest['sources'])} public files; the Data page lists "
        "them with their vintages and checks the snapshot against its manifest."
    )
    st.dataframe(vintage, hide_index=True, width="stretch")
