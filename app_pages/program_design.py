"""Program design: the assumptions form (generated from `Assumptions`) and the results it drives."""

import re
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages import assumptions_form, common, results
from labormatch.assumptions import ORIGIN_SHARE_FIELDS, Assumptions
from labormatch.compare import assumption_differences
from labormatch.crosswalk import sector_labels
from labormatch.errors import LabormatchError
from labormatch.fiscal import default_fiscal_year
from labormatch.report.headline import reading
from labormatch.result_basis import data_years

#: Session key: the problems of the last Apply, field name -> what is wrong (shown under the fields).
FORM_ERRORS = "assumptions_form_errors"
#: The elasticity alone moves nothing: with no wage-floor change the factor is 1 whatever its exponent.
ELASTICITY_NOTE = "Acts only with a wage-floor change other than 0: demand x (1 + change/100) ^ elasticity."


PENDING_EDITS = (
    "The form holds edits that are not applied: the results are still those of the assumptions applied "
    "before. Apply them, correct any field marked in red, or reset."
)


def default_origin_note(visa_class: str) -> str:
    """What an empty origin-shares table of `visa_class` means: the shares State Department issuances give it."""
    shares = common.model_inputs().origin_shares
    rows = shares[shares["visa_class"] == visa_class].sort_values("share", ascending=False)
    years = "/".join(str(year) for year in sorted({int(year) for year in rows["fiscal_year"]}))
    default = ", ".join(f"{origin} {share:.1%}" for origin, share in zip(rows["origin"], rows["share"]))
    return (
        f"Shares typed here apply to {visa_class} workers only. Empty = {visa_class} visas issued by the State "
        f"Department by nationality, FY{years}: {default}."
    )


def default_year_note() -> str:
    """Which fiscal year an untouched form runs, and why."""
    as_of = common.as_of_month()
    return (
        f"Default FY{default_fiscal_year(as_of)}: the fiscal year containing the data snapshot's as-of month "
        f"({as_of:%b %Y}). Years after the last published supplemental rule run on the statutory cap unless "
        "you carry a past year's tranches."
    )


def form_words(text: str) -> str:
    """`text` in the form's words: a note for scenario files names a field of the file, which the form shows by
    its label instead (so the note goes), and any other field name becomes its label."""
    return assumptions_form.in_words(re.sub(r", \w+_\w+ in a scenario file", "", text))


def rule_basis(assumptions: Assumptions) -> str:
    """Which supplemental rule the scenario runs, in the form's words."""
    return form_words(assumptions.supplemental_basis())


def show_pending(place: DeltaGenerator, raw: dict[str, Any]) -> None:
    """Say in `place` whether the form's raw values hold edits not yet applied."""
    if assumptions_form.edits_pending(raw, common.current_assumptions()):
        place.warning(PENDING_EDITS, icon=":material/edit_note:")
    else:
        place.caption("Edits in the form change nothing until you apply them.")


@st.fragment
def form_fields(
    current: Assumptions, notes: dict[str, str], errors: dict[str, str]
) -> tuple[dict[str, Any], DeltaGenerator]:
    """The form's fields and, below them, whether they hold edits not yet applied; returns the raw values and the
    place of that line. A fragment: an edit to a field reruns only this, not the results (a cell committed in a
    table reruns nothing: `assumptions_form._table_editor`). Apply and Reset sit outside it: they rerun the page."""
    raw = assumptions_form.render(current, notes=notes, errors=errors)
    pending = st.empty()
    show_pending(pending, raw)
    return raw, pending


st.title("Program design")
st.caption(
    "Every input is a scenario assumption: its unit is in the label, its allowed range and source under it. "
    "Values cited to rules come from dated legal parameters; values marked 'assumption' or 'scenario choice' "
    "are yours to set. Apply the form to move the results; metrics show the change against the defaults."
)
headline_area = st.container()

current = common.current_assumptions()
message, field_errors = st.session_state.get(FORM_ERRORS, ("", {}))
if message:
    st.error(message, icon=":material/error:")
    st.warning(PENDING_EDITS, icon=":material/edit_note:")
# Not an st.form: a form tells the server nothing until it is submitted, so the page could not say that it holds
# edits not yet applied. Each edit reruns the form's fragment; only Apply changes the results.
with st.container(border=True, key="assumptions_form"):
    raw, pending_bottom = form_fields(
        current,
        notes={
            **{name: default_origin_note(visa_class) for visa_class, name in ORIGIN_SHARE_FIELDS.items()},
            "wage_floor_elasticity": ELASTICITY_NOTE,
            "fiscal_year": default_year_note(),
        },
        errors=field_errors,
    )
    apply_column, reset_column = st.columns([1, 5])
    applied = apply_column.button("Apply assumptions", type="primary")
    reset = reset_column.button("Reset to defaults")

if reset:
    common.set_current_assumptions(Assumptions())
    assumptions_form.clear_widgets()
    st.session_state.pop(FORM_ERRORS, None)
    st.rerun()
if applied:
    try:
        common.adopt(Assumptions.from_dict(assumptions_form.to_mapping(raw)))
        problems = ("", {})
    except LabormatchError as exc:
        problems = assumptions_form.readable_error(common.error_lines(exc))
    if problems != st.session_state.get(FORM_ERRORS, ("", {})):
        st.session_state[FORM_ERRORS] = problems
        st.rerun()  # redraw the form with the fields in error marked (their edits are kept)
# By the Apply button, below every field: a warning above the form would push a table down while it is typed in.
show_pending(pending_bottom, raw)  # again: an Apply in this run changed what is applied

with common.shown_errors():
    applied_assumptions = common.current_assumptions()
    result = common.scenario_result(applied_assumptions)
    for warning in result.warnings:
        st.warning(warning, icon=":material/warning:")
    with headline_area:
        st.info(rule_basis(applied_assumptions), icon=":material/gavel:")
        if years := data_years(result):
            st.caption(years)
        results.headline(result, common.scenario_result(Assumptions()))
        changed = assumption_differences({"applied": applied_assumptions, "default": Assumptions()})
        with st.expander(f"What differs from the defaults ({len(changed)} assumption{'s' * (len(changed) != 1)})"):
            if changed.empty:
                st.caption("Nothing: the results are those of the default assumptions.")
            else:
                st.table(
                    changed.rename(
                        columns={"assumption": "Assumption", "applied": "Applied", "default": "Default"}
                    ).set_index("Assumption")
                )
        with st.expander("What the numbers say", expanded=True):
            st.markdown("\n".join(f"- {form_words(line)}" for line in reading(result)))
    results.details(result, sector_labels())
