"""When each half's H-2B statutory numbers run out (the "cap reached" date USCIS announces).

USCIS counts a petition when it receives it, and an employer can file the petition only once OFLC has
certified the labor certification. The estimate therefore follows OFLC *certification* dates::

    reached = half start + d* + filing_lag - days_saved
    d*      = first day offset d with demand x cum_share(d) >= numbers

cum_share(d): share of a half's certified H-2B positions whose OFLC decision came by day d of the half
(decision date minus half start; pooled over the latest complete fiscal years). days_saved: median OFLC
processing days cut by the faster-processing lever. filing_lag (days): certification to USCIS receipt,
measured on the published cap-reached dates of every fiscal year with complete OFLC cases: for each, the
day that year's own certified positions of the half reached the half's numbers; lag = published date
minus that day. The median over the second-half dates (the April rush) is used for both halves; see
`filing_lag` for why, and the `basis` column for its errors.

Why certification and not OFLC receipt: applications for April starts are all received on Jan 1-3, while
the big January batch takes 45-60 days to certify, far longer than the year's median; dating the cap from
receipt plus the median processing time ran about a month early against the published dates.

Measured on the embedded snapshot (each fiscal year run with its supplementals), estimate minus published date:
second half FY2017 -1, FY2018 +11 (the two calibration years), FY2020 +15, FY2022 +7, FY2023 +5, FY2024 -3,
FY2025 -1 days (out of sample: no OFLC cases of those years); mean absolute error 6 days, against 20 days
(always early) for the receipt-date method. The first half is weaker: FY2018 +7, FY2024 +32, FY2025 about
+72 days (receipt-date method: -1, +18, +59); on FY2014-FY2016's own certifications, when first-half
demand was near the cap, the lag is -44, -23, -37 days off. The October filing window drew 12,098 positions
in 2019 but 40,947 in 2023 (OFLC, see shared domain notes), more than the 33,000 numbers on its own, so the
recent first-half cap goes within days, a pattern the FY2015-FY2019 profile cannot show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.fiscal import HALVES, fiscal_years, half_starts, halves
from labormatch.rules import Rules, half_window
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

CAP_PERIOD = {"H1": "first_half", "H2": "second_half"}
PROFILE_DAYS = (-200, 183)  # decision-day offsets kept in the profile (days from the half start)


def half_and_start(need_start: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Half ('H1' Oct-Mar, 'H2' Apr-Sep) of each start date of need, and that half's first day."""
    return halves(need_start), pd.Series(half_starts(need_start), index=need_start.index)


def cap_years(complete: set[int] | list[int]) -> list[int]:
    """Fiscal years of need whose certifications are all in complete OFLC files: a start in FY Y is decided in
    OFLC's FY Y or, for early first-half starts, FY Y-1 (OFLC files are split by decision date)."""
    done = set(complete)
    return sorted(y for y in done if y - 1 in done)


def certified_h2b(cases: pd.DataFrame, need_years: set[int] | list[int]) -> pd.DataFrame:
    """Certified H-2B cases whose need starts in `need_years`: fiscal_year (of the start of need), half,
    day_offset (decision date minus the first day of that half, days), workers (positions certified)."""
    use = cases[(cases["visa_class"] == "H-2B") & cases["status"].isin(CERTIFIED_STATUSES)].dropna(
        subset=["decision_date", "need_start", "workers_certified"]
    )
    half, start = half_and_start(use["need_start"])
    fiscal_year = fiscal_years(start)
    frame = pd.DataFrame(
        {
            "fiscal_year": fiscal_year,
            "half": half,
            "day_offset": (use["decision_date"] - start).dt.days.to_numpy(),
            "workers": use["workers_certified"].astype(float).to_numpy(),
        }
    )
    return frame[np.isin(fiscal_year, list(need_years))]


def certification_profile(cases: pd.DataFrame, need_years: set[int] | list[int]) -> pd.DataFrame:
    """half, day_offset, cum_share: share of a half's certified positions decided by that day (pooled over the
    fiscal years of need `need_years`)."""
    frame = certified_h2b(cases, need_years)
    frame = frame[frame["day_offset"].between(*PROFILE_DAYS)]
    prof = frame.groupby(["half", "day_offset"], as_index=False)["workers"].sum()
    prof["cum_share"] = prof.groupby("half")["workers"].cumsum() / prof.groupby("half")["workers"].transform("sum")
    return prof[["half", "day_offset", "cum_share"]]


