"""Showing one `ScenarioResult`: headline figures and the tables behind them, each with a chart.

Only the table names and columns documented in `labormatch.model` are used.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, tables
from labormatch import figures
from labormatch.demand_intervals import HEADLINE_ROWS, PROBABILITY_UNIT, interval_note
from labormatch.fiscal import HALF_LEGEND, HALF_START_NAMES, WHOLE_YEAR
from labormatch.model import ScenarioResult
from labormatch.units import money, shows_as_zero

#: Headline figures shown as metrics (labels and units from `labormatch.figures`), in rows of `charts.METRIC_COLUMNS`.
#: Every form group moves at least one of them: the cap and demand fields the H-2B figures, the first-half share
#: the unmet split by half, circular migration the returning workers and wages carried home, the processing
#: lever the worker-months it saves. Five full rows: the H-2B lottery odds and new workers and the share starting
#: late fill the rows out.
METRICS = (
    "h2b_unmet",
    "h2b_unmet_h1",
    "h2b_unmet_h2",
    "h2b_demand",
    "h2b_allocated",
    "h2b_cap_total",
    "h2b_h2_selection_probability",
    "h2a_workers",
    "h2a_wage_bill_usd",
    "new_workers",
    "returning_workers",
    "wages_carried_home_usd",
    "late_start_share",
    "late_worker_months",
    "late_worker_months_saved",
)
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
    return None if shows_as_zero(text) else f"{text} vs defaults"


#: Units written after a line of text's numbers (shares need none: they are in percent; money says "$").
SHORT_UNITS = {"workers": " workers", "share": ""}


def headline(result: ScenarioResult, baseline: ScenarioResult | None) -> None:
    """Headline metrics, with the change against `baseline` (the default assumptions), then the 80% and 95%
    intervals of the demand-driven figures (or why there are none)."""
    # every metric is read through labormatch.figures: a renamed or missing figure is an error naming it, never a
    # metric silently left out
    values = {key: figures.value(result.headline, key) for key in METRICS}
    for column, (key, value) in zip(charts.metric_columns(len(values)), values.items()):
        delta = delta_text(key, value - figures.value(baseline.headline, key)) if baseline else None
        column.metric(
            metric_label(key),
            figure_text(key, value),
            delta=delta,
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
        lines.append(
            f"- {label}: {figure_text(key, result.headline[key])}{unit} "
            f"(80%: {figure_text(key, r['lo80'])}–{figure_text(key, r['hi80'])}; "
            f"95%: {figure_text(key, r['lo95'])}–{figure_text(key, r['hi95'])})"
        )
    st.markdown(
        "**Uncertainty of demand carried through the caps** (central path, then its intervals)\n" + "\n".join(lines)
    )
    st.caption(note)


def h2b_by_sector(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    table = result.tables["h2b_by_sector"].copy()
    table.insert(1, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    long = table.melt(
        id_vars=["sector_label", "half"], value_vars=["allocated", "unmet"], var_name="outcome", value_name="workers"
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("sum(workers):Q", title="Workers", axis=charts.CENTRED_LABELS),
            y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
            color=alt.Color(
                "outcome:N",
                title=None,
                scale=alt.Scale(domain=["allocated", "unmet"], range=[charts.ALLOCATED, charts.UNMET]),
                legend=charts.TOP_LEGEND,
            ),
            row=alt.Row("half:N", title=f"Half of the fiscal year ({HALF_LEGEND} starts)"),
            tooltip=["sector_label", "half", "outcome", alt.Tooltip("workers:Q", format=",.0f")],
        )
        .properties(width=CHART_WIDTH)
    )
    shown = table.drop(columns="sector")
    charts.show(
        chart,
        shown,
        "H-2B demand, allocation and unmet demand by sector and half (workers)",
        "h2b_by_sector",
        tables.column_config(shown),
    )


def demand_by_half(result: ScenarioResult, sector_labels: dict[str, str]) -> None:
    """Demand by sector, one panel per visa class: a bar per fiscal year (later years paler), split by half."""
    demand = result.tables["demand"]
    table = demand.groupby(["visa_class", "sector", "fiscal_year", "half"], as_index=False)["demand_workers"].sum()
    table.insert(2, "sector_label", table["sector"].map(sector_labels).fillna(table["sector"]))
    table["half_name"] = table["half"].map(HALF_NAMES)
    table["year"] = "FY" + table["fiscal_year"].astype(str)
    years = sorted(table["year"].unique())
    order = list(table.groupby("sector_label")["demand_workers"].sum().sort_values(ascending=False).index)
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("sum(demand_workers):Q", title="Demand (workers starting in the half)", axis=charts.CENTRED_LABELS),
            y=alt.Y("sector_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
            yOffset=alt.YOffset("year:N", sort=years),
            color=alt.Color(
                "half_name:N",
                title="Half of the fiscal year",
                legend=charts.TOP_LEGEND,
                scale=alt.Scale(domain=list(charts.HALF_COLOURS), range=list(charts.HALF_COLOURS.values())),
            ),
            opacity=alt.Opacity(
                "year:N",
                title="Fiscal year",
                sort=years,
                legend=charts.TOP_LEGEND,
                scale=alt.Scale(domain=years, range=[max(1.0 - 0.55 * i, 0.3) for i in range(len(years))]),
            ),
            column=alt.Column("visa_class:N", title=None, header=alt.Header(labelFontSize=14, labelFontWeight="bold")),
            tooltip=["visa_class", "sector_label", "year", "half_name", alt.Tooltip("demand_workers:Q", format=",.0f")],
        )
        .properties(width=CHART_WIDTH // 2, height=alt.Step(10))
        .resolve_scale(x="independent")
    )  # H-2A: ten times H-2B
    shown = table.drop(columns=["sector", "half_name", "year"])
    st.caption(
        "Each sector has a bar per fiscal year (the later year paler), split into workers starting in "
        "October-March and in April-September. H-2A and H-2B each have their own scale (H-2A is about ten "
        "times larger)."
    )
    charts.show(
        chart,
        shown,
        "demand by visa class, sector, fiscal year and half (workers)",
        "demand",
        tables.column_config(shown),
    )


HALF_NAMES = {**HALF_START_NAMES, **WHOLE_YEAR}
QUANTILE_COLUMNS = ("median", "lo80", "hi80", "lo95", "hi95")


def intervals(result: ScenarioResult) -> None:
    """H-2B demand, numbers used and unmet by half over the demand draws: 95% band (light), 80% band (dark),
    median (tick) and the central path (dot); then the cap-reached dates over the draws."""
    table = result.tables.get("intervals")
    if table is None or table.empty:
        st.info(interval_note(table, result.assumptions.fiscal_year), icon=":material/info:")
        return
    rows = table[table["measure"].isin(list(figures.BAND_MEASURES)) & (table["tranche"] == "all")].copy()
    rank = {name: i for i, name in enumerate([*figures.BAND_MEASURES, *HALF_NAMES])}
    rows = rows.sort_values(["measure", "half"], key=lambda column: column.map(rank), kind="stable")
    rows["figure"] = rows["measure"].map(figures.BAND_MEASURES) + ", " + rows["half"].map(HALF_NAMES)
    order = list(rows["figure"])
    y = alt.Y("figure:N", title=None, sort=order, axis=alt.Axis(labelLimit=charts.FULL_LABEL))
    tips = ["figure", *(alt.Tooltip(f"{c}:Q", format=",.0f") for c in ("point", *QUANTILE_COLUMNS))]
    band95 = (
        alt.Chart(rows)
        .mark_bar(color=charts.BAND_95, height=14)
        .encode(
            x=alt.X(
                "lo95:Q",
                title="H-2B workers (80% and 95% intervals over the demand draws)",
                axis=alt.Axis(labelFlush=False, tickCount=8),
            ),  # fewer ticks: none dropped, so evenly spaced
            x2="hi95:Q",
            y=y,
            tooltip=tips,
        )
    )
    band80 = (
        alt.Chart(rows).mark_bar(color=charts.BAND_80, height=14).encode(x="lo80:Q", x2="hi80:Q", y=y, tooltip=tips)
    )
    median = (
        alt.Chart(rows).mark_tick(color=charts.FORECAST, thickness=2, size=18).encode(x="median:Q", y=y, tooltip=tips)
    )
    central = (
        alt.Chart(rows).mark_point(color=charts.HISTORY, filled=True, size=40).encode(x="point:Q", y=y, tooltip=tips)
    )
    chart = alt.layer(band95, band80, median, central).properties(width=CHART_WIDTH)
    st.caption(interval_note(table, result.assumptions.fiscal_year) + ". " + INTERVAL_LEGEND)
    charts.show(
        chart,
        interval_rows(table),
        "intervals of the demand-driven figures (workers, positions, USD), by half and tranche",
        "intervals",
    )
    odds = table[table["measure"] == "h2b_h2_selection_probability"]
    if len(odds):
        st.caption(f"{figures.INTERVAL_MEASURES['h2b_h2_selection_probability']}: {odds['unit'].iloc[0]}.")
    dates = result.tables.get("cap_reached_intervals")
    if dates is not None and len(dates):
        st.caption(
            "When each half's statutory numbers run out over the draws (share of draws reaching the cap: the "
            "share of draws whose numbers run out; an empty end: that share of draws never reach the cap)."
        )
        tables.show_static(dates.drop(columns="seed"), {})


INTERVAL_LEGEND = (
    "Light blue bar: 95% interval; dark blue bar: 80% interval; tick: the median draw; dot: the "
    "central path (the figures above)."
)


def interval_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The `intervals` table as text in words: figure, half and tranche named, each value in its row's unit
    (money as "$13.3 billion", odds to three decimals, counts whole)."""

    def value(unit: str, number: float) -> str:
        if pd.isna(number):
            return ""
        return (
            money(number) if unit == "USD" else f"{number:.3f}" if unit.startswith("probability") else f"{number:,.0f}"
        )

    out = pd.DataFrame(
        {
            "Figure": table["measure"].map(figures.INTERVAL_MEASURES).fillna(table["measure"]),
            "Half": table["half"].map(HALF_NAMES).fillna(table["half"]),
            "Tranche": [tables.words(t, {}) if t != "all" else "all tranches" for t in table["tranche"].fillna("")],
            "Unit": ["probability" if unit.startswith("probability") else unit for unit in table["unit"]],
        }
    )
    for column in ("point", *QUANTILE_COLUMNS):
        out[tables.column_title(column)] = [value(u, n) for u, n in zip(table["unit"], table[column])]
    return out


