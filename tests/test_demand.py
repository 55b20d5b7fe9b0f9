"""Demand sizing: fillable share, domestic offset and wage-floor effect on the calibrated baseline."""

import pandas as pd
import pytest

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.demand import size_demand, wage_factor

BASE = pd.DataFrame(
    {
        "sector": "construction",
        "visa_class": "H-2B",
        "month": pd.date_range("2023-10-01", periods=24, freq="MS"),
        "shortage_workers": 100.0,
    }
)


def test_demand_formula_by_hand():
    a = Assumptions(
        fiscal_year=2024,
        fillable_share=0.5,
        fillable_share_by_sector={"construction": 0.8},
        domestic_recruitment_offset=0.25,
        wage_floor_change_pct=10,
        wage_floor_elasticity=-1,
    )
    table = size_demand(BASE, a)
    # 100 x 0.8 x (1 - 0.25) x 1.1 ^ -1 = 54.545...
    assert table["demand_workers"].iloc[0] == pytest.approx(100 * 0.8 * 0.75 / 1.1)
    assert len(table) == 24
    assert table["half"].iloc[:6].eq("H1").all() and table["half"].iloc[6:12].eq("H2").all()
    assert table["fiscal_year"].iloc[[0, 11, 12]].tolist() == [2024, 2024, 2025]


def test_wage_factor_is_one_without_a_wage_change():
    assert wage_factor(Assumptions(wage_floor_elasticity=-2)) == 1.0


def test_fiscal_year_outside_the_data_names_the_field():
    with pytest.raises(AssumptionsError, match="fiscal_year: FY2023 needs demand for 2022-10 to 2023-09"):
        size_demand(BASE, Assumptions(fiscal_year=2023))
