"""Small synthetic model inputs for report tests (unit-test data only, never shown to users).

Demand is set high enough that the H-2B tranches bind, so the live allocation formulas are exercised on
rationing, carry-over, returning-only pools and a country set-aside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labormatch.assumptions import Assumptions
from labormatch.crosswalk import sector_labels
from labormatch.fiscal import fiscal_years
from labormatch.model import ScenarioResult, run_scenario
from labormatch.model_inputs import ModelInputs
from labormatch.report import ForecastTables
from labormatch.report.formulas import SHEET as MODEL_SHEET
from labormatch.report.sheets import quota_frame, shown_allocation

SECTORS_H2B = ("accommodation_food_services", "construction", "professional_business_services")


def synthetic_inputs() -> ModelInputs:
    months = pd.date_range("2023-10-01", "2027-09-01", freq="MS")
    rows = []
    for k, sector in enumerate(SECTORS_H2B):
        for i, month in enumerate(months):
            seasonal = 1.0 + 0.8 * np.sin(2 * np.pi * (month.month - 1) / 12)
            rows.append((sector, "H-2B", month, (6000 + 2500 * k) * seasonal + 10 * i))
    for i, month in enumerate(months):
        rows.append(("agriculture", "H-2A", month, 30000 + 500 * (month.month % 6) + 20 * i))
    baseline = pd.DataFrame(rows, columns=["sector", "visa_class", "month", "shortage_workers"])
    origin = pd.DataFrame(
        {
            "visa_class": ["H-2B"] * 4 + ["H-2A"] * 3,
            "origin": ["Mexico", "Guatemala", "Jamaica", "Honduras", "Mexico", "Guatemala", "South Africa"],
            "share": [0.70, 0.12, 0.10, 0.08, 0.90, 0.04, 0.06],
        }
    )
    aewr = pd.DataFrame({"state": ["FL", "CA", "GA"], "year": [2025] * 3, "aewr_usd_hour": [14.77, 19.97, 14.68]})
    states = pd.DataFrame({"state": ["FL", "CA", "GA", "NC"], "share": [0.4, 0.3, 0.2, 0.1]})
    terms = pd.DataFrame(
        {
            "sector": [*list(SECTORS_H2B), "agriculture"],
            "visa_class": ["H-2B"] * 3 + ["H-2A"],
            "contract_weeks": [30.0, 36.0, 32.0, 24.0],
            "wage_usd_hour": [16.5, 21.0, 18.25, 15.0],
        }
    )
    rng = np.random.default_rng(7)
    cases = pd.DataFrame(
        {
            "fiscal_year": np.repeat([2023, 2024], 40),
            "visa_class": np.tile(["H-2B", "H-2A"], 40),
            "workers": rng.integers(1, 40, 80).astype(float),
            "processing_days": rng.integers(20, 90, 80).astype(float),
            "slack_days": rng.integers(-30, 60, 80).astype(float),
        }
    )
    profile = pd.DataFrame(
        {
            "half": ["H1"] * 3 + ["H2"] * 3,
            "day_offset": [-90, -80, -60] * 2,
            "cum_share": [0.2, 0.6, 1.0, 0.5, 0.9, 1.0],
        }
    )
    reached = pd.DataFrame(
        {"fiscal_year": [2025], "cap_period": ["second_half"], "final_receipt_date": [pd.Timestamp("2025-03-05")]}
    )
    backtest = pd.DataFrame(
        {
            "visa_class": ["H-2A", "H-2A"],
            "fiscal_year": [2023, 2024],
            "origin": pd.to_datetime(["2022-12-31", "2023-12-31"]),
            "last_known_year": [2022, 2023],
            "horizon": [1, 1],
            "actual": [100.0, 110.0],
            "model": [104.0, 108.0],
            "lo80": [95.0, 100.0],
            "hi80": [113.0, 117.0],
            "lo95": [90.0, 95.0],
            "hi95": [120.0, 123.0],
            "naive_last": [98.0, 100.0],
            "naive_growth": [106.0, 112.0],
            "check": "positions_certified",
            "model_error_pct": [4.0, -1.8181818],
            "naive_last_error_pct": [-2.0, -9.0909091],
            "naive_growth_error_pct": [6.0, 1.8181818],
            "inside80": [True, True],
            "inside95": [True, True],
        }
    )
    national, totals = national_tables(baseline)
    return ModelInputs(
        baseline,
        origin,
        aewr,
        states,
        terms,
        cases,
        profile,
        reached,
        {"demand_backtest": backtest, "demand_forecast": national, "control_totals": totals},
        vintage={
            "snapshot": "synthetic test data",
            "built": "2026-01-01",
            "complete_fiscal_years": {"H-2A": [2023], "H-2B": [2022, 2023]},
        },
    )


def national_tables(baseline: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A national table (demand_forecast) whose totals are the synthetic baseline's fiscal-year sums (H-2A
    observed with a control-total row, H-2B forecast with intervals), so the baseline is total x share."""
    sums = (
        baseline.assign(fiscal_year=fiscal_years(baseline["month"]))
        .groupby(["visa_class", "fiscal_year"], as_index=False)["shortage_workers"]
        .sum()
    )
    national = sums.rename(columns={"shortage_workers": "median"}).assign(
        kind=np.where(sums["visa_class"] == "H-2A", "observed", "forecast"), horizon=0, log_sd=0.0, driver=0.0
    )
    spread = np.where(national["kind"] == "forecast", 0.2, 0.0)
    for name, z in (("lo80", -1.28), ("hi80", 1.28), ("lo95", -1.96), ("hi95", 1.96)):
        national[name] = national["median"] * np.exp(z * spread)
    national["basis"] = np.where(national["kind"] == "forecast", "synthetic growth model", "synthetic published figure")
    h2a = national[national["visa_class"] == "H-2A"]
    totals = pd.DataFrame(
        {
            "visa_class": "H-2A",
            "fiscal_year": h2a["fiscal_year"],
            "period": "FY",
            "month": pd.NaT,
            "measure": "positions_certified",
            "value": h2a["median"],
            "unit": "positions",
            "source": "synthetic published figure",
            "kind": "published",
            "published": pd.to_datetime([f"{y}-12-31" for y in h2a["fiscal_year"]]),
            "published_basis": "synthetic",
            "verified": "no",
            "partial": False,
            "note": "",
        }
    )
    return national, totals


