"""Time one full scenario run: all sectors x 24 months x >= 8 origin countries x 5 seasons.

Usage: python bench/matcher.py [--repeat N] [--synthetic]
Uses the data snapshot (load_inputs, timed separately: it is cached in the app) unless --synthetic or no
snapshot is present; then a synthetic input of the same size is used and the output says so.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd

from labormatch.assumptions import Assumptions
from labormatch.crosswalk import load_sectors
from labormatch.errors import SnapshotError
from labormatch.model import ModelInputs, load_inputs, run_scenario

ORIGINS = ["Mexico", "Guatemala", "Jamaica", "Honduras", "El Salvador", "South Africa", "Philippines", "Haiti",
           "Colombia", "Costa Rica"]


def synthetic_inputs(fiscal_year: int) -> ModelInputs:
    """Full-size made-up inputs (every sector, 60 months, 10 origins, 5,000 processing cases)."""
    rng = np.random.default_rng(0)
    sectors = list(load_sectors()["sector"])
    months = pd.date_range(f"{fiscal_year - 1}-10-01", periods=60, freq="MS")
    rows = [{"sector": s, "visa_class": "H-2A" if s == "agriculture" else "H-2B", "month": m,
             "shortage_workers": float(rng.uniform(0, 20_000))} for s in sectors for m in months]
    shares = rng.dirichlet(np.ones(len(ORIGINS)))
    origin = pd.DataFrame([{"visa_class": v, "origin": o, "share": s} for v in ("H-2A", "H-2B")
                           for o, s in zip(ORIGINS, shares)])
    n = 5_000
    return ModelInputs(
        baseline_demand=pd.DataFrame(rows), origin_shares=origin,
        aewr=pd.DataFrame({"state": ["FL", "GA", "CA"], "year": fiscal_year, "aewr_usd_hour": [14.0, 13.0, 18.0]}),
        h2a_state_shares=pd.DataFrame({"state": ["FL", "GA", "CA", "WA"], "share": [0.3, 0.2, 0.3, 0.2]}),
        sector_terms=pd.DataFrame({"sector": sectors, "visa_class": "H-2B", "contract_weeks": 30.0, "wage_usd_hour": 16.0}),
        processing_cases=pd.DataFrame({"fiscal_year": rng.integers(2015, 2020, n), "visa_class": rng.choice(["H-2A", "H-2B"], n),
                                       "workers": rng.uniform(1, 50, n), "processing_days": rng.uniform(10, 90, n),
                                       "slack_days": rng.normal(20, 30, n)}),
        filing_profile=pd.DataFrame({"half": ["H1"] * 50 + ["H2"] * 50, "day_offset": list(range(-100, 0, 2)) * 2,
                                     "cum_share": list(np.linspace(0.02, 1, 50)) * 2}),
        cap_reached=pd.DataFrame({"fiscal_year": [fiscal_year], "cap_period": ["second_half"],
                                  "final_receipt_date": [pd.Timestamp(f"{fiscal_year}-03-05")]}),
        demand_tables={}, vintage={"snapshot": "synthetic benchmark inputs"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    assumptions = Assumptions(fiscal_year=2025, horizon_months=24, seasons=5,
                              pilot_carveouts=[{"sector": "food_manufacturing", "numbers": 5_000, "inside_cap": False}],
                              processing_days_faster=10)
    source = "synthetic"
    if not args.synthetic:
        try:
            start = time.perf_counter()
            inputs = load_inputs()
            print(f"load_inputs (cold, calibration included): {time.perf_counter() - start:.2f} s")
            source = "data snapshot"
        except SnapshotError as exc:
            print(f"no snapshot ({exc}); using synthetic inputs")
    if source == "synthetic":
        inputs = synthetic_inputs(assumptions.fiscal_year)
    run_scenario(assumptions, inputs)  # warm-up
    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run_scenario(assumptions, inputs)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    quotas = result.tables["quotas"]
    print(f"inputs: {source}; sectors {result.tables['demand']['sector'].nunique()}, "
          f"months {result.tables['demand']['month'].nunique()}, origins {quotas['origin'].nunique()}, "
          f"seasons {quotas['season'].nunique()}")
    print(f"run_scenario over {args.repeat} runs: median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms (target median <= 20 ms)")
    print(f"CPU time per run: median {statistics.median(cpu):.1f} ms (wall time grows when other processes "
          f"share the cores; load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
