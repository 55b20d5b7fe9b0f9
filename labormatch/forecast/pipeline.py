"""One series from start to finish: rolling-origin backtest, model choice, final fit, forecast.

Pure functions of (dates, values, config), so the local and the dask backend give identical numbers and
a result can be cached by the content of the series and the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labormatch.forecast import breaks, calibration, metrics
from labormatch.forecast.config import ForecastConfig
from labormatch.forecast.models import COMBINATION, COMBINED, Prediction, candidate, combine, has_season

BASELINE = "snaive"
CV_COLUMNS = ["origin", "date", "model", "actual", "mean", "lo80", "hi80", "lo95", "hi95", "scale"]


@dataclass(frozen=True)
class SeriesFit:
    """What a series needs to be forecast again without refitting.

    model: chosen candidate; params: per single model it runs (one, or the combination's members), its
    fitted parameters for each training window (``config.windows`` order); transform: ``log`` or ``none``;
    scores: mean backtest MASE per candidate; cv: the backtest forecasts (``CV_COLUMNS``; each origin's
    intervals calibrated on the earlier origins' errors, ``origin_multipliers``, when the config says so);
    note: why a fallback happened, else empty; seasonal: whether the models run their seasonal forms
    (``models.has_season`` on the months before the first origin); errors: the chosen model's backtest
    errors on the model scale (origin x horizon, ``calibration.backtest_errors``) that calibrate its
    intervals, or None for the normal intervals.
    """

    model: str
    params: dict
    transform: str
    scores: dict = field(default_factory=dict)
    cv: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CV_COLUMNS))
    note: str = ""
    seasonal: bool = True
    errors: np.ndarray | None = None


def _transform(values: np.ndarray, config: ForecastConfig) -> str:
    finite = values[np.isfinite(values)]
    if config.transform == "auto":
        return "log" if len(finite) and (finite > 0).all() else "none"
    return config.transform


def _to_model_scale(values: np.ndarray, transform: str) -> np.ndarray:
    if transform == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(values > 0, np.log(values), np.nan)
    return values.astype(float)


def bands(pred: Prediction, transform: str, floor: float = -np.inf, z: dict | None = None) -> dict[str, np.ndarray]:
    """Mean and 80%/95% bounds on the original scale (mean ± z sd on the model scale; log means are medians),
    cut at ``floor`` (0 for series that are never negative, such as certified worker-months). ``z`` maps
    ``"80"``/``"95"`` to sd multipliers: the normal quantiles by default, calibrated ones from a fit."""
    back = np.exp if transform == "log" else (lambda x: x)
    out = {"mean": np.maximum(back(pred.mean), floor)}
    for name, multiplier in (z or calibration.NORMAL).items():
        out[f"lo{name}"] = np.maximum(back(pred.mean - multiplier * pred.sd), floor)
        out[f"hi{name}"] = np.maximum(back(pred.mean + multiplier * pred.sd), floor)
    return out


def _floor(values: np.ndarray) -> float:
    """0 when no observed value is negative (counts cannot be forecast below zero), else no floor."""
    finite = values[np.isfinite(values)]
    return 0.0 if len(finite) and (finite >= 0).all() else -np.inf


def training_window(
    y: np.ndarray, dates: pd.DatetimeIndex, end: int, config: ForecastConfig, model, window: int | None = None
) -> np.ndarray:
    """The model-scale series the model trains on: positions before ``end`` after the pandemic treatment,
    at most the latest ``window`` of them (None = all)."""
    train = y[:end].copy()
    if config.pandemic != "none":
        mask = breaks.window_mask(dates[:end], config.pandemic_start, config.pandemic_end)
        after = int(np.flatnonzero(mask)[-1]) + 1 if mask.any() else 0
        if config.pandemic == "exclude" and mask.any() and end - after >= config.min_train:
            train = train[after:]
        else:
            train[mask] = np.nan
    if window is not None:
        train = train[-window:]
    if not model.handles_missing:
        train = breaks.seasonal_fill(train)
    return train


def _origins(n: int, config: ForecastConfig) -> list[int]:
    """Training lengths at each backtest origin, earliest first: up to ``config.origins`` of them, those that
    leave at least ``min_train`` months before them; empty when the series is too short for even one."""
    ends = [n - config.backtest_horizon - k * config.origin_step for k in reversed(range(config.origins))]
    return [end for end in ends if end >= config.min_train]


def _scored(values: np.ndarray, dates: pd.DatetimeIndex, config: ForecastConfig) -> np.ndarray:
    """The values backtests are scored on: under ``dummies`` or ``exclude`` the pandemic months are
    interventions, not forecast targets, so they count neither as errors nor in the MASE scale."""
    if config.pandemic == "none":
        return values
    return np.where(breaks.window_mask(dates, config.pandemic_start, config.pandemic_end), np.nan, values)


FIT_ERRORS = (ValueError, np.linalg.LinAlgError, ZeroDivisionError, OverflowError)


def _backtest(
    name: str, y: np.ndarray, dates, ends: list[int], config, seasonal: bool = True
) -> tuple[list[Prediction], list] | None:
    """Model-scale predictions of one single model at every origin, averaged over the training windows
    (``combine``), and its first-origin parameters per window; None when the model fails or diverges on
    any window (estimated once at the first origin, re-filtered at later ones unless ``refit_each_origin``)."""
    model = candidate(name, seasonal)
    per_window, params = [], []
    try:
        for window in config.windows:
            predictions, estimate = [], None
            for end in ends:
                train = training_window(y, dates, end, config, model, window)
                if estimate is None or config.refit_each_origin:
                    estimate = model.estimate(train, start=estimate)
                pred = model.predict(train, estimate, config.backtest_horizon)
                if not (np.isfinite(pred.mean).all() and np.isfinite(pred.sd).all()):
                    return None
                predictions.append(pred)
            per_window.append(predictions)
            params.append(estimate)
    except FIT_ERRORS:
        return None
    return [combine(list(at_origin)) for at_origin in zip(*per_window)], params


def origin_multipliers(predictions: list[Prediction], actual: np.ndarray, ends: list[int]) -> list[dict]:
    """The calibrated sd multipliers of each backtest origin's forecast, from the errors of the earlier
    origins at months before that origin only (``actual`` on the model scale, NaN where not scored); the
    first origin has none, so its intervals are the normal ones."""
    errors = calibration.backtest_errors(predictions, actual, ends)
    steps = np.arange(errors.shape[1])
    out = []
    for k, pred in enumerate(predictions):
        before = np.asarray(ends[:k])[:, None] + steps < ends[k]
        out.append(calibration.multipliers_for(np.where(before, errors[:k], np.nan), pred.sd))
    return out


def _records(
    name: str,
    predictions: list[Prediction],
    raw: np.ndarray,
    dates,
    ends: list[int],
    transform: str,
    multipliers: list[dict | None],
) -> list[dict]:
    """Backtest rows (``CV_COLUMNS``) of one model, bands with each origin's ``multipliers`` (None = normal);
    months where ``raw`` is NaN are not scored."""
    records, floor = [], _floor(raw)
    for end, pred, z in zip(ends, predictions, multipliers):
        out = bands(pred, transform, floor, z)
        scale = metrics.naive_scale(raw[:end])
        for step in range(len(pred.mean)):
            if np.isnan(raw[end + step]):
                continue
            records.append(
                {
                    "origin": dates[end - 1],
                    "date": dates[end + step],
                    "model": name,
                    "actual": raw[end + step],
                    **{k: v[step] for k, v in out.items()},
                    "scale": scale,
                }
            )
    return records


def backtest_mase(predictions: list[Prediction], raw: np.ndarray, ends: list[int], transform: str) -> float:
    """Mean over origins of the MASE (on the original scale, over the months where ``raw`` is not NaN, scaled
    by the seasonal-naive error before the origin); origins with no scored month are left out; NaN if none."""
    floor, per_origin = _floor(raw), []
    for end, pred in zip(ends, predictions):
        actual = raw[end : end + len(pred.mean)]
        scored = ~np.isnan(actual)
        if scored.any():
            mean = bands(pred, transform, floor)["mean"]
            per_origin.append(metrics.mase(actual[scored], mean[scored], metrics.naive_scale(raw[:end])))
    return float(np.mean(per_origin)) if per_origin else float("nan")


def choose(scores: dict[str, float], names: list[str], margin: float) -> str:
    """The candidate to publish from its mean backtest MASE: the combination, unless a single model's MASE
    is lower than the combination's by more than ``margin`` (a share, 0.1 = 10%); without the combination
    among ``scores``, simply the lowest. Ties go to the earlier name in ``names``."""
    best = min(scores, key=lambda m: (scores[m], names.index(m)))
    if COMBINATION in scores and scores[best] >= (1 - margin) * scores[COMBINATION]:
        return COMBINATION
    return best


def _members(name: str) -> tuple[str, ...]:
    """The single models a candidate runs: the combination's members, or the model itself."""
    return COMBINED if name == COMBINATION else (name,)


def fit_series(dates: pd.DatetimeIndex, values: np.ndarray, config: ForecastConfig) -> SeriesFit:
    """Backtest every candidate at the rolling origins, choose by mean MASE (``choose``), refit it on all data.

    The candidates run their seasonal forms unless ``has_season`` finds no season in the months before the
    first origin. A series too short for even one origin after ``min_train`` months falls back to seasonal
    naive (``note`` says so); so does a series on which every other candidate fails. With
    ``config.intervals == "calibrated"`` the chosen model's backtest errors are kept to calibrate its
    intervals (``calibration``).
    """
    values = np.asarray(values, dtype=float)
    transform = _transform(values, config)
    y = _to_model_scale(values, transform)
    scored = _scored(values, dates, config)
    ends = _origins(len(y), config)
    baseline = {BASELINE: [np.empty(0)] * len(config.windows)}
    if not ends:
        return SeriesFit(BASELINE, baseline, transform, note=f"too short to backtest ({len(y)} months): seasonal naive")
    seasonal = has_season(_to_model_scale(scored[: ends[0]], transform))
    names = list(dict.fromkeys([*config.models, BASELINE]))
    singles = list(dict.fromkeys(m for name in names for m in _members(name)))
    runs = {m: run for m in singles if (run := _backtest(m, y, dates, ends, config, seasonal)) is not None}
    if COMBINATION in names and all(m in runs for m in COMBINED):
        combined = [combine([runs[m][0][k] for m in COMBINED]) for k in range(len(ends))]
        runs[COMBINATION] = (combined, None)
    actual = _to_model_scale(scored, transform)
    calibrated = config.intervals == "calibrated"
    records = [
        r
        for name in names
        if name in runs
        for r in _records(
            name,
            runs[name][0],
            scored,
            dates,
            ends,
            transform,
            origin_multipliers(runs[name][0], actual, ends) if calibrated else [None] * len(ends),
        )
    ]
    cv = pd.DataFrame.from_records(records, columns=CV_COLUMNS)
    scores = {name: backtest_mase(runs[name][0], scored, ends, transform) for name in names if name in runs}
    eligible = {m: s for m, s in scores.items() if m in config.models and np.isfinite(s)}
    note = ""
    if eligible:
        chosen = choose(eligible, names, config.combo_margin)
    else:
        chosen, note = BASELINE, "no candidate could be backtested: seasonal naive"
    try:
        params = {}
        for member in _members(chosen):
            model = candidate(member, seasonal)
            reused = runs[member][1] if member in runs else [None] * len(config.windows)
            params[member] = [
                start
                if start is not None and not config.refit_final
                else model.estimate(training_window(y, dates, len(y), config, model, window), start=start)
                for window, start in zip(config.windows, reused)
            ]
    except FIT_ERRORS:
        chosen, params, note = BASELINE, baseline, f"final {chosen} fit failed: seasonal naive"
    errors = None
    if calibrated and chosen in runs:
        errors = calibration.backtest_errors(runs[chosen][0], actual, ends)
    return SeriesFit(chosen, params, transform, scores, cv, note, seasonal, errors)


def forecast_series(
    dates: pd.DatetimeIndex, values: np.ndarray, fit: SeriesFit, config: ForecastConfig, horizon: int
) -> pd.DataFrame:
    """The fitted model run forward ``horizon`` months: date, mean, lo80, hi80, lo95, hi95, model."""
    values = np.asarray(values, dtype=float)
    y = _to_model_scale(values, fit.transform)
    steps = max(horizon, fit.errors.shape[1]) if fit.errors is not None else horizon
    predictions = []
    for member, per_window in fit.params.items():
        model = candidate(member, fit.seasonal)
        predictions.append(
            combine(
                [
                    model.predict(training_window(y, dates, len(y), config, model, window), params, steps)
                    for window, params in zip(config.windows, per_window)
                ]
            )
        )
    pred = combine(predictions)
    z = calibration.multipliers_for(fit.errors, pred.sd) if fit.errors is not None else None
    out = bands(Prediction(pred.mean[:horizon], pred.sd[:horizon]), fit.transform, _floor(values), z)
    future = pd.date_range(dates[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    return pd.DataFrame({"date": future, **out, "model": fit.model})