def synthetic_result(**assumptions) -> ScenarioResult:
    """A scenario run on the synthetic inputs (FY2025 unless told otherwise)."""
    return run_scenario(Assumptions(**{"fiscal_year": 2025, **assumptions}), synthetic_inputs())


def forecast_tables() -> ForecastTables:
    """Forecasts of three series in two sectors, and backtests of two candidate models for one of them."""
    dates = pd.date_range("2025-01-01", periods=6, freq="MS")
    forecast = pd.DataFrame(
        {
            "sector": "construction",
            "series": "openings",
            "series_id": "JTS230000000000000JOL",
            "date": dates,
            "mean": [300.0, 310, 320, 330, 340, 350],
        }
    )
    forecast = forecast.assign(
        lo80=forecast["mean"] - 20,
        hi80=forecast["mean"] + 20,
        lo95=forecast["mean"] - 35,
        hi95=forecast["mean"] + 35,
        model="ets",
    )
    forecast = forecast.assign(data_through=pd.Timestamp("2024-12-01"), unit="thousands", proxy_of="", stale=False)
    other = forecast.assign(
        sector="accommodation_food_services",
        series="quits_rate",
        series_id="JTS720000000000000QUR",
        unit="percent",
        proxy_of="JOLTS leisure and hospitality (700000)",
    )
    stale = other.assign(
        series="hires",
        series_id="JTU720000000000000HIL",
        data_through=pd.Timestamp("2022-08-01"),
        unit="thousands",
        proxy_of="",
        stale=True,
    )
    forecast = pd.concat(
        [forecast, other, other.assign(series="openings_rate", series_id="JTS720000000000000JOR"), stale]
    )
    backtest = pd.DataFrame(
        {
            "series_id": ["JTS230000000000000JOL"] * 2,
            "sector": "construction",
            "series": "openings",
            "model": ["ets", "sarimax"],
            "mase": [0.8, 0.9],
            "snaive_mase": [1.0, 1.0],
            "smape": [0.05, 0.06],
            "coverage80": [0.82, 0.7],
            "coverage95": [0.96, 0.9],
            "origins": [12, 12],
        }
    )
    return ForecastTables(forecast, backtest)


