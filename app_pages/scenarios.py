"""Scenarios: save the current assumptions, load a saved version, compare several, share as YAML."""

import pandas as pd
import streamlit as st

from app_pages import assumptions_form, common, comparison, signin
from labormatch.figures import figure
from labormatch.reproduction import short_hash
from labormatch.scenario import (
    Scenario,
    example_paths,
    load_example,
    load_scenario_file,
    scenario_yaml,
)
from labormatch.store import check_name

DONE = "scenario_store_change"
SAVED_AT = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")  # UTC, named in the column title

CONFIRM_DELETE = "confirm_delete"
#: The saved headline figure listed with each version, labelled as the results label it.
UNMET = f"{figure('h2b_unmet').label} ({figure('h2b_unmet').unit})"


def _show_notices(scenario: Scenario) -> None:
    """Say how an older format in the scenario just opened was read (`Scenario.notices`)."""
    for notice in scenario.notices:
        st.info(notice, icon=":material/info:")


st.title("Scenarios")
st.markdown(
    "A scenario is a named set of assumptions from Program design. Save the assumptions you have applied, load a "
    "saved version back into Program design, compare scenarios side by side (their figures and the assumptions "
    "that differ), or share one as a file. Every save is a new version: nothing is overwritten, and a deleted "
    "scenario can be restored."
)

with st.expander(
    "Start from a shipped example (statutory cap, FY2024 rules, cap doubled, seafood pilot, circular, origins by "
    "visa class)"
):
    example = st.selectbox(
        "Example scenario",
        list(example_paths()),
        key="example_name",
        format_func=lambda name: load_example(name).title,  # its file name (`cap_doubled`) prefills the save name
    )
    if st.button("Load the example into Program design", key="load_example"):
        with common.shown_errors():
            opened = load_example(example)
            common.adopt(opened.assumptions)
            assumptions_form.clear_widgets()
            st.session_state.update(save_name=example, save_title=opened.title, save_notes=opened.notes)
            st.success(f"Loaded {opened.title!r}: its assumptions are now current; save it below to compare it.")

current = common.current_assumptions()

st.subheader("Save the current assumptions")
with st.form("save_scenario", clear_on_submit=False):
    name = st.text_input("Scenario name (letters, digits, _ . -)", key="save_name")
    title = st.text_input("Title (one line, shown in lists)", key="save_title")
    notes = st.text_area("Notes (why, sources, caveats)", key="save_notes")
    save = st.form_submit_button("Save current assumptions", type="primary")
if save:
    with common.shown_errors():
        check_name(name)  # before the title falls back to it: an empty name would make an empty title
        scenario = Scenario(title=title.strip() or name, notes=notes, assumptions=current)
        saved = signin.store().save_result(name, scenario, common.scenario_result(current))
        st.success(f"Saved {saved.name!r} as version {saved.version}.")

with common.shown_errors():
    saved_list = common.store().list_scenarios()
names = [s.name for s in saved_list]
# Forget a deleted scenario picked earlier in this session; with fewer than two picked, the first two. Set here
# only, not also as the widget's default: both at once is a Streamlit warning with a stack trace in the server log.
picked_before = [name for name in st.session_state.get("compare_names", []) if name in names]
st.session_state["compare_names"] = picked_before if len(picked_before) >= 2 else names[:2]
if DONE in st.session_state:  # a delete or restore, reported after the rerun that redraws the lists
    st.success(st.session_state.pop(DONE))

