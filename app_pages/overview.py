"""Overview: which sectors are short now (ranked composite index of current series), where the forecasts
say they are heading (current series only), and every series with its first month, data end, vintage and
source, stale series shown apart."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common, tables

MONTH = st.column_config.DateColumn(format="YYYY-MM")  # monthly data: the day and time say nothing
SCORE = st.column_config.NumberColumn(format="%.2f")  # z-scores
SOURCES_PX = 460  # the sources tables scroll inside this height


def score_title(column: str) -> str:
    """`score_openings_rate` -> "openings rate (z-score)"."""
    return column.removeprefix("score_").replace("_", " ") + " (z-score)"


#: The sources tables' columns as titled on the page (months as YYYY-MM).
SOURCE_TITLES = {
    "sector_label": "sector",
    "last_month": "data through",
    "first_month": "first month",
    "restart_month": "restarts (after a gap over 3 months)",
    "proxy_of": "proxy (what the series measures instead)",
    "source_file": "source file",
    "missing_months": "missing months",
}
#: The raw files behind each series are on the Data page (a list of file paths made this table run off the page).
SOURCE_ORDER = [
    "sector_label",
    "series",
    "seasonal",
    "unit",
    "last_month",
    "proxy_of",
    "first_month",
    "restart_month",
    "vintage",
    "source",
    "missing_months",
]


def source_rows(series: pd.DataFrame) -> pd.DataFrame:
    """The sources table's rows: columns in page order and titled, months as YYYY-MM."""
    months = {
        c: series[c].map(lambda m: "" if pd.isna(m) else f"{m:%Y-%m}")
        for c in SOURCE_ORDER
        if "month" in c and c != "missing_months"
    }
    return series[SOURCE_ORDER].assign(**months).rename(columns=SOURCE_TITLES)


RISING, FALLING = "rising: tighter ahead", "falling or flat: easing ahead"
DIRECTIONS = {RISING: "#d95f02", FALLING: "#1b9e77"}  # orange = tighter, as in the ranking above

st.title("Where are US labor shortages, and where are they heading?")
labels = common.sector_labels()

with common.shown_errors():
    as_of = common.as_of_month()
    ranked = common.composite().copy()
    proxies = common.ranking_proxies(ranked)
    ranked.insert(
        1,
        "sector_label",
        ranked["sector"].map(labels).fillna(ranked["sector"])
        + ranked["sector"].map(lambda s: f" (proxy: {proxies[s]})" if proxies.get(s) else ""),
    )
    month = ranked["month"].max()
    st.subheader(f"Shortage now: composite index by sector, {month:%B %Y}")
    st.caption(
        "Each indicator is scored across sectors (z-score, turned so that higher = tighter) and averaged with "
        "the default weights below; rank 1 is the tightest sector. Only current series count: a series whose "
        f"last month is more than 12 months before the snapshot's as-of month ({as_of:%Y-%m}) is stale and left "
        "out (the sources table below gives each series' data end), so a sector may rest on one indicator "
        "(the table's count of indicators). "
        f"{len(ranked)} of {len(labels)} sectors are ranked in {month:%Y-%m}: the latest month in which at least "
        "three quarters of the sectors are ranked (the sources end in different months)."
    )
    chart = (
        alt.Chart(ranked)
        .mark_bar(color="#d95f02")
        .encode(
            x=alt.X(
                "index:Q",
                title="Composite shortage index (weighted mean z-score; higher = tighter)",
                axis=charts.CENTRED_LABELS,
            ),
            y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
            tooltip=["rank", "sector_label", alt.Tooltip("index:Q", format=".2f"), "n_indicators"],
        )
    )
    charts.show(
        chart,
        ranked.drop(columns="sector"),
        "composite index (weighted mean z-score), rank and indicator scores (z-scores) by sector",
        "composite",
        {
            "sector_label": st.column_config.TextColumn("sector"),
            "month": MONTH,
            "index": SCORE,
            "n_indicators": st.column_config.NumberColumn("indicators"),
            **{
                c: st.column_config.NumberColumn(score_title(c), format="%.2f")
                for c in ranked
                if c.startswith("score_")
            },
        },
    )
    with st.expander("Indicator weights (a declared assumption, with rationale and sources)"):
        tables.show_static(common.indicator_weights(), labels)

