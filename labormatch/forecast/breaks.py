"""The 2020-21 pandemic break: which months it covers and how a training series treats them.

Treatments (``ForecastConfig.pandemic``):

- ``"none"``: fit on the data as published.
- ``"dummies"``: one pulse intervention per month of the window. In the state-space candidates
  (SARIMAX, UnobservedComponents) this is done by marking those months missing, which is exactly
  equivalent to a pulse dummy per month and cheaper; ETS, Theta and seasonal naive, which need a complete
  series, see those months replaced by a seasonal interpolation (``seasonal_fill``).
- ``"exclude"``: train only on months after the window; where fewer than ``min_train`` months follow
  the window at an origin, that origin falls back to ``"dummies"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.forecast.models import SEASON

TREATMENTS = ("none", "dummies", "exclude")


def window_mask(dates: pd.DatetimeIndex, start: str, end: str) -> np.ndarray:
    """True for months from ``start`` to ``end`` inclusive (``YYYY-MM``)."""
    return np.asarray((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end)))


def seasonal_fill(y: np.ndarray) -> np.ndarray:
    """Fill NaN months: seasonal factors from the observed months, linear interpolation of the rest.

    Seasonal factor of a calendar position = mean deviation from the centred 12-month mean; the seasonally
    adjusted series is interpolated linearly across gaps (held flat beyond the last observation) and the
    factor added back. Returns ``y`` unchanged when nothing is missing.
    """
    missing = np.isnan(y)
    if not missing.any():
        return y
    series = pd.Series(y)
    trend = series.rolling(SEASON, center=True, min_periods=SEASON).mean()
    deviation = (series - trend).to_numpy()
    position = np.arange(len(y)) % SEASON
    factors = np.zeros(SEASON)
    for p in range(SEASON):
        values = deviation[(position == p) & np.isfinite(deviation)]
        factors[p] = values.mean() if len(values) else 0.0
    factors -= factors.mean()
    adjusted = y - factors[position]
    observed = np.flatnonzero(~missing)
    filled = np.interp(np.arange(len(y)), observed, adjusted[observed])
    return np.where(missing, filled + factors[position], y)