def filing_lag_calibration(
    cases: pd.DataFrame, cap_reached: pd.DataFrame, need_years: set[int] | list[int], rules: Rules
) -> pd.DataFrame:
    """One row per published half-year cap date of a fiscal year in `need_years`: fiscal_year, half, observed_date,
    certified_reached_date (day that year's certified positions of the half reached its statutory numbers),
    lag_days (observed minus certified_reached). Years whose certified positions never reach the numbers
    are left out."""
    certified = certified_h2b(cases, need_years)
    rows = []
    for fy, period, observed in cap_reached[["fiscal_year", "cap_period", "final_receipt_date"]].itertuples(
        index=False
    ):
        half = next((h for h, p in CAP_PERIOD.items() if p == period), None)
        if half is None or int(fy) not in set(need_years) or pd.isna(observed):
            continue
        numbers = rules.half_split(int(fy))["first_half" if half == "H1" else "second_half"]
        mine = certified[(certified["fiscal_year"] == int(fy)) & (certified["half"] == half)]
        by_day = mine.groupby("day_offset")["workers"].sum().cumsum()
        hit = np.flatnonzero(by_day.to_numpy() >= numbers)
        if not len(hit):
            continue
        reached = pd.Timestamp(half_window(int(fy), half)[0]) + pd.Timedelta(days=int(by_day.index[hit[0]]))
        rows.append(
            {
                "fiscal_year": int(fy),
                "half": half,
                "observed_date": pd.Timestamp(observed),
                "certified_reached_date": reached,
                "lag_days": float((pd.Timestamp(observed) - reached).days),
            }
        )
    return pd.DataFrame(rows, columns=["fiscal_year", "half", "observed_date", "certified_reached_date", "lag_days"])


def filing_lag(calibration: pd.DataFrame | None, half: str) -> tuple[float, str]:
    """The filing lag in days (OFLC certification to USCIS receipt) and a note on how it was set and how far off
    it was for `half`.

    The lag is the median over the second-half rows, the April rush: OFLC certifies those positions in one
    batch, so the delay to the cap is the employers' filing time alone (leave-one-out error in the note). In
    the first half certifications trickle in and not every certified position counts against the cap
    (extensions, changes of employer), so the first-half rows check the lag rather than fit it: their mean
    error is in the first half's note. Without second-half rows all rows are used; without any, the lag is 0.
    """
    if calibration is None or not len(calibration):
        return 0.0, "no filing lag (no published cap date to calibrate on)"
    halves = calibration["half"].to_numpy()
    lags = calibration["lag_days"].to_numpy(float)
    names = np.array([f"FY{y} {h}" for y, h in zip(calibration["fiscal_year"].to_numpy(), halves, strict=False)])
    fit = halves == "H2" if (halves == "H2").any() else np.ones(len(halves), dtype=bool)
    lag = float(np.median(lags[fit]))
    note = f"filing lag {lag:.0f} days: median over the published cap dates of {', '.join(names[fit])}"
    if fit.sum() > 1:
        errors = [abs(np.median(np.delete(lags[fit], i)) - lags[fit][i]) for i in range(int(fit.sum()))]
        note += f" (leave-one-out mean absolute error {np.mean(errors):.0f} days)"
    check = (halves == half) & ~fit
    if check.any():
        note += (
            f"; against the published dates of {', '.join(names[check])} this lag is off by "
            f"{np.mean(lag - lags[check]):+.0f} days on average (negative: early)"
        )
    return lag, note


def estimate(
    fiscal_year: int,
    numbers: dict[str, float],
    demand: dict[str, float],
    profile: pd.DataFrame,
    calibration: pd.DataFrame | None,
    days_saved: float,
    observed: pd.DataFrame,
) -> pd.DataFrame:
    """The `cap_timing` table: per half, the first day where demand x cum_share >= numbers, plus the half's
    filing lag minus `days_saved` by faster processing; the published date where there is one. No date when
    demand <= numbers."""
    halves = profile["half"].to_numpy()
    offsets = profile["day_offset"].to_numpy(float)
    shares = profile["cum_share"].to_numpy(float)
    seen_fy = observed["fiscal_year"].to_numpy()
    seen_period = observed["cap_period"].to_numpy()
    seen_date = observed["final_receipt_date"].to_numpy("datetime64[ns]")
    nat = np.datetime64("NaT", "ns")
    estimates, seen, notes = [], [], []
    for half in HALVES:
        lag, note = filing_lag(calibration, half)
        notes.append(
            f"OFLC certification-date profile of {half} positions; {note}; faster processing saves "
            f"{days_saved:.0f} days"
        )
        value = nat
        mask = halves == half
        if demand[half] > numbers[half] and mask.any():
            order = np.argsort(offsets[mask], kind="stable")
            hit = np.flatnonzero(shares[mask][order] * demand[half] >= numbers[half])
            if len(hit):
                day = round(offsets[mask][order][hit[0]] + lag - days_saved)
                value = np.datetime64(half_window(fiscal_year, half)[0], "ns") + np.timedelta64(int(day), "D")
        estimates.append(value)
        match = np.flatnonzero((seen_fy == fiscal_year) & (seen_period == CAP_PERIOD[half]))
        seen.append(seen_date[match[0]] if len(match) else nat)
    return pd.DataFrame(
        {
            "half": list(HALVES),
            "numbers": [numbers[h] for h in HALVES],
            "demand": [demand[h] for h in HALVES],
            "estimated_cap_reached_date": np.array(estimates, dtype="datetime64[ns]"),
            "observed_cap_reached_date": np.array(seen, dtype="datetime64[ns]"),
            "basis": notes,
        }
    )
