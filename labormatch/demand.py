"""Sector shortage forecast -> H-2A / H-2B demand by month and half-year.

Scenario arithmetic (pure, per sector x visa class x month)::

    wage_factor    = (1 + wage_floor_change_pct / 100) ^ wage_floor_elasticity
    demand_workers = shortage_workers x fillable_share[sector] x (1 - domestic_recruitment_offset) x wage_factor

`shortage_workers` is the calibrated baseline in `ModelInputs.baseline_demand`: workers whose H-2 job would
start in the month.

Calibration (heavy, run once by `labormatch.model.load_inputs`)
--------------------------------------------------------------
Target: OFLC certified worker-months by sector, visa class and month (panel series
`h2a/h2b_certified_worker_months`), modelled as year-on-year log growth:
``log1p(wm[m]) - log1p(wm[m-12])``, so a zero prediction is the seasonal-naive forecast (same month last year)
and the model learns how growth follows the shortage indicators. Features: the sector's indicators lagged 3
months as year-on-year changes (log change of JOLTS openings and hires and CES employment, difference of
the CPS unemployment rate; 0 where a sector has none), calendar-month and sector x visa-class indicators. Model: ridge regression (the penalty shrinks
towards seasonal naive). Validation: time-ordered, one fold per fiscal year (train on every month before the
fiscal year, predict its 12 months), errors reported per sector and visa class against seasonal naive. Each
sector x visa class keeps the ridge adjustment only where it beat seasonal naive out of sample (`chosen`);
elsewhere its forecast is seasonal naive (zero growth).

Worker-months become job starts with the ratio of certified workers starting in a calendar month to
certified worker-months in that calendar month (per sector and visa class, OFLC cases):
``starts[m] = worker_months[m] x starts_per_worker_month[sector, class, calendar month of m]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.forecast.sectors import latest_versions
from labormatch.rules import fiscal_year_start
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES


def wage_factor(assumptions: Assumptions) -> float:
    """Demand multiplier of a wage-floor change: (1 + change/100) ^ elasticity."""
    return (1.0 + assumptions.wage_floor_change_pct / 100.0) ** assumptions.wage_floor_elasticity


def horizon(fiscal_year: int, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month of the horizon, starting at the fiscal year's first month."""
    start = pd.Timestamp(fiscal_year_start(fiscal_year))
    return start, start + pd.DateOffset(months=months - 1)


def size_demand(baseline: pd.DataFrame, assumptions: Assumptions) -> pd.DataFrame:
    """The `demand` table over the horizon, rows in baseline order; the chosen fiscal year's 12 months must be in
    the baseline."""
    start, end = horizon(assumptions.fiscal_year, assumptions.horizon_months)
    fy_end = start + pd.DateOffset(months=11)
    months = baseline["month"].to_numpy("datetime64[ns]")
    if months.min() > start.to_datetime64() or months.max() < fy_end.to_datetime64():
        raise AssumptionsError(
            f"fiscal_year: FY{assumptions.fiscal_year} needs demand for {start:%Y-%m} to {fy_end:%Y-%m}, but the "
            f"data cover {pd.Timestamp(months.min()):%Y-%m} to {pd.Timestamp(months.max()):%Y-%m}"
        )
    keep = (months >= start.to_datetime64()) & (months <= end.to_datetime64())
    month = months[keep]
    sector = baseline["sector"].to_numpy()[keep]
    shortage = baseline["shortage_workers"].to_numpy(float)[keep]
    calendar_month = month.astype("datetime64[M]").astype(int) % 12 + 1
    year = month.astype("datetime64[Y]").astype(int) + 1970
    fillable = {s: assumptions.fillable(s) for s in set(sector)}
    fill = np.array([fillable[s] for s in sector], dtype=float)
    offset = assumptions.domestic_recruitment_offset
    factor = wage_factor(assumptions)
    out = pd.DataFrame({
        "sector": sector, "visa_class": baseline["visa_class"].to_numpy()[keep], "month": month,
        "fiscal_year": year + (calendar_month >= 10), "half": np.where((calendar_month >= 10) | (calendar_month <= 3),
                                                                      "H1", "H2"),
        "shortage_workers": shortage, "fillable_share": fill, "domestic_offset": offset, "wage_factor": factor,
        "demand_workers": shortage * fill * (1.0 - offset) * factor,
    })
    return out


