"""Processing time: OFLC delays by year and visa class, late starts, and the faster-processing lever.

Per case: processing_days = decision date - received date; slack_days = start date of need - decision date
(negative: the decision came after the job should have started). A case starts late when slack_days < 0;
its lost worker-months are ``workers x max(0, -slack_days) / 30.44``.

Faster processing lever (d days, p percent)::

    new_processing = max(0, processing_days - d) x (1 - p / 100)
    new_slack      = slack_days + (processing_days - new_processing)

Scenario effect: the latest fiscal year's late worker-months per worker, by visa class, times the scenario's
demand (workers) of that class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 30.44


def apply_lever(processing_days: np.ndarray, slack_days: np.ndarray, days_faster: float, pct_faster: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """Processing days and slack after cutting `days_faster` days and then `pct_faster` percent."""
    new_processing = np.maximum(0.0, processing_days - days_faster) * (1.0 - pct_faster / 100.0)
    return new_processing, slack_days + (processing_days - new_processing)


def _late(workers: np.ndarray, slack: np.ndarray) -> tuple[float, float]:
    """(share of workers starting late, late worker-months)."""
    total = workers.sum()
    late_months = float((workers * np.maximum(0.0, -slack)).sum() / DAYS_PER_MONTH)
    share = float(workers[slack < 0].sum() / total) if total > 0 else 0.0
    return share, late_months


def delay_table(cases: pd.DataFrame, days_faster: float, pct_faster: float) -> pd.DataFrame:
    """The `processing` table: one row per fiscal year x visa class, before and after the lever."""
    rows = []
    for (fiscal_year, visa_class), group in cases.groupby(["fiscal_year", "visa_class"], sort=True):
        days = group["processing_days"].to_numpy(float)
        slack = group["slack_days"].to_numpy(float)
        workers = group["workers"].to_numpy(float)
        new_days, new_slack = apply_lever(days, slack, days_faster, pct_faster)
        share, late_months = _late(workers, slack)
        share_lever, late_months_lever = _late(workers, new_slack)
        rows.append({
            "fiscal_year": int(fiscal_year), "visa_class": visa_class, "cases": len(group),
            "workers": float(workers.sum()),
            "median_days": float(np.median(days)), "p90_days": float(np.percentile(days, 90)),
            "share_late": share, "late_worker_months": late_months,
            "median_days_lever": float(np.median(new_days)), "share_late_lever": share_lever,
            "late_worker_months_lever": late_months_lever,
        })
    return pd.DataFrame(rows)


def scenario_lateness(table: pd.DataFrame, demand_by_class: dict[str, float]) -> dict[str, float]:
    """Late starts for the scenario's demand, at the latest fiscal year's delays of each visa class."""
    late_workers = base = lever = total = 0.0
    for visa_class, workers in demand_by_class.items():
        rows = table[table["visa_class"] == visa_class]
        if rows.empty or workers <= 0:
            continue
        latest = rows.loc[rows["fiscal_year"].idxmax()]
        total += workers
        late_workers += workers * latest["share_late"]
        base += workers * latest["late_worker_months"] / latest["workers"]
        lever += workers * latest["late_worker_months_lever"] / latest["workers"]
    return {
        "late_start_share": late_workers / total if total else 0.0,
        "late_worker_months": base,
        "late_worker_months_lever": lever,
        "late_worker_months_saved": base - lever,
    }
