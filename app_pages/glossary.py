"""A short glossary of the words the pages use, shown in the sidebar of every page."""

import streamlit as st

from labormatch.rules import load_rules
from labormatch.units import format_value

_RULES = load_rules()
#: The statutory H-2B cap in force to the planning horizon (rules/h2b_statutory_cap.yaml), as the glossary quotes it.
_STATUTORY_CAP = format_value(_RULES.statutory_cap(_RULES.last_fiscal_year), "workers")

TERMS = {
    "Half": "The H-2B cap is split by when work starts: the first half covers jobs starting October-March, the "
    "second half April-September (fiscal year October-September).",
    "Tranche": "A block of H-2B numbers released together: the statutory cap of each half, then the supplemental "
    "numbers a rule adds, each with its own release date and eligibility.",
    "Supplemental numbers": "Extra H-2B visas the Department of Homeland Security releases by rule for one fiscal "
    f"year, on top of the statutory cap of {_STATUTORY_CAP}.",
    "Worker-month": "One worker employed for one month: a certification for 10 workers over 6 months is "
    "60 worker-months.",
    "Returning worker": "A worker who held an H-2 visa in an earlier season and comes back; in the circular "
    "program they take part of a later season's quota.",
    "Carve-out": "H-2B numbers reserved for one sector's pilot: taken out of the cap, or added on top of it.",
    "Fillable share": "The share of a sector's unmet labor demand that H-2 workers could fill.",
    "MASE": "Mean absolute scaled error: a forecast's errors divided by those of a seasonal-naive forecast within "
    "the training data; lower is better. A model beats naive when its MASE is below seasonal naive's on "
    "the same backtest.",
    "Seasonal naive": "The forecast that each month repeats the same month of the year before.",
    "80% / 95% band": "The range a forecast or figure falls in with 80% / 95% probability under the model.",
}


def sidebar() -> None:
    """The glossary, folded, in the sidebar."""
    with st.sidebar.expander("Glossary"):
        st.markdown("\n".join(f"- **{term}**: {meaning}" for term, meaning in TERMS.items()))
