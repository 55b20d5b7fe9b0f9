"""The H-2A wage bill: H-2A workers spread over states and paid the Adverse Effect Wage Rate (USD)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def h2a_wage_bill(
    workers: float,
    fiscal_year: int,
    state_shares: pd.DataFrame,
    aewr: pd.DataFrame,
    weeks: float,
    hours_per_week: float,
) -> pd.DataFrame:
    """H-2A workers by state at the AEWR: wage_bill_usd = workers x weeks x hours_per_week x aewr_usd_hour.

    The AEWR year is the latest listed year not after `fiscal_year` (the earliest listed year when none is);
    each state takes its latest rate up to that year; states with no listed rate get the mean of the states
    listed for that year (aewr_basis says which).
    """
    years = aewr["year"].to_numpy(int)
    rates = aewr["aewr_usd_hour"].to_numpy(float)
    earlier = years[years <= fiscal_year]
    year = int(earlier.max()) if len(earlier) else int(years.min())
    order = np.argsort(years, kind="stable")
    known = {
        st: (yr, rate)
        for st, yr, rate in zip(aewr["state"].to_numpy()[order], years[order], rates[order], strict=True)
        if yr <= year
    }  # later years overwrite earlier ones
    year_mean = float(rates[years == year].mean())
    states = state_shares["state"].to_numpy()
    rate = np.array([known[st][1] if st in known else year_mean for st in states], dtype=float)
    basis = [f"state {known[st][0]}" if st in known else f"mean of listed states {year}" for st in states]
    count = workers * state_shares["share"].to_numpy(float)
    return pd.DataFrame(
        {
            "state": states,
            "workers": count,
            "aewr_usd_hour": rate,
            "aewr_basis": basis,
            "weeks": float(weeks),
            "hours_per_week": float(hours_per_week),
            "wage_bill_usd": count * float(weeks) * float(hours_per_week) * rate,
        }
    )