def assert_live_tables_match(table, result, h2b_quotas: bool = True, rel: float = 1e-9) -> None:
    """Every live formula column equals the Python result (the "as exported" columns are not read).

    table(sheet, name) returns the Excel table `name` of `sheet` as a DataFrame with its header row.

    h2b_quotas=False: the workbook was exported with no H-2B worker admitted, so its Quotas sheet has no H-2B
    rows to recalculate; the H-2B quotas and the headline figures summed over them are not compared.
    """
    alloc = table("Demand and allocation", "Allocation")
    expected = shown_allocation(result)
    assert list(alloc["Tranche"]) == list(expected["tranche"])
    full = result.tables["allocation"]
    assert (full.loc[~full["sector"].isin(expected["sector"]), "allocated"] == 0).all()
    for col, key in (
        ("Demand before tranche (workers)", "demand"),
        ("Allocated (workers)", "allocated"),
        ("Unmet after tranche (workers)", "unmet"),
    ):
        assert alloc[col].astype(float).to_numpy() == pytest.approx(expected[key].to_numpy(), rel=rel, abs=1e-6), col
    tranches = table(MODEL_SHEET, "TrancheModel").set_index("Tranche")
    python_tranches = result.tables["tranches"].set_index("tranche")
    assert tranches["Numbers (workers)"].astype(float).to_dict() == pytest.approx(python_tranches["size"].to_dict())
    assert tranches["Used (workers)"].astype(float).to_dict() == pytest.approx(
        python_tranches["used"].to_dict(), rel=rel
    )
    by_sector = table(MODEL_SHEET, "AllocationBySector")
    python_by_sector = result.tables["h2b_by_sector"].assign(label=lambda t: t["sector"].map(sector_labels()))
    merged = by_sector.merge(python_by_sector, left_on=["Sector", "Half"], right_on=["label", "half"])
    assert len(merged) == len(result.tables["h2b_by_sector"])
    assert merged["Unmet (workers)"].astype(float).to_numpy() == pytest.approx(
        merged["unmet"].to_numpy(), rel=rel, abs=1e-6
    )
    quotas = table("Quotas", "Quotas")
    python_quotas = quota_frame(result)
    if not h2b_quotas:
        assert set(quotas["Visa class"]) == {"H-2A"}
        python_quotas = python_quotas[python_quotas["visa_class"] == "H-2A"].reset_index(drop=True)
    for col, key in (
        ("Total workers", "total_workers"),
        ("Returning workers", "returning_workers"),
        ("New workers", "new_workers"),
        ("Non-returning (workers)", "non_returning"),
        ("Overstays (workers)", "overstays"),
        ("Wages earned (USD)", "wages_earned_usd"),
        ("Wages carried home (USD)", "wages_carried_home_usd"),
    ):
        assert quotas[col].astype(float).to_numpy() == pytest.approx(
            python_quotas[key].to_numpy(), rel=rel, abs=1e-6
        ), col
    demand = result.tables["demand"]
    demand = demand[demand["fiscal_year"] == result.assumptions.fiscal_year]
    for visa_class in ("H-2B", "H-2A"):
        baseline = table("Demand", f"Baseline{visa_class.replace('-', '')}").set_index("Sector ")
        python = demand[demand["visa_class"] == visa_class].groupby("sector")["shortage_workers"].sum()
        python = python[python > 0].rename(index=sector_labels())
        assert baseline["Fiscal year (workers)"].astype(float).to_dict() == pytest.approx(python.to_dict(), rel=rel)
    live_demand = table("Demand", "DemandIntervals")
    for (visa_class, half), value in live_demand.set_index(["Visa class", "Half"])[
        "Demand, live formulas (workers)"
    ].items():
        mine = demand[(demand["visa_class"] == visa_class) & ((demand["half"] == half) | (half == "fiscal year"))]
        assert float(value) == pytest.approx(mine["demand_workers"].sum(), rel=rel), (visa_class, half)
    assert len(live_demand) == 4
    h2a = table("H-2A", "H2A")
    assert h2a["Wage bill (USD)"].astype(float).to_numpy() == pytest.approx(
        result.tables["h2a"]["wage_bill_usd"].to_numpy(), rel=rel
    )
    check = table("Summary", "LiveCheck").set_index("Figure")["Live formulas"].astype(float)
    figures = [
        ("H-2B workers admitted", "h2b_allocated"),
        ("H-2B demand unmet", "h2b_unmet"),
        ("H-2A wage bill (USD)", "h2a_wage_bill_usd"),
    ]
    if h2b_quotas:
        figures += [
            ("New worker-seasons, all seasons", "new_workers"),
            ("Returning worker-seasons, all seasons", "returning_workers"),
            ("Wages carried home, all seasons (USD)", "wages_carried_home_usd"),
        ]
    for figure, key in figures:
        assert check[figure] == pytest.approx(result.headline[key], rel=rel), figure
