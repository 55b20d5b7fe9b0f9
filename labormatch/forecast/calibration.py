"""Prediction intervals calibrated on the engine's own rolling-origin errors (split conformal, widen only).

A model's normal intervals (mean ± z_a sd_h on the model scale) are too narrow after a turning point:
its sd describes noise around a trend that has just changed. The published model's backtest errors
e_{o,h} = y - mean at the series' own rolling origins o and horizons h (model scale, months with data
only) are put in units of the sd of the forecast being calibrated at the same horizon, s = |e_{o,h}| /
sd_h. For a level a, q_a is the ceil((n + 1) a)-th smallest s (the split-conformal quantile, Vovk et al.
2005; Lei et al. 2018, JASA 113(523)) and the interval is mean ± max(q_a, z_a) sd_h.

- Dividing by the current forecast's sd (not the sd each origin had) pools the horizons while keeping
  the model's growth of the sd with the horizon, so three origins give up to 36 errors, and an origin
  whose own sd was inflated (months masked just before it, as after the pandemic window) still counts
  at the size of its errors.
- Only wider, never narrower: the errors are those of the model chosen for having the smallest errors
  at these very origins, so they understate its future errors, and 36 errors from three origins are
  about three independent paths. A two-sided version, tried on the recent-vintage benchmark
  (docs/FORECAST.md), narrowed the intervals where the errors before the origin were calm (80% coverage
  0.61 at the 2022-08 origin, against 0.72 for the normal intervals and 0.76 widened only).
- No look-ahead: every error comes from an origin whose months precede the forecast origin.
- Few errors: with fewer than ``MIN_ERRORS`` the normal intervals stay; where there are too few for a
  level's rank (fewer than 19 for 95%), q_a is z_a times the calibrated-to-normal ratio at 80%.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

LEVELS = {"80": 0.80, "95": 0.95}  # interval name -> coverage
NORMAL = {name: float(norm.ppf(0.5 + level / 2)) for name, level in LEVELS.items()}
MIN_ERRORS = 6  # standardized errors needed before the normal quantiles are replaced


def backtest_errors(predictions: list, actual: np.ndarray, ends: list[int]) -> np.ndarray:
    """Errors y - mean on the model scale, one row per origin (``Prediction`` at each of ``ends``), one
    column per horizon; NaN where ``actual`` (model scale) has no data or is not scored."""
    horizon = max((len(p.mean) for p in predictions), default=0)
    errors = np.full((len(ends), horizon), np.nan)
    for row, (end, pred) in enumerate(zip(ends, predictions)):
        y = actual[end : end + len(pred.mean)]
        errors[row, : len(y)] = y - pred.mean[: len(y)]
    return errors


def multipliers_for(errors: np.ndarray, sd: np.ndarray) -> dict[str, float]:
    """The calibrated sd multipliers (``multipliers``) of a forecast whose sd by horizon is ``sd`` (at
    least as many horizons as ``errors`` has columns), from backtest ``errors`` (``backtest_errors``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.abs(errors) / sd[: errors.shape[1]]
    return multipliers(spread[np.isfinite(spread)])


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ceil((n + 1) level)-th smallest of ``scores``; NaN when n is too small for that rank."""
    rank = math.ceil((len(scores) + 1) * level)
    return float(np.sort(scores)[rank - 1]) if rank <= len(scores) else float("nan")


def multipliers(spread: np.ndarray) -> dict[str, float]:
    """The sd multiplier per interval (``LEVELS``) from errors in sd units (|e| / sd): their conformal
    quantiles where they exceed the normal quantiles, else the normal ones (see the module docstring)."""
    if len(spread) < MIN_ERRORS:
        return dict(NORMAL)
    out = {name: conformal_quantile(spread, level) for name, level in LEVELS.items()}
    for name in LEVELS:
        if not math.isfinite(out[name]):
            out[name] = NORMAL[name] * out["80"] / NORMAL["80"]
    return {name: max(out[name], NORMAL[name]) for name in LEVELS}
