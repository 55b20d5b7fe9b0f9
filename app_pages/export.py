"""Export: the Excel report (`labormatch.report`) for the current assumptions, a saved scenario, or a comparison."""

import streamlit as st

from app_pages import common
from labormatch import snapshot
from labormatch.report import ForecastTables, ReportScenario, report_bytes
from labormatch.report.safe import safe_filename

CURRENT, SAVED, COMPARISON = (
    "Current assumptions (Program design)",
    "One saved scenario",
    "A comparison of saved scenarios",
)
BUILT = "export_workbook"

st.title("Export")
st.caption(
    "The workbook holds the assumptions with their sources, a live allocation model with formulas, the "
    "forecasts with their backtests, demand and allocation, quotas, H-2A sizing, processing times and the "
    "data sources. With several scenarios, the first is shown in full and all are compared."
)


def _forecast_tables() -> ForecastTables:
    forecast, backtest, _ = common.forecasts()
    return ForecastTables(forecast, backtest)


def _saved(name: str, version: int | None = None) -> ReportScenario:
    saved = common.store().get(name, version)
    scenario = saved.scenario()
    label = name if version is None else f"{name}@{version}"
    return ReportScenario(
        name=label,
        result=common.scenario_result(scenario.assumptions),
        title=scenario.title,
        author=scenario.author,
        notes=scenario.notes,
    )


def _version_label(saved) -> str:
    return f"version {saved.version}, saved {saved.saved_at:%Y-%m-%d %H:%M} UTC by {saved.saved_by or 'unknown'}"


def _one_saved(names: list[str]) -> ReportScenario:
    name = st.selectbox("Saved scenario", names, key="export_name")
    history = common.store().history(name)[::-1]  # the latest first
    if len(history) == 1:
        return _saved(name)
    chosen = st.selectbox("Version", history, format_func=_version_label, key=f"export_version_{name}")
    return _saved(name, None if chosen.version == history[0].version else chosen.version)


def _chosen_scenarios(kind: str, names: list[str]) -> list[ReportScenario] | None:
    if kind == CURRENT:
        current = common.current_assumptions()
        return [ReportScenario(name="current", result=common.scenario_result(current), title="Current assumptions")]
    if not names:
        st.info("No saved scenarios yet: save one on the Scenarios page.")
        return None
    if kind == SAVED:
        return [_one_saved(names)]
    picked = st.multiselect(
        "Scenarios in the comparison (the first is shown in full and is the baseline)",
        names,
        default=names[:2],
        key="export_names",
    )
    if len(picked) < 2:
        st.info("Pick at least two scenarios to compare.")
        return None
    return [_saved(name) for name in picked]


with common.shown_errors():
    kind = st.radio("Report for", [CURRENT, SAVED, COMPARISON], key="export_kind")
    chosen = _chosen_scenarios(kind, [s.name for s in common.store().list_scenarios()])
    if chosen:
        file_name = safe_filename("labormatch_" + "_vs_".join(s.name for s in chosen))
        selection = (file_name, tuple(s.result.hash() for s in chosen))
        if st.button("Build the Excel report", type="primary"):
            with st.status("Building the workbook...", expanded=False) as status:
                workbook = report_bytes(chosen, _forecast_tables(), snapshot.manifest())
                st.session_state[BUILT] = (selection, workbook)
                status.update(label=f"Workbook built ({len(workbook) / 1e6:.1f} MB)", state="complete")
        built = st.session_state.get(BUILT)
        if built and built[0] == selection:
            st.download_button(
                f"Download the Excel report ({file_name})",
                built[1],
                file_name=file_name,
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                on_click="ignore",
                type="primary",
            )
