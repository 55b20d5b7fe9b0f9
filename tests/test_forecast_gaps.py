"""Months without data in the forecast input: long gaps restart a series, short ones are fit across,
missing actuals are not scored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_spy import spy_on_candidates
from test_forecast import long_table, seasonal_trend

from labormatch.errors import LabormatchError
from labormatch.forecast import ForecastConfig, Forecaster, pipeline
from labormatch.forecast.engine import current_stretch, split_series


def noisy(n: int, seed: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    dates, values = seasonal_trend(n)
    return dates, values + np.random.default_rng(seed).normal(0, 2, n)


@pytest.mark.parametrize(
    ("values", "start"),
    [
        ([1, np.nan, np.nan, np.nan, 2], 0),  # 3 missing months: bridged
        ([1, np.nan, np.nan, np.nan, np.nan, 2, 3], 5),  # 4: the series restarts at 2
        ([1, np.nan, np.nan, np.nan, np.nan, 2, np.nan, np.nan, 3, np.nan, np.nan, np.nan, np.nan, np.nan, 4], 14),
        ([1, 2, 3], 0),
    ],
)
def test_current_stretch_starts_after_the_last_gap_longer_than_3_months(values, start):
    assert current_stretch(np.array(values, dtype=float)) == start


def test_a_37_month_gap_is_not_bridged_the_series_restarts_after_it():
    dates, values = noisy(60 + 37 + 96, seed=1)
    gappy = values.copy()
    gappy[60:97] = np.nan  # 37 months without data
    data = long_table({"s": (dates, gappy)})
    ((kept_dates, kept, _),) = split_series(data).values()
    assert kept_dates[0] == dates[97] and np.array_equal(kept, values[97:])
    after = long_table({"s": (dates[97:], values[97:])})
    engine = Forecaster(cache=False, n_jobs=1)
    pd.testing.assert_frame_equal(engine.forecast(data, 6), engine.forecast(after, 6))
    wild = gappy.copy()
    wild[:60] *= 10  # whatever came before the gap is never seen
    pd.testing.assert_frame_equal(engine.forecast(long_table({"s": (dates, wild)}), 6), engine.forecast(after, 6))


def test_rows_absent_and_nan_values_are_the_same_missing_months():
    dates, values = noisy(100, seed=2)
    nan_rows = values.copy()
    nan_rows[40:45] = np.nan
    with_nan = long_table({"s": (dates, nan_rows)})
    ((a_dates, a, _),) = split_series(with_nan).values()
    ((b_dates, b, _),) = split_series(with_nan.dropna(subset=["value"])).values()
    assert a_dates.equals(b_dates) and np.array_equal(a, b, equal_nan=True) and a_dates[0] == dates[45]


def test_a_2_month_gap_is_fit_across(monkeypatch):
    """The state-space models see the two months as missing, the others a seasonal fill; the forecast
    stays within 1% of the forecast without the gap."""
    dates, values = noisy(120, seed=3)
    gappy = values.copy()
    gappy[70:72] = np.nan
    seen = []
    spy_on_candidates(
        monkeypatch,
        lambda kind, name, handles_missing, y: kind == "estimate" and seen.append((name, handles_missing, y)),
    )
    fit = pipeline.fit_series(dates, gappy, ForecastConfig(models=("sarimax", "theta")))
    for _name, handles_missing, y in seen:
        assert len(y) == 84  # the first origin's months: all of them, across the gap
        assert np.isnan(y[70:72]).all() if handles_missing else np.isfinite(y).all()
    assert {"sarimax", "theta"} <= {name for name, *_ in seen}
    monkeypatch.undo()
    engine = Forecaster(cache=False, n_jobs=1)
    across = engine.forecast(long_table({"s": (dates, gappy)}), 12)
    full = engine.forecast(long_table({"s": (dates, values)}), 12)
    assert len(across) == 12 and fit.model in ("sarimax", "theta", "snaive")
    assert np.allclose(across["mean"], full["mean"], rtol=0.01)


def test_missing_actuals_are_not_scored():
    """Two missing months inside the last origin's 12 scored months: that origin is scored on 10 months,
    and the backtest MASE is the mean over origins of the MASE over the observed months only."""
    dates, values = noisy(120, seed=4)
    gappy = values.copy()
    gappy[112:114] = np.nan
    fit = pipeline.fit_series(dates, gappy, ForecastConfig(models=("ets",)))
    cv = fit.cv[fit.cv["model"] == "ets"]
    assert cv.groupby("origin").size().tolist() == [12, 12, 10]
    assert not cv["date"].isin(dates[112:114]).any() and cv["actual"].notna().all()
    per_origin = [np.mean(np.abs(g["actual"] - g["mean"])) / g["scale"].iloc[0] for _, g in cv.groupby("origin")]
    assert fit.scores["ets"] == pytest.approx(np.mean(per_origin))
    backtest = Forecaster(ForecastConfig(models=("ets",)), cache=False, n_jobs=1).backtest(
        long_table({"s": (dates, gappy)})
    )
    assert np.isfinite(backtest.loc[0, ["mase", "coverage80", "coverage95"]].astype(float)).all()


def test_too_few_months_after_a_long_gap_is_a_clear_error():
    dates, values = noisy(100, seed=5)
    gappy = values.copy()
    gappy[88:93] = np.nan  # 5 missing months, then 7 observed
    with pytest.raises(LabormatchError, match=r"series s has 7 observed months after a 5-month gap ending 2012-09"):
        split_series(long_table({"s": (dates, gappy)}))


def test_non_numeric_values_are_refused():
    dates, values = noisy(40, seed=6)
    data = long_table({"s": (dates, values)}).astype({"value": object})
    data.loc[3, "value"] = "n/a"
    with pytest.raises(LabormatchError, match="non-numeric value 'n/a' in 2005-04"):
        split_series(data)
