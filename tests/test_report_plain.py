"""Plain tables beside the formatted ones (issue 16, item 8): one header row from A1 with units, no merged cells,
values rather than formulas, equal to the formatted sheets' stored values."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import range_boundaries
from report_fixtures import forecast_tables, synthetic_result

from labormatch.report import ReportScenario, write_report
from labormatch.report.plain_tables import SHEETS

BASE = {"pilot_carveouts": [{"sector": "construction", "numbers": 2000, "inside_cap": True}]}
REL = 1e-6


@pytest.fixture(scope="module")
def result():
    return synthetic_result(**BASE)


@pytest.fixture(scope="module")
def path(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("plain") / "r.xlsx"
    scenarios = [ReportScenario("a", result), ReportScenario("b", synthetic_result(**BASE, cap_multiplier=2.0))]
    return write_report(scenarios, out, forecasts=forecast_tables())


@pytest.fixture(scope="module")
def plain(path):
    return pd.read_excel(path, sheet_name=list(SHEETS))


def _formatted(path, sheet: str, name: str) -> pd.DataFrame:
    """A formatted sheet's Excel table as pandas sees it without recalculating (the stored values)."""
    ref = openpyxl.load_workbook(path)[sheet].tables[name].ref
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    frame = pd.read_excel(
        path, sheet_name=sheet, header=None, skiprows=min_row - 1, nrows=max_row - min_row + 1,
        usecols=range(min_col - 1, max_col),
    )  # fmt: skip
    return frame.iloc[1:].set_axis(list(frame.iloc[0]), axis=1).reset_index(drop=True)


def test_each_plain_sheet_is_one_table_from_a1_with_units_and_no_formulas(path, plain):
    wb = openpyxl.load_workbook(path)
    assert list(wb.sheetnames[-len(SHEETS) :]) == list(SHEETS)
    for sheet in SHEETS:
        ws = wb[sheet]
        assert not ws.merged_cells.ranges, sheet
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"], sheet
        (table,) = ws.tables.values()
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        assert (min_col, min_row, max_col, max_row) == (1, 1, ws.max_column, ws.max_row), sheet
        assert len(plain[sheet]) == max_row - 1 > 0, sheet
        assert ws["A1"].comment is not None and "; data through " in ws["A1"].comment.text, sheet
    assert "Allocated (workers)" in plain["Plain allocation"].columns
    assert "Wages earned (USD)" in plain["Plain quotas"].columns
    assert "AEWR (USD/hour)" in plain["Plain H-2A"].columns


def test_plain_values_equal_the_formatted_sheets_stored_values(path, plain, result):
    alloc = _formatted(path, "Demand and allocation", "Allocation")
    mine = plain["Plain allocation"]
    assert list(mine["Tranche"]) == list(alloc["Tranche"])
    for column in ("Demand before tranche (workers)", "Allocated (workers)", "Unmet after tranche (workers)"):
        assert mine[column].to_numpy() == pytest.approx(alloc[column].astype(float).to_numpy(), rel=REL), column
    quotas, mine = _formatted(path, "Quotas", "Quotas"), plain["Plain quotas"]
    assert list(mine["Origin"]) == list(quotas["Origin"]) and list(mine["Season (number)"]) == list(quotas["Season"])
    for plain_column, column in (
        ("Total workers (workers in the season)", "Total workers"),
        ("Returning workers (workers in the season)", "Returning workers"),
        ("Wages carried home (USD)", "Wages carried home (USD)"),
    ):
        expected = quotas[column].astype(float).to_numpy()
        assert mine[plain_column].to_numpy() == pytest.approx(expected, rel=REL, abs=1e-6), column
    h2a = _formatted(path, "H-2A", "H2A")
    assert plain["Plain H-2A"]["Wage bill (USD)"].to_numpy() == pytest.approx(
        h2a["Wage bill (USD)"].astype(float).to_numpy(), rel=REL
    )
    demand = plain["Plain demand"]
    fy = demand[demand["Fiscal year"] == result.assumptions.fiscal_year]
    baseline = _formatted(path, "Demand", "BaselineH2B").set_index("Sector ")["Fiscal year (workers)"].astype(float)
    by_sector = fy[fy["Visa class"] == "H-2B"].groupby("Sector")["Baseline demand (workers)"].sum()
    assert by_sector[by_sector > 0].to_dict() == pytest.approx(baseline.to_dict(), rel=REL)
    assert fy["Demand (workers)"].sum() == pytest.approx(
        result.headline["h2b_demand"] + result.headline["h2a_workers"], rel=REL
    )
    forecasts, mine = _formatted(path, "Forecasts", "Forecasts"), plain["Plain forecasts"]
    assert list(mine["Series id"]) == list(forecasts["Series id"])
    assert mine["Forecast (unit column)"].to_numpy() == pytest.approx(forecasts["Forecast"].astype(float).to_numpy())
    assert set(mine["Unit of the forecast values"]) == {"thousands", "percent"}
