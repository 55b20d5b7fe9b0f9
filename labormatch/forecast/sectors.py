"""Forecasts of each sector's shortage series from the embedded snapshot, for the app and the matcher.

``sector_forecasts(horizon=24)`` is the one call the demand model needs: it reads the snapshot panel,
builds one monthly series per sector and measure, forecasts them with the default ``Forecaster``
(model chosen per series by its rolling-origin backtest) and returns the forecast table of
ARCHITECTURE.md plus ``data_through, unit, proxy_of, stale`` per series. Fits are cached on disk by
series content and configuration (``LABORMATCH_CACHE``), so the second call on an unchanged snapshot
estimates nothing.

Series (``series`` column): ``openings``, ``hires`` (JOLTS, thousands), ``unfilled_openings`` (openings -
hires, thousands, may be negative), ``h2a_certified_worker_months``, ``h2b_certified_worker_months``
(OFLC, worker-months) and ``employment`` (CES, thousands) wherever the sector has them. For each, the
seasonal version (NSA or SA) that can stand for the sector (at least ``panel.MIN_RUN_MONTHS`` months since
its last gap longer than ``panel.MAX_GAP_MONTHS``) and runs latest is used, NSA on a tie (visa demand is
seasonal); ``series_id`` is ``sector:series:NSA|SA`` so the matcher can tell which one it got.

Unknown stays unknown: every month from a series' first to its last month with data is in the input, NaN
where the panel has no value (e.g. H-2 months without a complete disclosure file). A series restarts after
a gap longer than ``panel.MAX_GAP_MONTHS``: the forecast input starts at its ``restart_month``, so no model
ever bridges the gap. History starts in 2000 (JOLTS begins 2000-12); unfilled openings need openings and
hires in the same seasonal version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from labormatch import snapshot
from labormatch.errors import LabormatchError
from labormatch.fiscal import months_between
from labormatch.forecast.config import ForecastConfig, check_horizon
from labormatch.forecast.engine import Forecaster
from labormatch.panel import MIN_RUN_MONTHS, STALE_MONTHS, restart_month

SHORTAGE_SERIES = (
    "openings",
    "hires",
    "unfilled_openings",
    "h2a_certified_worker_months",
    "h2b_certified_worker_months",
    "employment",
)
HISTORY_START = "2000-01-01"  # JOLTS starts 2000-12; older CES months only slow the fits down
MIN_OBSERVED = 12  # observed months a series needs to be forecast (one seasonal cycle)
CATALOGUE_COLUMNS = [
    "series_id",
    "sector",
    "series",
    "seasonal",
    "unit",
    "source",
    "proxy_of",
    "first_month",
    "restart_month",
    "last_month",
    "stale",
]
ANNOTATION_COLUMNS = ["data_through", "unit", "proxy_of", "stale"]


def _run_months(months: pd.Series) -> int:
    """Observed months since the restart after the last long gap."""
    return int((months >= restart_month(months)).sum())


def latest_versions(rows: pd.DataFrame) -> pd.DataFrame:
    """Per sector and series of panel ``rows``, the seasonal version (NSA/SA) that stands for it: among versions
    with at least ``MIN_RUN_MONTHS`` observed months since their last long gap (or all, if none has), the one
    whose data run latest, NSA on a tie. Columns ``sector, series, seasonal``, one row per sector and series."""
    known = rows.dropna(subset=["value"]) if "value" in rows else rows
    keys = ["sector", "series", "seasonal"]
    last = known.groupby(keys, as_index=False, observed=True).agg(month=("month", "max"), run=("month", _run_months))
    last = last.assign(usable=last["run"] >= MIN_RUN_MONTHS, nsa=last["seasonal"] == "NSA")
    last = last.sort_values(["usable", "month", "nsa"], kind="stable")
    return last.drop_duplicates(["sector", "series"], keep="last")[keys]


def _chosen(panel: pd.DataFrame, names: set[str]) -> dict[tuple[str, str], tuple[pd.Series, dict]]:
    """(sector, series) -> (monthly values from the first to the last known month, NaN where unknown;
    description: seasonal, unit, source, proxy_of) of the version `latest_versions` picks."""
    recent = panel[panel["series"].isin(names) & (panel["month"] >= pd.Timestamp(HISTORY_START))]
    recent = recent.merge(latest_versions(recent), on=["sector", "series", "seasonal"])
    chosen = {}
    for (sector, name), version in recent.groupby(["sector", "series"], observed=True):
        known = version.dropna(subset=["value"])
        if known.empty:
            continue
        values = version.set_index("month")["value"].astype(float).sort_index()
        values = values.reindex(pd.date_range(known["month"].min(), known["month"].max(), freq="MS"))
        chosen[(sector, name)] = (
            values,
            {
                "seasonal": version["seasonal"].iloc[0],
                "unit": version["unit"].iloc[0],
                "source": " + ".join(sorted(set(version["source"].astype(str)))),
                "proxy_of": str(version["proxy_of"].iloc[0]) if "proxy_of" in version else "",
            },
        )
    return chosen


def _unfilled(chosen: dict) -> dict[tuple[str, str], tuple[pd.Series, dict]]:
    """Openings minus hires where a sector has both in the same seasonal version (NaN where either is)."""
    out = {}
    for sector in sorted({s for s, _ in chosen}):
        if (sector, "openings") in chosen and (sector, "hires") in chosen:
            (openings, about_o), (hires, about_h) = chosen[(sector, "openings")], chosen[(sector, "hires")]
            if about_o["seasonal"] == about_h["seasonal"]:
                gap = openings.sub(hires)
                known = gap.dropna()
                if len(known):
                    proxies = sorted({about_o["proxy_of"], about_h["proxy_of"]} - {""})
                    out[(sector, "unfilled_openings")] = (
                        gap.loc[known.index[0] : known.index[-1]],
                        {
                            "seasonal": about_o["seasonal"],
                            "unit": about_o["unit"],
                            "source": f"{about_o['source']} - {about_h['source']}",
                            "proxy_of": "; ".join(proxies),
                        },
                    )
    return out


def _selected(panel: pd.DataFrame, series: Iterable[str]) -> dict[tuple[str, str], tuple[pd.Series, dict]]:
    wanted = set(series)
    base = {s for s in wanted if s != "unfilled_openings"}
    if "unfilled_openings" in wanted:
        base |= {"openings", "hires"}
    chosen = _chosen(panel, base)
    if "unfilled_openings" in wanted:
        chosen.update(_unfilled(chosen))
    return {key: value for key, value in sorted(chosen.items()) if key[1] in wanted}


def shortage_series(panel: pd.DataFrame, series: Iterable[str] = SHORTAGE_SERIES, restart: bool = True) -> pd.DataFrame:
    """Long forecast input ``series_id, date, value, sector, series`` built from the panel: every month from a
    series' first known month (its restart month when ``restart``) to its last, NaN where unknown."""
    frames = []
    for (sector, name), (values, about) in _selected(panel, series).items():
        if restart:
            values = values.loc[restart_month(values.dropna().index.to_series()) :]
        frames.append(
            pd.DataFrame(
                {
                    "series_id": f"{sector}:{name}:{about['seasonal']}",
                    "date": values.index,
                    "value": values.to_numpy(),
                    "sector": sector,
                    "series": name,
                }
            )
        )
    columns = ["series_id", "date", "value", "sector", "series"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def monthly_history(panel: pd.DataFrame, history: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """`date, value` of a forecast series (`sector:series:seasonal`), every month from its first to its last
    `panel` month since `HISTORY_START` (NaN where unknown, e.g. H-2 months without a complete disclosure file);
    a series the panel lacks (derived: unfilled openings) from `history` (the forecasts' history)."""
    sector, name, seasonal = series_id.split(":")
    rows = panel[
        (panel["sector"] == sector)
        & (panel["series"] == name)
        & (panel["seasonal"] == seasonal)
        & (panel["month"] >= pd.Timestamp(HISTORY_START))
    ]
    if rows.empty:
        return history.loc[history["series_id"] == series_id, ["date", "value"]].reset_index(drop=True)
    values = rows.set_index("month")["value"].astype(float).sort_index()
    values = values.reindex(pd.date_range(values.index.min(), values.index.max(), freq="MS"))
    return pd.DataFrame({"date": values.index, "value": values.to_numpy()})


def shortage_catalogue(
    panel: pd.DataFrame, as_of: pd.Timestamp, series: Iterable[str] = SHORTAGE_SERIES
) -> pd.DataFrame:
    """One row per shortage series (``CATALOGUE_COLUMNS``): its unit, source (BLS ids, or "OFLC disclosure"),
    ``proxy_of`` (what it measures when it is not the sector itself), first, restart and last month with a
    value, and ``stale`` (last month more than ``panel.STALE_MONTHS`` before ``as_of``)."""
    rows = []
    for (sector, name), (values, about) in _selected(panel, series).items():
        known = values.dropna().index.to_series()
        rows.append(
            {
                "series_id": f"{sector}:{name}:{about['seasonal']}",
                "sector": sector,
                "series": name,
                **about,
                "first_month": known.iloc[0],
                "restart_month": restart_month(known),
                "last_month": known.iloc[-1],
                "stale": months_between(known.iloc[-1], pd.Timestamp(as_of)) > STALE_MONTHS,
            }
        )
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def data_through(data: pd.DataFrame) -> pd.Series:
    """Last month with a value per ``series_id`` of a long forecast input."""
    known = data.dropna(subset=["value"])
    return known.groupby("series_id")["date"].max().rename("data_through")


def annotate(forecast: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The forecast table with ``data_through`` (the series' last month with a value), ``unit``, ``proxy_of``
    and ``stale`` from ``catalogue`` (``shortage_catalogue``)."""
    about = catalogue.set_index("series_id").rename(columns={"last_month": "data_through"})[ANNOTATION_COLUMNS]
    return forecast.drop(columns=[c for c in ANNOTATION_COLUMNS if c in forecast]).join(about, on="series_id")


def snapshot_catalogue(series: Iterable[str] = SHORTAGE_SERIES) -> pd.DataFrame:
    """``shortage_catalogue`` of the snapshot, against its as-of month."""
    return shortage_catalogue(snapshot.load_table("panel"), snapshot.as_of_month(), series)


def snapshot_series(
    series: Iterable[str] = SHORTAGE_SERIES, current_only: bool = False, restart: bool = True
) -> pd.DataFrame:
    """The snapshot's shortage series as forecast input; series with fewer than ``MIN_OBSERVED`` observed
    months left out, and stale ones too when ``current_only``."""
    unknown = set(series) - set(SHORTAGE_SERIES)
    if unknown:
        raise LabormatchError(f"shortage series: unknown {sorted(unknown)}; choose from {', '.join(SHORTAGE_SERIES)}")
    data = shortage_series(snapshot.load_table("panel"), series, restart=restart)
    observed = data.dropna(subset=["value"]).groupby("series_id").size()
    keep = set(observed[observed >= MIN_OBSERVED].index)
    if current_only:
        catalogue = snapshot_catalogue(series)
        keep -= set(catalogue.loc[catalogue["stale"], "series_id"])
    return data[data["series_id"].isin(keep)].reset_index(drop=True)


def sector_forecasts(
    horizon: int = 24,
    series: Iterable[str] = SHORTAGE_SERIES,
    config: ForecastConfig | None = None,
    n_jobs: int = -1,
    progress: Callable[[int], None] | None = None,
    current_only: bool = False,
) -> pd.DataFrame:
    """Forecast table (sector, series, series_id, date, mean, lo80, hi80, lo95, hi95, model, data_through, unit,
    proxy_of, stale), cached on disk.

    horizon: months ahead (1-24) from each series' last observed month. series: which of
    ``SHORTAGE_SERIES`` to forecast. Series with fewer than ``MIN_OBSERVED`` observed months are left out;
    stale series too when ``current_only`` (what is shown to people: a stale series' forecast would cover
    months already past).
    """
    check_horizon(horizon)
    data = snapshot_series(series, current_only=current_only)
    forecast = Forecaster(config=config, n_jobs=n_jobs, progress=progress).forecast(data, horizon=horizon)
    return annotate(forecast, snapshot_catalogue(series))


def sector_forecasts_with_track_record(
    horizon: int = 24, n_jobs: int = -1
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(forecast, backtest, history)`` for the app: the forecast table of ``sector_forecasts`` and the backtest
    table (``Forecaster.backtest``) of every current (not stale) shortage series, in one pass, and the history of
    every shortage series, current or stale (``series_id, date, value, sector, series``: all months from the first
    to the last known one, NaN where unknown, including months before a restart)."""
    check_horizon(horizon)
    fitted = snapshot_series(current_only=True)
    forecast, backtest = Forecaster(n_jobs=n_jobs).forecast_and_backtest(fitted, horizon=horizon)
    history = shortage_series(snapshot.load_table("panel"), restart=False)
    return annotate(forecast, snapshot_catalogue()), backtest, history
