"""Browser journeys: one `streamlit run` server per test session, driven by Debian's Chromium.

The server gets its own HOME, XDG folders, scenario store and reports folder under a temporary
directory, so a test run never touches the user's files. Screenshots go to `tests/artifacts/`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from labormatch.forecast.cache import default_dir as fit_cache_dir

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT / "tests" / "artifacts"
STARTUP_TIMEOUT_S = 300  # the server fills its caches first: a fresh install fits the forecasts


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian Chromium not found at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _isolated_env(root: Path) -> dict[str, str]:
    """Environment with HOME, XDG folders, scenario store and reports folder under `root`.

    The forecast fit cache stays where it is (`LABORMATCH_CACHE` or the user cache): it is keyed by series
    content and configuration, and refitting every series would take minutes.
    """
    folders = {name: root / name for name in ("home", "config", "cache", "data", "reports")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(folders["home"]),
        "XDG_CONFIG_HOME": str(folders["config"]),
        "XDG_CACHE_HOME": str(folders["cache"]),
        "XDG_DATA_HOME": str(folders["data"]),
        "LABORMATCH_STORE": f"sqlite:///{root / 'scenarios.sqlite'}",
        "LABORMATCH_REPORTS": str(folders["reports"]),
        "LABORMATCH_CACHE": str(fit_cache_dir()),
    }


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser_env(tmp_path_factory) -> dict[str, str]:
    """Isolated folders shared by the app server and the browser."""
    return _isolated_env(tmp_path_factory.mktemp("browser_env"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_env):
    """Launch Debian's Chromium (Playwright's own download is never used)."""
    _require_chromium()
    env = {**os.environ, **browser_env}
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "env": env}


@pytest.fixture(scope="session")
def app_url(browser_env, tmp_path_factory):
    """Start `streamlit run streamlit_server.py` (as `make app` does) on a free port; stop it by PID at the end."""
    _require_chromium()
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit_log") / "server.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_server.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=PROJECT, env={**os.environ, **browser_env}, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server the tests started; kill it if it has not ended within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
