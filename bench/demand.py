"""The demand model's backtest on published figures (target: H-2A FY2019-FY2025 MAPE at or below the better naive
benchmark, at least 5 of 7 outcomes inside the 80% intervals).

Usage: python bench/demand.py

Prints, from the data snapshot: the 1-year-ahead error per fiscal year of the model and of both naive benchmarks
(last published value; last value x the mean growth of the 3 years before), MAPE, and how many outcomes fall
inside the 80% and 95% intervals; then the choice of the model's form on years before FY2019 (H-2A FY2013-FY2018,
H-2B FY2016-FY2019), which fixed `labormatch.demand_baseline.USE_DRIVER`, with the other form's test-period score
beside it for reference (not a basis for choosing).
"""

from __future__ import annotations

import time

from labormatch import control_totals, demand_backtest, demand_baseline, demand_model, snapshot
from labormatch.model_inputs import CONTROL_TOTAL_TABLES, load_inputs

SELECTION_YEARS = {"H-2A": range(2013, 2019), "H-2B": range(2016, 2020)}


def main() -> None:
    start = time.perf_counter()
    inputs = load_inputs(forecast=False)
    print(f"load_inputs (no indicator forecast): {time.perf_counter() - start:.1f} s")
    table = inputs.demand_tables["demand_backtest"]
    print("\nBacktest: positions certified (OFLC), each year forecast from the figures published before it")
    print(demand_backtest.render(table))
    h2a = demand_backtest.summary(table).set_index("visa_class").loc["H-2A"]
    better = min(h2a["naive_last_mape"], h2a["naive_growth_mape"])
    met = h2a["model_mape"] <= better and h2a["inside80"] >= 5
    print(
        f"\nTarget (H-2A MAPE <= {better:.1f}% and >= 5/7 inside 80%): "
        f"MAPE {h2a['model_mape']:.1f}%, {int(h2a['inside80'])}/7 inside 80% -> {'met' if met else 'NOT met'}"
    )

    cases = snapshot.load_table("oflc_cases")
    totals = control_totals.build({n: snapshot.load_table(f"reference/{n}") for n in CONTROL_TOTAL_TABLES}, cases)
    driver = demand_model.driver_series(snapshot.load_table("panel"))
    print(f"\nForm chosen on years before FY2019 (USE_DRIVER = {demand_baseline.USE_DRIVER}):")
    for use_driver in (False, True):
        pre = demand_backtest.summary(demand_backtest.backtest(totals, driver, SELECTION_YEARS, use_driver))
        test = demand_backtest.summary(demand_backtest.backtest(totals, driver, use_driver=use_driver))
        name = "drift + employment driver" if use_driver else "drift only"
        for (_, p), (_, t) in zip(pre.iterrows(), test.iterrows()):
            print(
                f"  {name:26} {p['visa_class']}: selection MAPE {p['model_mape']:.1f}% "
                f"(naive last {p['naive_last_mape']:.1f}%, naive growth {p['naive_growth_mape']:.1f}%); "
                f"test MAPE {t['model_mape']:.1f}%, inside 80% {int(t['inside80'])}/{int(t['years'])}"
            )


if __name__ == "__main__":
    main()