st.subheader("Saved scenarios")
if not saved_list:
    st.info("No saved scenarios yet: apply assumptions on Program design, then save them here.")
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "name": s.name,
                    "title": s.title,
                    "owner": s.owner_email or s.owner,
                    "versions": s.versions,
                    "last saved (UTC)": s.saved_at,
                    "result hash": short_hash(s.result_hash),
                }
                for s in saved_list
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"last saved (UTC)": SAVED_AT},
    )
    chosen = st.selectbox("Scenario", names, key="load_name")
    with common.shown_errors():
        history = common.store().history(chosen)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "version": v.version,
                        "saved at (UTC)": v.saved_at,
                        "saved by": v.saved_by_email or v.saved_by,
                        "title": v.title,
                        UNMET: (v.headline or {}).get("h2b_unmet"),  # None: not recorded
                        "result hash": short_hash(v.result_hash),
                        "package": v.package_version,
                    }
                    for v in history
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={UNMET: st.column_config.NumberColumn(format="%,.0f"), "saved at (UTC)": SAVED_AT},
        )
        version = st.selectbox("Version", [v.version for v in reversed(history)], key="load_version")
        load_column, delete_column = st.columns([1, 3])
        if load_column.button("Load into Program design"):
            loaded = common.store().get(chosen, version).scenario()
            common.adopt(loaded.assumptions)
            assumptions_form.clear_widgets()
            st.success(f"Loaded {chosen!r} version {version}: open Program design to see and edit it.")
            _show_notices(loaded)
        mine = signin.store()
        summary = next(s for s in saved_list if s.name == chosen)
        if not mine.may_change(summary):
            delete_column.caption(
                f"Owned by {summary.owner_email or summary.owner}: only its owner or an admin can "
                "delete it. To change it, load it and save it under a new name (your copy)."
            )
        elif delete_column.button(
            f"Delete {chosen!r}...",
            key="delete_scenario",
            help="Asks first. Hides the scenario from the lists; every version is kept and can be restored.",
        ):
            st.session_state[CONFIRM_DELETE] = chosen
        if st.session_state.get(CONFIRM_DELETE) == chosen and mine.may_change(summary):
            st.warning(
                f"Delete {chosen!r} and its {len(history)} version{'s' * (len(history) != 1)}? It leaves the "
                "lists; you can restore it under 'Deleted scenarios'.",
                icon=":material/delete:",
            )
            yes_column, no_column = st.columns([1, 5])
            if yes_column.button(f"Yes, delete {chosen!r}", key="delete_confirmed", type="primary"):
                mine.delete(chosen)
                st.session_state.pop(CONFIRM_DELETE)
                st.session_state[DONE] = (
                    f"Deleted {chosen!r}; its versions are kept (restore it under 'Deleted scenarios')."
                )
                st.rerun()
            if no_column.button("Cancel", key="delete_cancelled"):
                st.session_state.pop(CONFIRM_DELETE)
                st.rerun()

with common.shown_errors():
    mine = signin.store()  # restore is for each scenario's owner and the admins: list only those
    deleted = [s.name for s in mine.list_scenarios(include_deleted=True) if s.deleted and mine.may_change(s)]
if deleted:
    with st.expander(f"Deleted scenarios ({len(deleted)})"):
        gone = st.selectbox("Deleted scenario", deleted, key="restore_name")
        if st.button(f"Restore {gone!r}", key="restore_scenario"):
            with common.shown_errors():
                mine.restore(gone)
                st.session_state[DONE] = f"Restored {gone!r} with all its versions."
                st.rerun()

st.subheader("Compare scenarios")
if len(names) < 2:
    st.info("Save at least two scenarios to compare them side by side.")
else:
    picked = st.multiselect("Scenarios to compare", names, key="compare_names")
    if picked:
        baseline = st.selectbox("Baseline (deltas are against it)", picked, key="compare_baseline")
        with common.shown_errors():
            comparison.show(picked, baseline)

st.subheader("Share a scenario as a file")
share_left, share_right = st.columns(2)
with share_left:
    share_title = st.text_input("Title for the shared file", value="Shared scenario", key="share_title")
    with common.shown_errors():
        document = scenario_yaml(Scenario(title=share_title or "Shared scenario", assumptions=current))
        st.download_button(
            "Download current assumptions (YAML)", document, file_name="scenario.yaml", mime="application/x-yaml"
        )
with share_right:
    upload = st.file_uploader("Open a scenario file (YAML)", type=["yaml", "yml"], key="scenario_upload")
    if upload is not None and st.session_state.get("opened_upload") != upload.file_id:
        with common.shown_errors(), common.uploaded_file(upload) as path:
            opened = load_scenario_file(path)
            st.session_state["opened_upload"] = upload.file_id
            common.adopt(opened.assumptions)
            assumptions_form.clear_widgets()
            st.success(f"Opened {opened.title!r}: its assumptions are now current (see Program design).")
            _show_notices(opened)
