"""The Excel report: sheets, headers, formats, tables, charts, safe text and atomic writing (openpyxl checks)."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook
from report_fixtures import forecast_tables, synthetic_result

from labormatch.assumptions import Assumptions
from labormatch.errors import LabormatchError
from labormatch.report import ReportScenario, report_bytes, write_report
from labormatch.report.headline import reading
from labormatch.report.safe import atomic_write, put_text, safe_filename
from labormatch.report.workbook import SHEETS

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def base():
    return synthetic_result(pilot_carveouts=[{"sector": "construction", "numbers": 2000, "inside_cap": True}])


@pytest.fixture(scope="module")
def doubled():
    return synthetic_result(cap_multiplier=2.0)


@pytest.fixture(scope="module")
def workbook(base, doubled, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.xlsx"
    scenarios = [
        ReportScenario(HOSTILE, base, title="Baseline", author="@team", notes=HOSTILE),
        ReportScenario("doubled", doubled, title="Cap doubled"),
    ]
    path = write_report(
        scenarios,
        out,
        forecasts=forecast_tables(),
        manifest={
            "sources": [{"path": "bls_jolts/x.csv", "sha256": "ab" * 32, "bytes": 10, "vintage": "2022-10"}],
            "built_at": "2026-11-23T11:38:07Z",
        },
    )
    return openpyxl.load_workbook(path)


def test_sheets_in_order(workbook):
    assert workbook.sheetnames == list(SHEETS)
    assert workbook.calculation.fullCalcOnLoad, "Excel must recompute the formulas after an edit"


def test_headers_carry_units_and_formats(workbook):
    ws = workbook["Demand and allocation"]
    headers = [c.value for c in ws[4]][:8]
    assert headers == [
        "Sector",
        "Half",
        "Tranche",
        "Demand before tranche (workers)",
        "Allocated (workers)",
        "Unmet after tranche (workers)",
        "labormatch: allocated (workers)",
        "Live - labormatch (workers)",
    ]
    assert ws["E5"].number_format == "#,##0"
    assert ws["E5"].data_type == "f"
    quotas = workbook["Quotas"]
    assert quotas["F4"].value == "Origin share" and quotas["F5"].number_format == "0.0%"
    assert quotas["O4"].value == "Wages carried home (USD)" and quotas["O5"].number_format == '"$"#,##0'


def test_frozen_panes_and_filtered_tables(workbook):
    assert workbook["Demand and allocation"].freeze_panes == "B5"
    assert workbook["Quotas"].freeze_panes == "B5"
    assert workbook["Assumptions"].freeze_panes == "B5"
    tables = {name for ws in workbook for name in ws.tables}
    assert {
        "Assumptions",
        "Allocation",
        "TrancheModel",
        "AllocationBySector",
        "Quotas",
        "H2A",
        "Processing",
        "Forecasts",
        "Backtests",
        "Comparison",
        "ComparisonBySector",
        "Sources",
        "Rules",
        "Headline",
        "LiveCheck",
    } <= tables
    quotas = workbook["Quotas"].tables["Quotas"]
    assert quotas.ref.startswith("A4:O") and quotas.tableStyleInfo.name


def test_column_widths_are_set(workbook):
    """The Assumptions' long texts (label, source, description) wrap in columns narrow enough to print at ~70%."""
    ws = workbook["Assumptions"]
    assert (ws.column_dimensions["B"].width, ws.column_dimensions["E"].width) == (28, 30)
    assert all(ws.cell(5, c).alignment.wrap_text for c in (2, 5, 8))


def test_native_charts(workbook):
    allocation_charts = workbook["Demand and allocation"]._charts
    assert len(allocation_charts) == 1 and allocation_charts[0].grouping == "stacked"
    assert len(workbook["Comparison"]._charts) == 1
    forecast_charts = workbook["Forecasts"]._charts
    assert len(forecast_charts) == 2, "one chart per sector"
    forecast_chart = forecast_charts[0]
    assert forecast_chart.tagname == "areaChart" and forecast_chart.grouping == "stacked"
    assert [c.tagname for c in forecast_chart._charts] == ["areaChart", "lineChart"]
    assert [s.tx.v for s in forecast_chart.series] == [
        "Below 95% band",
        "95% to 80% low",
        "80% band",
        "80% to 95% high",
    ]


