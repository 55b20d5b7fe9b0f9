"""The live model recalculated by LibreOffice headless equals labormatch's own numbers.

Two checks: the workbook as exported (formulas reproduce the Python result cell by cell), and the same
workbook after an "economist" edits the yellow input cells (the recalculated formulas equal a fresh
Python run with those assumptions).
"""

from __future__ import annotations

from pathlib import Path

import libreoffice
import openpyxl
import pandas as pd
import pytest
from report_fixtures import assert_live_tables_match, synthetic_result

from labormatch.report import ReportScenario, write_report

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

BASE = {"pilot_carveouts": [{"sector": "construction", "numbers": 2000, "inside_cap": True}]}
HOSTILE = '=HYPERLINK("http://x","y")'
REL = 1e-9


def _table(ws, name: str) -> pd.DataFrame:
    first, last = ws.tables[name].ref.split(":")
    rows = [[c.value for c in row] for row in ws[first:last]]
    return pd.DataFrame(rows[1:], columns=rows[0])


def _recalculated(result, tmp_path: Path, edits: dict[str, float] | None = None, name: str = "base"):
    path = write_report([ReportScenario(name, result, notes=HOSTILE)], tmp_path / "report.xlsx")
    if edits:
        wb = openpyxl.load_workbook(path)
        for key, value in edits.items():
            sheet, cell = next(wb.defined_names[key].destinations)
            wb[sheet][cell].value = value
        path = tmp_path / "edited.xlsx"
        wb.save(path)
    return openpyxl.load_workbook(libreoffice.recalculate(path, tmp_path / "recalculated"), data_only=True)


def _assert_matches(wb, result, h2b_quotas: bool = True):
    assert_live_tables_match(lambda sheet, name: _table(wb[sheet], name), result, h2b_quotas)


