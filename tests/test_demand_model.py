"""National demand model and its backtest: a hand-computed forecast, the driver, no look-ahead, naive benchmarks."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_control_totals import rows

from labormatch import control_totals as ct
from labormatch import demand_backtest, demand_model


def series_from_growth(start: float, first_year: int, growth: list[float]) -> pd.DataFrame:
    values = start * np.exp(np.concatenate([[0.0], np.cumsum(growth)]))
    return pd.DataFrame(
        {"fiscal_year": np.arange(first_year, first_year + len(values)), "value": values, "log_sd": 0.0}
    )


def test_drift_model_reproduces_a_hand_computed_forecast():
    series = series_from_growth(100.0, 2010, [0.1, 0.2, 0.3, 0.2])
    model = demand_model.fit("H-2A", series, pd.Series(dtype=float), use_driver=False, first_year=2000)
    path = demand_model.forecast(model, 2016, pd.Series(dtype=float))
    mean_growth, s2 = 0.2, 0.02 / 3  # residuals -0.1, 0, 0.1, 0 with 3 degrees of freedom
    last = 100.0 * math.exp(0.8)
    one, two = path.iloc[0], path.iloc[1]
    assert one["median"] == pytest.approx(last * math.exp(mean_growth))
    assert two["median"] == pytest.approx(last * math.exp(2 * mean_growth))
    # log variance: h s^2 + h^2 s^2 / n (the drift's own error)
    assert one["log_sd"] == pytest.approx(math.sqrt(s2 + s2 / 4))
    assert two["log_sd"] == pytest.approx(math.sqrt(2 * s2 + 4 * s2 / 4))
    t80 = stats.t.ppf(0.9, 3)
    assert one["lo80"] == pytest.approx(one["median"] * math.exp(-t80 * one["log_sd"]))
    assert (path["lo95"] < path["lo80"]).all() and (path["hi80"] < path["hi95"]).all()


def test_the_driver_enters_the_forecast():
    driver = pd.Series([0.0, 0.01, 0.02, -0.01, 0.03, 0.05], index=range(2011, 2017))
    growth = (0.05 + 2.0 * driver.loc[2011:2015]).tolist()
    series = series_from_growth(1000.0, 2010, growth)
    model = demand_model.fit("H-2B", series, driver, first_year=2000)
    assert model.params == pytest.approx([0.05, 2.0])
    path = demand_model.forecast(model, 2016, driver)
    assert path.iloc[0]["median"] == pytest.approx(series["value"].iloc[-1] * math.exp(0.05 + 2.0 * 0.05))


def test_driver_is_last_years_employment_change():
    months = pd.date_range("2016-10-01", "2019-09-01", freq="MS")
    fy = months.year + (months.month >= 10)
    level = {2017: 100.0, 2018: 110.0, 2019: 121.0}
    panel = pd.DataFrame(
        [
            {"sector": s, "series": "employment", "seasonal": "SA", "month": m, "value": level[y]}
            for s in demand_model.DRIVER_SECTORS
            for m, y in zip(months, fy)
        ]
    )
    driver = demand_model.driver_series(panel)
    # the change of FY2017 -> FY2018 drives FY2019; FY2018 -> FY2019 drives FY2020
    assert driver.to_dict() == pytest.approx({2019: math.log(1.1), 2020: math.log(1.1)})


def published_history(late_value: float) -> pd.DataFrame:
    values = {y: 100.0 * 1.1 ** (y - 2005) for y in range(2005, 2019)}
    values[2012] *= 1.05
    late = rows("H-2A", ct.CERTIFIED, {2019: late_value}, published=pd.Timestamp("2024-06-01"))
    actual = rows("H-2A", ct.CERTIFIED, {2020: 300.0})
    return pd.concat([rows("H-2A", ct.CERTIFIED, values), late, actual], ignore_index=True)


def test_backtest_never_sees_a_figure_published_after_its_origin():
    driver = pd.Series(dtype=float)
    run = {
        v: demand_backtest.backtest(
            published_history(v), driver, {"H-2A": [2020]}, use_driver=False, first_year={"H-2A": 2000}
        ).iloc[0]
        for v in (200.0, 900.0)
    }
    # FY2019's figure was published in 2024, after the FY2020 origin (2019-12-31): the fit ignores it
    assert run[200.0]["model"] == run[900.0]["model"]
    assert run[200.0]["last_known_year"] == 2018 and run[200.0]["horizon"] == 2
    assert run[200.0]["naive_last"] == pytest.approx(100.0 * 1.1**13)
    # a figure public before the origin does change the fit (the test above could fail)
    earlier = published_history(200.0)
    earlier.loc[earlier["fiscal_year"] == 2018, "value"] *= 1.2
    moved = demand_backtest.backtest(
        earlier, driver, {"H-2A": [2020]}, use_driver=False, first_year={"H-2A": 2000}
    ).iloc[0]
    assert moved["model"] != run[200.0]["model"]


def test_naive_benchmarks_by_hand():
    series = pd.DataFrame({"fiscal_year": [2015, 2016, 2017, 2018], "value": [100.0, 110.0, 132.0, 132.0]})
    last, grown = demand_backtest.naive_forecasts(series, 2019)
    assert last == 132.0
    assert grown == pytest.approx(132.0 * (1 + (0.1 + 0.2 + 0.0) / 3))
