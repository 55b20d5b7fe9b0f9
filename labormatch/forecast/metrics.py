"""Forecast accuracy measures, the ones BLS-style evaluations and the M-competitions use.

All take plain arrays on the original scale (no log) and ignore nothing: callers pass complete windows.
"""

from __future__ import annotations

import numpy as np

from labormatch.forecast.models import SEASON


def naive_scale(history: np.ndarray, season: int = SEASON) -> float:
    """Mean absolute 12-month change over the training history: the MASE denominator (NaN pairs skipped)."""
    diffs = np.abs(history[season:] - history[:-season])
    diffs = diffs[np.isfinite(diffs)]
    return float(diffs.mean()) if len(diffs) else float("nan")


def mase(actual: np.ndarray, forecast: np.ndarray, scale: float) -> float:
    """Mean absolute scaled error: MAE of the forecast over the in-sample seasonal-naive MAE (1 = as good as it)."""
    if not scale > 0:
        return float("nan")
    return float(np.mean(np.abs(actual - forecast)) / scale)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric mean absolute percentage error in percent (0-200); months where both are 0 count as 0."""
    denom = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(2 * np.abs(actual - forecast), denom, out=np.zeros(len(actual)), where=denom > 0)
    return float(100 * ratio.mean())


def coverage(actual: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """Share of actual values inside their prediction interval [lo, hi] (target: the nominal level)."""
    return float(np.mean((actual >= lo) & (actual <= hi)))


def beats_seasonal_naive(mase_scores, snaive_mase_scores):
    """Whether each model beats seasonal naive: its backtest MASE is below seasonal naive's on the same origins and
    horizon (both out of sample). A series without backtest scores (NaN: too short to backtest) does not. Arrays
    or pandas Series (a Series in, a Series out); the one rule the app and the workbook state."""
    return np.less(mase_scores, snaive_mase_scores)
