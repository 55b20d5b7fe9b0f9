"""Time writing a full Excel report with a two-scenario comparison (target <= 2 s).

Usage: python bench/report.py [--repeat N] [--synthetic]

The two scenarios (statutory rules, and the cap doubled) run on the data snapshot (load_inputs and the
scenario runs are timed separately: the app caches them); with --synthetic, or without a snapshot, the
full-size made-up inputs of bench/matcher.py are used and the output says so. The forecast sheet gets a
made-up 24-month forecast for every sector (the report only lays it out). Wall and CPU time are printed
with the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from labormatch import snapshot
from labormatch.assumptions import Assumptions
from labormatch.crosswalk import load_sectors
from labormatch.errors import SnapshotError
from labormatch.model import run_scenario
from labormatch.model_inputs import load_inputs
from labormatch.report import ForecastTables, ReportScenario, write_report

TARGET_S = 2.0


def made_up_forecasts(start: str = "2025-10-01", months: int = 24) -> ForecastTables:
    """A forecast table of the documented shape for every sector (layout only: the numbers mean nothing)."""
    dates = pd.date_range(start, periods=months, freq="MS")
    frames = []
    for i, sector in enumerate(load_sectors()["sector"]):
        mean = 100.0 + 10 * i + np.arange(months)
        frames.append(
            pd.DataFrame(
                {
                    "sector": sector,
                    "series": "openings",
                    "series_id": f"BENCH{i:02d}",
                    "date": dates,
                    "mean": mean,
                    "lo80": mean - 8,
                    "hi80": mean + 8,
                    "lo95": mean - 14,
                    "hi95": mean + 14,
                    "model": "ets",
                }
            )
        )
    forecast = pd.concat(frames, ignore_index=True)
    backtest = forecast.groupby(["series_id", "sector", "series", "model"], as_index=False).size().drop(columns="size")
    backtest = backtest.assign(mase=0.8, snaive_mase=1.0, smape=0.05, coverage80=0.8, coverage95=0.95, origins=3)
    return ForecastTables(forecast, backtest)


def _inputs(synthetic: bool):
    if not synthetic:
        try:
            started = time.perf_counter()
            inputs = load_inputs()
            return inputs, f"data snapshot (load_inputs {time.perf_counter() - started:.1f} s, not counted)"
        except SnapshotError as exc:
            print(f"no snapshot ({exc}); using synthetic inputs")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from matcher import synthetic_inputs  # bench/matcher.py: full-size made-up inputs

    return synthetic_inputs(2025), "synthetic full-size inputs (bench/matcher.py)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    inputs, source = _inputs(args.synthetic)
    scenarios = [
        ReportScenario("statutory", run_scenario(Assumptions(fiscal_year=2025), inputs), title="FY2025 rules"),
        ReportScenario(
            "cap_doubled", run_scenario(Assumptions(fiscal_year=2025, cap_multiplier=2.0), inputs), title="Cap doubled"
        ),
    ]
    try:
        manifest = snapshot.manifest()
    except SnapshotError:
        manifest = None
    forecasts = made_up_forecasts()
    wall, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            path = write_report(scenarios, Path(folder) / "bench.xlsx", forecasts=forecasts, manifest=manifest)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        size = path.stat().st_size
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"inputs: {source}")
    print(f"report with a two-scenario comparison ({size / 1e3:,.0f} kB), {args.repeat} runs:")
    print(
        f"  wall median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}); "
        f"CPU median {statistics.median(cpu):.2f} s (min {min(cpu):.2f}); target <= {TARGET_S:.0f} s: "
        f"{'met' if statistics.median(wall) <= TARGET_S else 'NOT met'} (wall)"
    )
    print(f"  load average {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