def test_live_inputs_are_named_yellow_cells(workbook, base):
    names = workbook.defined_names
    for name in (
        "h2b_cap",
        "cap_multiplier",
        "first_half_share",
        "fillable_share",
        "domestic_recruitment_offset",
        "wage_floor_change_pct",
        "wage_floor_elasticity",
        "return_rate",
        "overstay_rate",
        "carried_home_share",
        "need_growth_per_season",
        "carveout_1_numbers",
    ):
        sheet, cell = next(names[name].destinations)
        assert sheet == "Assumptions"
        assert workbook[sheet][cell].fill.start_color.rgb.endswith("FFF2CC")
    for name in ("recent_max_numbers", "size_fy2025_h1_returning", "h2a_weeks", "h2a_hours_per_week"):
        sheet, cell = next(names[name].destinations)  # rule values the formulas read: named, not inputs
        assert not str(workbook[sheet][cell].fill.start_color.rgb).endswith("FFF2CC"), name
        assert workbook[sheet].cell(workbook[sheet][cell].row, 6).value.startswith("read by formulas; rule value")
    sheet, cell = next(names["return_rate"].destinations)
    assert workbook[sheet][cell].value == pytest.approx(base.assumptions.return_rate)
    sheet, cell = next(names["h2b_cap"].destinations)
    assert workbook[sheet][cell].value == 66000


def test_every_assumption_has_unit_and_source(workbook):
    ws = workbook["Assumptions"]
    last = int(ws.tables["Assumptions"].ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = list(ws.iter_rows(min_row=5, max_row=last, max_col=5, values_only=True))
    fields = [r for r in rows if r[0] is not None]
    assert len(fields) > 25
    for _group, label, _value, unit, source in fields:
        assert unit and source, f"{label}: unit or source missing"


def test_hostile_scenario_name_stays_text(workbook):
    comparison = workbook["Comparison"]
    cell = comparison["C4"]
    assert cell.value == HOSTILE and cell.data_type == "s"
    summary = workbook["Summary"]
    notes = [c for row in summary.iter_rows() for c in row if c.value == HOSTILE]
    assert notes and all(c.data_type == "s" and c.quotePrefix for c in notes)
    author = [c for row in summary.iter_rows() for c in row if c.value == "@team"]
    assert author and author[0].data_type == "s"


def test_forecasts_carry_data_through_unit_and_proxy_and_leave_stale_series_out(workbook):
    ws = workbook["Forecasts"]
    first, last = ws.tables["Forecasts"].ref.split(":")
    cells = ws[first:last]
    header = [c.value for c in cells[0]]
    rows = [dict(zip(header, (c.value for c in row))) for row in cells[1:]]
    assert {"Data through", "Unit", "Proxy (what the series measures)"} <= set(header)
    assert {r["Series id"] for r in rows} == {"JTS230000000000000JOL", "JTS720000000000000QUR", "JTS720000000000000JOR"}
    quits = next(r for r in rows if r["Series id"] == "JTS720000000000000QUR")
    assert quits["Unit"] == "percent" and quits["Data through"].strftime("%Y-%m") == "2024-12"
    assert quits["Proxy (what the series measures)"] == "JOLTS leisure and hospitality (700000)"
    notes = [c.value for row in ws.iter_rows(max_row=3) for c in row if isinstance(c.value, str)]
    assert any("JTU720000000000000HIL (data through 2022-08)" in n for n in notes)


def test_backtest_shows_the_chosen_model_only(workbook):
    ws = workbook["Forecasts"]
    table = ws.tables["Backtests"]
    first, last = table.ref.split(":")
    cells = ws[first:last]
    assert [c.value for c in cells[0]][3] == "Chosen model"
    assert [row[3].value for row in cells[1:]] == ["Exponential smoothing (ETS, damped trend)"]  # the model's label


def test_data_sources_sheet_lists_checksums(workbook):
    ws = workbook["Data sources"]
    assert ws["A5"].value == "bls_jolts/x.csv" and ws["C5"].value == "ab" * 32
    vintage = ws.tables["Vintage"]
    first, last = vintage.ref.split(":")
    items = {row[0].value: row[2].value for row in ws[first:last]}
    assert items["built_at"] == "2026-11-23T11:38:07Z" and items["snapshot"] == "synthetic test data"


def test_report_bytes_is_an_xlsx(base):
    data = report_bytes([ReportScenario("base", base)])
    assert zipfile.is_zipfile(io.BytesIO(data))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert "Comparison" not in wb.sheetnames and wb["Summary"]["A1"].value == "labormatch report: base"


def test_reading_states_the_numbers(base):
    headline = {
        **base.headline,
        "h2b_demand": 1000.0,
        "h2b_cap_total": 400.0,
        "h2b_statutory_cap": 300.0,
        "h2b_supplemental_total": 100.0,
        "h2b_allocated": 400.0,
        "h2b_unmet": 600.0,
        "h2b_unmet_h1": 250.0,
        "h2b_unmet_h2": 350.0,
    }
    text = reading(dataclasses.replace(base, headline=headline))
    assert text[0] == (
        "In FY2025, employers would seek about 1,000 H-2B workers against 400 numbers (300 statutory "
        "cap + 100 supplemental). About 400 could be admitted; 600 (60%) of demand would go unmet."
    )
    assert text[1] == "The shortfall falls 250 on first-half starts (Oct-Mar) and 350 on second-half starts (Apr-Sep)."
    assert any("return rate 49.3% (source: Merwood (2012)" in line for line in text)
    assert not any("compounding" in line for line in text)
    runaway = dataclasses.replace(
        base, assumptions=base.assumptions.model_copy(update={"need_growth_per_season": 1.0, "seasons": 11})
    )
    assert any(
        line.startswith(
            "Need growth of 100% a season over 11 seasons makes the last season's need 1,024 times the first's"
        )
        for line in reading(runaway)
    )


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HOSTILE, "#N/A"])
def test_put_text_never_makes_a_formula(text):
    cell = Workbook().active["A1"]
    put_text(cell, text)
    assert cell.value == text and cell.data_type == "s"
    assert cell.quotePrefix == (text[0] in "=+-@\t\r")


