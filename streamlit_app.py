"""Web front end entry: `streamlit run streamlit_app.py`.

A thin shell: it only declares the pages. Each page in `app_pages/` calls the same package
functions as the CLI and holds no model logic of its own.
"""

import streamlit as st

from app_pages import glossary, signin

st.set_page_config(page_title="labormatch", layout="wide")
signin.gate()  # the sign-in page (or single-user notice) before any page runs

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", default=True),
    st.Page("app_pages/forecasts.py", title="Forecasts"),
    st.Page("app_pages/program_design.py", title="Program design"),
    st.Page("app_pages/scenarios.py", title="Scenarios"),
    st.Page("app_pages/export.py", title="Export"),
    st.Page("app_pages/data.py", title="Data"),
]

page = st.navigation(PAGES)
glossary.sidebar()
page.run()
