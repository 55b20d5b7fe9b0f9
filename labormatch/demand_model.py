"""National H-2A / H-2B demand in OFLC positions certified per fiscal year, forecast with intervals.

Model (statsmodels OLS on annual log growth, one fit per visa class)::

    g[t] = log(total[t]) - log(total[t-1]) = a + b x driver[t] + e[t],   e ~ N(0, s^2)

driver[t] is the shortage signal of the year before: the log change of fiscal-year average employment (CES,
SA) summed over the H-2B sectors in DRIVER_SECTORS, in FY t-1 over FY t-2. Lagged one year, it is known when a
forecast for FY t is made (after FY t-1's totals are published); beyond the data it comes from the sector
forecasts (`labormatch.forecast.sector_forecasts`), and is held at 0 (no change) past them.
Only consecutive fiscal years with a known total give a growth observation; years before FIT_FROM are left
out (see `FIT_FROM`).

A forecast h years after the last known total T is the median path
    log total[T+h] = log total[T] + sum_k (a + b driver[T+k])
with log variance h s^2 + c' V c (c = the summed design rows, V the coefficient covariance) + the base year's
conversion variance (when total[T] was converted from another measure); intervals use Student t with the
fit's residual degrees of freedom. `log_sd` is the square root of that variance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from labormatch.fiscal import fiscal_years
from labormatch.forecast.sectors import latest_versions

DRIVER_SERIES = "employment"
DRIVER_SECTORS = (
    "construction",
    "professional_business_services",
    "accommodation_food_services",
    "arts_entertainment_recreation",
)
# First fiscal year whose growth enters a fit. Chosen on years before FY2019 only (bench/demand.py prints the
# pre-FY2019 comparison): H-2B growth before FY2010 mixes the 2008-2009 program rule changes and recession
# (FY2008 254,580 -> FY2010 86,596 positions certified).
FIT_FROM = {"H-2A": 2006, "H-2B": 2011}
MIN_GROWTH_YEARS = 4
MIN_DRIVER_MONTHS = 9  # a fiscal-year average needs at least 9 of its 12 months (staged CES has a few gaps)


@dataclass(frozen=True)
class NationalFit:
    """A fitted national model: coefficients (intercept, driver), their covariance, residual variance and
    degrees of freedom, the last known total it forecasts from, and the years it was fitted on."""

    visa_class: str
    params: np.ndarray
    cov: np.ndarray
    sigma2: float
    df: float
    last_year: int
    last_value: float
    last_log_sd: float
    years: tuple[int, ...]
    uses_driver: bool


def driver_series(panel: pd.DataFrame, future: pd.DataFrame | None = None) -> pd.Series:
    """driver[t] by fiscal year (see the module docstring): log change of FY-average employment of
    DRIVER_SECTORS in FY t-1 over FY t-2. A fiscal year counts when every sector has at least MIN_DRIVER_MONTHS
    months (observed, or from `future`: rows sector, series, month, value, seasonal like the panel); its average
    is over the months present."""
    rows = panel[(panel["series"] == DRIVER_SERIES) & panel["sector"].isin(DRIVER_SECTORS)]
    if future is not None and len(future):
        extra = future[(future["series"] == DRIVER_SERIES) & future["sector"].isin(DRIVER_SECTORS)]
        rows = pd.concat(
            [
                rows,
                extra[
                    ~extra.set_index(["sector", "seasonal", "month"]).index.isin(
                        rows.set_index(["sector", "seasonal", "month"]).index
                    )
                ],
            ],
            ignore_index=True,
        )
    if rows.empty:
        return pd.Series(dtype=float)
    rows = rows.merge(latest_versions(rows), on=["sector", "series", "seasonal"]).dropna(subset=["value"])
    rows = rows.assign(fiscal_year=fiscal_years(rows["month"]))
    per_sector = rows.groupby(["fiscal_year", "sector"])["value"].agg(["mean", "count"])
    per_sector = per_sector[per_sector["count"] >= MIN_DRIVER_MONTHS]["mean"].unstack()
    total = per_sector.dropna(subset=[s for s in DRIVER_SECTORS if s in per_sector.columns]).sum(axis=1)
    change = np.log(total).diff()
    change = change[total.index.to_series().diff() == 1]
    return change.rename(lambda year: year + 1).rename("driver")


def driver_rows_from_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    """Panel-shaped rows (sector, series, month, value, seasonal) of the driver series from a `sector_forecasts`
    table: the mean forecast, tagged with the seasonal version named in its series_id."""
    rows = forecast[forecast["series"] == DRIVER_SERIES]
    return pd.DataFrame(
        {
            "sector": rows["sector"].to_numpy(),
            "series": rows["series"].to_numpy(),
            "month": pd.to_datetime(rows["date"]).to_numpy(),
            "value": rows["mean"].to_numpy(float),
            "seasonal": rows["series_id"].str.rsplit(":", n=1).str[-1].to_numpy(),
        }
    )


def growth_table(series: pd.DataFrame, driver: pd.Series, first_year: int) -> pd.DataFrame:
    """fiscal_year, growth (log change from the previous fiscal year; consecutive known years only), driver
    (0 where unknown), for years from `first_year`."""
    values = series.set_index("fiscal_year")["value"].astype(float)
    years = [y for y in values.index if y - 1 in values.index and y >= first_year]
    growth = np.log(values.loc[years].to_numpy()) - np.log(values.loc[[y - 1 for y in years]].to_numpy())
    return pd.DataFrame(
        {"fiscal_year": years, "growth": growth, "driver": driver.reindex(years).fillna(0.0).to_numpy(float)}
    )


def design(driver: np.ndarray, use_driver: bool) -> np.ndarray:
    """Design matrix of the growth model: a constant, and the driver when it is used."""
    return np.column_stack([np.ones(len(driver)), driver]) if use_driver else np.ones((len(driver), 1))


def residuals(model: NationalFit, series: pd.DataFrame, driver: pd.Series) -> pd.Series:
    """The fit's log-growth residuals by fiscal year (observed growth minus the fitted growth)."""
    table = growth_table(series, driver, model.years[0]).set_index("fiscal_year")
    fitted = design(table["driver"].to_numpy(float), model.uses_driver) @ model.params
    return pd.Series(table["growth"].to_numpy() - fitted, index=table.index)


