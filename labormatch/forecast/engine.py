"""The driver: many series in, tidy forecast and backtest tables out (ARCHITECTURE.md, "Forecast tables").

Input is a long table ``series_id, date, value`` with optional passthrough columns ``sector`` and
``series``. Each series is fitted once per configuration (``pipeline.fit_series``) in parallel, the fit is
cached on disk, and forecasts of any horizon 1-24 are drawn from the cached fit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from labormatch.errors import LabormatchError
from labormatch.forecast import metrics
from labormatch.forecast.backends import run_all
from labormatch.forecast.cache import FitCache, series_key
from labormatch.forecast.config import ForecastConfig, check_horizon
from labormatch.forecast.models import SEASON
from labormatch.forecast.pipeline import BASELINE, SeriesFit, fit_series, forecast_series
from labormatch.panel import MAX_GAP_MONTHS

PASSTHROUGH = ["sector", "series"]
FORECAST_COLUMNS = ["sector", "series", "series_id", "date", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
BACKTEST_COLUMNS = [
    "series_id",
    "sector",
    "series",
    "model",
    "mase",
    "snaive_mase",
    "smape",
    "coverage80",
    "coverage95",
    "origins",
]
CV_TABLE_COLUMNS = [
    "series_id",
    "sector",
    "series",
    "origin",
    "date",
    "model",
    "actual",
    "mean",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
    "scale",
]


def split_series(data: pd.DataFrame) -> dict[str, tuple[pd.DatetimeIndex, np.ndarray, dict]]:
    """Validate the long table and return, per series_id, a monthly (dates, values, passthrough) to fit.

    Months with no data (absent rows or NaN values) are unknown, never 0. A series restarts after a gap
    longer than ``panel.MAX_GAP_MONTHS`` (3) months: only the stretch after its last such gap is kept
    (``current_stretch``). Shorter gaps stay NaN inside the series; the state-space models skip them and
    the others see a seasonal fill (``breaks.seasonal_fill``). Leading and trailing empty months are
    dropped. A series (after its last long gap) with fewer than 12 observed months cannot even be
    forecast by seasonal naive and is refused, as are duplicate months and non-numeric values.
    """
    missing = {"series_id", "date", "value"} - set(data.columns)
    if missing:
        raise LabormatchError(f"forecast input: missing column(s) {', '.join(sorted(missing))}")
    frame = data.copy()
    try:
        frame["date"] = pd.to_datetime(frame["date"]).dt.to_period("M").dt.to_timestamp()
    except (ValueError, TypeError) as exc:
        raise LabormatchError(f"forecast input column 'date': {exc}") from None
    text = frame["value"].notna() & pd.to_numeric(frame["value"], errors="coerce").isna()
    if text.any():
        first = frame.loc[text].iloc[0]
        raise LabormatchError(
            f"forecast input: series {first.series_id} has a non-numeric value {first.value!r} "
            f"in {pd.Timestamp(first.date):%Y-%m}; leave months without data empty (NaN)"
        )
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["series_id"] = frame["series_id"].astype(str)
    dupes = frame.duplicated(["series_id", "date"])
    if dupes.any():
        first = frame.loc[dupes].iloc[0]
        raise LabormatchError(f"forecast input: series {first.series_id} has month {first.date:%Y-%m} twice")
    out = {}
    for sid, group in frame.sort_values("date").groupby("series_id", sort=True):
        observed = group.dropna(subset=["value"])
        if observed.empty:
            raise LabormatchError(f"forecast input: series {sid} has no observed month")
        months = pd.date_range(observed["date"].iloc[0], observed["date"].iloc[-1], freq="MS")
        values = observed.set_index("date")["value"].reindex(months).to_numpy(dtype=float)
        start = current_stretch(values)
        count = int(np.isfinite(values[start:]).sum())
        if count < SEASON:
            gap = start - int(np.flatnonzero(np.isfinite(values[:start]))[-1]) - 1 if start else 0
            after = f" after a {gap}-month gap ending {months[start - 1]:%Y-%m}" if start else ""
            raise LabormatchError(
                f"forecast input: series {sid} has {count} observed months{after}; at least {SEASON} are needed"
            )
        passthrough = {c: group[c].iloc[0] for c in PASSTHROUGH if c in group}
        out[sid] = (months[start:], values[start:], passthrough)
    return out


def current_stretch(values: np.ndarray, max_gap: int = MAX_GAP_MONTHS) -> int:
    """Position where the series' current stretch starts: the first observed month after its last run of
    more than ``max_gap`` missing (NaN) months, or 0 when it has no such gap."""
    observed = np.flatnonzero(np.isfinite(values))
    jumps = np.flatnonzero(np.diff(observed) > max_gap + 1)
    return int(observed[jumps[-1] + 1]) if len(jumps) else 0


def _fit_task(dates, values, config) -> SeriesFit:
    """Fit one series with single-threaded BLAS: the matrices are tiny, and threads only contend with the
    other worker processes (measured 30% faster on 2 busy cores)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return fit_series(dates, values, config)


