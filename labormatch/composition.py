"""Where national H-2 demand goes: sector x start-month shares of OFLC positions certified, with their drift.

Sector shares of a visa class in fiscal year t (decision year) follow a trend in log shares fitted on the
complete case files (a multinomial logit on the year, fitted by least squares on smoothed log shares):
    share[s, t] = exp(a_s + b_s t) / sum_k exp(a_k + b_k t)
kept for a visa class only where it beat last year's shares out of sample (time-ordered, one fold per year,
`out_of_sample`); otherwise the latest complete year's shares are held. Within a sector, positions spread over
calendar start months with the profile of the latest PROFILE_YEARS complete years (no drift). So
    share[s, m, t] = sector_share[s, t] x month_profile[s, m],  sum over s, m = 1.
Unmapped positions (no sector) are left out of the shares, i.e. spread pro rata.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch import crosswalk
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

FIRST_YEAR = 2008  # first fiscal year of the drift fit (FY2008-FY2019 case files)
PROFILE_YEARS = 5  # latest complete years pooled for the start-month profile and state shares
SMOOTHING = 0.5  # positions added to every sector x year count before taking logs
MIN_TRAIN_YEARS = 4
SHARE_FLOOR = 0.005  # added to both shares in a log share error, so sectors near 0% do not dominate the errors


def _certified(cases: pd.DataFrame, visa_class: str, years) -> pd.DataFrame:
    use = cases[
        (cases["visa_class"] == visa_class)
        & cases["fiscal_year"].isin(list(years))
        & cases["status"].isin(CERTIFIED_STATUSES)
        & cases["sector"].notna()
    ]
    return use.assign(workers=use["workers_certified"].fillna(0).astype(float))


def sector_counts(cases: pd.DataFrame, visa_class: str, years) -> pd.DataFrame:
    """Positions certified by fiscal year (rows) and sector (columns) over `years` (complete years only)."""
    use = _certified(cases, visa_class, years)
    return use.pivot_table(index="fiscal_year", columns="sector", values="workers", aggfunc="sum", fill_value=0.0)


def shares_of(counts: pd.DataFrame) -> pd.DataFrame:
    return counts.div(counts.sum(axis=1), axis=0)


def trend_shares(counts: pd.DataFrame, years) -> pd.DataFrame:
    """Sector shares predicted for `years` by the log-share trend fitted on `counts` (fiscal_year x sector)."""
    t = counts.index.to_numpy(float)
    logs = np.log(counts.to_numpy(float) + SMOOTHING)
    design = np.column_stack([np.ones_like(t), t - t.mean()])
    coef, *_ = np.linalg.lstsq(design, logs, rcond=None)
    ahead = np.asarray(list(years), float)
    pred = np.column_stack([np.ones_like(ahead), ahead - t.mean()]) @ coef
    pred = np.exp(pred - pred.max(axis=1, keepdims=True))
    return pd.DataFrame(pred / pred.sum(axis=1, keepdims=True), index=list(years), columns=counts.columns)


def held_shares(counts: pd.DataFrame, years) -> pd.DataFrame:
    """The latest year's shares repeated for `years`."""
    last = shares_of(counts).iloc[[-1]].to_numpy()
    return pd.DataFrame(np.repeat(last, len(list(years)), axis=0), index=list(years), columns=counts.columns)


def out_of_sample(counts: pd.DataFrame, visa_class: str) -> pd.DataFrame:
    """Time-ordered check, one fold per fiscal year: shares of year t from years before t, by the trend and by
    last year's shares. Columns: visa_class, sector, fiscal_year, share_actual, share_trend, share_last_year,
    log_error_trend, log_error_last_year (log of (predicted + SHARE_FLOOR) over (actual + SHARE_FLOOR))."""
    rows = []
    years = list(counts.index)
    actual = shares_of(counts)
    for i in range(MIN_TRAIN_YEARS, len(years)):
        year = years[i]
        if year - 1 != years[i - 1]:
            continue  # a gap: last year's shares are unknown
        train = counts.iloc[:i]
        trend, held = trend_shares(train, [year]).iloc[0], held_shares(train, [year]).iloc[0]
        floor = SHARE_FLOOR
        for sector in counts.columns:
            truth = actual.loc[year, sector]
            rows.append(
                {
                    "visa_class": visa_class,
                    "sector": sector,
                    "fiscal_year": int(year),
                    "share_actual": truth,
                    "share_trend": trend[sector],
                    "share_last_year": held[sector],
                    "log_error_trend": np.log((trend[sector] + floor) / (truth + floor)),
                    "log_error_last_year": np.log((held[sector] + floor) / (truth + floor)),
                }
            )
    return pd.DataFrame(rows)


