"""export page (being wired)."""

import streamlit as st

st.title("export")
