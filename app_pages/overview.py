"""Overview: which sectors are short now (ranked composite index with its indicators), where the forecasts
say they are heading, and the sources and data vintage behind both."""

import altair as alt
import streamlit as st

from app_pages import charts, common

MONTH = st.column_config.DateColumn(format="YYYY-MM")  # monthly data: the day and time say nothing
SCORE = st.column_config.NumberColumn(format="%.2f")  # z-scores
CHANGE = st.column_config.NumberColumn(format="%+.1f")  # percent change
LEVEL = st.column_config.NumberColumn(format="%,.1f")  # the series' own unit (thousands or worker-months)

st.title("Where are US labor shortages, and where are they heading?")
labels = common.sector_labels()

with common.shown_errors():
    ranked = common.composite().copy()
    ranked.insert(1, "sector_label", ranked["sector"].map(labels).fillna(ranked["sector"]))
    month = ranked["month"].max()
    st.subheader(f"Shortage now: composite index by sector, {month:%B %Y}")
    st.caption(
        "Each indicator is scored across sectors (z-score, turned so that higher = tighter) and averaged with "
        "the default weights below; rank 1 is the tightest sector. Sectors report different indicators "
        f"(agriculture is outside JOLTS and CES): {len(ranked)} of {len(labels)} sectors have the two or more "
        "indicators needed to be ranked in that month: the latest month in which at least three quarters of the "
        "sectors are ranked (the sources end in different months)."
    )
    chart = alt.Chart(ranked).mark_bar(color="#d95f02").encode(
        x=alt.X("index:Q", title="Composite shortage index (weighted mean z-score; higher = tighter)"),
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
        tooltip=["rank", "sector_label", alt.Tooltip("index:Q", format=".2f"), "n_indicators"],
    )
    charts.show(chart, ranked, "composite index (weighted mean z-score), rank and indicator scores (z-scores) by sector",
                "composite", {"month": MONTH, "index": SCORE, **{c: SCORE for c in ranked if c.startswith("score_")}})
    with st.expander("Indicator weights (a declared assumption, with rationale and sources)"):
        st.dataframe(common.indicator_weights(), hide_index=True, width="stretch")

with common.shown_errors():
    forecast, _, history = common.forecasts()
    heading = common.outlook(forecast, history)
    heading.insert(1, "sector_label", heading["sector"].map(labels).fillna(heading["sector"])
                   + heading["last_observed_month"].map(lambda month: f" (data to {month:%b %Y})"))
    heading.insert(heading.columns.get_loc("series") + 1, "unit", heading["series"].map(common.series_unit))
    st.subheader("Where the forecasts say sectors are heading")
    st.caption(
        "Mean of the next 12 forecast months against the mean of the last 12 observed months of job openings "
        "(JOLTS; H-2 certified worker-months where a sector has no openings series). Series end in different "
        "months (shown after each sector): where the newest JOLTS release has no series for an industry "
        "(e.g. accommodation and food services), its forecast starts from August 2022. The whiskers span the change at the ends of the 80% band. The Forecasts page "
        "shows every series with its backtest."
    )
    base = alt.Chart(heading).encode(
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
        tooltip=["sector_label", "series", "model", alt.Tooltip("change_pct:Q", format="+.1f"),
                 alt.Tooltip("change_pct_lo80:Q", format="+.1f"), alt.Tooltip("change_pct_hi80:Q", format="+.1f")],
    )
    bars = base.mark_bar().encode(
        x=alt.X("change_pct:Q", title="Forecast change, next 12 months against the last 12 (percent)"),
        color=alt.condition("datum.change_pct > 0", alt.value("#d95f02"), alt.value("#1b9e77")),
    )
    whiskers = base.mark_rule(color="#555").encode(x="change_pct_lo80:Q", x2="change_pct_hi80:Q")
    charts.show(bars + whiskers, heading, "forecast direction by sector (change in percent)", "outlook",
                {"last_observed_month": MONTH, "last_12_months_mean": LEVEL, "next_12_months_mean": LEVEL,
                 **{c: CHANGE for c in ("change_pct", "change_pct_lo80", "change_pct_hi80")}})

with common.shown_errors():
    st.subheader("Sources and data vintage")
    manifest = common.manifest()
    st.caption(
        f"Snapshot built {manifest['built_at']} (labormatch {manifest['package_version']}, data checksum "
        f"`{manifest['data_checksum'][:12]}`) from {len(manifest['sources'])} public files (BLS JOLTS, CES, CPS; "
        "OFLC H-2A/H-2B disclosure files; State Department issuances; USCIS cap dates). The Data page lists "
        "every file with its vintage and checks the snapshot against its manifest."
    )
    st.dataframe(common.panel_vintage(), hide_index=True, width="stretch", column_config={
        "first_month": st.column_config.DateColumn("first month", format="YYYY-MM"),
        "last_month": st.column_config.DateColumn("last month", format="YYYY-MM"),
        "sectors": st.column_config.NumberColumn("sectors covered"),
    })
