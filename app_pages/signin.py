"""Who is using the app: OpenID Connect sign-in (Streamlit's `st.login`) when `[auth]` is configured in
`.streamlit/secrets.toml`; otherwise single-user mode, served on this computer only (127.0.0.1).

Serving beyond this computer without sign-in is refused: anyone who could reach the server could delete
anyone's scenarios. `README.md`, "Run it for a team", shows the server set-up.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from labormatch.store import Actor, Store, os_actor

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def auth_configured() -> bool:
    """Whether `.streamlit/secrets.toml` (project or home folder) has an `[auth]` section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def bind_address() -> str:
    """The address the server listens on ('' = every interface, Streamlit's default without a config)."""
    return str(st.get_option("server.address") or "")


def deployment_problem() -> str | None:
    """Why this server must not serve, or None: bound beyond this computer without sign-in configured."""
    address = bind_address()
    if address in LOOPBACK or auth_configured():
        return None
    where = f"address {address}" if address else "every network interface"
    return (
        f"labormatch refuses to serve on {where} without sign-in: configure an [auth] section (OpenID Connect "
        "provider) in .streamlit/secrets.toml, or bind to 127.0.0.1 for single-user mode "
        "(README: 'Run it for a team')."
    )


def gate() -> Actor:
    """Run first on every page: stops the script with the sign-in page (or the refusal) unless the visitor
    may use the app, and returns who they are (the OS user in single-user mode)."""
    problem = deployment_problem()
    if problem:
        st.error(problem)
        st.stop()
    if not auth_configured():
        st.sidebar.caption(
            f"Single-user mode: served on this computer only ({bind_address()}); "
            f"scenarios are saved as {os_actor().subject}."
        )
        return os_actor()
    if not st.user.is_logged_in:
        st.title("labormatch")
        st.write("Sign in with your agency account to use labormatch.")
        st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
        st.stop()
    actor = Actor(subject=str(st.user["sub"]), email=st.user.get("email"))
    st.sidebar.caption(f"Signed in as {actor.shown}")
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")
    return actor


def current_actor() -> Actor:
    """The signed-in user (the OS user in single-user mode)."""
    if auth_configured() and st.user.is_logged_in:
        return Actor(subject=str(st.user["sub"]), email=st.user.get("email"))
    return os_actor()


def store() -> Store:
    """The shared scenario store, acting for the current user."""
    return common.store().acting_as(current_actor())
