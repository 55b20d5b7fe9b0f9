"""Overview: which sectors are short now (ranked composite index of current series), where the forecasts
say they are heading (current series only), and every series with its first month, data end, vintage and
source, stale series shown apart."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common, tables
from labormatch.crosswalk import sector_labels
from labormatch.outlook import outlook
from labormatch.panel import MAX_GAP_MONTHS, STALE_MONTHS
from labormatch.series_names import series_name

SOURCES_PX = 460  # the sources tables scroll inside this height


def indicator_name(column: str) -> str:
    """`score_openings_rate` -> "openings rate"."""
    return column.removeprefix("score_").replace("_", " ")


def composite_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking behind the chart as text, one row per sector and indicator it has a score for (rank, sector,
    composite index, indicator, the indicator's z-score): a column per indicator ran past the page's edge. A static
    table, so the long sector labels wrap (a grid cut them)."""
    scores = [c for c in ranked if c.startswith("score_")]
    rows = ranked.melt(
        id_vars=["rank", "sector_label", "index"], value_vars=scores, var_name="indicator", value_name="score"
    ).dropna(subset=["score"])
    rows = rows.assign(indicator=rows["indicator"].map(indicator_name)).sort_values(
        ["rank", "sector_label", "indicator"]
    )
    return pd.DataFrame(
        {
            "Rank": rows["rank"].astype(int).astype(str),
            "Sector": rows["sector_label"],
            "Composite index (z-score)": [f"{v:.2f}" for v in rows["index"]],
            "Indicator": rows["indicator"],
            "Indicator score (z-score)": [f"{v:.2f}" for v in rows["score"]],
        }
    )


def outlook_table(heading: pd.DataFrame) -> pd.DataFrame:
    """The outlook behind the chart as text, sectors in the chart's order: the means in the series' unit, the change
    and its 80% interval in percent. A static table, so the long sector labels wrap (as a grid it ran past the page's
    edge)."""
    rows = heading.sort_values("change_pct", ascending=False)
    return pd.DataFrame(
        {
            "Sector": rows["sector_label"],
            "Series": rows["series"],
            "Unit": rows["unit"],
            "Source": rows["source"],
            "Model": rows["model"],
            "Last 12 months' mean": [f"{v:,.1f}" for v in rows["last_12_months_mean"]],
            "Next 12 months' mean": [f"{v:,.1f}" for v in rows["next_12_months_mean"]],
            "Change (percent)": [f"{v:+.1f}" for v in rows["change_pct"]],
            "80% low (percent)": [f"{v:+.1f}" for v in rows["change_pct_lo80"]],
            "80% high (percent)": [f"{v:+.1f}" for v in rows["change_pct_hi80"]],
        }
    )


#: The sources tables' columns as titled on the page (months as YYYY-MM).
SOURCE_TITLES = {
    "sector_label": "sector",
    "last_month": "data through",
    "first_month": "first month",
    "restart_month": f"restarts (after a gap over {MAX_GAP_MONTHS} months)",
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
labels = sector_labels()

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
        f"last month is more than {STALE_MONTHS} months before the snapshot's as-of month ({as_of:%Y-%m}) is stale "
        "and left out (the sources table below gives each series' data end), so a sector may rest on one indicator "
        "(the table behind the chart lists each sector's indicators). "
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
        composite_table(ranked),
        f"composite index (weighted mean z-score) and rank by sector, {month:%Y-%m}, with each indicator's score "
        "(z-score)",
        "composite",
        static=True,
    )
    with st.expander("Indicator weights (a declared assumption, with rationale and sources)"):
        tables.show_static(common.indicator_weights(), labels)

with common.shown_errors():
    forecast, _, history = common.forecasts()
    about = common.shortage_catalogue().set_index("series_id")
    stale = frozenset(about.index[about["stale"]])
    heading = outlook(forecast, history, stale)
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
    heading["series"] = heading["series"].map(series_name)  # the id stays in `series_id`, for files
    heading["model"] = heading["model"].map(common.model_label)
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
        outlook_table(heading),
        "forecast direction by sector: the means in the series' unit, the change in percent",
        "outlook",
        static=True,
    )

with common.shown_errors():
    st.subheader("Sources and data vintage, series by series")
    manifest = common.manifest()
    series = common.catalogue().copy()
    series.insert(0, "sector_label", series["sector"].map(labels).fillna(series["sector"]))
    series = series.sort_values(["last_month", "sector_label", "series"], ascending=[False, True, True])
    series["series"] = series["series"].map(series_name)
    current, stale = series[~series["stale"]], series[series["stale"]]
    st.caption(
        f"Snapshot built {manifest['built_at']} (as-of month {common.as_of_month():%Y-%m}; labormatch "
        f"{manifest['package_version']}, data checksum `{manifest['data_checksum'][:12]}`) from "
        f"{len(manifest['sources'])} public files (BLS JOLTS, CES, CPS, QCEW; OFLC H-2A/H-2B disclosure files; State "
        "Department issuances; USCIS cap dates). Every series of the sector panel with its own first month, data "
        "end, vintage (release) and source; the Data page lists every file and checks the snapshot against its "
        f"manifest. Current series ({len(current)}): data through the last {STALE_MONTHS} months."
    )
    tables.show_static(source_rows(current), labels, height=SOURCES_PX)
    st.markdown(
        f"**Stale series ({len(stale)})**: data end more than {STALE_MONTHS} months before "
        f"{common.as_of_month():%Y-%m}. They are left out of the shortage ranking and of the forecasts; H-2 "
        "worker-months are unknown "
        f"after their last complete disclosure file (H-2A: {common.h2_gap_note('h2a_certified_worker_months')}; "
        f"H-2B: {common.h2_gap_note('h2b_certified_worker_months')})."
    )
    tables.show_static(source_rows(stale), labels, height=SOURCES_PX)