#: Quota table columns, all in workers.
WORKER_COLUMNS = ("total_workers", "returning_workers", "new_workers", "non_returning", "overstays")


def quota_chart(table: pd.DataFrame) -> alt.Chart:
    """Quota workers by season, stacked by origin country in the origins' own palette (never unmet demand's red);
    `table` has `season, fiscal_year, origin` and the worker columns."""
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("fiscal_year:O", title="Season (fiscal year)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(total_workers):Q", title="Workers (quota)"),
            color=alt.Color("origin:N", title="Origin", scale=alt.Scale(range=list(charts.ORIGIN_COLOURS))),
            tooltip=[
                "season:O",
                "fiscal_year:O",
                "origin",
                *(alt.Tooltip(f"{column}:Q", format=",.0f") for column in WORKER_COLUMNS),
            ],
        )
    )


def quotas(result: ScenarioResult) -> None:
    quota = result.tables["quotas"]
    table = quota.groupby(["season", "fiscal_year", "origin"], as_index=False)[list(WORKER_COLUMNS)].sum()
    charts.show(
        quota_chart(table), table, "quotas by origin and season (workers)", "quotas", tables.column_config(table)
    )
    totals = table.groupby("origin")["total_workers"].sum().sort_values(ascending=False)
    st.caption(
        "Quotas over all seasons by origin: "
        + "; ".join(
            f"{origin} {workers:,.0f} workers ({workers / totals.sum():.1%})" for origin, workers in totals.items()
        )
        + "."
    )


SECTIONS = (
    "H-2B by sector and half",
    "Demand by sector and half",
    "Intervals",
    "Quotas by origin and season",
    "Tranches",
    "H-2A sizing",
    "Processing time",
    "Cap timing",
)
TABLE_SECTIONS = {
    "Tranches": ("tranches", "Cap and supplemental tranches in the order applied (workers)."),
    "H-2A sizing": ("h2a", "H-2A workers by state, AEWR (USD/hour) and wage bill (USD)."),
    "Processing time": ("processing", "OFLC processing time (days) and late starts, before and after the lever."),
    "Cap timing": ("cap_timing", "When each half's numbers run out: estimated and observed (USCIS)."),
}


STATIC_TABLE_PX = 720  # a longer table (H-2A by state) scrolls inside this height


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
        tables.show_static(result.tables[name], sector_labels, height=STATIC_TABLE_PX)
