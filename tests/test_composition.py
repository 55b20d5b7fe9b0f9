"""Composition: shares sum to 1, the trend on exact log-linear data, out-of-sample folds, total x share."""

import numpy as np
import pandas as pd
import pytest

from labormatch import composition, demand_baseline


def make_cases(counts: dict[int, dict[str, float]], months: dict[str, int]) -> pd.DataFrame:
    out = []
    for year, by_sector in counts.items():
        for sector, workers in by_sector.items():
            out.append(
                {
                    "visa_class": "H-2B",
                    "fiscal_year": year,
                    "status": "certified",
                    "sector": sector,
                    "workers_certified": workers,
                    "partial_year": False,
                    "worksite_state": "TX",
                    "need_start": pd.Timestamp(f"{year}-{months[sector]:02d}-01"),
                }
            )
    return pd.DataFrame(out)


COUNTS = {
    y: {"construction": 100.0 * 1.2 ** (y - 2010), "accommodation_food_services": 300.0} for y in range(2010, 2018)
}


def test_cell_shares_sum_to_one_and_follow_the_month_profile():
    cases = make_cases(COUNTS, {"construction": 4, "accommodation_food_services": 5})
    comp = composition.Composition(cases, "H-2B", set(COUNTS))
    cells = comp.cell_shares([2025, 2026])
    assert cells.groupby("fiscal_year")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert set(cells["calendar_month"]) == {4, 5}


def test_trend_shares_extrapolate_a_log_linear_drift():
    counts = pd.DataFrame(COUNTS).T
    shares = composition.trend_shares(counts, [2020]).iloc[0]
    ratio = 1.2**10 * 100 / 300  # construction / accommodation in 2020 (smoothing aside)
    assert shares["construction"] / shares["accommodation_food_services"] == pytest.approx(ratio, rel=0.01)


def test_out_of_sample_folds_use_earlier_years_only():
    counts = pd.DataFrame(COUNTS).T
    check = composition.out_of_sample(counts, "H-2B")
    first = check[check["fiscal_year"] == 2014].set_index("sector")
    expected = composition.trend_shares(counts.loc[2010:2013], [2014]).iloc[0]
    assert first["share_trend"].to_dict() == pytest.approx(expected.to_dict())
    assert first["share_last_year"]["construction"] == pytest.approx(100 * 1.2**3 / (100 * 1.2**3 + 300))
    assert composition.trend_wins(check)  # a steady drift: the trend beats last year's shares


def test_sector_demand_is_total_times_share_exactly():
    cases = make_cases(COUNTS, {"construction": 4, "accommodation_food_services": 11})
    comp = composition.Composition(cases, "H-2B", set(COUNTS))
    national = pd.DataFrame(
        {
            "visa_class": "H-2B",
            "fiscal_year": [2025, 2026],
            "median": [1000.0, 1234.5],
            "kind": ["observed", "forecast"],
        }
    )
    base = demand_baseline.baseline(national, {"H-2B": comp}, 2025)
    assert (base["shortage_workers"] == base["national_total"] * base["share"]).all()
    assert base.groupby("fiscal_year")["shortage_workers"].sum().to_numpy() == pytest.approx([1000.0, 1234.5])
    # a November start of FY2026 lies in calendar 2025
    november = base[(base["fiscal_year"] == 2026) & (base["sector"] == "accommodation_food_services")]
    assert november["month"].tolist() == [pd.Timestamp("2025-11-01")]
    assert np.isfinite(base["shortage_workers"]).all()
