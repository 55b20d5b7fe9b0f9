"""Browser journeys: one `streamlit run` server per test session, driven by Debian's Chromium.

The server gets its own HOME, XDG folders, scenario store and reports folder under a temporary
directory, so a test run never touches the user's files. Screenshots go to `tests/artifacts/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.app_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PROJECT,
    free_port,
    isolated_env,
    start_streamlit,
    stop_process,
    wait_healthy,
)

ARTIFACTS = PROJECT / "tests" / "artifacts"


def require_chromium() -> None:
    """Skip the test where Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_env(tmp_path_factory) -> dict[str, str]:
    """Isolated folders shared by the app server and the browser."""
    return isolated_env(tmp_path_factory.mktemp("browser_env"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_env):
    """Launch Debian's Chromium (Playwright's own download is never used)."""
    require_chromium()
    env = {**os.environ, **browser_env}
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "env": env}


@pytest.fixture(scope="session")
def app_log(tmp_path_factory) -> Path:
    """The file the app server of `app_url` writes its output to (stdout and stderr), for tests that read it."""
    return tmp_path_factory.mktemp("streamlit_log") / "server.log"


@pytest.fixture(scope="session")
def app_url(browser_env, app_log):
    """Start `streamlit run streamlit_server.py` (as `make app` does) on a free port; stop it by PID at the end."""
    require_chromium()
    port = free_port()
    proc = start_streamlit(port, browser_env, app_log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, app_log)
        yield url
    finally:
        stop_process(proc)


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` writes a full-page PNG to tests/artifacts/name.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        # Streamlit scrolls inside its main section, so grow the viewport to the content for a whole-page shot.
        viewport = page.viewport_size
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 8000)})
        page.wait_for_timeout(1500)  # tables that scroll inside a set height are drawn again at the new size
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(viewport)
        return path

    return take