def test_put_text_drops_control_characters_and_caps_length():
    cell = Workbook().active["A1"]
    put_text(cell, "a\x00b\x07c" + "x" * 40_000)
    assert cell.value.startswith("abc") and len(cell.value) == 32_767


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "etc_passwd.xlsx"),
        ("CON", "report_CON.xlsx"),
        ("", "report.xlsx"),
        ("a b/c.xlsx", "a_b_c.xlsx"),
        ("Café plan", "Cafe_plan.xlsx"),
        ("=cmd|'/C calc'!A0", "cmd_C_calc_A0.xlsx"),
        (".hidden", "hidden.xlsx"),
        ("base.XLSX", "base.xlsx"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_write_report_sanitises_the_file_name(base, tmp_path):
    path = write_report([ReportScenario("base", base)], tmp_path / "my report?.xlsx")
    assert path == tmp_path / "my_report.xlsx" and path.is_file()


def test_missing_folder_is_a_clear_error(base, tmp_path):
    with pytest.raises(LabormatchError, match="does not exist"):
        write_report([ReportScenario("base", base)], tmp_path / "nowhere" / "r.xlsx")


def test_a_folder_as_the_workbook_is_a_clear_error(base, tmp_path):
    with pytest.raises(LabormatchError, match="is a folder"):
        write_report([ReportScenario("base", base)], tmp_path)
    assert not tmp_path.with_suffix(".xlsx").exists()


def test_failed_write_leaves_the_old_report_and_no_temp_file(base, tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous report")

    from labormatch.report import stored_values

    def broken_sheet(xml, values):  # fails after the first parts of the zip were written to the file
        raise OSError("disk full")

    monkeypatch.setattr(stored_values, "_with_values", broken_sheet)
    with pytest.raises(OSError, match="disk full"):
        write_report([ReportScenario("base", base)], target)
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_failed_sheet_leaves_no_file(base, tmp_path, monkeypatch):
    from labormatch.report import sheets

    def broken(*args, **kwargs):
        raise RuntimeError("sheet failed")

    monkeypatch.setattr(sheets, "write_processing", broken)
    with pytest.raises(RuntimeError):
        write_report([ReportScenario("base", base)], tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_in_one_step(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    atomic_write(target, lambda f: f.write(b"new"))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_charted_series_prefers_shortage_signals():
    from labormatch.report.forecast_sheet import charted_series

    frame = pd.DataFrame(
        {"sector": ["a", "a", "b"], "series": ["employment", "openings_rate", "hires"], "series_id": ["A1", "A2", "B1"]}
    )
    assert charted_series(frame) == ["A2", "B1"]


@pytest.mark.parametrize(
    "low, high, expected", [(196.0, 284.0, 180.0), (2.5, 4.0, 2.0), (5.0, 100.0, 0.0), (-3.0, 4.0, None)]
)
def test_forecast_axis_floor(low, high, expected):
    from labormatch.report.forecast_sheet import _axis_floor

    assert _axis_floor(low, high) == expected


@pytest.mark.parametrize(
    "assumptions",
    [
        {"cap_multiplier": 0.0, "supplemental": False},
        {"cap_multiplier": 20.0},
        {"fillable_share": 0.0},
        {"circular_origins": ["Mexico"]},
    ],
)
def test_edge_scenarios_still_make_a_report(assumptions):
    result = synthetic_result(**assumptions)
    wb = openpyxl.load_workbook(io.BytesIO(report_bytes([ReportScenario("edge", result)])))
    check = wb["Summary"].tables["LiveCheck"]
    first, last = check.ref.split(":")
    rows = wb["Summary"][first:last]
    admitted = next(row for row in rows if row[0].value == "H-2B workers admitted")
    assert admitted[1].value == pytest.approx(result.headline["h2b_allocated"])
    assert admitted[2].data_type == "f"


def test_origin_shares_and_carveouts_come_from_the_result_tables():
    """Zero H-2B admitted: the H-2B shares are still the ones the model used (the set-aside formula reads
    them); carve-out cells are keyed by their tranche, whatever the order of the carve-outs."""
    from labormatch.report.inputs import input_rows

    carveouts = [
        {"sector": "construction", "numbers": 500, "inside_cap": False},
        {"sector": "accommodation_food_services", "numbers": 700},
    ]
    zero = synthetic_result(fillable_share=0.0, pilot_carveouts=carveouts)
    assert zero.headline["h2b_allocated"] == 0
    rows, names = input_rows(zero)
    value = {r.name: r.value for r in rows if r.name}
    h2b = {origin: value[name] for (visa, origin), name in names.origin_shares.items() if visa == "H-2B"}
    assert h2b == pytest.approx({"Mexico": 0.70, "Guatemala": 0.12, "Jamaica": 0.10, "Honduras": 0.08})
    assert names.carveouts == {
        "pilot_construction_outside_cap": "carveout_1_numbers",
        "pilot_accommodation_food_services_inside_cap": "carveout_2_numbers",
    }
    assert value["carveout_2_numbers"] == 700
    older = dataclasses.replace(zero, tables={k: v for k, v in zero.tables.items() if k != "origin_mix"})
    with pytest.raises(LabormatchError, match="origin_mix"):
        input_rows(older)


def test_each_visa_class_has_its_own_share_block_citing_where_its_shares_come_from():
    """H-2A shares typed in the scenario, H-2B left at the State Department default: the sheet's two blocks hold
    each class's shares, the first cited as the scenario's choice, the second to the issuances."""
    from labormatch.report.inputs import input_rows

    result = synthetic_result(h2a_origin_shares={"Mexico": 0.25, "Jamaica": 0.75})
    rows, _ = input_rows(result)
    blocks = {}
    for row in rows:
        if row.group.startswith("Origin shares"):
            blocks.setdefault(row.group, {})[row.label] = (row.value, row.source)
    assert blocks["Origin shares (H-2A)"] == {"Jamaica": (0.75, "scenario choice"), "Mexico": (0.25, "scenario choice")}
    dos = Assumptions.describe()
    source = next(r["source"] for r in dos if r["name"] == "h2b_origin_shares")
    assert {origin: value for origin, (value, _) in blocks["Origin shares (H-2B)"].items()} == pytest.approx(
        {"Mexico": 0.70, "Guatemala": 0.12, "Jamaica": 0.10, "Honduras": 0.08}
    )
    assert {cited for _, cited in blocks["Origin shares (H-2B)"].values()} == {source}


@pytest.mark.parametrize(
    ("assumptions", "applied", "sentence"),
    [
        (
            {"fiscal_year": 2027},
            "none: statutory cap only",
            "No published supplemental rule for FY2027: statutory cap only",
        ),
        (
            {"fiscal_year": 2027, "supplemental_rules_fy": 2026},
            "FY2026, carried to FY2027 by your choice",
            "FY2026 tranches carried to FY2027 by your choice",
        ),
        ({"fiscal_year": 2025}, "FY2025 (published)", "FY2025 published supplemental rule: 64,716 numbers."),
    ],
)
def test_the_workbook_says_which_supplemental_rule_applies(assumptions, applied, sentence):
    result = synthetic_result(**assumptions)
    wb = openpyxl.load_workbook(io.BytesIO(report_bytes([ReportScenario("fy", result)])))
    rows = {row[1]: row for row in wb["Assumptions"].iter_rows(values_only=True)}
    assert rows["Supplemental rule applied"][2] == applied
    assert rows["Supplemental rule applied"][7].startswith(sentence)
    summary = [c.value for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(text.startswith(sentence) for text in summary)
    tranches = result.tables["tranches"]
    supplemental = tranches[tranches["kind"] == "supplemental"]
    assert supplemental["size"].sum() == (0 if applied.startswith("none") else 64_716)


def test_the_rules_table_says_what_future_years_rest_on(workbook):
    ws = workbook["Data sources"]
    first, last = ws.tables["Rules"].ref.split(":")
    cells = ws[first:last]
    header = [c.value for c in cells[0]]
    assert header[-1] == "Basis"
    basis = {row[0].value: row[-1].value for row in cells[1:]}
    assert basis["h2a"].startswith("latest value: serves FY2006 to the planning horizon FY2031")
    assert basis["planning_horizon"] == "planning choice of this project, not a program rule"


def test_origin_share_checks_sum_each_visa_class_and_turn_red_off_100(workbook):
    ws = workbook["Assumptions"]
    checks = [
        (c, ws.cell(c.row, c.column + 1))
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("Check: Origin shares")
    ]
    assert [label.value for label, _ in checks] == [
        "Check: Origin shares (H-2A) sum to 100%",
        "Check: Origin shares (H-2B) sum to 100%",
    ]
    for _, cell in checks:
        assert cell.value.startswith("=SUM(C")
        rules = [r for rng in ws.conditional_formatting for r in rng.rules if cell.coordinate in str(rng.sqref)]
        red = [r for r in rules if ">0.000001" in r.formula[0]]
        assert len(red) == 1 and red[0].dxf.fill.fgColor.rgb.endswith("FFC7CE")


def test_a_scenario_value_is_not_credited_to_a_paper_that_reports_another():
    from labormatch.report.headline import field_source, reading

    default = synthetic_result()
    chosen = synthetic_result(return_rate=0.8)
    assert field_source(default.assumptions, "return_rate").startswith("Merwood (2012)")
    assert field_source(chosen.assumptions, "return_rate").startswith(
        "scenario choice (the default, 0.493, is from: Merwood"
    )
    line = next(x for x in reading(chosen) if "return rate 80.0%" in x)
    assert "return rate 80.0% (scenario choice)" in line and "Merwood" not in line


def test_readme_sheet_first_lists_every_sheet_and_defines_the_terms(workbook):
    assert workbook.sheetnames[0] == "README"
    ws = workbook["README"]
    tables = {name: ws[ref.split(":")[0] : ref.split(":")[1]] for name, ref in ws.tables.items()}
    contents = [row[0].value for row in tables["Contents"][1:]]
    assert contents == workbook.sheetnames[1:]
    terms = {row[0].value for row in tables["Definitions"][1:]}
    assert {"Half", "Tranche", "Worker-month", "Returning worker", "Carve-out", "MASE", "Worker-season"} <= terms
    assert ws["A3"].value.startswith("Data vintage: ")
    assert {"MethodNotes", "EditingNotes", "ChangesNotes"} <= set(tables)


def test_print_setup_repeats_header_rows_and_carries_title_and_page(workbook):
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.oddHeader.left.text.startswith("labormatch report: ") and "(Baseline)" in ws.oddHeader.left.text
        assert ws.oddHeader.right.text == "&A" and ws.oddFooter.right.text == "page &P of &N"
    assert workbook["Quotas"].print_title_rows == "$1:$4"
    assert workbook["Forecasts"].print_area is not None


def test_season_totals_are_worker_seasons_and_processing_names_its_years(base):
    from labormatch.report.headline import figures, reading

    labels = {f.key: (f.label, f.unit) for f, _ in figures(base.headline)}
    assert labels["new_workers"] == ("New worker-seasons, all seasons", "worker-seasons")
    years = base.tables["processing"]["fiscal_year"]
    assert f"FY{years.min()}-FY{years.max()} case files" in " ".join(reading(base))
