"""The workbook's Intervals sheet beside the live model: the intervals of the demand draws, or a note."""

import io
from dataclasses import replace

import openpyxl
import pytest
from example_inputs import demand_inputs
from test_draws import uncertainty

from labormatch.assumptions import Assumptions
from labormatch.model import run_scenario
from labormatch.report import ReportScenario, report_bytes
from labormatch.report.formulas import SHEET as MODEL_SHEET
from labormatch.report.intervals_sheet import SHEET


def workbook(inputs):
    result = run_scenario(Assumptions(fiscal_year=2024, demand_draws=300), inputs)
    return result, openpyxl.load_workbook(io.BytesIO(report_bytes([ReportScenario("base", result)])))


@pytest.fixture(scope="module")
def with_draws():
    return workbook(replace(demand_inputs(), demand_uncertainty=uncertainty(log_sd=0.25, share_sd=0.1)))


def table_rows(ws, name):
    ref = ws.tables[name].ref
    rows = [[cell.value for cell in row] for row in ws[ref]]
    return rows[0], rows[1:]


def test_the_sheet_follows_the_live_model(with_draws):
    names = with_draws[1].sheetnames
    assert names.index(SHEET) == names.index(MODEL_SHEET) + 1


def test_the_intervals_table_holds_every_figure_with_its_bands(with_draws):
    result, wb = with_draws
    ws = wb[SHEET]
    header, rows = table_rows(ws, "Intervals")
    assert header[:6] == ["Measure", "Half", "Tranche", "Unit", "Central path (live model)", "Median"]
    unmet = next(r for r in rows if r[:3] == ["h2b_unmet", "all", "all"])
    want = result.tables["intervals"].set_index(["measure", "half", "tranche"]).loc[("h2b_unmet", "all", "all")]
    assert unmet[4] == pytest.approx(result.headline["h2b_unmet"]) and unmet[7] == pytest.approx(want["hi80"])
    assert unmet[-2:] == [300, int(want["seed"])]
    _, odds = table_rows(ws, "LotteryOdds")
    assert odds[0][:3] == ["h2b_h2_selection_probability", "H2", "statutory_h2"]
    first_odds = ws[ws.tables["LotteryOdds"].ref.split(":")[0]].row + 1
    assert ws.cell(first_odds, 5).number_format == "0.0%"
    assert ws.cell(first_odds, 5).value == pytest.approx(result.headline["h2b_h2_selection_probability"])
    _, dates = table_rows(ws, "CapReachedDates")
    assert [d[0] for d in dates] == ["H1", "H2"]
    assert len(ws._charts) == 1
    assert "over 300 demand draws" in ws["A2"].value


def test_without_uncertainty_the_sheet_says_there_is_no_interval():
    _, wb = workbook(demand_inputs())
    ws = wb[SHEET]
    assert not ws.tables and not ws._charts
    assert "no interval: the demand model gave no uncertainty (FY2024)" in ws["A4"].value
