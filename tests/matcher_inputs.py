"""Small hand-made `ModelInputs` for unit tests (synthetic numbers, chosen so results can be worked by hand)."""

from __future__ import annotations

import pandas as pd

from labormatch.model_inputs import ModelInputs


def make_inputs(
    monthly: dict[tuple[str, str], dict[str, float]],
    first_month: str = "2022-10-01",
    months: int = 36,
    origin_shares: dict[str, dict[str, float]] | None = None,
) -> ModelInputs:
    """ModelInputs whose baseline demand is zero except `monthly[(sector, visa_class)][YYYY-MM] = workers`."""
    index = pd.date_range(first_month, periods=months, freq="MS")
    rows = []
    for (sector, visa_class), values in monthly.items():
        for month in index:
            rows.append(
                {
                    "sector": sector,
                    "visa_class": visa_class,
                    "month": month,
                    "shortage_workers": float(values.get(f"{month:%Y-%m}", 0.0)),
                }
            )
    shares = origin_shares or {
        "H-2B": {"Mexico": 0.7, "Guatemala": 0.1, "Jamaica": 0.1, "Honduras": 0.1},
        "H-2A": {"Mexico": 0.9, "South Africa": 0.1},
    }
    origin = pd.DataFrame(
        [{"visa_class": v, "origin": o, "share": s} for v, mix in shares.items() for o, s in mix.items()]
    )
    return ModelInputs(
        baseline_demand=pd.DataFrame(rows),
        origin_shares=origin,
        aewr=pd.DataFrame(
            {"state": ["FL", "GA", "FL"], "year": [2022, 2023, 2023], "aewr_usd_hour": [12.0, 14.0, 16.0]}
        ),
        h2a_state_shares=pd.DataFrame({"state": ["FL", "GA", "WA"], "share": [0.5, 0.25, 0.25]}),
        sector_terms=pd.DataFrame(
            {
                "sector": ["professional_business_services", "accommodation_food_services", "food_manufacturing"],
                "visa_class": "H-2B",
                "contract_weeks": [30.0, 20.0, 25.0],
                "wage_usd_hour": [16.0, 15.0, 14.0],
            }
        ),
        processing_cases=pd.DataFrame(
            {
                "fiscal_year": [2022, 2022, 2023, 2023, 2023],
                "visa_class": ["H-2B", "H-2A", "H-2B", "H-2B", "H-2A"],
                "workers": [10.0, 20.0, 30.0, 10.0, 40.0],
                "processing_days": [40.0, 30.0, 60.0, 20.0, 50.0],
                "slack_days": [-10.0, 5.0, -30.0, 15.0, -15.22],
            }
        ),
        filing_profile=pd.DataFrame(
            {
                "half": ["H2"] * 3 + ["H1"] * 3,
                "day_offset": [-90, -88, -60, -90, -80, -30],
                "cum_share": [0.5, 0.9, 1.0, 0.2, 0.6, 1.0],
            }
        ),
        cap_reached=pd.DataFrame(
            {"fiscal_year": [2023], "cap_period": ["second_half"], "final_receipt_date": [pd.Timestamp("2023-02-27")]}
        ),
        demand_tables={
            "demand_forecast": pd.DataFrame(
                {"visa_class": ["H-2A"], "fiscal_year": [2023], "kind": ["forecast"], "median": [1.0]}
            )
        },
        vintage={"snapshot": "hand-made test inputs"},
    )