def test_recalculated_formulas_equal_python(tmp_path):
    result = synthetic_result(**BASE)
    assert result.headline["h2b_unmet"] > 0, "the test data must make the caps bind"
    wb = _recalculated(result, tmp_path)
    _assert_matches(wb, result)
    errors = [
        (ws.title, c.coordinate)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and (c.value.startswith("#") or c.value.startswith("Err:"))
    ]
    assert errors == []
    notes = [c for row in wb["Summary"].iter_rows() for c in row if c.value == HOSTILE]
    assert len(notes) == 1, "the hostile note stays the literal text, not a hyperlink formula"
    formulas = openpyxl.load_workbook(tmp_path / "report.xlsx")
    stored = openpyxl.load_workbook(tmp_path / "report.xlsx", data_only=True)
    cells = [
        (ws.title, c.coordinate)
        for ws in formulas.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert len(cells) > 500
    for sheet, coord in cells:
        recalculated, kept = wb[sheet][coord].value, stored[sheet][coord].value
        if isinstance(recalculated, (int, float)):
            assert kept == pytest.approx(recalculated, rel=REL, abs=1e-4), (sheet, coord)  # LibreOffice snaps a-b to 0
        else:
            assert kept == recalculated, (sheet, coord)


# FY2022 tranches (country set-asides for Central America and Haiti), a carve-out on top of the cap, and a
# circular program restricted to two origins (so the set-aside's country share is Guatemala's rescaled share),
# and a sector with its own fillable share (it keeps it when the general share is edited).
OTHER_RULES = {
    "supplemental_rules_fy": 2022,
    "circular_origins": ["Mexico", "Guatemala"],
    "fillable_share_by_sector": {"construction": 0.6},
    "pilot_carveouts": [{"sector": "accommodation_food_services", "numbers": 3000, "inside_cap": False}],
}


def test_edited_assumptions_move_the_results_like_python(tmp_path):
    changed = {
        "cap_multiplier": 1.5,
        "first_half_share": 0.4,
        "return_rate": 0.8,
        "overstay_rate": 0.05,
        "need_growth_per_season": 0.1,
        "carried_home_share": 0.35,
        "fillable_share": 0.8,
        "domestic_recruitment_offset": 0.1,
        "wage_floor_change_pct": 20.0,
        "wage_floor_elasticity": -0.5,
    }
    expected = synthetic_result(**OTHER_RULES, **changed)
    before = synthetic_result(**OTHER_RULES)
    assert expected.headline["h2b_allocated"] != pytest.approx(before.headline["h2b_allocated"])
    wb = _recalculated(before, tmp_path, edits=changed)
    _assert_matches(wb, expected)


# No H-2B worker admitted: cap 0, no returning-worker pool, and an origin mix with no national of the FY2022
# Central America/Haiti set-asides. Raising the cap, the return rate and Guatemala's share in the workbook must
# give Python's allocation, which needs the H-2B origin shares the model used as named cells; each class's
# shares are edited apart (H-2A's quotas follow its own cells).
NO_H2B = {
    "supplemental_rules_fy": 2022,
    "h2b_cap": 0,
    "return_rate": 0.0,
    "h2a_origin_shares": {"Mexico": 1.0, "Guatemala": 0.0},
    "h2b_origin_shares": {"Mexico": 1.0, "Guatemala": 0.0},
}
RAISED = {"h2b_cap": 50000, "return_rate": 0.5}
MIX = {"H-2A": {"Mexico": 0.9, "Guatemala": 0.1}, "H-2B": {"Mexico": 0.7, "Guatemala": 0.3}}


def test_zero_h2b_admitted_then_a_raised_cap_like_python(tmp_path):
    before = synthetic_result(**NO_H2B)
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    assert before.headline["h2b_allocated"] == 0 and before.headline["h2b_demand"] > 0
    _assert_matches(_recalculated(before, tmp_path / "before"), before, h2b_quotas=False)
    edits = {**RAISED, **{f"share_h_2{v[-1].casefold()}_{o.casefold()}": s for v in MIX for o, s in MIX[v].items()}}
    expected = synthetic_result(
        **{**NO_H2B, **RAISED, "h2a_origin_shares": MIX["H-2A"], "h2b_origin_shares": MIX["H-2B"]}
    )
    setaside = expected.tables["tranches"].set_index("tranche").loc["fy2022_h2_central_america_haiti", "used"]
    assert setaside > 0, "the raised scenario must use the country set-aside"
    _assert_matches(_recalculated(before, tmp_path / "after", edits=edits), expected, h2b_quotas=False)


def test_real_snapshot_recalculates_like_python(tmp_path):
    """The shipped data snapshot: every sector, the DOS origin mix, the FY2025 tranches."""
    from labormatch.assumptions import Assumptions
    from labormatch.errors import SnapshotError
    from labormatch.model import run_scenario
    from labormatch.model_inputs import load_inputs

    try:
        inputs = load_inputs()
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")
    result = run_scenario(Assumptions(), inputs)
    _assert_matches(_recalculated(result, tmp_path), result)


def test_rendered_summary_shows_the_numbers_and_the_literal_name(tmp_path):
    """What a reader sees (LibreOffice -> PDF -> PNG): the title, the reading, and hostile notes as text."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed")
    result = synthetic_result(**BASE)
    path = write_report([ReportScenario("plain", result, title="Rendered", notes=HOSTILE)], tmp_path / "report.xlsx")
    pages = libreoffice.render_png(path, tmp_path / "png", resolution=40)
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "png" / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "labormatch report: Rendered" in text
    assert f"about {result.headline['h2b_demand']:,.0f} H-2B workers" in text
    assert HOSTILE in text, "a formula would have shown its result, y, instead of the text"


def test_origin_shares_off_100_show_in_the_check_cell(tmp_path):
    """An economist sets Mexico's H-2B share to 50% less than before: the check cell beside the shares recalculates
    to the new total (its conditional format, red off 100%, is checked in test_report.py)."""
    result = synthetic_result(**BASE)
    shares = result.tables["origin_mix"].query("visa_class == 'H-2B'").set_index("origin")["share"]
    wb = _recalculated(result, tmp_path, edits={"share_h_2b_mexico": float(shares["Mexico"]) - 0.5})
    ws = wb["Assumptions"]
    check = next(
        ws.cell(c.row, c.column + 1).value
        for row in ws.iter_rows()
        for c in row
        if c.value == "Check: Origin shares (H-2B) sum to 100%"
    )
    assert check == pytest.approx(float(shares.sum()) - 0.5)


def test_longer_h2a_contracts_in_the_rules_flow_into_every_sheet(tmp_path, monkeypatch):
    """Contract weeks is no longer a workbook input (issue 16, item 5): it is the rule value of rules/h2a.yaml, shown
    as the named white cell `h2a_weeks` that the H-2A formulas read. Its counterpart of an edit is a rule tree with
    another contract length: the workbook of a Python run on 30-week contracts, recalculated, equals that run on
    every table, and the H-2A wage bill and the quotas' H-2A wages are 30/24 of the 24-week run's."""
    from labormatch import rules as rules_tree
    from labormatch.parameters import read_tree

    texts = read_tree()
    assert "contract_weeks: 24" in texts["h2a"]
    texts["h2a"] = texts["h2a"].replace("contract_weeks: 24", "contract_weeks: 30")
    before = synthetic_result(**BASE)
    monkeypatch.setattr(rules_tree, "read_tree", lambda: texts)
    rules_tree.load_rules.cache_clear()
    try:
        longer = synthetic_result(**BASE)
        wb = _recalculated(longer, tmp_path)
    finally:
        monkeypatch.undo()
        rules_tree.load_rules.cache_clear()
    sheet, cell = next(wb.defined_names["h2a_weeks"].destinations)
    assert wb[sheet][cell].value == 30
    _assert_matches(wb, longer)
    for table, column in (("h2a", "wage_bill_usd"), ("quotas", "wages_earned_usd")):
        frame, old = longer.tables[table], before.tables[table]
        if "visa_class" in frame:
            frame, old = frame[frame["visa_class"] == "H-2A"], old[old["visa_class"] == "H-2A"]
        assert frame[column].sum() == pytest.approx(old[column].sum() * 30 / 24, rel=REL), table
    h2a_wages = _table(wb["Quotas"], "Quotas").query("`Visa class` == 'H-2A'")["Wages earned (USD)"].astype(float)
    old = before.tables["quotas"].query("visa_class == 'H-2A'")["wages_earned_usd"]
    assert h2a_wages.sum() == pytest.approx(old.sum() * 30 / 24, rel=REL)


def test_the_contract_weeks_cell_moves_the_h2a_sheet_and_the_quotas_alike(tmp_path):
    """`h2a_weeks` is one named cell read by both sheets (issue 16, item 5): changed from 24 to 30 weeks in the
    workbook, the H-2A wage bill and the quotas' H-2A wages both become 30/24 of the exported run's."""
    result = synthetic_result(**BASE)
    wb = _recalculated(result, tmp_path, edits={"h2a_weeks": 30.0})
    bill = _table(wb["H-2A"], "H2A")["Wage bill (USD)"].astype(float).sum()
    assert bill == pytest.approx(result.tables["h2a"]["wage_bill_usd"].sum() * 30 / 24, rel=REL)
    h2a_wages = _table(wb["Quotas"], "Quotas").query("`Visa class` == 'H-2A'")["Wages earned (USD)"].astype(float)
    old = result.tables["quotas"].query("visa_class == 'H-2A'")["wages_earned_usd"]
    assert len(h2a_wages) and h2a_wages.sum() == pytest.approx(old.sum() * 30 / 24, rel=REL)