def fiscal_year_matrix(demand: pd.DataFrame, visa_class: str, fiscal_year: int, sectors: list[str]) -> np.ndarray:
    """demand_workers of one visa class and fiscal year as a sectors x 12 months array (Oct..Sep, zeros where
    absent)."""
    keep = (demand["visa_class"].to_numpy() == visa_class) & (demand["fiscal_year"].to_numpy() == fiscal_year)
    month = demand["month"].to_numpy("datetime64[M]")[keep].astype(int)
    column = (month - (fiscal_year - 1970 - 1) * 12 - 9)  # Oct of the previous calendar year -> 0
    index = {s: i for i, s in enumerate(sectors)}
    row = np.array([index[s] for s in demand["sector"].to_numpy()[keep]], dtype=int)
    out = np.zeros((len(sectors), 12))
    np.add.at(out, (row, column), demand["demand_workers"].to_numpy(float)[keep])
    return out


# --- calibration ------------------------------------------------------------------------------------------

LEVEL_INDICATORS = ("openings", "hires", "employment")  # year-on-year log change
RATE_INDICATORS = ("unemployment_rate",)  # year-on-year difference (percentage points)
INDICATORS = LEVEL_INDICATORS + RATE_INDICATORS
TARGETS = {"h2a_certified_worker_months": "H-2A", "h2b_certified_worker_months": "H-2B"}
INDICATOR_LAG = 3  # months between an indicator reading and the worker-months it explains
RIDGE_ALPHA = 30.0  # chosen by the time-ordered CV below (lowest pooled WAPE after per-series choice)
NAIVE = "seasonal naive"
MIN_TRAIN_YEARS = 3


def complete_fiscal_years(cases: pd.DataFrame) -> dict[str, set[int]]:
    """Fiscal years (by decision) whose OFLC disclosure is full-year, per visa class."""
    flags = cases.groupby(["visa_class", "fiscal_year"])["partial_year"].any().reset_index()
    full = flags[~flags["partial_year"].astype(bool)]
    return {str(v): set(int(y) for y in g["fiscal_year"]) for v, g in full.groupby("visa_class")}


def _fiscal_year(months: pd.Series) -> pd.Series:
    return months.dt.year + (months.dt.month >= 10).astype(int)


def worker_month_frame(panel: pd.DataFrame, complete: dict[str, set[int]]) -> pd.DataFrame:
    """sector, visa_class, month, worker_months on a full monthly index per sector x class.

    A month of fiscal year k holds certifications decided in years k-1 and k, so its worker-months are kept
    only when both years' disclosure files are complete; other months are NaN (unknown, not zero)."""
    h2 = panel[panel["series"].isin(list(TARGETS))]
    h2 = h2.assign(visa_class=h2["series"].map(TARGETS)).groupby(["sector", "visa_class", "month"], as_index=False)[
        "value"].sum().rename(columns={"value": "worker_months"})
    parts = []
    for (sector, visa_class), group in h2.groupby(["sector", "visa_class"]):
        index = pd.date_range(group["month"].min(), group["month"].max(), freq="MS")
        full = group.set_index("month")["worker_months"].reindex(index).fillna(0.0)
        years = _fiscal_year(pd.Series(index))
        known = complete.get(visa_class, set())
        usable = years.isin(known).to_numpy() & (years - 1).isin(known).to_numpy()
        parts.append(pd.DataFrame({"sector": sector, "visa_class": visa_class, "month": index,
                                   "worker_months": np.where(usable, full.to_numpy(), np.nan)}))
    return pd.concat(parts, ignore_index=True)


def indicator_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """sector, month and one column per indicator: year-on-year change (log change for levels, difference for
    rates), lagged INDICATOR_LAG months.

    Each sector x series uses one seasonal version, the one whose data run latest (NSA on a tie), the same
    choice `labormatch.forecast.sector_forecasts` makes, so forecast months continue the same series."""
    rows = panel[panel["series"].isin(INDICATORS)]
    rows = rows.merge(latest_versions(rows), on=["sector", "series", "seasonal"])
    wide = rows.pivot_table(index=["sector", "month"], columns="series", values="value").reset_index()
    for name in INDICATORS:
        if name not in wide:
            wide[name] = np.nan
    out = []
    for sector, group in wide.groupby("sector"):
        group = group.set_index("month").sort_index()
        group = group.reindex(pd.date_range(group.index.min(), group.index.max(), freq="MS"))
        levels = np.log(group[list(LEVEL_INDICATORS)].where(group[list(LEVEL_INDICATORS)] > 0))
        change = pd.concat([levels.diff(12), group[list(RATE_INDICATORS)].diff(12)], axis=1).shift(INDICATOR_LAG)
        change.index.name = "month"
        out.append(change.reset_index().assign(sector=sector))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["sector", "month", *INDICATORS])