def trend_wins(check: pd.DataFrame) -> bool:
    """The trend is kept when its mean absolute share error out of sample is below last year's shares'."""
    if check.empty:
        return False
    return bool(
        (check["share_trend"] - check["share_actual"]).abs().mean()
        < (check["share_last_year"] - check["share_actual"]).abs().mean()
    )


def month_profile(cases: pd.DataFrame, visa_class: str, years) -> pd.DataFrame:
    """sector, calendar_month, month_share (share of the sector's positions starting in that calendar month)."""
    use = _certified(cases, visa_class, years).dropna(subset=["need_start"])
    use = use.assign(calendar_month=use["need_start"].dt.month)
    profile = use.groupby(["sector", "calendar_month"], as_index=False)["workers"].sum()
    profile["month_share"] = profile["workers"] / profile.groupby("sector")["workers"].transform("sum")
    return profile[profile["month_share"] > 0][["sector", "calendar_month", "month_share"]]


def share_covariance(check: pd.DataFrame, visa_class: str, trend: bool) -> pd.DataFrame:
    """visa_class, sector_a, sector_b, cov: covariance over the out-of-sample years of the chosen method's log
    share errors."""
    column = "log_error_trend" if trend else "log_error_last_year"
    wide = check.pivot(index="fiscal_year", columns="sector", values=column)
    cov = wide.cov().fillna(0.0)
    cov.index.name, cov.columns.name = "sector_a", "sector_b"
    long = cov.stack().rename("cov").reset_index()
    return long.assign(visa_class=visa_class)[["visa_class", "sector_a", "sector_b", "cov"]]


class Composition:
    """The fitted composition of one visa class: sector shares by fiscal year and the start-month profile."""

    def __init__(self, cases: pd.DataFrame, visa_class: str, complete: set[int]):
        years = sorted(y for y in complete if y >= FIRST_YEAR)
        self.visa_class = visa_class
        self.counts = sector_counts(cases, visa_class, years)
        self.check = out_of_sample(self.counts, visa_class)
        self.trend = trend_wins(self.check)
        self.profile = month_profile(cases, visa_class, years[-PROFILE_YEARS:])
        self.years = (int(self.counts.index.min()), int(self.counts.index.max()))

    def sector_shares(self, years) -> pd.DataFrame:
        """fiscal_year x sector shares (sum to 1 per year) for any fiscal years."""
        method = trend_shares if self.trend else held_shares
        return method(self.counts, years)

    def cell_shares(self, years) -> pd.DataFrame:
        """fiscal_year, sector, calendar_month, share (= sector share x month share; sums to 1 per year)."""
        sectors = (
            self.sector_shares(years)
            .rename_axis("fiscal_year")
            .reset_index()
            .melt(id_vars="fiscal_year", var_name="sector", value_name="sector_share")
        )
        cells = sectors.merge(self.profile, on="sector", how="inner")
        cells["share"] = cells["sector_share"] * cells["month_share"]
        return cells[["fiscal_year", "sector", "calendar_month", "share"]]

    def describe(self) -> str:
        how = "log-share trend" if self.trend else "latest year's shares held (the trend did not beat them)"
        return (
            f"{self.visa_class} sector shares: {how}, OFLC case files FY{self.years[0]}-FY{self.years[1]}; "
            f"start-month profile of the latest {PROFILE_YEARS} complete years"
        )


def state_shares(cases: pd.DataFrame, visa_class: str, years) -> pd.Series:
    """Share of positions certified by worksite state (USPS) over `years`."""
    use = _certified(cases.assign(sector=cases["sector"].fillna("unmapped")), visa_class, years)
    by_state = use.dropna(subset=["worksite_state"]).groupby("worksite_state")["workers"].sum()
    return by_state / by_state.sum()


