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


def apply_lever(
    processing_days: np.ndarray, slack_days: np.ndarray, days_faster: float, pct_faster: float
) -> tuple[np.ndarray, np.ndarray]:
    """Processing days and slack after cutting `days_faster` days and then `pct_faster` percent."""
    new_processing = np.maximum(0.0, processing_days - days_faster) * (1.0 - pct_faster / 100.0)
    return new_processing, slack_days + (processing_days - new_processing)


def _quantile(sorted_days: np.ndarray, counts: np.ndarray, q: float) -> float:
    """Lower quantile of days weighted by case counts (days sorted ascending): the smallest value with at least
    a share q of the cases at or below it."""
    cum = np.cumsum(counts)
    return float(sorted_days[min(np.searchsorted(cum, q * cum[-1]), len(cum) - 1)])


def _sorted(cases: pd.DataFrame) -> bool:
    """True when rows are ordered by fiscal year, visa class, processing days (as `model_inputs` writes them)."""
    years = cases["fiscal_year"].to_numpy(int)
    code = (cases["visa_class"].to_numpy() == "H-2B").astype(int)  # H-2A sorts before H-2B
    days = cases["processing_days"].to_numpy(float)
    same_year = years[1:] == years[:-1]
    same_class = same_year & (code[1:] == code[:-1])
    return bool(
        (years[1:] >= years[:-1]).all()
        and (code[1:] >= code[:-1])[same_year].all()
        and (days[1:] >= days[:-1])[same_class].all()
    )


def delay_table(cases: pd.DataFrame, days_faster: float, pct_faster: float) -> pd.DataFrame:
    """The `processing` table: one row per fiscal year x visa class, before and after the lever.

    `cases` rows may group several cases with the same days (column `cases`, 1 when absent); median and p90
    are case-weighted lower quantiles. The lever keeps the order of processing times, so its quantiles are
    the lever applied to the base quantiles.
    """
    if not _sorted(cases):
        cases = cases.sort_values(["fiscal_year", "visa_class", "processing_days"], kind="stable")
    years = cases["fiscal_year"].to_numpy(int)
    classes = cases["visa_class"].to_numpy()
    days = cases["processing_days"].to_numpy(float)
    slack = cases["slack_days"].to_numpy(float)
    workers = cases["workers"].to_numpy(float)
    counts = cases["cases"].to_numpy(float) if "cases" in cases else np.ones(len(days))
    _, new_slack = apply_lever(days, slack, days_faster, pct_faster)
    if not len(days):
        return pd.DataFrame(columns=TABLE_COLUMNS)
    starts = np.r_[0, np.flatnonzero((years[1:] != years[:-1]) | (classes[1:] != classes[:-1])) + 1]
    ends = np.r_[starts[1:], len(days)]
    total = np.add.reduceat(workers, starts)
    late = np.add.reduceat(workers * (slack < 0), starts)
    late_lever = np.add.reduceat(workers * (new_slack < 0), starts)
    lost = np.add.reduceat(workers * np.maximum(0.0, -slack), starts) / DAYS_PER_MONTH
    lost_lever = np.add.reduceat(workers * np.maximum(0.0, -new_slack), starts) / DAYS_PER_MONTH
    medians = np.array([_quantile(days[a:b], counts[a:b], 0.5) for a, b in zip(starts, ends)])
    p90 = np.array([_quantile(days[a:b], counts[a:b], 0.9) for a, b in zip(starts, ends)])
    share = np.divide(late, total, out=np.zeros_like(total), where=total > 0)
    share_lever = np.divide(late_lever, total, out=np.zeros_like(total), where=total > 0)
    return pd.DataFrame(
        {
            "fiscal_year": years[starts],
            "visa_class": classes[starts],
            "cases": np.add.reduceat(counts, starts),
            "workers": total,
            "median_days": medians,
            "p90_days": p90,
            "share_late": share,
            "late_worker_months": lost,
            "median_days_lever": apply_lever(medians, medians, days_faster, pct_faster)[0],
            "share_late_lever": share_lever,
            "late_worker_months_lever": lost_lever,
        }
    )


TABLE_COLUMNS = [
    "fiscal_year",
    "visa_class",
    "cases",
    "workers",
    "median_days",
    "p90_days",
    "share_late",
    "late_worker_months",
    "median_days_lever",
    "share_late_lever",
    "late_worker_months_lever",
]


def scenario_lateness(table: pd.DataFrame, demand_by_class: dict[str, float]) -> dict[str, float]:
    """Late starts for the scenario's demand, at the latest fiscal year's delays of each visa class."""
    late_workers = base = lever = total = 0.0
    classes = table["visa_class"].to_numpy()
    years = table["fiscal_year"].to_numpy()
    share, lost, lost_lever, count = (
        table[c].to_numpy(float) for c in ("share_late", "late_worker_months", "late_worker_months_lever", "workers")
    )
    for visa_class, workers in demand_by_class.items():
        rows = np.flatnonzero(classes == visa_class)
        if not len(rows) or workers <= 0:
            continue
        i = rows[np.argmax(years[rows])]
        total += workers
        late_workers += workers * share[i]
        base += workers * lost[i] / count[i]
        lever += workers * lost_lever[i] / count[i]
    return {
        "late_start_share": late_workers / total if total else 0.0,
        "late_worker_months": base,
        "late_worker_months_lever": lever,
        "late_worker_months_saved": base - lever,
    }
