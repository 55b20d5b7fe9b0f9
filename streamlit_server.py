"""Serve the web app with its caches filled at server start: `streamlit run streamlit_server.py`.

`streamlit_app.py` stays the app's entry (and `streamlit run streamlit_app.py` still works). This file only
adds a start-up hook, through Streamlit's `st.App` lifespan: a background thread imports the heavy modules
and fills the data caches, so the first visitor does not wait for them.
"""

import threading
from contextlib import asynccontextmanager

import streamlit as st


def _warm_up() -> None:
    from app_pages.common import warm_up

    warm_up()


@asynccontextmanager
async def _warm_up_in_background(_app):
    threading.Thread(target=_warm_up, name="labormatch-warm-up", daemon=True).start()
    yield


app = st.App("streamlit_app.py", lifespan=_warm_up_in_background)
