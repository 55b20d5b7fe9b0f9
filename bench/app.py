"""Web-app timings: cold start to the first chart, and the re-render after an assumption change.

    python bench/app.py [--repeat 3]   # AppTest (server time) and, where Chromium is installed, a browser run

- cold start (AppTest): a fresh process runs the app's whole first page (Overview) with empty Streamlit
  caches and an empty forecast disk cache, so it includes fitting every sector forecast once (what a
  fresh install does on its first visit); process start-up and imports are reported separately.
- cold start (browser): a new `streamlit run` server (empty in-memory caches; forecast fits on disk from
  the AppTest run) is started, then Chromium (new profile, empty browser cache) opens the app the moment
  the server answers; the time is from opening the page to the first chart being visible, and, for the
  whole picture, from launching the server to that chart. Measured side by side for `streamlit_server.py`
  (what `make app` runs: a start-up hook imports the heavy modules and fills every cache before the server
  answers) and the bare `streamlit_app.py` (answers at once, the first page computes), each with an empty
  Streamlit disk cache. The whole Overview (its second chart needs the forecasts) is timed too.
- re-render: on Program design, the H-2B cap is changed and the form applied; the time of that script
  run (server time) is measured for new cap values (the scenario is computed) and for a repeated value
  (served from the result cache); and the rerun an edit alone starts (the page then says the form holds edits
  not yet applied). Measured twice: on the inputs as they are, and with 1,000 demand draws
  carried through the caps (the intervals shown on the page; where the inputs carry no demand uncertainty, the
  timing-only spread of bench/matcher.py stands in, and the output says so). Targets: cold start <= 3 s,
  re-render <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
APP = PROJECT / "streamlit_app.py"
SERVER = PROJECT / "streamlit_server.py"  # what `make app` runs: the same app, caches filled at server start
sys.path.insert(0, str(PROJECT))

from tests.browser.app_server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_streamlit,
    stop_process,
    wait_until_answers,
)

CAPS = [80_000, 120_000, 160_000, 200_000, 240_000]
COLD_TARGET_S, RERENDER_TARGET_MS = 3.0, 300.0

_COLD_CHILD = """
import json, sys, time
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
imported = time.perf_counter()
at = AppTest.from_file(sys.argv[1], default_timeout=300).run()
done = time.perf_counter()
charts = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
print(json.dumps({"import_s": imported - started, "first_page_s": done - imported, "charts": charts,
                  "errors": [e.value for e in at.exception]}))
"""


def cold_start_apptest(env: dict[str, str]) -> dict:
    """Run the first page in a new Python process (empty caches)."""
    out = subprocess.run(
        [sys.executable, "-c", _COLD_CHILD, str(APP)], capture_output=True, text=True, env=env, cwd=PROJECT, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def rerender_apptest(draws: bool = False) -> dict:
    """Server time of applying the form after changing the H-2B cap (new values, then a repeated one); with
    `draws`, the model inputs carry a demand uncertainty, so every new value also runs the 1,000 demand draws."""
    from streamlit.testing.v1 import AppTest

    from app_pages import assumptions_form, common
    from labormatch import model_inputs

    load = model_inputs.load_inputs
    stand_in = False
    if draws:
        from matcher import timing_spread  # bench/matcher.py

        def with_spread(*args, **kwargs):
            nonlocal stand_in
            inputs = load(*args, **kwargs)
            stand_in = inputs.demand_uncertainty is None
            return inputs if not stand_in else replace(inputs, demand_uncertainty=timing_spread(inputs))

        model_inputs.load_inputs = with_spread
    common.model_inputs.clear()
    common._result_for.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=300).run()
        at.switch_page("app_pages/program_design.py").run()
        cap_key = assumptions_form.widget_key("h2b_cap")

        def apply(cap: int) -> float:
            at.number_input(key=cap_key).set_value(cap)
            button = next(b for b in at.button if b.label == "Apply assumptions")
            started = time.perf_counter()
            button.click().run()
            elapsed = (time.perf_counter() - started) * 1000
            if at.exception:
                raise RuntimeError(at.exception[0].value)
            return elapsed

        def edit(cap: int) -> float:
            """An edit not applied: the form is no st.form, so each edit reruns the script to say that the form
            holds edits not yet applied. AppTest reruns the whole page (results from the cache): an upper bound, as
            in the browser an edit reruns only the form's fragment."""
            at.number_input(key=cap_key).set_value(cap)
            started = time.perf_counter()
            at.run()
            return (time.perf_counter() - started) * 1000

        new = [apply(cap) for cap in CAPS]
        repeated = [apply(CAPS[0]) for _ in range(3)]
        edits = [edit(cap + 1) for cap in CAPS]
        intervals = any("demand draws" in c.value for c in at.caption)
    finally:
        model_inputs.load_inputs = load
        common.model_inputs.clear()
        common._result_for.clear()
    return {
        "new_value_ms": new,
        "repeated_value_ms": repeated,
        "edit_ms": edits,
        "intervals_shown": intervals,
        "stand_in": stand_in,
    }


