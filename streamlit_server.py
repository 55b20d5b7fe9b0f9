"""Serve the web app with its caches filled at server start: `streamlit run streamlit_server.py`.

`streamlit_app.py` stays the app's entry (and `streamlit run streamlit_app.py` still works). This file only
adds a start-up hook, through Streamlit's `st.App` lifespan: before the server accepts visitors it imports
the heavy modules and fills the caches every page reads (composite index, forecasts, demand model inputs),
printing a line per step. With the forecast fits on disk that takes seconds; a fresh install fits them
once first. Visitors then never wait for a computation another visitor could have shared, and no start-up
work competes with the first page for the processor.
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def _warm_up(_app):
    from app_pages import common, signin

    problem = signin.deployment_problem()
    if problem:  # refuse to start, not only to show pages: see README, "Run it for a team"
        raise SystemExit(problem)
    print(
        "labormatch: "
        + (
            "sign-in required (OpenID Connect, [auth] in secrets.toml)"
            if signin.auth_configured()
            else f"single-user mode: served on this computer only ({signin.bind_address()}), no sign-in"
        ),
        flush=True,
    )
    # Streamlit prints its Local URL before this runs: say to wait, and end on the address to open.
    print(
        "labormatch: preparing the app's data, wait for 'ready' before opening the page (about 10 s; the very "
        "first start fits the sector forecasts once, about half a minute)...",
        flush=True,
    )
    await asyncio.to_thread(common.warm_up, lambda line: print(line, flush=True))
    print(f"labormatch: ready, open http://localhost:{st.get_option('server.port')}", flush=True)
    yield


app = st.App("streamlit_app.py", lifespan=_warm_up)
