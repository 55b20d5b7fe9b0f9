"""Sector shortage forecast -> H-2A / H-2B demand by month and half-year.

Scenario arithmetic (pure, per sector x visa class x month)::

    wage_factor    = (1 + wage_floor_change_pct / 100) ^ wage_floor_elasticity
    demand_workers = shortage_workers x fillable_share[sector] x (1 - domestic_recruitment_offset) x wage_factor

`shortage_workers` is the calibrated baseline in `ModelInputs.baseline_demand`: workers whose H-2 job would
start in the month (see `labormatch.calibration` for how it is estimated from the shortage indicators).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.rules import fiscal_year_start


def wage_factor(assumptions: Assumptions) -> float:
    """Demand multiplier of a wage-floor change: (1 + change/100) ^ elasticity."""
    return (1.0 + assumptions.wage_floor_change_pct / 100.0) ** assumptions.wage_floor_elasticity


def horizon(fiscal_year: int, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month of the horizon, starting at the fiscal year's first month."""
    start = pd.Timestamp(fiscal_year_start(fiscal_year))
    return start, start + pd.DateOffset(months=months - 1)


def size_demand(baseline: pd.DataFrame, assumptions: Assumptions) -> pd.DataFrame:
    """The `demand` table over the horizon; the chosen fiscal year's 12 months must be in the baseline."""
    start, end = horizon(assumptions.fiscal_year, assumptions.horizon_months)
    fy_end = start + pd.DateOffset(months=11)
    months = baseline["month"]
    if months.min() > start or months.max() < fy_end:
        raise AssumptionsError(
            f"fiscal_year: FY{assumptions.fiscal_year} needs demand for {start:%Y-%m} to {fy_end:%Y-%m}, but the "
            f"data cover {months.min():%Y-%m} to {months.max():%Y-%m}"
        )
    out = baseline[(months >= start) & (months <= end)].copy()
    month_num = out["month"].dt.month
    out["fiscal_year"] = out["month"].dt.year + (month_num >= 10).astype(int)
    out["half"] = month_num.map(lambda m: "H1" if m >= 10 or m <= 3 else "H2")
    out["fillable_share"] = out["sector"].map(assumptions.fillable)
    out["domestic_offset"] = assumptions.domestic_recruitment_offset
    out["wage_factor"] = wage_factor(assumptions)
    out["demand_workers"] = (out["shortage_workers"] * out["fillable_share"] * (1.0 - out["domestic_offset"])
                             * out["wage_factor"])
    return out[["sector", "visa_class", "month", "fiscal_year", "half", "shortage_workers", "fillable_share",
                "domestic_offset", "wage_factor", "demand_workers"]].sort_values(
        ["sector", "visa_class", "month"]).reset_index(drop=True)


def fiscal_year_matrix(demand: pd.DataFrame, visa_class: str, fiscal_year: int, sectors: list[str],
                       months: list[dt.date]) -> pd.DataFrame:
    """demand_workers of one visa class and fiscal year as a sectors x months frame (zeros where absent)."""
    part = demand[(demand["visa_class"] == visa_class) & (demand["fiscal_year"] == fiscal_year)]
    wide = part.pivot_table(index="sector", columns="month", values="demand_workers", aggfunc="sum")
    return wide.reindex(index=sectors, columns=[pd.Timestamp(m) for m in months]).fillna(0.0)