def cold_start_browser(env: dict[str, str], script: Path) -> dict:
    """`streamlit run script` + Chromium: server ready, then time from navigation to the first visible chart."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = start_streamlit(port, env, script=str(script))
    try:
        wait_until_answers(f"{url}/_stcore/health", server, 120)
        server_ready = time.perf_counter() - started
        with sync_playwright() as pw:
            # The machine's own environment and font cache, as a user's browser has (a new profile all the same).
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            opened = time.perf_counter()
            page.goto(url)
            charts = page.get_by_test_id("stVegaLiteChart")
            charts.first.wait_for(state="visible", timeout=120_000)
            first_chart = time.perf_counter() - opened
            charts.nth(1).wait_for(state="visible", timeout=120_000)
            whole_page = time.perf_counter() - opened
            browser.close()
    finally:
        stop_process(server)
    return {"server_ready_s": server_ready, "first_chart_s": first_chart, "whole_page_s": whole_page}


def _isolated_env(root: Path) -> dict[str, str]:
    for name in ("home", "config", "cache"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HOME": str(root / "home"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "LABORMATCH_STORE": f"sqlite:///{root / 'store.sqlite'}",
        "LABORMATCH_REPORTS": str(root / "reports"),
        "PYTHONPATH": str(PROJECT),
    }


def report_rerender() -> None:
    """Print the re-render times, on the inputs as they are and with 1,000 demand draws."""
    for draws in (False, True):
        rerender = rerender_apptest(draws)
        new, repeated = rerender["new_value_ms"], rerender["repeated_value_ms"]
        what = "the inputs as they are" + (", intervals shown" if rerender["intervals_shown"] else ", no intervals")
        if draws:
            what = (
                "1,000 demand draws"
                + (
                    " (timing-only spread standing in: the inputs carry no demand uncertainty)"
                    if rerender["stand_in"]
                    else ""
                )
                + (", intervals shown" if rerender["intervals_shown"] else ", INTERVALS NOT SHOWN")
            )
        print(
            f"re-render after an H-2B cap change (AppTest server time; {what}): new value median "
            f"{statistics.median(new):.0f} ms, max {max(new):.0f} ms over {len(new)} values; repeated value "
            f"median {statistics.median(repeated):.0f} ms; an edit not yet applied median "
            f"{statistics.median(rerender['edit_ms']):.0f} ms [target <= {RERENDER_TARGET_MS:.0f} ms]"
        )


def main(repeat: int, rerender_only: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="labormatch_bench_app_") as folder:
        env = _isolated_env(Path(folder))
        os.environ.update({k: env[k] for k in ("LABORMATCH_STORE", "LABORMATCH_REPORTS")})
        if rerender_only:
            report_rerender()
            return 0
        cold = cold_start_apptest(env)
        print(
            f"first visit of a fresh install (AppTest, new process, no fits on disk): imports "
            f"{cold['import_s']:.2f} s; whole first page {cold['first_page_s']:.2f} s with {cold['charts']} chart(s) "
            "(the 3 s target is for the first chart, below)"
            f"{'; ERRORS: ' + str(cold['errors']) if cold['errors'] else ''}"
        )
        report_rerender()
        if CHROMIUM.exists():
            runs = {script: [] for script in (SERVER, APP)}
            for round_number in range(repeat):  # alternate the two, so both see the same machine load
                for script in runs:
                    home = Path(folder) / f"home_{script.stem}_{round_number}"  # empty Streamlit disk cache each time
                    home.mkdir()
                    runs[script].append(browser := cold_start_browser({**env, "HOME": str(home)}, script))
                    print(
                        f"cold start (browser, streamlit run {script.name}, run {round_number + 1}): server answers "
                        f"{browser['server_ready_s']:.2f} s after launch; first chart visible "
                        f"{browser['first_chart_s']:.2f} s after opening the page, whole Overview "
                        f"{browser['whole_page_s']:.2f} s; launch to first chart "
                        f"{browser['server_ready_s'] + browser['first_chart_s']:.2f} s"
                    )
            for script, measured in runs.items():
                first = [run["first_chart_s"] for run in measured]
                whole = [run["whole_page_s"] for run in measured]
                launch = [run["server_ready_s"] + run["first_chart_s"] for run in measured]
                print(
                    f"cold start (browser, streamlit run {script.name}), median of {repeat}: first chart "
                    f"{statistics.median(first):.2f} s after opening the page [target <= {COLD_TARGET_S:.0f} s], "
                    f"whole Overview {statistics.median(whole):.2f} s, launch to first chart "
                    f"{statistics.median(launch):.2f} s"
                )
        else:
            print(f"cold start (browser): skipped, {CHROMIUM} not installed")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="browser cold starts per script (alternating)")
    parser.add_argument("--rerender-only", action="store_true", help="time only the re-render (no cold starts)")
    arguments = parser.parse_args()
    sys.exit(main(arguments.repeat, arguments.rerender_only))
