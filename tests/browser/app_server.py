"""Start, wait for and stop the app's own server (`streamlit run`, as `make app` does) and the local sign-in
provider, for the browser tests and the benchmarks; Debian's Chromium and the flags it runs with."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
STARTUP_TIMEOUT_S = 300  # the server fills its caches first: a fresh install fits the forecasts


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(root: Path) -> dict[str, str]:
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


def streamlit_command(port: int, *options: str, script: str = "streamlit_server.py") -> list[str]:
    """`streamlit run <script>` headless on `port`, no usage statistics, no file watcher, plus `options`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *options,
    ]


def start_streamlit(port: int, env: dict[str, str], log: Path | None = None, **kwargs) -> subprocess.Popen:
    """Start the app's server in the project folder with `env` over this process's environment; its output goes
    to `log` (or nowhere). `kwargs` go to `streamlit_command`."""
    out = log.open("w") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            streamlit_command(port, **kwargs),
            cwd=PROJECT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        if log:
            out.close()


def wait_until_answers(url: str, proc: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    """Wait until `url` answers; fail with the process's log if it exits first or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:5]} exited with {proc.returncode}:\n{log.read_text() if log else ''}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text() if log else ''}")


def wait_healthy(url: str, proc: subprocess.Popen, log: Path | None = None) -> None:
    """Wait until the app's server at `url` reports healthy."""
    wait_until_answers(f"{url}/_stcore/health", proc, STARTUP_TIMEOUT_S, log)


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server the tests started; kill it if it has not ended within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
