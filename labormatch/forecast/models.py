"""Candidate forecasting models behind one small interface.

Every candidate works on the (possibly log-transformed) series as a float array and does two things:

- ``estimate(y, start)`` fits the parameters by maximum likelihood (statsmodels) and returns only them
  (``return_params=True`` skips the standard errors, which forecasting does not use);
- ``predict(y, params, h)`` runs the model with *fixed* parameters over ``y`` (a filter, not a fit) and
  returns the h-step mean and standard deviation on the same scale.

Splitting the two lets the backtest estimate once at the first origin and re-filter at later origins
(no observation after an origin is ever seen), and lets a cached fit produce any horizon without refitting.
Missing values (NaN) mark months without data (gaps of at most 3 months) and those the pandemic treatment
masks; state-space models skip them, the others receive a seasonally filled series (``breaks.seasonal_fill``).

Each candidate takes ``seasonal``: True runs its 12-month seasonal form, False its non-seasonal form for
series without a seasonal pattern, e.g. seasonally adjusted ones (``has_season`` decides; seasonal naive,
the baseline, is always seasonal).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from labormatch.errors import LabormatchError

SEASON = 12  # months in a seasonal cycle


@dataclass(frozen=True)
class Prediction:
    """h-step forecast on the model scale: mean and standard deviation (same units as y)."""

    mean: np.ndarray
    sd: np.ndarray


def has_season(y: np.ndarray, z: float = 1.2816) -> bool:
    """True when the month-on-month changes of ``y`` have a significantly positive 12-month autocorrelation.

    The seasonality test of the M4 competition's benchmarks (Makridakis et al. 2020, Int. J. Forecasting
    36(1)) at its 90% level: r_12 > z * sqrt((1 + 2 * sum_{k<12} r_k^2) / n), applied to first differences
    so that a trend alone does not look seasonal, and one-sided (z = 1.2816) because a seasonal pattern
    makes the changes 12 months apart alike, while seasonal adjustment leaves a negative r_12 (on the
    recent SA JOLTS series r_12 is -0.23 to +0.05, on the NSA openings +0.05 to +0.30). NaN months are
    skipped pairwise; a series with fewer than 3 years of changes is treated as seasonal (the default forms).
    """
    d = np.diff(np.asarray(y, dtype=float))
    valid = np.isfinite(d)
    if valid.sum() < 3 * SEASON:
        return True
    d = np.where(valid, d - d[valid].mean(), 0.0)
    denominator = np.sum(d**2)
    if denominator == 0:
        return False
    r = np.array([np.sum(d[k:] * d[:-k]) for k in range(1, SEASON + 1)]) / denominator
    limit = z * np.sqrt((1 + 2 * np.sum(r[:-1] ** 2)) / valid.sum())
    return bool(r[-1] > limit)


@contextmanager
def _quiet():
    """Silence statsmodels' convergence chatter: a poorly converged fit is judged by the backtest instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class _StateSpace:
    """Shared estimate/predict for the statsmodels state-space candidates (NaN-aware Kalman filter)."""

    handles_missing = True

    maxiter = 50

    def __init__(self, seasonal: bool = True):
        self.seasonal = seasonal

    def _model(self, y: np.ndarray, **options):
        raise NotImplementedError

    def estimate(self, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        with _quiet():
            params = self._model(y, **self.estimate_options).fit(
                start_params=start, disp=False, maxiter=self.maxiter, return_params=True
            )
        return np.asarray(params, dtype=float)

    def predict(self, y: np.ndarray, params: np.ndarray, h: int) -> Prediction:
        with _quiet():
            res = self._model(y).filter(params, cov_type="none")
            fc = res.get_forecast(h)
            mean = np.asarray(fc.predicted_mean, dtype=float)
            var = np.asarray(fc.var_pred_mean, dtype=float)
        return Prediction(mean, np.sqrt(np.maximum(var, 0.0)))


class Sarimax(_StateSpace):
    """Seasonal ARIMA (0,1,1)(0,1,1)12, the 'airline' model: two MA terms, robust on monthly flows
    (non-seasonal form: ARIMA(0,1,1), simple exponential smoothing).

    Speed without changing the answer: the filter starts from an approximate diffuse state and burns the
    first 13 months out of the likelihood (forecasts and standard deviations match the exact diffuse start
    to about four digits, at half the cost), and the two MA parameters are estimated on the differenced
    series (a 14-state filter instead of 27). Forecasts run the full model, so they come back in levels.
    """

    name = "sarimax"
    label, abbreviation = "Seasonal ARIMA (SARIMAX airline model)", "SARIMAX"
    estimate_options: ClassVar[dict] = {"simple_differencing": True}

    def _model(self, y, simple_differencing=False):
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        season = SEASON if self.seasonal else 0
        return SARIMAX(
            y,
            order=(0, 1, 1),
            seasonal_order=(0, int(self.seasonal), int(self.seasonal), season),
            concentrate_scale=True,
            simple_differencing=simple_differencing,
            initialization="approximate_diffuse",
            loglikelihood_burn=1 + season,
        )


class UnobservedComponents(_StateSpace):
    """Structural model: random walk with drift plus a stochastic 12-month dummy seasonal.

    Two variances to estimate; a full local linear trend has four and took about twice as long to fit.
    """

    name = "uc"
    label, abbreviation = "Unobserved components (structural model)", "UC"
    estimate_options: ClassVar[dict] = {}

    def _model(self, y):
        from statsmodels.tsa.statespace.structural import UnobservedComponents as UC

        season = {"seasonal": SEASON, "stochastic_seasonal": True} if self.seasonal else {}
        return UC(y, level="random walk with drift", **season)


class Ets:
    """ETS(A,Ad,A) with statsmodels ``ETSModel``: additive error, damped additive trend, additive season
    (non-seasonal form: ETS(A,Ad,N)).

    On the log scale this is the multiplicative-seasonality model monthly flows need. Initial states use
    the heuristic start (first cycles of the data), so only the four smoothing parameters are estimated.
    """

    name = "ets"
    label, abbreviation = "Exponential smoothing (ETS, damped trend)", "ETS"
    handles_missing = False

    def __init__(self, seasonal: bool = True):
        self.seasonal = seasonal

    def _model(self, y):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        season = {"seasonal": "add", "seasonal_periods": SEASON} if self.seasonal else {}
        return ETSModel(
            pd.Series(y),
            error="add",
            trend="add",
            damped_trend=True,
            initialization_method="heuristic",
            **season,
        )

    def estimate(self, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        with _quiet():
            params = self._model(y).fit(start_params=start, disp=False, maxiter=200, return_params=True)
        return np.asarray(params, dtype=float)

    def predict(self, y: np.ndarray, params: np.ndarray, h: int) -> Prediction:
        with _quiet():
            res = self._model(y).smooth(params)
            pred = res.get_prediction(start=len(y), end=len(y) + h - 1)
            mean = np.asarray(pred.predicted_mean, dtype=float)
            var = np.asarray(pred.forecast_variance, dtype=float)
        return Prediction(mean, np.sqrt(np.maximum(var, 0.0)))


class Theta:
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) in its SES-with-drift form (Hyndman & Billah
    2003), as statsmodels' ``ThetaModel`` implements it, on the seasonally adjusted series.

    The series is adjusted by a classical additive decomposition (on the log scale: multiplicative in
    levels), the drift b0 is the least-squares slope of the adjusted series on time, and simple exponential
    smoothing with weight alpha gives the level l_n. The h-step forecast is
    ``l_n + b0 / 2 * (h - 1 + 1/alpha - (1 - alpha)**n / alpha)`` plus the month's seasonal factor.
    Only alpha is estimated (``ThetaModel.fit``); decomposition, drift and level are recomputed from the
    data at every origin. The sd is the SES (ARIMA(0,1,1)) one: sigma * sqrt(1 + (h - 1) alpha^2), sigma the
    root mean square one-step error of the smoothing.
    """

    name = "theta"
    label, abbreviation = "Theta method", "Theta"
    handles_missing = False

    def __init__(self, seasonal: bool = True):
        self.seasonal = seasonal

    def estimate(self, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        from statsmodels.tsa.forecasting.theta import ThetaModel

        with _quiet():
            res = ThetaModel(y, period=SEASON, deseasonalize=self.seasonal, use_test=False, method="additive").fit()
        return np.array([float(res.params["alpha"])])

    def predict(self, y: np.ndarray, params: np.ndarray, h: int) -> Prediction:
        from statsmodels.tsa.seasonal import seasonal_decompose

        if len(y) < 2 * SEASON:
            raise LabormatchError(f"theta needs at least {2 * SEASON} months, got {len(y)}")
        alpha = float(np.clip(params[0], 0.0, 1.0))
        seasonal = (
            np.asarray(seasonal_decompose(y, model="additive", period=SEASON).seasonal, dtype=float)
            if self.seasonal
            else np.zeros(len(y))
        )
        x = y - seasonal
        n, t = len(x), np.arange(len(x), dtype=float)
        b0 = np.polyfit(t, x, 1)[0]
        level, errors = x[0], np.empty(n - 1)
        for i in range(1, n):
            errors[i - 1] = x[i] - level
            level += alpha * errors[i - 1]
        steps = np.arange(h, dtype=float)
        reach = steps + (1 / alpha - (1 - alpha) ** n / alpha if alpha > 0 else n)
        mean = level + b0 / 2 * reach + seasonal[n - SEASON + np.arange(h) % SEASON]
        sigma = float(np.sqrt(np.mean(errors**2)))
        return Prediction(mean, sigma * np.sqrt(1 + steps * alpha**2))


class SeasonalNaive:
    """Next year's month equals this year's; the baseline every model must beat (no parameters).

    The standard deviation grows with the number of whole years ahead: sd_h = sigma * sqrt(ceil(h/12)),
    sigma the root mean square of the 12-month differences seen so far.
    """

    name = "snaive"
    label, abbreviation = "Seasonal naive (same month a year before)", "seasonal naive"
    handles_missing = False

    def __init__(self, seasonal: bool = True):
        pass  # always seasonal: the baseline every model must beat

    def estimate(self, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        return np.empty(0)

    def predict(self, y: np.ndarray, params: np.ndarray, h: int) -> Prediction:
        if len(y) < SEASON:
            raise LabormatchError(f"seasonal naive needs at least {SEASON} months, got {len(y)}")
        steps = np.arange(h)
        mean = y[len(y) - SEASON + steps % SEASON]
        diffs = y[SEASON:] - y[:-SEASON]
        sigma = float(np.sqrt(np.mean(diffs**2))) if len(diffs) else 0.0
        return Prediction(np.asarray(mean, dtype=float), sigma * np.sqrt(steps // SEASON + 1.0))


class Naive:
    """Every future month equals the last one (a random walk; no parameters).

    sd_h = sigma * sqrt(h), sigma the root mean square of the month-on-month changes seen so far.
    """

    name = "naive"
    label, abbreviation = "Naive (last month carried forward)", "naive"
    handles_missing = False

    def __init__(self, seasonal: bool = True):
        pass  # the same in both forms

    def estimate(self, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        return np.empty(0)

    def predict(self, y: np.ndarray, params: np.ndarray, h: int) -> Prediction:
        if len(y) < 2:
            raise LabormatchError(f"naive needs at least 2 months, got {len(y)}")
        sigma = float(np.sqrt(np.mean(np.diff(y) ** 2)))
        return Prediction(np.full(h, float(y[-1])), sigma * np.sqrt(np.arange(1.0, h + 1)))


CANDIDATES = {cls.name: cls for cls in (Ets, Sarimax, UnobservedComponents, Theta, SeasonalNaive, Naive)}
COMBINATION = "combo"  # the equal-weight combination of COMBINED, a candidate of its own
COMBINED = ("ets", "sarimax", "theta")
MODEL_NAMES = (*CANDIDATES, COMBINATION)
#: How a reader sees the combination: its members by their abbreviations.
COMBINATION_LABEL = (
    "Equal-weight combination of "
    + ", ".join(CANDIDATES[m].abbreviation for m in COMBINED[:-1])
    + f" and {CANDIDATES[COMBINED[-1]].abbreviation}"
)


def model_label(name: str) -> str:
    """A model as a reader sees it: `ets` -> "Exponential smoothing (ETS, damped trend)", `combo` -> "Equal-weight
    combination of ETS, SARIMAX and Theta"; the short names stay for files and the command line. A name that
    is no model is returned as it is."""
    if name == COMBINATION:
        return COMBINATION_LABEL
    return CANDIDATES[name].label if name in CANDIDATES else name


def combine(predictions: list[Prediction]) -> Prediction:
    """Equal-weight forecast combination on the model scale: mean of the means and of the standard deviations.

    Averaging the standard deviations (not the variances of an average) keeps the intervals as wide as
    the typical member's, the cautious choice when the members' errors are strongly correlated.
    """
    return Prediction(np.mean([p.mean for p in predictions], axis=0), np.mean([p.sd for p in predictions], axis=0))


def candidate(name: str, seasonal: bool = True):
    """The candidate model called ``name`` (one of ``CANDIDATES``), in its seasonal or non-seasonal form."""
    try:
        return CANDIDATES[name](seasonal)
    except KeyError:
        raise LabormatchError(f"unknown forecast model {name!r}; choose from {', '.join(sorted(CANDIDATES))}") from None
