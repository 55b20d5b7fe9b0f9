"""Side-by-side comparison of saved scenarios (being wired to labormatch.compare)."""

import streamlit as st


def show(names: list[str], baseline: str) -> None:
    st.write(names, baseline)
