"""Showing one `ScenarioResult`: headline figures and the tables behind them, each with a chart.

Only the table names and columns documented in `labormatch.model` are used.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts
from labormatch import figures
from labormatch.demand_intervals import HEADLINE_ROWS, PROBABILITY_UNIT, interval_note
from labormatch.model import ScenarioResult

#: Headline figures shown as metrics (labels and units from `labormatch.figures`), in rows of `charts.METRIC_COLUMNS`.
#: Every form group moves at least one of them: the cap and demand fields the H-2B figures, the first-half share
#: the unmet split by half, circular migration the returning workers and wages carried home, the processing
#: lever the worker-months it saves. Five full rows: the H-2B lottery odds and new workers and the share starting
#: late fill the rows out.
METRICS = ("h2b_unmet", "h2b_unmet_h1", "h2b_unmet_h2", "h2b_demand", "h2b_allocated", "h2b_cap_total",
           "h2b_h2_selection_probability", "h2a_workers", "h2a_wage_bill_usd", "new_workers", "returning_workers",
           "wages_carried_home_usd", "late_start_share", "late_worker_months", "late_worker_months_saved")
CHART_WIDTH = 560


def metric_label(key: str) -> str:
    figure = figures.figure(key)
    return f"{figure.standalone_label} ({figure.unit})"


def figure_text(key: str, value: float) -> str:
    """A headline value as shown: shares in percent, money as "$13.3 billion", everything else whole."""
    return figures.figure(key).text(value)


def delta_text(key: str, change: float) -> str | None:
    """The change against the defaults as shown under a metric; None when it rounds to nothing (no "+0")."""
    text = figures.figure(key).text(change, delta=True)
    if text.lstrip("+-$").replace("pp", "").strip() in {"0", "0.0", "0.0 million", "0.0 billion"}:
        return None
    return f"{text} vs defaults"


#: Units written after a line of text's numbers (shares need none: they are in percent; money says "$").
SHORT_UNITS = {"workers": " workers", "share": ""}


def headline(result: ScenarioResult, baseline: ScenarioResult | None) -> None:
    """Headline metrics, with the change against `baseline` (the default assumptions), then the 80% and 95%
    intervals of the demand-driven figures (or why there are none)."""
    shown = [key for key in METRICS if result.headline.get(key) is not None]
    for column, key in zip(charts.metric_columns(len(shown)), shown):
        value = result.headline[key]
        delta = delta_text(key, value - baseline.headline[key]) if baseline and key in baseline.headline else None
        column.metric(
            metric_label(key), figure_text(key, value), delta=delta,
            delta_color="inverse" if figures.figure(key).better == "lower" else "normal",
            help=interval_help(result, key),
        )
    intervals_lines(result)


def interval_help(result: ScenarioResult, key: str) -> str | None:
    """The metric's tooltip: its 80% interval, where the demand carries uncertainty (and, for the lottery odds,
    how they are computed)."""
    lo, hi = result.headline.get(f"{key}_lo80"), result.headline.get(f"{key}_hi80")
    parts = [] if lo is None or hi is None else [f"80% interval: {figure_text(key, lo)}–{figure_text(key, hi)}"]
    if key == "h2b_h2_selection_probability":
        parts.append(f"Odds of the January-window lottery: {PROBABILITY_UNIT}.")
    return "\n\n".join(parts) or None


def intervals_lines(result: ScenarioResult) -> None:
    """'H-2B demand unmet 85,300 (80%: 61,000–112,000; 95%: ...)' for each figure with an interval, and where
    they come from; without demand uncertainty, a caption saying there is no interval."""
    table = result.tables.get("intervals")
    note = interval_note(table, result.assumptions.fiscal_year)
    if table is None or table.empty:
        st.caption(note)
        return
    lines = []
    for key, (measure, half, tranche) in HEADLINE_ROWS.items():
        row = table[(table["measure"] == measure) & (table["half"] == half) & (table["tranche"] == tranche)]
        if key not in result.headline or row.empty:
            continue
        r = row.iloc[0]
        label, unit = figures.figure(key).standalone_label, SHORT_UNITS.get(figures.figure(key).unit, "")
        lines.append(f"- {label}: {figure_text(key, result.headline[key])}{unit} "
                     f"(80%: {figure_text(key, r['lo80'])}–{figure_text(key, r['hi80'])}; "
                     f"95%: {figure_text(key, r['lo95'])}–{figure_text(key, r['hi95'])})")
    st.markdown("**Uncertainty of demand carried through the caps** (central path, then its intervals)\n"
                + "\n".join(lines))
    st.caption(note)


def _number_format(column: str) -> str:
    """Shares to three decimals, hourly rates to the cent, weekly hours to a tenth; workers, days and USD whole."""
    if "share" in column:
        return "%.3f"
    if column.endswith("_hour"):
        return "%.2f"
    if column.endswith("_per_week"):
        return "%.1f"
    return "%,.0f"


#: Column-name endings that are units, as a title says them.
UNIT_SUFFIXES = (("_usd_hour", " (USD/hour)"), ("_usd", " (USD)"), ("_pct", " (percent)"), ("_days", " (days)"))


def column_title(column: str) -> str:
    """A result column as a title: `wage_bill_usd` -> "Wage bill (USD)", `sector_label` -> "Sector"."""
    if column == "sector_label":
        return "Sector"
    for suffix, unit in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return column.removesuffix(suffix).replace("_", " ").capitalize() + unit
    return column.replace("_", " ").capitalize()


def table_columns(table: pd.DataFrame) -> dict:
    """Column titles and formats for a result table: words for names, the model's fractional workers and USD shown
    whole, dates without a time."""
    config = {}
    for column, dtype in table.dtypes.items():
        title = column_title(str(column))
        if pd.api.types.is_datetime64_any_dtype(dtype):
            config[column] = st.column_config.DateColumn(title, format="YYYY-MM-DD")
        elif pd.api.types.is_float_dtype(dtype):
            config[column] = st.column_config.NumberColumn(title, format=_number_format(column))
        else:
            config[column] = st.column_config.Column(title)
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
    shown = table.drop(columns="sector")
    charts.show(chart, shown, "H-2B demand, allocation and unmet demand by sector and half (workers)", "h2b_by_sector",
                table_columns(shown))


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
    shown = table.drop(columns="sector")
    charts.show(chart, shown, "demand by visa class, sector, fiscal year and half (workers)", "demand",
                table_columns(shown))


#: Rows of the `intervals` table charted with their bands: H-2B demand, numbers used and unmet by half.
BAND_MEASURES = {"h2b_demand": "demand", "h2b_used": "numbers used", "h2b_unmet": "unmet"}
HALF_NAMES = {"H1": "Oct-Mar starts", "H2": "Apr-Sep starts", "all": "fiscal year"}
QUANTILE_COLUMNS = ("median", "lo80", "hi80", "lo95", "hi95")


def intervals(result: ScenarioResult) -> None:
    """H-2B demand, numbers used and unmet by half over the demand draws: 95% band (light), 80% band (dark),
    median (tick) and the central path (dot); then the cap-reached dates over the draws."""
    table = result.tables.get("intervals")
    if table is None or table.empty:
        st.info(interval_note(table, result.assumptions.fiscal_year), icon=":material/info:")
        return
    rows = table[table["measure"].isin(list(BAND_MEASURES)) & (table["tranche"] == "all")].copy()
    rank = {name: i for i, name in enumerate([*BAND_MEASURES, *HALF_NAMES])}
    rows = rows.sort_values(["measure", "half"], key=lambda column: column.map(rank), kind="stable")
    rows["figure"] = rows["measure"].map(BAND_MEASURES) + ", " + rows["half"].map(HALF_NAMES)
    order = list(rows["figure"])
    y = alt.Y("figure:N", title=None, sort=order, axis=alt.Axis(labelLimit=charts.FULL_LABEL))
    tips = ["figure", *(alt.Tooltip(f"{c}:Q", format=",.0f") for c in ("point", *QUANTILE_COLUMNS))]
    band95 = alt.Chart(rows).mark_bar(color=charts.BAND_95, height=14).encode(
        x=alt.X("lo95:Q", title="H-2B workers (80% and 95% intervals over the demand draws)"), x2="hi95:Q", y=y,
        tooltip=tips)
    band80 = alt.Chart(rows).mark_bar(color=charts.BAND_80, height=14).encode(
        x="lo80:Q", x2="hi80:Q", y=y, tooltip=tips)
    median = alt.Chart(rows).mark_tick(color=charts.FORECAST, thickness=2, size=18).encode(
        x="median:Q", y=y, tooltip=tips)
    central = alt.Chart(rows).mark_point(color=charts.HISTORY, filled=True, size=40).encode(
        x="point:Q", y=y, tooltip=tips)
    chart = alt.layer(band95, band80, median, central).properties(width=CHART_WIDTH)
    st.caption(interval_note(table, result.assumptions.fiscal_year) + ". Dot: the central path (the figures above); "
               "tick: the median draw.")
    odds = table["measure"] == "h2b_h2_selection_probability"
    counts = table[~odds]
    charts.show(chart, counts, "intervals of the demand-driven figures (workers, positions, USD), by half and tranche",
                "intervals", table_columns(counts))
    st.caption("Odds that a second-half petition filed in the January window is selected: "
               + table[odds]["unit"].iloc[0])
    odds_format = {c: st.column_config.NumberColumn(c, format="%.3f") for c in ["point", *QUANTILE_COLUMNS]}
    st.dataframe(table[odds].drop(columns=["unit", "source"]), hide_index=True, width="stretch",
                 column_config=odds_format)
    dates = result.tables.get("cap_reached_intervals")
    if dates is not None and len(dates):
        st.caption("When each half's statutory numbers run out over the draws (share_reached: share of draws whose "
                   "numbers run out; an empty end: that share of draws never reach the cap).")
        st.dataframe(dates, hide_index=True, width="stretch", column_config=table_columns(dates))


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
    totals = table.groupby("origin")["total_workers"].sum().sort_values(ascending=False)
    st.caption("Quotas over all seasons by origin: " + "; ".join(
        f"{origin} {workers:,.0f} workers ({workers / totals.sum():.1%})" for origin, workers in totals.items()) + ".")


SECTIONS = ("H-2B by sector and half", "Demand by sector and half", "Intervals", "Quotas by origin and season",
            "Tranches", "H-2A sizing", "Processing time", "Cap timing")
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
        intervals(result)
    elif section == SECTIONS[3]:
        quotas(result)
    else:
        name, caption = TABLE_SECTIONS[section]
        st.caption(caption)
        table = result.tables[name]
        if "sector" in table:
            table = table.assign(sector=table["sector"].map(sector_labels).fillna(table["sector"]))
        st.dataframe(table, hide_index=True, width="stretch", column_config=table_columns(table))