def fit(
    visa_class: str, series: pd.DataFrame, driver: pd.Series, use_driver: bool = True, first_year: int | None = None
) -> NationalFit:
    """Fit the growth model on `series` (fiscal_year, value, log_sd): OLS with statsmodels."""
    table = growth_table(series, driver, FIT_FROM[visa_class] if first_year is None else first_year)
    if len(table) < MIN_GROWTH_YEARS:
        raise ValueError(f"demand model: {visa_class} has {len(table)} years of growth, needs {MIN_GROWTH_YEARS}")
    use_driver = use_driver and bool(np.ptp(table["driver"].to_numpy()) > 0)
    result = sm.OLS(table["growth"].to_numpy(), design(table["driver"].to_numpy(float), use_driver)).fit()
    last = series.sort_values("fiscal_year").iloc[-1]
    return NationalFit(
        visa_class,
        np.asarray(result.params, float),
        np.asarray(result.cov_params(), float),
        float(result.scale),
        float(result.df_resid),
        int(last["fiscal_year"]),
        float(last["value"]),
        float(last.get("log_sd", 0.0) or 0.0),
        tuple(int(y) for y in table["fiscal_year"]),
        use_driver,
    )


def forecast(model: NationalFit, until: int, driver: pd.Series) -> pd.DataFrame:
    """Median forecast and 80%/95% intervals of positions certified for every fiscal year after the model's last
    known total up to `until`: visa_class, fiscal_year, horizon (years ahead), median, lo80, hi80, lo95, hi95,
    log_sd, driver (the value used; 0 where unknown)."""
    years = np.arange(model.last_year + 1, until + 1)
    x_driver = driver.reindex(years).fillna(0.0).to_numpy(float)
    cumulative = np.cumsum(design(x_driver, model.uses_driver), axis=0)
    horizon = np.arange(1, len(years) + 1)
    log_mean = np.log(model.last_value) + cumulative @ model.params
    variance = (
        horizon * model.sigma2 + np.einsum("ij,jk,ik->i", cumulative, model.cov, cumulative) + model.last_log_sd**2
    )
    sd = np.sqrt(variance)
    z80, z95 = stats.t.ppf(0.9, model.df), stats.t.ppf(0.975, model.df)
    return pd.DataFrame(
        {
            "visa_class": model.visa_class,
            "fiscal_year": years,
            "horizon": horizon,
            "median": np.exp(log_mean),
            "lo80": np.exp(log_mean - z80 * sd),
            "hi80": np.exp(log_mean + z80 * sd),
            "lo95": np.exp(log_mean - z95 * sd),
            "hi95": np.exp(log_mean + z95 * sd),
            "log_sd": sd,
            "driver": x_driver,
        }
    )


def describe(model: NationalFit) -> str:
    """One line: the fitted form, coefficients and fit years."""
    slope = f" {'-' if model.params[1] < 0 else '+'} {abs(model.params[1]):.3f} x driver" if model.uses_driver else ""
    return (
        f"{model.visa_class}: log growth = {model.params[0]:.4f}{slope} (OLS, residual sd "
        f"{np.sqrt(model.sigma2):.3f}, FY{model.years[0]}-FY{model.years[-1]}, {len(model.years)} years)"
    )
