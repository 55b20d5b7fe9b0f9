"""Side-by-side comparison of saved scenarios with deltas against a baseline (`labormatch.compare`)."""

from __future__ import annotations

from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from app_pages import charts, common
from app_pages.tables import in_words
from labormatch import compare
from labormatch.crosswalk import sector_labels
from labormatch.model import ScenarioResult
from labormatch.reproduction import check_saved, short_hash
from labormatch.units import format_value

#: The comparison's tables shown below its chart, each titled as in the CLI and the workbook.
DETAIL_TABLES = ("h2b_by_half", "h2b_by_tranche", "by_origin", "quotas", "late_starts")


def saved_results(names: list[str]) -> tuple[dict[str, ScenarioResult], pd.DataFrame]:
    """Each scenario's latest version re-run on the current data, and whether it reproduces its saved hash."""
    results, checks = {}, []
    for name in names:
        saved = common.store().get(name)
        result = common.scenario_result(saved.scenario().assumptions)
        results[name] = result
        checked = check_saved(saved, result)
        checks.append(
            {
                "scenario": name,
                "version": saved.version,
                "saved hash": short_hash(checked.recorded),
                "hash now": short_hash(checked.now),
                "reproduces saved figures": checked.reproduced,
            }
        )
    return results, pd.DataFrame(checks)


def _headline_table(table: pd.DataFrame) -> Styler:
    """Figures as rows (sub-items marked with an arrow), scenarios and deltas as columns, each row written by its
    unit's formatter (`labormatch.units`: workers whole, shares in percent and changes in points, money in $)."""
    wide = compare.wide(table.drop(columns=["figure"]))
    sub_item = wide["label"].str.startswith(" ")
    wide["label"] = sub_item.map({True: "↳ ", False: ""}) + wide["label"].str.strip() + " (" + wide["unit"] + ")"
    units = wide.pop("unit")
    wide = wide.rename(columns={"label": "figure"})
    values = [c for c in wide.columns[1:] if not str(c).startswith("Δ ")]
    changes = [c for c in wide.columns[1:] if str(c).startswith("Δ ")]
    styled = wide.style.hide(axis="index")
    for unit in units.unique():
        rows = wide.index[units == unit]
        styled = styled.format(partial(format_value, unit=unit), subset=pd.IndexSlice[rows, values], na_rep="")
        styled = styled.format(
            partial(format_value, unit=unit, delta=True), subset=pd.IndexSlice[rows, changes], na_rep=""
        )
    return styled


def _in_words(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Measures in the comparison's words (`labormatch.compare.measure_words`), sectors by label and any other id
    (a tranche such as `statutory_h1`) in words, for display."""
    table = table.copy()
    if "measure" in table:
        table["measure"] = [compare.measure_words(name, m).capitalize() for m in table["measure"].astype(str)]
    table = in_words(table, sector_labels())
    table.columns = [
        str(c).replace("_", " ").capitalize()
        if c in ("visa_class", "measure", "sector", "half", "tranche", "kind", "origin", "season", "figure")
        else c
        for c in table.columns
    ]
    return table


def _detail_table(table: pd.DataFrame, name: str) -> Styler:
    """A long comparison table made wide, its figures shown whole (workers, USD, worker-months) and its share rows
    (a `measure` naming a share) to three decimals: the model's figures are fractional (e.g. 30693.426760 workers)."""
    table = _in_words(table, name)
    wide = compare.wide(table)
    figures = [column for column in wide.columns if column not in table.columns]  # one per scenario, then deltas
    styled = wide.style.hide(axis="index").format("{:,.0f}", subset=figures, na_rep="")
    if "Measure" in wide:
        shares = wide.index[wide["Measure"].astype(str).str.contains("share", case=False)]
        styled = styled.format("{:,.3f}", subset=pd.IndexSlice[shares, figures], na_rep="")
    return styled


def show(names: list[str], baseline: str) -> None:
    """Headline figures side by side with deltas, unmet demand by sector, and the detail tables."""
    with st.spinner("Running the saved scenarios on the current data..."):
        results, checks = saved_results(names)
        tables = compare.compare(results, baseline)
    differing = compare.assumption_differences(
        {name: results[name].assumptions for name in [baseline, *(n for n in names if n != baseline)]}
    )
    st.markdown(f"**Assumptions that differ** ({len(differing)}; every other assumption is the same in all)")
    if differing.empty:
        st.caption("None: the scenarios share every assumption.")
    else:
        st.table(differing.rename(columns={"assumption": "Assumption"}).set_index("Assumption"))
    st.markdown(f"**Headline figures** (Δ = change against the baseline, {baseline})")
    st.table(_headline_table(tables["headline"]))
    by_sector = tables["by_sector"]
    unmet = by_sector[by_sector["measure"] == "unmet"].copy()
    unmet["sector"] = unmet["sector"].map(sector_labels()).fillna(unmet["sector"])
    chart = (
        alt.Chart(unmet)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="H-2B demand unmet (workers)"),
            y=alt.Y("sector:N", title=None, sort="-x", axis=alt.Axis(labelLimit=charts.FULL_LABEL)),
            color=alt.Color("scenario:N", title="Scenario"),
            yOffset="scenario:N",
            tooltip=[
                "sector",
                "scenario",
                alt.Tooltip("value:Q", format=",.0f"),
                alt.Tooltip("delta:Q", format="+,.0f"),
            ],
        )
    )
    charts.show(
        chart,
        _detail_table(by_sector, "by_sector"),
        "H-2B demand, allocation and unmet by sector and scenario (workers)",
        "compare",
    )
    for name in DETAIL_TABLES:
        with st.expander(compare.TABLE_TITLES[name]):
            st.dataframe(_detail_table(tables[name], name), hide_index=True, width="stretch")
    st.caption(
        "Saved scenarios are re-run on the current data snapshot; the hash check shows whether each "
        "reproduces the figures it was saved with."
    )
    st.dataframe(checks, hide_index=True, width="stretch")
