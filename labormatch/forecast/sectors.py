"""Forecasts of each sector's shortage series from the embedded snapshot, for the app and the matcher.

``sector_forecasts(horizon=24)`` is the one call the demand model needs: it reads the snapshot panel,
builds one monthly series per sector and measure, forecasts them with the default ``Forecaster``
(model chosen per series by its rolling-origin backtest) and returns the forecast table of
ARCHITECTURE.md. Fits are cached on disk by series content and configuration (``LABORMATCH_CACHE``), so
the second call on an unchanged snapshot estimates nothing.

Series (``series`` column): ``openings``, ``hires`` (JOLTS, thousands), ``unfilled_openings`` (openings -
hires, thousands, may be negative), ``h2a_certified_worker_months``, ``h2b_certified_worker_months``
(OFLC, worker-months, months without certifications inside a sector's span count as 0) and
``employment`` (CES, thousands) wherever the sector has them. For each, the seasonal version (NSA or SA)
whose data run latest is used (NSA on a tie, since visa demand is seasonal); ``series_id`` is
``sector:series:NSA|SA`` so the matcher can tell which one it got. History starts in 2000 (JOLTS begins
2000-12); unfilled openings need openings and hires in the same seasonal version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from labormatch import snapshot
from labormatch.errors import LabormatchError
from labormatch.forecast.config import ForecastConfig, check_horizon
from labormatch.forecast.engine import Forecaster

SHORTAGE_SERIES = ("openings", "hires", "unfilled_openings", "h2a_certified_worker_months",
                   "h2b_certified_worker_months", "employment")
COUNT_SERIES = ("h2a_certified_worker_months", "h2b_certified_worker_months")
HISTORY_START = "2000-01-01"  # JOLTS starts 2000-12; older CES months only slow the fits down


def latest_versions(rows: pd.DataFrame) -> pd.DataFrame:
    """Per sector and series of panel ``rows``, the seasonal version (NSA/SA) whose data run latest, NSA on a
    tie: columns ``sector, series, seasonal``, one row per sector and series."""
    last = rows.groupby(["sector", "series", "seasonal"], as_index=False, observed=True)["month"].max()
    last = last.assign(nsa=last["seasonal"] == "NSA").sort_values(["month", "nsa"], kind="stable")
    return last.drop_duplicates(["sector", "series"], keep="last")[["sector", "series", "seasonal"]]


def shortage_series(panel: pd.DataFrame, series: Iterable[str] = SHORTAGE_SERIES) -> pd.DataFrame:
    """Long forecast input ``series_id, date, value, sector, series`` built from the panel."""
    wanted = set(series)
    frames = []
    base = [s for s in wanted if s != "unfilled_openings"]
    if "unfilled_openings" in wanted:
        base += [s for s in ("openings", "hires") if s not in base]
    chosen = {}
    recent = panel[panel["series"].isin(base) & (panel["month"] >= pd.Timestamp(HISTORY_START))]
    recent = recent.merge(latest_versions(recent), on=["sector", "series", "seasonal"])
    for (sector, name), version in recent.groupby(["sector", "series"], observed=True):
        seasonal = version["seasonal"].iloc[0]
        values = version.set_index("month")["value"].astype(float).sort_index()
        if name in COUNT_SERIES:
            values = values.reindex(pd.date_range(values.index.min(), values.index.max(), freq="MS"), fill_value=0.0)
        chosen[(sector, name)] = (values, seasonal)
        if name in wanted:
            frames.append(_frame(sector, name, seasonal, values))
    if "unfilled_openings" in wanted:
        for sector in sorted({s for s, _ in chosen}):
            if (sector, "openings") in chosen and (sector, "hires") in chosen:
                (openings, s1), (hires, s2) = chosen[(sector, "openings")], chosen[(sector, "hires")]
                if s1 == s2:
                    frames.append(_frame(sector, "unfilled_openings", s1, (openings - hires).dropna()))
    return pd.concat(frames, ignore_index=True)


def _frame(sector: str, name: str, seasonal: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"series_id": f"{sector}:{name}:{seasonal}", "date": values.index,
                         "value": values.to_numpy(), "sector": sector, "series": name})


def snapshot_series(series: Iterable[str] = SHORTAGE_SERIES) -> pd.DataFrame:
    """The snapshot's shortage series as forecast input; series with fewer than 12 observed months left out."""
    unknown = set(series) - set(SHORTAGE_SERIES)
    if unknown:
        raise LabormatchError(f"shortage series: unknown {sorted(unknown)}; choose from {', '.join(SHORTAGE_SERIES)}")
    data = shortage_series(snapshot.load_table("panel"), series)
    observed = data.dropna(subset=["value"]).groupby("series_id").size()
    return data[data["series_id"].isin(observed[observed >= 12].index)]


def sector_forecasts(horizon: int = 24, series: Iterable[str] = SHORTAGE_SERIES, config: ForecastConfig | None = None,
                     n_jobs: int = -1, progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Forecast table (sector, series, series_id, date, mean, lo80, hi80, lo95, hi95, model), cached on disk.

    horizon: months ahead (1-24) from each series' last observed month. series: which of
    ``SHORTAGE_SERIES`` to forecast. Series with fewer than 12 observed months are left out.
    """
    check_horizon(horizon)
    data = snapshot_series(series)
    return Forecaster(config=config, n_jobs=n_jobs, progress=progress).forecast(data, horizon=horizon)


def sector_forecasts_with_track_record(
    horizon: int = 24, n_jobs: int = -1
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(forecast, backtest, history)`` of every snapshot shortage series in one pass: the forecast table of
    ``sector_forecasts``, the backtest table (``Forecaster.backtest``) and the observed series they were
    fitted on (``series_id, date, value, sector, series``)."""
    check_horizon(horizon)
    history = snapshot_series()
    forecast, backtest = Forecaster(n_jobs=n_jobs).forecast_and_backtest(history, horizon=horizon)
    return forecast, backtest, history