def indicators_from_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    """Panel-shaped rows (sector, series, month, value, seasonal) from a `sector_forecasts` table: the mean
    forecast of the indicator series, tagged with the seasonal version named in its series_id."""
    rows = forecast[forecast["series"].isin(INDICATORS)]
    return pd.DataFrame({"sector": rows["sector"].to_numpy(), "series": rows["series"].to_numpy(),
                         "month": pd.to_datetime(rows["date"]).to_numpy(), "value": rows["mean"].to_numpy(float),
                         "seasonal": rows["series_id"].str.rsplit(":", n=1).str[-1].to_numpy()})


def design(frame: pd.DataFrame, indicators: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Feature matrix for rows of `frame` (sector, visa_class, month, lag12 worker-months)."""
    x = frame[["sector", "month"]].merge(indicators, on=["sector", "month"], how="left")
    columns = {name: x[name].fillna(0.0).to_numpy() for name in INDICATORS}
    months = frame["month"].dt.month.to_numpy()
    columns.update({f"month_{m}": (months == m).astype(float) for m in range(2, 13)})
    group = (frame["sector"] + "|" + frame["visa_class"]).to_numpy()
    columns.update({f"group_{g}": (group == g).astype(float) for g in groups[1:]})
    return pd.DataFrame(columns, index=frame.index)


def _with_lag(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["sector", "visa_class", "month"]).reset_index(drop=True)
    frame["lag12"] = frame.groupby(["sector", "visa_class"])["worker_months"].shift(12)
    frame["fiscal_year"] = _fiscal_year(frame["month"])
    return frame


def _fit(train: pd.DataFrame, indicators: pd.DataFrame, groups: list[str]) -> Ridge:
    model = Ridge(alpha=RIDGE_ALPHA)
    growth = np.log1p(train["worker_months"].to_numpy(float)) - np.log1p(train["lag12"].to_numpy(float))
    model.fit(design(train, indicators, groups), growth)
    return model


def _predict(model: Ridge, rows: pd.DataFrame, indicators: pd.DataFrame, groups: list[str]) -> np.ndarray:
    growth = model.predict(design(rows, indicators, groups))
    return np.maximum(0.0, np.expm1(np.log1p(rows["lag12"].to_numpy(float)) + growth))


def cross_validate(panel: pd.DataFrame, complete: dict[str, set[int]]) -> pd.DataFrame:
    """Out-of-sample error per sector and visa class (time-ordered folds, one per fiscal year)."""
    frame = _with_lag(worker_month_frame(panel, complete)).dropna(subset=["worker_months", "lag12"])
    indicators = indicator_frame(panel)
    groups = sorted((frame["sector"] + "|" + frame["visa_class"]).unique())
    years = sorted(frame["fiscal_year"].unique())
    tests = []
    for year in years[MIN_TRAIN_YEARS:]:
        train, test = frame[frame["fiscal_year"] < year], frame[frame["fiscal_year"] == year]
        if train.empty or test.empty:
            continue
        model = _fit(train, indicators, groups)
        tests.append(test.assign(predicted=_predict(model, test, indicators, groups)))
    if not tests:
        raise ValueError("demand calibration: fewer than 4 fiscal years of worker-months to validate on")
    scored = pd.concat(tests, ignore_index=True)
    scored["abs_error"] = (scored["predicted"] - scored["worker_months"]).abs()
    scored["naive_abs_error"] = (scored["lag12"] - scored["worker_months"]).abs()
    table = scored.groupby(["sector", "visa_class"]).agg(
        folds=("fiscal_year", "nunique"), n_test=("month", "size"), mae_worker_months=("abs_error", "mean"),
        abs_error=("abs_error", "sum"), naive_abs_error=("naive_abs_error", "sum"), actual=("worker_months", "sum"),
    ).reset_index()
    actual = table["actual"].where(table["actual"] > 0)
    table["wape"] = table["abs_error"] / actual
    table["naive_wape"] = table["naive_abs_error"] / actual
    table["model"] = f"ridge(alpha={RIDGE_ALPHA}) on year-on-year log growth of worker-months"
    table["chosen"] = np.where(table["wape"] < table["naive_wape"], "ridge", NAIVE)
    return table[["sector", "visa_class", "model", "folds", "n_test", "mae_worker_months", "wape", "naive_wape",
                  "chosen"]]


def forecast_worker_months(panel: pd.DataFrame, complete: dict[str, set[int]], indicator_future: pd.DataFrame | None,
                           until: pd.Timestamp, naive: set[tuple[str, str]] = frozenset()) -> pd.DataFrame:
    """Fit on all history and predict worker-months month by month to `until` (the lag-12 feature uses
    predictions once the data end). Indicators after the panel come from `indicator_future` (same columns
    as the panel: sector, series, month, value, seasonal); where absent the change is taken as 0. Series in
    `naive` (sector, visa class) repeat last year's value instead."""
    frame = _with_lag(worker_month_frame(panel, complete))
    history = pd.concat([panel, indicator_future], ignore_index=True) if indicator_future is not None else panel
    indicators = indicator_frame(history)
    train = frame.dropna(subset=["worker_months", "lag12"])
    groups = sorted((train["sector"] + "|" + train["visa_class"]).unique())
    model = _fit(train, indicators, groups)
    series = {}
    last = {}
    for (sector, visa_class), group in frame.groupby(["sector", "visa_class"]):
        if f"{sector}|{visa_class}" in groups:
            values = group.set_index("month")["worker_months"]
            last[(sector, visa_class)] = values.last_valid_index()
            series[(sector, visa_class)] = values.loc[:last[(sector, visa_class)]].dropna().to_dict()
    months = pd.date_range(min(last.values()) + pd.DateOffset(months=1), until, freq="MS")
    # A month's only input from the months predicted before it is its lag-12 value, so the 12 months of a
    # block depend only on earlier blocks: one prediction per block gives the same numbers as month by month.
    for start in range(0, len(months), 12):
        todo = [(key, month) for month in months[start:start + 12] for key in series if month > last[key]]
        if not todo:
            continue
        rows = pd.DataFrame({
            "sector": [key[0] for key, _ in todo], "visa_class": [key[1] for key, _ in todo],
            "month": [month for _, month in todo],
            "lag12": [_last_year(series[key], month - pd.DateOffset(months=12)) for key, month in todo],
        })
        for (key, month), value, lag in zip(todo, _predict(model, rows, indicators, groups), rows["lag12"]):
            series[key][month] = float(lag if key in naive else value)
    out = [pd.DataFrame({"sector": k[0], "visa_class": k[1], "month": list(v), "worker_months": list(v.values())})
           .assign(observed=lambda d, k=k: d["month"] <= last[k]) for k, v in series.items()]
    return pd.concat(out, ignore_index=True).sort_values(["sector", "visa_class", "month"], ignore_index=True)


def _last_year(values: dict, lag_month: pd.Timestamp) -> float:
    """Worker-months of `lag_month` (12 months before the month predicted) or, when unknown, of the same calendar
    month in up to 4 earlier years, latest first; 0 when none is known."""
    for years_back in range(5):
        earlier = lag_month - pd.DateOffset(years=years_back)
        if earlier in values:
            return values[earlier]
    return 0.0


def start_ratios(cases: pd.DataFrame, worker_months: pd.DataFrame) -> pd.DataFrame:
    """Certified workers starting per certified worker-month, by sector, visa class and calendar month."""
    use = cases[cases["status"].isin(CERTIFIED_STATUSES) & cases["sector"].notna()
                & cases["need_start"].notna()]
    starts = use.assign(month=use["need_start"].dt.to_period("M").dt.to_timestamp()).groupby(
        ["sector", "visa_class", "month"], as_index=False)["workers_certified"].sum()
    both = worker_months.dropna(subset=["worker_months"]).merge(starts, on=["sector", "visa_class", "month"],
                                                                how="inner")
    both["calendar_month"] = both["month"].dt.month
    ratio = both.groupby(["sector", "visa_class", "calendar_month"], as_index=False)[
        ["workers_certified", "worker_months"]].sum()
    ratio["starts_per_worker_month"] = ratio["workers_certified"] / ratio["worker_months"].where(
        ratio["worker_months"] > 0)
    return ratio[["sector", "visa_class", "calendar_month", "starts_per_worker_month"]].fillna(0.0)


def baseline_from_worker_months(worker_months: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """sector, visa_class, month, shortage_workers = worker_months x starts_per_worker_month."""
    frame = worker_months.assign(calendar_month=worker_months["month"].dt.month).merge(
        ratios, on=["sector", "visa_class", "calendar_month"], how="left")
    frame["shortage_workers"] = frame["worker_months"] * frame["starts_per_worker_month"].fillna(0.0)
    return frame[["sector", "visa_class", "month", "shortage_workers"]]