class Forecaster:
    """Forecast and backtest many monthly series with model choice by rolling-origin backtest.

    config: a ``ForecastConfig`` (defaults: ETS, SARIMAX, Theta, seasonal naive and their combination;
        3 origins, horizon 12;
        pandemic months 2020-03..2021-06 as pulse interventions).
    backend: ``joblib`` (all local cores, ``n_jobs``) or ``dask`` (``scheduler_address``, or a LocalCluster).
    cache: a ``FitCache``, True for the default folder (``LABORMATCH_CACHE`` or the user cache), False for none.
    progress: called with the number of series just finished (for progress bars).
    """

    def __init__(
        self,
        config: ForecastConfig | None = None,
        backend: str = "joblib",
        n_jobs: int = -1,
        scheduler_address: str | None = None,
        cache: FitCache | bool = True,
        progress: Callable[[int], None] | None = None,
    ):
        self.config = config or ForecastConfig()
        self.backend, self.n_jobs, self.scheduler_address = backend, n_jobs, scheduler_address
        self.cache = FitCache() if cache is True else (cache or None)
        self.progress = progress

    def fit(self, data: pd.DataFrame) -> dict[str, SeriesFit]:
        """Fitted model per series_id, from the cache where the series and configuration are unchanged."""
        return self._fits(split_series(data))

    def _fits(self, series: dict) -> dict[str, SeriesFit]:
        config_key = self.config.key()
        keys = {sid: series_key(d, v, config_key) for sid, (d, v, _) in series.items()}
        fits = {}
        if self.cache is not None:
            fits = {sid: fit for sid, key in keys.items() if (fit := self.cache.get(key)) is not None}
            if fits and self.progress:
                self.progress(len(fits))
        todo = [sid for sid in series if sid not in fits]
        tasks = [(series[sid][0], series[sid][1], self.config) for sid in todo]
        results = run_all(_fit_task, tasks, self.backend, self.n_jobs, self.scheduler_address, self.progress)
        for sid, fit in zip(todo, results):
            fits[sid] = fit
            if self.cache is not None:
                self.cache.put(keys[sid], fit)
        return fits

    def forecast(self, data: pd.DataFrame, horizon: int = 12) -> pd.DataFrame:
        """Forecast table: sector, series, series_id, date, mean, lo80, hi80, lo95, hi95, model."""
        horizon = check_horizon(horizon)
        series = split_series(data)
        return self._forecast_table(series, self._fits(series), horizon)

    def forecast_and_backtest(self, data: pd.DataFrame, horizon: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(forecast(data, horizon), backtest(data))`` with the series split and their fits read once."""
        horizon = check_horizon(horizon)
        series = split_series(data)
        fits = self._fits(series)
        return self._forecast_table(series, fits, horizon), self._backtest_table(series, fits)

    def _forecast_table(self, series: dict, fits: dict[str, SeriesFit], horizon: int) -> pd.DataFrame:
        frames = []
        for sid, (dates, values, passthrough) in series.items():
            frame = forecast_series(dates, values, fits[sid], self.config, horizon)
            frames.append(frame.assign(series_id=sid, **_passthrough(passthrough)))
        return pd.concat(frames, ignore_index=True)[FORECAST_COLUMNS]

    def cross_validation(self, data: pd.DataFrame) -> pd.DataFrame:
        """Every candidate's forecast at every backtest origin, one row per month (``CV_TABLE_COLUMNS``)."""
        series = split_series(data)
        fits = self._fits(series)
        frames = [fits[sid].cv.assign(series_id=sid, **_passthrough(series[sid][2])) for sid in series]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=CV_TABLE_COLUMNS)
        return pd.concat(frames, ignore_index=True)[CV_TABLE_COLUMNS]

    def backtest(self, data: pd.DataFrame) -> pd.DataFrame:
        """Track record of each series' chosen model next to seasonal naive (``BACKTEST_COLUMNS``).

        mase / smape / coverage80 / coverage95 are means over the origins of the chosen model; snaive_mase
        is the baseline's. Coverage is that of each origin's bands calibrated on the earlier origins' errors
        (normal bands at the first origin), as the published forecast's are. The same origins chose the
        model, so the figures are slightly optimistic; the bench (bench/forecast.py --recent) measures
        forecasts from origins the engine never looked past. Under the ``dummies`` and ``exclude`` pandemic
        treatments the pandemic months are not scored. Series too short to backtest have origins 0 and
        empty measures.
        """
        series = split_series(data)
        return self._backtest_table(series, self._fits(series))

    @staticmethod
    def _backtest_table(series: dict, fits: dict[str, SeriesFit]) -> pd.DataFrame:
        rows = [backtest_row(sid, fits[sid], series[sid][2]) for sid in series]
        return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def _passthrough(values: dict) -> dict:
    return {c: values.get(c, "") for c in PASSTHROUGH}


def backtest_row(series_id: str, fit: SeriesFit, passthrough: dict) -> dict:
    """One backtest-table row from a fitted series."""
    row = {"series_id": series_id, **_passthrough(passthrough), "model": fit.model}
    measures = {"mase": np.nan, "snaive_mase": np.nan, "smape": np.nan, "coverage80": np.nan, "coverage95": np.nan}
    cv = fit.cv
    origins = int(cv["origin"].nunique()) if len(cv) else 0
    if origins:
        measures.update(_origin_means(cv[cv["model"] == fit.model]))
        measures["snaive_mase"] = _origin_means(cv[cv["model"] == BASELINE])["mase"]
    return {**row, **measures, "origins": origins}


def _origin_means(cv: pd.DataFrame) -> dict:
    per_origin = [
        {
            "mase": metrics.mase(g["actual"].to_numpy(), g["mean"].to_numpy(), g["scale"].iloc[0]),
            "smape": metrics.smape(g["actual"].to_numpy(), g["mean"].to_numpy()),
            "coverage80": metrics.coverage(g["actual"].to_numpy(), g["lo80"].to_numpy(), g["hi80"].to_numpy()),
            "coverage95": metrics.coverage(g["actual"].to_numpy(), g["lo95"].to_numpy(), g["hi95"].to_numpy()),
        }
        for _, g in cv.groupby("origin")
    ]
    return pd.DataFrame(per_origin).mean().to_dict()
