"""Scenario sizing: baseline H-2A / H-2B demand -> the demand the caps are applied to.

Pure arithmetic, per sector x visa class x month::

    wage_factor    = (1 + wage_floor_change_pct / 100) ^ wage_floor_elasticity
    demand_workers = shortage_workers x fillable_share[sector] x (1 - domestic_recruitment_offset) x wage_factor

`shortage_workers` is the baseline in `ModelInputs.baseline_demand` (workers whose H-2 job would start in the
month): national positions certified x composition share, built by `labormatch.demand_baseline`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.fiscal import MONTHS_PER_YEAR, fiscal_year_start, fiscal_years, halves, month_positions


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
    fy_end = start + pd.DateOffset(months=MONTHS_PER_YEAR - 1)
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
    fillable = {s: assumptions.fillable(s) for s in set(sector)}
    fill = np.array([fillable[s] for s in sector], dtype=float)
    offset = assumptions.domestic_recruitment_offset
    factor = wage_factor(assumptions)
    out = pd.DataFrame(
        {
            "sector": sector,
            "visa_class": baseline["visa_class"].to_numpy()[keep],
            "month": month,
            "fiscal_year": fiscal_years(month),
            "half": halves(month),
            "shortage_workers": shortage,
            "fillable_share": fill,
            "domestic_offset": offset,
            "wage_factor": factor,
            "demand_workers": shortage * fill * (1.0 - offset) * factor,
        }
    )
    return out


def fiscal_year_matrix(demand: pd.DataFrame, visa_class: str, fiscal_year: int, sectors: list[str]) -> np.ndarray:
    """demand_workers of one visa class and fiscal year as a sectors x 12 months array (Oct..Sep, zeros where
    absent)."""
    keep = (demand["visa_class"].to_numpy() == visa_class) & (demand["fiscal_year"].to_numpy() == fiscal_year)
    month = demand["month"].to_numpy("datetime64[ns]")[keep]
    column = month_positions(month, fiscal_year)
    index = {s: i for i, s in enumerate(sectors)}
    row = np.array([index[s] for s in demand["sector"].to_numpy()[keep]], dtype=int)
    out = np.zeros((len(sectors), MONTHS_PER_YEAR))
    np.add.at(out, (row, column), demand["demand_workers"].to_numpy(float)[keep])
    return out


def complete_fiscal_years(cases: pd.DataFrame) -> dict[str, set[int]]:
    """Fiscal years (by decision) whose OFLC disclosure is full-year, per visa class."""
    flags = cases.groupby(["visa_class", "fiscal_year"])["partial_year"].any().reset_index()
    full = flags[~flags["partial_year"].astype(bool)]
    return {str(v): set(int(y) for y in g["fiscal_year"]) for v, g in full.groupby("visa_class")}
