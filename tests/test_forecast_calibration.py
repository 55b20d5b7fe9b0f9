"""Calibrated intervals: conformal quantiles, widen only, coverage after turning points, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_forecast import long_table, seasonal_trend

from labormatch.forecast import ForecastConfig, Forecaster, calibration, pipeline
from labormatch.forecast.models import Prediction


def test_conformal_quantile_is_the_finite_sample_rank():
    scores = np.arange(1.0, 10.0)  # n = 9: 80% rank ceil(10 * 0.8) = 8, 95% rank 10 > 9
    assert calibration.conformal_quantile(scores, 0.8) == 8.0
    assert np.isnan(calibration.conformal_quantile(scores, 0.95))


def test_multipliers_widen_and_never_narrow():
    normal = calibration.NORMAL
    assert calibration.multipliers(np.full(30, 0.1)) == normal  # calm errors keep the normal intervals
    assert calibration.multipliers(np.full(5, 9.0)) == normal  # too few errors to calibrate
    wide = calibration.multipliers(np.arange(1.0, 21.0))  # n = 20: ranks 17 and 20
    assert wide == {"80": 17.0, "95": 20.0}
    short = calibration.multipliers(np.arange(1.0, 11.0))  # n = 10: 80% rank 9; too few for the 95% rank
    assert short["80"] == 9.0 and short["95"] == pytest.approx(normal["95"] * 9.0 / normal["80"])


def test_multipliers_use_the_current_forecasts_sd_by_horizon():
    errors = np.array([[1.0, 2.0, np.nan], [3.0, -4.0, 6.0]])
    sd = np.array([1.0, 2.0, 3.0, 4.0])  # the forecast may run longer than the backtest horizon
    spread = np.array([1.0, 1.0, 3.0, 2.0, 2.0])  # |e| / sd_h, the NaN month left out
    assert calibration.multipliers_for(errors, sd) == calibration.multipliers(spread)


def zigzag(n: int, seed: int, phase: int) -> np.ndarray:
    """Turning points every 24 months: +1 a month, then -1 a month, with N(0, 0.5^2) noise."""
    t = np.arange(n) + phase
    slope = np.where((t // 24) % 2 == 0, 1.0, -1.0)
    return 100 + np.cumsum(slope) + np.random.default_rng(seed).normal(0, 0.5, n)


def test_calibration_restores_coverage_after_turning_points():
    """Eight series that turn every two years: the models' normal 80% intervals (noise sd 0.5 around the
    latest trend) miss the turns; calibrated on the backtest errors of earlier turns they cover 80%+."""
    n, series, future = 150, {}, {}
    for k in range(8):
        y = zigzag(n + 12, seed=k, phase=3 * k)
        dates = pd.date_range("2005-01-01", periods=n + 12, freq="MS")
        series[f"z{k}"], future[f"z{k}"] = (dates[:n], y[:n]), y[n:]
    actual = np.concatenate([future[sid] for sid in sorted(future)])
    share = {}
    for intervals in ("normal", "calibrated"):
        out = Forecaster(ForecastConfig(intervals=intervals), cache=False, n_jobs=1).forecast(long_table(series), 12)
        out = out.sort_values(["series_id", "date"])
        share[intervals] = np.mean((actual >= out["lo80"].to_numpy()) & (actual <= out["hi80"].to_numpy()))
    assert share["normal"] < 0.7  # measured 0.64
    assert share["calibrated"] >= 0.8  # measured 0.85


def test_calibrated_band_contains_the_normal_band_and_its_centre():
    dates, values = seasonal_trend(120)
    values = values + np.random.default_rng(3).normal(0, 2, 120)
    values[100:] += np.linspace(0, -40, 20)  # a turn inside the backtest window widens the band
    data = long_table({"s": (dates, values)})
    normal = Forecaster(ForecastConfig(intervals="normal"), cache=False, n_jobs=1).forecast(data, 12)
    calibrated = Forecaster(cache=False, n_jobs=1).forecast(data, 12)
    pd.testing.assert_series_equal(normal["mean"], calibrated["mean"])
    for level in ("80", "95"):
        assert (calibrated[f"lo{level}"] <= normal[f"lo{level}"] + 1e-9).all()
        assert (calibrated[f"hi{level}"] >= normal[f"hi{level}"] - 1e-9).all()
        assert ((calibrated[f"lo{level}"] <= normal["mean"]) & (normal["mean"] <= calibrated[f"hi{level}"])).all()
    assert (calibrated["hi80"] - calibrated["lo80"] > normal["hi80"] - normal["lo80"] + 1e-6).all()


def test_calibration_uses_only_backtest_errors_before_the_forecast_origin():
    """The errors that calibrate a forecast are the chosen model's backtest errors (model scale) at origins
    whose scored months all lie before the forecast origin, and nothing else: equal to log(actual / mean)
    of the cross-validation rows, which never reach past the last observed month."""
    dates, values = seasonal_trend(120)
    values = values + np.random.default_rng(8).normal(0, 2, 120)
    fit = pipeline.fit_series(dates, values, ForecastConfig())
    rows = fit.cv[fit.cv["model"] == fit.model].sort_values(["origin", "date"])
    assert rows["date"].max() <= dates[-1] and rows["origin"].max() < dates[-12]
    expected = np.log(rows["actual"].to_numpy() / rows["mean"].to_numpy()).reshape(fit.errors.shape)
    assert np.allclose(fit.errors, expected)
    changed = values.copy()
    changed[-12:] *= 1.3  # the last origin's scored months: its errors, and so the calibration, change
    refit = pipeline.fit_series(dates, changed, ForecastConfig())
    assert not np.allclose(refit.errors[-1], fit.errors[-1])
    assert np.allclose(refit.errors[:-1], fit.errors[:-1])  # earlier origins never saw those months


def test_backtest_bands_are_calibrated_on_earlier_origins_months_before_each_origin():
    """Origins 6 months apart with a 12-month horizon: the origin after 102 months calibrates on the first
    origin's errors at months 96-101 only. Scaling months 102+ by 1.3 (the first origin's later errors
    grow fivefold) leaves the first two origins' bands unchanged; the first origin's are the normal ones."""
    dates, values = seasonal_trend(120)
    values = values + np.random.default_rng(10).normal(0, 2, 120)
    config = ForecastConfig(models=("ets",), origin_step=6)
    changed = values.copy()
    changed[102:] *= 1.3
    fits = [pipeline.fit_series(dates, v, config) for v in (values, changed)]
    early = [
        f.cv[(f.cv["model"] == "ets") & (f.cv["origin"] <= dates[101])].drop(columns="actual").reset_index(drop=True)
        for f in fits
    ]
    pd.testing.assert_frame_equal(early[0], early[1])
    normal = pipeline.fit_series(dates, values, ForecastConfig(models=("ets",), origin_step=6, intervals="normal")).cv
    first = [
        cv[(cv["model"] == "ets") & (cv["origin"] == dates[95])].reset_index(drop=True) for cv in (fits[0].cv, normal)
    ]
    pd.testing.assert_frame_equal(first[0], first[1])
    # the same errors without the cut at the origin would widen the second origin's band
    ends = [96, 102, 108]
    predictions = [
        Prediction(np.log(g["mean"].to_numpy()), (np.log(g["hi80"] / g["mean"]) / calibration.NORMAL["80"]).to_numpy())
        for _, g in normal[normal["model"] == "ets"].groupby("origin")
    ]
    leaked = calibration.multipliers_for(
        calibration.backtest_errors(predictions[:1], np.log(changed), ends[:1]), predictions[1].sd
    )
    assert leaked["80"] > calibration.NORMAL["80"]