with common.shown_errors():
    forecast, _, history = common.forecasts()
    about = common.shortage_catalogue().set_index("series_id")
    stale = frozenset(about.index[about["stale"]])
    heading = common.outlook(forecast, history, stale)
    proxy = heading["series_id"].map(about["proxy_of"]).fillna("")
    heading.insert(
        1,
        "sector_label",
        heading["sector"].map(labels).fillna(heading["sector"])
        + [
            f" (proxy: {p}; data to {m:%b %Y})" if p else f" (data to {m:%b %Y})"
            for p, m in zip(proxy, heading["last_observed_month"])
        ],
    )
    heading.insert(heading.columns.get_loc("series") + 1, "unit", heading["series"].map(common.series_unit))
    heading.insert(heading.columns.get_loc("unit") + 1, "source", heading["series_id"].map(about["source"]))
    heading.insert(heading.columns.get_loc("source") + 1, "proxy_of", proxy)
    heading["series"] = heading["series"].map(common.series_name)  # the id stays in `series_id`, for files
    left_out = sorted(set(labels) - set(heading["sector"]))
    st.subheader("Where the forecasts say sectors are heading")
    st.caption(
        "Mean of the next 12 forecast months against the mean of the last 12 observed months of job openings "
        "(JOLTS; H-2 certified worker-months where a sector has no openings series), current series only: a stale "
        "series is not forecast. Each label says where its data end, and names the supersector series standing in "
        "where a sector's own series is stale (a proxy). The whiskers span the change at the ends of the 80% band. "
        + (
            f"Not shown (no current series to forecast): {', '.join(labels.get(s, s) for s in left_out)}. "
            if left_out
            else ""
        )
        + "The Forecasts page shows every series with its backtest."
    )
    # one data source for both layers (a calculation in the chart gave each layer its own, and the sort was lost)
    heading["direction"] = [RISING if change > 0 else FALLING for change in heading["change_pct"]]
    base = alt.Chart(heading).encode(
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
        tooltip=[
            "sector_label",
            "series",
            "unit",
            "source",
            "model",
            alt.Tooltip("change_pct:Q", format="+.1f"),
            alt.Tooltip("change_pct_lo80:Q", format="+.1f"),
            alt.Tooltip("change_pct_hi80:Q", format="+.1f"),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X(
            "change_pct:Q",
            title="Forecast change, next 12 months against the last 12 (percent)",
            axis=charts.CENTRED_LABELS,
        ),
        color=alt.Color(
            "direction:N",
            title=None,
            legend=charts.TOP_LEGEND,
            scale=alt.Scale(domain=list(DIRECTIONS), range=list(DIRECTIONS.values())),
        ),
    )
    whiskers = base.mark_rule(color="#555").encode(x="change_pct_lo80:Q", x2="change_pct_hi80:Q")
    charts.show(
        bars + whiskers,
        heading.drop(columns=["sector", "series_id"]),
        "forecast direction by sector (change in percent)",
        "outlook",
        {
            "sector_label": st.column_config.TextColumn("sector"),
            "proxy_of": st.column_config.TextColumn(SOURCE_TITLES["proxy_of"]),
            "last_observed_month": st.column_config.DateColumn("data through", format="YYYY-MM"),
            "last_12_months_mean": st.column_config.NumberColumn("last 12 months' mean", format="%,.1f"),
            "next_12_months_mean": st.column_config.NumberColumn("next 12 months' mean", format="%,.1f"),
            "change_pct": st.column_config.NumberColumn("change (percent)", format="%+.1f"),
            "change_pct_lo80": st.column_config.NumberColumn("change, 80% low (percent)", format="%+.1f"),
            "change_pct_hi80": st.column_config.NumberColumn("change, 80% high (percent)", format="%+.1f"),
        },
    )

with common.shown_errors():
    st.subheader("Sources and data vintage, series by series")
    manifest = common.manifest()
    series = common.catalogue().copy()
    series.insert(0, "sector_label", series["sector"].map(labels).fillna(series["sector"]))
    series = series.sort_values(["last_month", "sector_label", "series"], ascending=[False, True, True])
    series["series"] = series["series"].map(common.series_name)
    current, stale = series[~series["stale"]], series[series["stale"]]
    st.caption(
        f"Snapshot built {manifest['built_at']} (as-of month {common.as_of_month():%Y-%m}; labormatch "
        f"{manifest['package_version']}, data checksum `{manifest['data_checksum'][:12]}`) from "
        f"{len(manifest['sources'])} public files (BLS JOLTS, CES, CPS, QCEW; OFLC H-2A/H-2B disclosure files; State "
        "Department issuances; USCIS cap dates). Every series of the sector panel with its own first month, data "
        "end, vintage (release) and source; the Data page lists every file and checks the snapshot against its "
        f"manifest. Current series ({len(current)}): data through the last 12 months."
    )
    tables.show_static(source_rows(current), labels, height=SOURCES_PX)
    st.markdown(
        f"**Stale series ({len(stale)})**: data end more than 12 months before {common.as_of_month():%Y-%m}. "
        "They are left out of the shortage ranking and of the forecasts; H-2 worker-months are unknown "
        f"after their last complete disclosure file (H-2A: {common.h2_gap_note('h2a_certified_worker_months')}; "
        f"H-2B: {common.h2_gap_note('h2b_certified_worker_months')})."
    )
    tables.show_static(source_rows(stale), labels, height=SOURCES_PX)
