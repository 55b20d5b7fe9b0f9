"""Formula cells carry their computed values: a reader that does not recalculate sees labormatch's numbers."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import range_boundaries
from report_fixtures import assert_live_tables_match, forecast_tables, synthetic_result

from labormatch.report import ReportScenario, write_report
from labormatch.report.stored_values import UnsupportedFormula, _with_values, formula_values

BASE = {"pilot_carveouts": [{"sector": "construction", "numbers": 2000, "inside_cap": True}]}


def _values(cells: dict[str, object], names: dict[str, str] | None = None) -> dict[str, object]:
    """Evaluate a one-sheet workbook ("S") plus a second sheet ("My 'sheet'"); returns S's formula values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    other = wb.create_sheet("My 'sheet'")
    other["A1"], other["A2"] = 4.0, 6.0
    for coord, value in cells.items():
        ws[coord] = value
    for name, ref in (names or {}).items():
        wb.defined_names[name] = openpyxl.workbook.defined_name.DefinedName(name, attr_text=ref)
    return {f"{openpyxl.utils.get_column_letter(c)}{r}": v for (s, r, c), v in formula_values(wb).items() if s == "S"}


def test_arithmetic_and_functions_by_hand():
    got = _values(
        {
            "A1": 2.5,
            "A2": -2.5,
            "A3": 3.0,
            "B1": dt.datetime(2025, 2, 10),
            "C1": "=ROUND(A1,0)",
            "C2": "=ROUND(A2,0)",
            "C3": "=(1+A3)^2/8",
            "C4": "=50%*A3",
            "C5": "=DAY(EOMONTH(B1,0))",
            "C6": "=SUMPRODUCT(A1:A3,'My ''sheet'''!A1:A3)",
            "C7": "=IF(A3>0,A1/A3,0)",
            "C8": "=IF(D1>0,A1/D1,7)",
            "C9": "=MIN(A1:A3)+MAX(A1,A3)+SUM(A1:A3,1)",
            "C10": "=rate*A3",
            "C11": "=A1=2.5",
            "C12": "=-A3+D1",
        },
        names={"rate": "'S'!$A$1"},
    )
    assert got["C1"] == 3.0 and got["C2"] == -3.0, "Excel's ROUND takes halves away from zero"
    assert got["C3"] == 2.0
    assert got["C4"] == 1.5
    assert got["C5"] == 28.0
    assert got["C6"] == 2.5 * 4 + -2.5 * 6 + 0.0, "text and empty cells count as 0 in SUMPRODUCT"
    assert got["C7"] == pytest.approx(2.5 / 3)
    assert got["C8"] == 7.0, "the branch not taken may divide by an empty cell"
    assert got["C9"] == -2.5 + 3.0 + 4.0
    assert got["C10"] == 7.5
    assert got["C11"] is True
    assert got["C12"] == -3.0


@pytest.mark.parametrize("formula", ["=VLOOKUP(A1,B1:C2,2)", '="a"&"b"', "=-A1^2", "=nowhere*2"])
def test_formulas_outside_the_subset_are_refused(formula):
    with pytest.raises(UnsupportedFormula):
        _values({"A1": 1.0, "C1": formula})


def test_text_that_looks_like_a_formula_is_not_evaluated(tmp_path):
    result = synthetic_result(**BASE)
    path = write_report([ReportScenario("=1+1", result, title="= not a formula")], tmp_path / "r.xlsx")
    assert pd.read_excel(path, sheet_name="Summary", header=None).iloc[0, 0] == "labormatch report: = not a formula"


def _pandas_table(path, sheet: str, ref: str) -> pd.DataFrame:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    frame = pd.read_excel(
        path,
        sheet_name=sheet,
        header=None,
        skiprows=min_row - 1,
        nrows=max_row - min_row + 1,
        usecols=range(min_col - 1, max_col),
    )
    return frame.iloc[1:].set_axis(list(frame.iloc[0]), axis=1).reset_index(drop=True)


@pytest.mark.parametrize(
    "assumptions",
    [
        BASE,
        {
            "supplemental_rules_fy": 2022,
            "circular_origins": ["Mexico", "Guatemala"],
            "return_rate": 0.8,
            "cap_multiplier": 1.5,
        },
    ],
)
def test_pandas_without_recalculation_sees_python_numbers(tmp_path, assumptions):
    """Done when of issue 16: every sheet read by pandas.read_excel, each live column filled and equal to Python."""
    result = synthetic_result(**assumptions)
    other = synthetic_result(**{**assumptions, "cap_multiplier": 2.0})
    path = write_report(
        [ReportScenario("a", result), ReportScenario("b", other)], tmp_path / "r.xlsx", forecasts=forecast_tables()
    )
    formulas = openpyxl.load_workbook(path)
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    assert list(sheets) == formulas.sheetnames
    for ws in formulas.worksheets:
        frame = sheets[ws.title]
        empty = [
            c.coordinate
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f" and pd.isna(frame.iat[c.row - 1, c.column - 1])
        ]
        assert empty == [], f"{ws.title}: formula cells without a stored value"
    refs = {(ws.title, name): ref for ws in formulas.worksheets for name, ref in ws.tables.items()}
    assert_live_tables_match(lambda sheet, name: _pandas_table(path, sheet, refs[(sheet, name)]), result, rel=1e-6)
    compared = [name for sheet, name in refs if sheet == "Comparison"]
    side_by_side = [_pandas_table(path, "Comparison", refs[("Comparison", n)]) for n in compared]
    side_by_side = [t for t in side_by_side if "Δ b" in t.columns]
    assert side_by_side, "the Comparison sheet has live Δ columns"
    for t in side_by_side:
        expected = pd.to_numeric(t["b"]).fillna(0.0) - pd.to_numeric(t["a"]).fillna(0.0)
        assert t["Δ b"].astype(float).to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("empty", ["<v/>", "<v />", "<v></v>"])
def test_value_fills_either_form_of_empty_value_element(empty):
    """openpyxl writes an empty formula value as <v/> through ElementTree and as <v></v> through lxml."""
    xml = f'<row r="3"><c r="B3" s="2"><f>A3*2</f>{empty}</c><c r="C3"><f>IF(A3&gt;0,"yes","no")</f>{empty}</c></row>'
    filled = _with_values(xml, {"B3": 4.0, "C3": "yes"})
    assert filled == (
        '<row r="3"><c r="B3" s="2"><f>A3*2</f><v>4.0</v></c>'
        '<c r="C3" t="str"><f>IF(A3&gt;0,"yes","no")</f><v>yes</v></c></row>'
    )
