"""When each half's H-2B statutory numbers run out (the "cap reached" date USCIS announces).

USCIS counts a petition when it receives it, and an employer can file the petition only once OFLC has
certified the labor certification. The estimate therefore follows OFLC *certification* dates::

    reached = half start + d* + filing_lag - days_saved
    d*      = first day offset d with demand x cum_share(d) >= numbers

cum_share(d): share of a half's certified H-2B positions whose OFLC decision came by day d of the half
(decision date minus half start; pooled over the latest complete fiscal years). days_saved: median OFLC
processing days cut by the faster-processing lever. filing_lag (days): certification to USCIS receipt,
calibrated per half on the published cap-reached dates of every fiscal year with complete OFLC cases: for
each, the day that year's own certified positions of the half reached the half's numbers; lag = published
date minus that day. The median lag is used; its leave-one-out mean absolute error is in the `basis` column.

Why certification and not OFLC receipt: applications for April starts are all received on Jan 1-3, while
the big January batch takes 45-60 days to certify, far longer than the year's median; dating the cap from
receipt plus the median processing time ran about a month early against the published dates.

Measured on the embedded snapshot (each fiscal year run with its supplementals), estimate minus published date:
second half FY2017 -1, FY2018 +11 (both in the calibration), FY2020 +14, FY2022 +6, FY2023 +4, FY2024 -4,
FY2025 -2 days (out of sample: no OFLC cases of those years). The first half is weaker: FY2018 +38, FY2024
+63, FY2025 about +100 days. Its lag comes from FY2014-FY2016, when first-half demand was near the cap and
petitions trickled in; since then October starts alone exceed the 33,000 numbers and the cap goes in days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.matcher import HALVES
from labormatch.rules import Rules, half_window
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

CAP_PERIOD = {"H1": "first_half", "H2": "second_half"}
PROFILE_DAYS = (-200, 183)  # decision-day offsets kept in the profile (days from the half start)


def half_and_start(need_start: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Half ('H1' Oct-Mar, 'H2' Apr-Sep) of each start date of need, and that half's first day."""
    month, year = need_start.dt.month, need_start.dt.year
    first = ((month >= 10) | (month <= 3)).to_numpy()
    start_year = np.where(first, year - (month <= 3).astype(int), year)
    half_start = pd.to_datetime(pd.DataFrame({"year": start_year, "month": np.where(first, 10, 4), "day": 1}))
    return np.where(first, "H1", "H2"), pd.Series(half_start.to_numpy(), index=need_start.index)


def cap_years(complete: set[int] | list[int]) -> list[int]:
    """Fiscal years of need whose certifications are all in complete OFLC files: a start in FY Y is decided in
    OFLC's FY Y or, for early first-half starts, FY Y-1 (OFLC files are split by decision date)."""
    done = set(complete)
    return sorted(y for y in done if y - 1 in done)


def certified_h2b(cases: pd.DataFrame, need_years: set[int] | list[int]) -> pd.DataFrame:
    """Certified H-2B cases whose need starts in `need_years`: fiscal_year (of the start of need), half,
    day_offset (decision date minus the first day of that half, days), workers (positions certified)."""
    use = cases[(cases["visa_class"] == "H-2B") & cases["status"].isin(CERTIFIED_STATUSES)].dropna(
        subset=["decision_date", "need_start", "workers_certified"])
    half, start = half_and_start(use["need_start"])
    fiscal_year = start.dt.year.to_numpy() + (half == "H1")
    frame = pd.DataFrame({"fiscal_year": fiscal_year, "half": half,
                          "day_offset": (use["decision_date"] - start).dt.days.to_numpy(),
                          "workers": use["workers_certified"].astype(float).to_numpy()})
    return frame[np.isin(fiscal_year, list(need_years))]


def certification_profile(cases: pd.DataFrame, need_years: set[int] | list[int]) -> pd.DataFrame:
    """half, day_offset, cum_share: share of a half's certified positions decided by that day (pooled over the
    fiscal years of need `need_years`)."""
    frame = certified_h2b(cases, need_years)
    frame = frame[frame["day_offset"].between(*PROFILE_DAYS)]
    prof = frame.groupby(["half", "day_offset"], as_index=False)["workers"].sum()
    prof["cum_share"] = prof.groupby("half")["workers"].cumsum() / prof.groupby("half")["workers"].transform("sum")
    return prof[["half", "day_offset", "cum_share"]]


def filing_lag_calibration(cases: pd.DataFrame, cap_reached: pd.DataFrame, need_years: set[int] | list[int],
                           rules: Rules) -> pd.DataFrame:
    """One row per published half-year cap date of a fiscal year in `need_years`: fiscal_year, half, observed_date,
    certified_reached_date (day that year's certified positions of the half reached its statutory numbers),
    lag_days (observed minus certified_reached). Years whose certified positions never reach the numbers
    are left out."""
    certified = certified_h2b(cases, need_years)
    rows = []
    for fy, period, observed in cap_reached[["fiscal_year", "cap_period", "final_receipt_date"]].itertuples(
            index=False):
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
        rows.append({"fiscal_year": int(fy), "half": half, "observed_date": pd.Timestamp(observed),
                     "certified_reached_date": reached, "lag_days": float((pd.Timestamp(observed) - reached).days)})
    return pd.DataFrame(rows, columns=["fiscal_year", "half", "observed_date", "certified_reached_date", "lag_days"])


def filing_lag(calibration: pd.DataFrame | None, half: str) -> tuple[float, str]:
    """The filing lag of a half in days and a note saying how it was set and how far off it was.

    The lag is the median of that half's calibration rows (all rows when the half has none; 0 without any);
    the note gives the leave-one-out mean absolute error (days). The halves differ: April starts file their
    petitions as soon as they are certified, first-half starts spread their filings over the season."""
    if calibration is None or not len(calibration):
        return 0.0, "no filing lag (no published cap date to calibrate on)"
    halves = calibration["half"].to_numpy()
    pick = halves == half if (halves == half).any() else np.ones(len(halves), dtype=bool)
    lags = calibration["lag_days"].to_numpy(float)[pick]
    lag = float(np.median(lags))
    years = ", ".join(f"FY{y} {h}" for y, h in zip(calibration["fiscal_year"].to_numpy()[pick], halves[pick]))
    if len(lags) == 1:
        return lag, f"filing lag {lag:.0f} days from the published cap date of {years}"
    errors = [abs(np.median(np.delete(lags, i)) - lags[i]) for i in range(len(lags))]
    return lag, (f"filing lag {lag:.0f} days: median over the published cap dates of {years} "
                 f"(leave-one-out mean absolute error {np.mean(errors):.0f} days)")


def estimate(fiscal_year: int, numbers: dict[str, float], demand: dict[str, float], profile: pd.DataFrame,
             calibration: pd.DataFrame | None, days_saved: float, observed: pd.DataFrame) -> pd.DataFrame:
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
        notes.append(f"OFLC certification-date profile of {half} positions; {note}; faster processing saves "
                     f"{days_saved:.0f} days")
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
    return pd.DataFrame({
        "half": list(HALVES), "numbers": [numbers[h] for h in HALVES], "demand": [demand[h] for h in HALVES],
        "estimated_cap_reached_date": np.array(estimates, dtype="datetime64[ns]"),
        "observed_cap_reached_date": np.array(seen, dtype="datetime64[ns]"),
        "basis": notes,
    })
