"""The dask backend gives the same numbers as the local joblib backend."""

from __future__ import annotations

import pandas as pd
import pytest

from labormatch.forecast import ForecastConfig, Forecaster
from tests.test_forecast import long_table, seasonal_trend


def test_dask_local_cluster_matches_joblib():
    distributed = pytest.importorskip("distributed")
    import numpy as np

    rng = np.random.default_rng(3)
    series = {}
    for k in range(2):
        dates, values = seasonal_trend(84, slope=0.2 * (k + 1))
        series[f"s{k}"] = (dates, values + rng.normal(0, 1.5, len(values)))
    data = long_table(series)
    config = ForecastConfig(models=("ets", "sarimax"))
    local = Forecaster(config=config, cache=False, n_jobs=2).forecast(data, horizon=6)
    ticks = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = Forecaster(
            config=config,
            cache=False,
            backend="dask",
            scheduler_address=cluster.scheduler_address,
            progress=ticks.append,
        ).forecast(data, horizon=6)
    pd.testing.assert_frame_equal(local, remote, check_exact=True)
    assert sum(ticks) == 2


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    from labormatch.errors import LabormatchError

    monkeypatch.setattr("labormatch.forecast.backends.CONNECT_TIMEOUT_S", 1)
    dates, values = seasonal_trend(40)
    with pytest.raises(LabormatchError, match="dask scheduler"):
        Forecaster(cache=False, backend="dask", scheduler_address="tcp://127.0.0.1:1").forecast(
            long_table({"s": (dates, values)}), horizon=3
        )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"n_jobs": 0}, "n_jobs must be a number of processes"),
        (
            {"backend": "dask", "scheduler_address": "no-port"},
            "cannot reach the dask scheduler at no-port: missing port",
        ),
    ],
)
def test_bad_parallel_settings_are_clear_errors(options, expected):
    from labormatch.errors import LabormatchError
    from labormatch.forecast.backends import run_all

    with pytest.raises(LabormatchError, match=expected):
        run_all(abs, [(-1,)], **options)
