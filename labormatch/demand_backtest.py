"""Rolling-origin backtest of the national demand model on what was published.

The forecast of fiscal year t is made at its origin, the day the FY t-1 total is taken as public
(`control_totals.annual_published(t - 1)`). It sees only control totals published on or before the origin and
for fiscal years before t (measure conversions included), and the driver of years up to t (built from FY t-1
and earlier; from today's CES vintage, so later revisions of those months are not undone). The outcome is the
positions-certified figure for FY t known today. Two naive benchmarks see the
same figures: the last published value, and the last value x (1 + the mean growth of the 3 years before it)
per year ahead.

Table columns: visa_class, fiscal_year, origin, last_known_year, horizon (years ahead), actual, model, lo80,
hi80, lo95, hi95, naive_last, naive_growth, model_error_pct, naive_last_error_pct, naive_growth_error_pct
((forecast - actual) / actual x 100), inside80, inside95 (bool), check ("positions_certified"; for the
January windows "january_window_positions": the model's April-start positions certified next to the positions
requested in the window, not scored).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch import control_totals, demand_model

TARGETS = {"H-2A": range(2019, 2026), "H-2B": (2023,)}
WINDOW_YEARS = (2020, 2023, 2026)
NAIVE_GROWTH_YEARS = 3


def naive_forecasts(series: pd.DataFrame, year: int) -> tuple[float, float]:
    """(last value, last value x (1 + mean growth of the NAIVE_GROWTH_YEARS growths before it) ^ years ahead)."""
    values = series.set_index("fiscal_year")["value"].astype(float)
    last_year = int(values.index.max())
    last = float(values.loc[last_year])
    earlier = [values.get(last_year - k) for k in range(NAIVE_GROWTH_YEARS + 1)]
    if any(v is None or np.isnan(v) for v in earlier):
        return last, np.nan
    growth = np.mean([earlier[k] / earlier[k + 1] - 1.0 for k in range(NAIVE_GROWTH_YEARS)])
    return last, last * (1.0 + growth) ** (year - last_year)


def forecast_at_origin(
    totals: pd.DataFrame,
    driver: pd.Series,
    visa_class: str,
    year: int,
    use_driver: bool = True,
    first_year: int | None = None,
) -> tuple[pd.Series, pd.DataFrame]:
    """The model's forecast row for `year` made at its origin, and the series it was fitted on."""
    origin = control_totals.annual_published(year - 1)
    series, _ = control_totals.certified_series(totals, visa_class, as_of=origin)
    series = series[series["fiscal_year"] < year]
    known_driver = driver[driver.index <= year]
    model = demand_model.fit(visa_class, series, known_driver, use_driver=use_driver, first_year=first_year)
    path = demand_model.forecast(model, year, known_driver)
    return path.iloc[-1], series


def backtest(
    totals: pd.DataFrame,
    driver: pd.Series,
    targets: dict | None = None,
    use_driver: bool = True,
    first_year: dict | None = None,
) -> pd.DataFrame:
    """One row per target fiscal year (columns in the module docstring)."""
    rows = []
    for visa_class, years in (TARGETS if targets is None else targets).items():
        actual = control_totals.annual(totals, visa_class, control_totals.CERTIFIED).set_index("fiscal_year")["value"]
        for year in years:
            if year not in actual.index:
                continue
            row, series = forecast_at_origin(
                totals, driver, visa_class, year, use_driver, (first_year or {}).get(visa_class)
            )
            last, grown = naive_forecasts(series, year)
            truth = float(actual.loc[year])
            rows.append(
                {
                    "visa_class": visa_class,
                    "fiscal_year": year,
                    "origin": control_totals.annual_published(year - 1),
                    "last_known_year": int(series["fiscal_year"].max()),
                    "horizon": int(row["horizon"]),
                    "actual": truth,
                    "model": float(row["median"]),
                    **{k: float(row[k]) for k in ("lo80", "hi80", "lo95", "hi95")},
                    "naive_last": last,
                    "naive_growth": grown,
                    "check": control_totals.CERTIFIED,
                }
            )
    table = pd.DataFrame(rows)
    for name, column in (("model", "model"), ("naive_last", "naive_last"), ("naive_growth", "naive_growth")):
        table[f"{name}_error_pct"] = (table[column] - table["actual"]) / table["actual"] * 100.0
    table["inside80"] = (table["actual"] >= table["lo80"]) & (table["actual"] <= table["hi80"])
    table["inside95"] = (table["actual"] >= table["lo95"]) & (table["actual"] <= table["hi95"])
    return table


