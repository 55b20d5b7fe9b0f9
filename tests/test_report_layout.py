"""Workbook references come from the table layout (`layout.TableRef`), and rule values from the resolved rules."""

from __future__ import annotations

import dataclasses

import pytest
from report_fixtures import synthetic_result

from labormatch.report import ReportScenario, build_workbook
from labormatch.report.layout import Column, TableRef, quote_sheet


def test_a_column_is_found_by_its_header():
    table = TableRef.of("H-2A", [Column("State"), Column("Workers"), Column("Wage bill (USD)")], 5, 9, left=2)
    assert (table.letter("State"), table.letter("Wage bill (USD)")) == ("B", "D")
    assert table.cell("Workers", 7) == "C7"
    assert table.cell("Workers", 7, absolute=True) == "$C$7"
    assert table.cell("Workers", 7, qualified=True) == "'H-2A'!C7"
    assert table.column("Wage bill (USD)") == "'H-2A'!D5:D9"
    assert quote_sheet("Bob's") == "'Bob''s'"
    with pytest.raises(KeyError, match="no column 'Wages'"):
        table.letter("Wages")


def _texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_live_checks_sum_the_quota_and_h2a_columns_named_by_their_headers():
    wb = build_workbook([ReportScenario("base", synthetic_result())])
    checks = {
        ws.cell(r, 5).value: ws.cell(r, 7).value
        for ws in [wb["Summary"]]
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 7).value, str) and ws.cell(r, 7).value.startswith("=SUM(")
    }
    quotas = wb["Quotas"]
    header = {quotas.cell(4, c).value: c for c in range(1, quotas.max_column + 1)}
    column = chr(ord("A") + header["New workers"] - 1)
    assert checks["New worker-seasons, all seasons"].startswith(f"=SUM('Quotas'!{column}5:{column}")
    h2a = wb["H-2A"]
    wage_bill = next(c for c in range(1, h2a.max_column + 1) if h2a.cell(4, c).value == "Wage bill (USD)")
    assert checks["H-2A wage bill (USD)"].startswith(f"=SUM('H-2A'!{chr(ord('A') + wage_bill - 1)}5:")


def test_the_look_back_in_the_workbook_text_is_the_resolved_rule():
    result = synthetic_result()
    shorter = dataclasses.replace(result, resolved=dataclasses.replace(result.resolved, lookback_years=2))
    wb = build_workbook([ReportScenario("base", shorter)])
    model_text = " ".join(_texts(wb["Allocation model"]))
    assert "largest H-2B numbers of the 2 previous fiscal years" in model_text
    assert "3 previous" not in model_text
    readme = " ".join(_texts(wb["README"]))
    assert "one of the 2 previous fiscal years" in readme


def test_forecast_charts_are_titled_by_sector_label_and_series_name():
    from report_fixtures import forecast_tables

    wb = build_workbook([ReportScenario("base", synthetic_result())], forecasts=forecast_tables())
    titles = ["".join(run.t for p in chart.title.tx.rich.p for run in (p.r or [])) for chart in wb["Forecasts"]._charts]
    assert "Construction: Job openings" in titles
    assert not any("_" in title for title in titles)


def test_print_setup_repeats_only_rows_that_head_every_page():
    """Forecasts repeats its header row only (the title and the stale-series note print once); Data sources starts
    each section on a page and repeats its title rows only, since its sections' header rows differ."""
    from report_fixtures import forecast_tables

    wb = build_workbook([ReportScenario("base", synthetic_result())], forecast_tables())
    assert wb["Forecasts"].print_title_rows == "$4:$4"
    sources = wb["Data sources"]
    assert sources.print_title_rows == "$1:$2"
    titles = ("Build and data vintage", "Program rules in force (dated, cited parameters)")
    sections = [c.row for c in sources["A"] if c.value in titles]
    assert len(sections) == 2 and sections[0] == 3, "without a manifest the vintage section comes first"
    assert [b.id for b in sources.row_breaks.brk] == [sections[1] - 1]
    assert wb["H-2A"].print_title_rows == "$1:$4", "a sheet with one table repeats its frozen rows"


def test_wrapped_lines_are_counted_with_calibri_widths():
    """Hand-computed: narrow letters and spaces count half a digit, capitals 1.2, m and w 1.5; a line fills 97% of
    the column. "Arts, entertainment, recreation" (26.0 units; Calibri's own widths: 25.1 digits) takes two lines
    in a 26-wide column and one in a 27-wide one; a 70-character word wraps over three 30-wide lines."""
    from labormatch.report.layout import _lines, text_width

    assert text_width("il, ") == 2.0
    assert text_width("MAa") == 3.7
    assert text_width("ab", bold=True) == pytest.approx(2.14)
    assert text_width("Arts, entertainment, recreation") == pytest.approx(26.0)
    assert _lines("Arts, entertainment, recreation", 26) == 2
    assert _lines("Arts, entertainment, recreation", 27) == 1
    assert _lines("x" * 70, 30) == 3
    assert _lines("one\ntwo", 20) == 2
    assert _lines("", 10) == 1