def current_check(
    composition: Composition,
    cases: pd.DataFrame,
    complete: set[int],
    job_orders: pd.DataFrame,
    jan_peak: pd.DataFrame,
    fiscal_year: int = 2026,
) -> pd.DataFrame:
    """The model's H-2B sector and state shares for `fiscal_year` next to the newest job-order picture
    (the `as_of` column of `job_orders`)
    (positions; sectors from job titles via the crosswalk) and the FY2024 January-peak list (applications by
    state). Columns: dimension (sector/state), key, model_share, job_orders_share, jan_peak_share,
    job_orders_positions, note."""
    orders = job_orders[job_orders["visa_class"] == composition.visa_class]
    titled = pd.DataFrame(
        {"visa_class": orders["visa_class"], "naics": pd.NA, "soc": pd.NA, "job_title": orders["job_title"]}
    )
    sector = crosswalk.assign_sector(titled)
    mapped = orders.assign(sector=sector.to_numpy())
    mapped_share = float(mapped.loc[mapped["sector"].notna(), "positions"].sum() / mapped["positions"].sum())
    by_sector = mapped.dropna(subset=["sector"]).groupby("sector")["positions"].sum()
    model_sector = composition.sector_shares([fiscal_year]).iloc[0]
    sectors = sorted(set(model_sector.index) | set(by_sector.index))
    sector_rows = pd.DataFrame(
        {
            "dimension": "sector",
            "key": sectors,
            "model_share": model_sector.reindex(sectors).to_numpy(),
            "job_orders_share": (by_sector / by_sector.sum()).reindex(sectors).fillna(0.0).to_numpy(),
            "jan_peak_share": np.nan,
            "job_orders_positions": by_sector.reindex(sectors).fillna(0.0).to_numpy(),
            "note": f"job orders: {mapped_share:.0%} of positions mapped to a sector by job title; "
            "open in mid-January, so April starts (landscaping) weigh more than in a full year",
        }
    )
    years = sorted(complete)[-PROFILE_YEARS:]
    model_state = state_shares(cases, composition.visa_class, years)
    by_state = orders.dropna(subset=["worksite_state"]).groupby("worksite_state")["positions"].sum()
    peak = jan_peak.dropna(subset=["worksite_state"])["worksite_state"].value_counts()
    states = sorted(set(model_state.index) | set(by_state.index) | set(peak.index))
    state_rows = pd.DataFrame(
        {
            "dimension": "state",
            "key": states,
            "model_share": model_state.reindex(states).fillna(0.0).to_numpy(),
            "job_orders_share": (by_state / by_state.sum()).reindex(states).fillna(0.0).to_numpy(),
            "jan_peak_share": (peak / peak.sum()).reindex(states).fillna(0.0).to_numpy(),
            "job_orders_positions": by_state.reindex(states).fillna(0.0).to_numpy(),
            "note": f"model: OFLC case files FY{years[0]}-FY{years[-1]} held (no state drift modelled); "
            "January peak: share of applications, not positions",
        }
    )
    return pd.concat([sector_rows, state_rows], ignore_index=True)


def check_summary(check: pd.DataFrame) -> pd.DataFrame:
    """Per visa class and sector: out-of-sample years, mean actual share, mean absolute share error of the trend
    and of last year's shares (share points, 0-1)."""
    if check.empty:
        return pd.DataFrame(columns=["visa_class", "sector", "years", "mean_share", "mae_trend", "mae_last_year"])
    frame = check.assign(
        err_trend=(check["share_trend"] - check["share_actual"]).abs(),
        err_last=(check["share_last_year"] - check["share_actual"]).abs(),
    )
    return (
        frame.groupby(["visa_class", "sector"], as_index=False)
        .agg(
            years=("fiscal_year", "nunique"),
            mean_share=("share_actual", "mean"),
            mae_trend=("err_trend", "mean"),
            mae_last_year=("err_last", "mean"),
        )
        .sort_values(["visa_class", "mean_share"], ascending=[True, False], ignore_index=True)
    )