def window_check(totals: pd.DataFrame, driver: pd.Series, april_share: float) -> pd.DataFrame:
    """The January windows as a secondary check: for each window year, the model's H-2B forecast of positions
    certified made at the origin x the share of H-2B positions starting in April (`april_share`), next to the
    positions requested in the window (a different measure: requests exceed certifications)."""
    windows = totals[(totals["measure"] == "january_window_positions") & totals["fiscal_year"].isin(WINDOW_YEARS)]
    rows = []
    for _, window in windows.sort_values("fiscal_year").iterrows():
        year = int(window["fiscal_year"])
        row, series = forecast_at_origin(totals, driver, "H-2B", year)
        rows.append(
            {
                "visa_class": "H-2B",
                "fiscal_year": year,
                "origin": control_totals.annual_published(year - 1),
                "last_known_year": int(series["fiscal_year"].max()),
                "horizon": int(row["horizon"]),
                "actual": float(window["value"]),
                "model": float(row["median"]) * april_share,
                **{k: float(row[k]) * april_share for k in ("lo80", "hi80", "lo95", "hi95")},
                "naive_last": np.nan,
                "naive_growth": np.nan,
                "check": "january_window_positions",
                "model_error_pct": (float(row["median"]) * april_share / float(window["value"]) - 1) * 100.0,
                "naive_last_error_pct": np.nan,
                "naive_growth_error_pct": np.nan,
                "inside80": False,
                "inside95": False,
                "verified": window["verified"],
            }
        )
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per visa class (scored rows only): years, MAPE (%) of the model and both naive benchmarks, outcomes inside
    the 80% and 95% intervals."""
    scored = table[table["check"] == control_totals.CERTIFIED]
    return (
        scored.groupby("visa_class")
        .agg(
            years=("fiscal_year", "size"),
            model_mape=("model_error_pct", lambda e: e.abs().mean()),
            naive_last_mape=("naive_last_error_pct", lambda e: e.abs().mean()),
            naive_growth_mape=("naive_growth_error_pct", lambda e: e.abs().mean()),
            inside80=("inside80", "sum"),
            inside95=("inside95", "sum"),
        )
        .reset_index()
    )


def render(table: pd.DataFrame) -> str:
    """The backtest as plain text: one line per fiscal year (model and naive benchmarks, error %, intervals)
    and a MAPE / coverage line per visa class."""
    lines = [
        f"{'class':5} {'FY':>4} {'origin':>10} {'h':>1} {'actual':>9} {'model':>9} {'err%':>6} "
        f"{'naive last':>10} {'err%':>6} {'naive grw':>10} {'err%':>6} {'80% interval':>21} in80 in95"
    ]
    for _, r in table.iterrows():
        if r["check"] != control_totals.CERTIFIED:
            continue
        lines.append(
            f"{r['visa_class']:5} {r['fiscal_year']:>4} {r['origin']:%Y-%m-%d} {r['horizon']:>1} {r['actual']:>9,.0f} "
            f"{r['model']:>9,.0f} {r['model_error_pct']:>+6.1f} {r['naive_last']:>10,.0f} "
            f"{r['naive_last_error_pct']:>+6.1f} {r['naive_growth']:>10,.0f} {r['naive_growth_error_pct']:>+6.1f} "
            f"{r['lo80']:>10,.0f}-{r['hi80']:<10,.0f} {'yes' if r['inside80'] else 'no':>4} "
            f"{'yes' if r['inside95'] else 'no':>4}"
        )
    scored = table[table["check"] == control_totals.CERTIFIED]
    for _, s in summary(table).iterrows():
        years = scored.loc[scored["visa_class"] == s["visa_class"], "fiscal_year"]
        lines.append(
            f"{s['visa_class']} FY{years.min()}-FY{years.max()}: MAPE model {s['model_mape']:.1f}%, "
            f"naive last {s['naive_last_mape']:.1f}%, "
            f"naive growth {s['naive_growth_mape']:.1f}%; inside 80% {int(s['inside80'])}/{int(s['years'])}, "
            f"inside 95% {int(s['inside95'])}/{int(s['years'])}"
        )
    windows = table[table["check"] == "january_window_positions"]
    for _, r in windows.iterrows():
        lines.append(
            f"H-2B January window {r['fiscal_year']}: {r['actual']:,.0f} positions requested "
            f"({r['verified']}); model April-start positions certified {r['model']:,.0f} "
            f"(80%: {r['lo80']:,.0f}-{r['hi80']:,.0f}), {r['model_error_pct']:+.1f}% (not scored)"
        )
    return "\n".join(lines)
