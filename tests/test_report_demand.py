"""The Demand sheet (baseline = national total x share, as formulas the Allocation model reads), source lines
under the tables, the AEWR year per state and the case-file years behind processing times (issue 16)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from report_fixtures import forecast_tables, synthetic_result

from labormatch.report import ReportScenario, write_report
from labormatch.report.demand_trace import SHEET, national_rows
from labormatch.report.formulas import SHEET as MODEL_SHEET
from labormatch.report.plain_tables import SHEETS as PLAIN_SHEETS
from labormatch.report.provenance import fiscal_year_end, month_of, snapshot_through, with_months

MANIFEST = {
    "outputs": [
        {"file": "reference/aewr.parquet", "date_range": ["2019-01-09", "2024-12-30"]},
        {"file": "reference/dos_issuances.parquet", "date_range": ["2017-03-01", "2025-05-01"]},
    ],
    "sources": [{"path": "h2_reference/aewr_h2a_by_state_2019_2025_partial.csv", "vintage": ""}],
    "built_at": "2026-12-02T18:25:07Z",
    "as_of_month": "2026-08",
}


@pytest.fixture(scope="module")
def result():
    return synthetic_result()


@pytest.fixture(scope="module")
def paths(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("demand") / "r.xlsx"
    path = write_report(
        [ReportScenario("a", result), ReportScenario("b", synthetic_result(cap_multiplier=2.0))],
        out,
        forecasts=forecast_tables(),
        manifest=MANIFEST,
    )
    return path


@pytest.fixture(scope="module")
def formulas(paths):
    return openpyxl.load_workbook(paths)


@pytest.fixture(scope="module")
def values(paths):
    return openpyxl.load_workbook(paths, data_only=True)


def _table(ws, name: str) -> pd.DataFrame:
    first, last = ws.tables[name].ref.split(":")
    rows = [[c.value for c in row] for row in ws[first:last]]
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_fiscal_year_months_and_manifest_ends():
    assert fiscal_year_end(2025) == "2025-09"
    assert with_months("H-2A published through FY2017") == "H-2A published through FY2017 (2017-09)"
    assert month_of(pd.Timestamp("2024-12-30")) == "2024-12" and month_of(pd.NaT) == "unknown"
    assert snapshot_through(MANIFEST, "reference/aewr") == "2024-12"
    assert snapshot_through(None, "reference/aewr") == "unknown"


def test_national_totals_carry_source_publication_date_and_intervals(result, values):
    totals = _table(values[SHEET], "NationalTotals").set_index("Visa class")
    demand = result.tables["demand"]
    fy = demand[demand["fiscal_year"] == 2025]
    h2a, h2b = totals.loc["H-2A"], totals.loc["H-2B"]
    assert h2a["Figure"] == "observed" and pd.Timestamp(h2a["Public on"]) == pd.Timestamp("2025-12-31")
    lines = [c.value for row in values[SHEET].iter_rows(max_row=12) for c in row if isinstance(c.value, str)]
    assert (
        "H-2A FY2025 (observed): published figure. Figure: synthetic published figure, public on 2025-12-31 "
        "(synthetic). Data through: published through FY2027 (2027-09)."
    ) in lines
    assert any(line.startswith("H-2B FY2025 (forecast)") and "no published figure" in line for line in lines)
    assert h2a["National total (positions certified)"] == pytest.approx(
        fy.loc[fy["visa_class"] == "H-2A", "shortage_workers"].sum()
    )
    assert h2b["Figure"] == "forecast" and pd.isna(h2b["Public on"])
    assert h2b["80% low (positions)"] < h2b["National total (positions certified)"] < h2b["80% high (positions)"]
    assert h2b["95% low (positions)"] < h2b["80% low (positions)"]


def test_baseline_is_total_times_share_and_the_allocation_model_reads_it(result, formulas, values):
    ws, model = formulas[SHEET], formulas[MODEL_SHEET]
    baseline = _table(ws, "BaselineH2B")
    shares = _table(values[SHEET], "SharesH2B")
    first = int(ws.tables["BaselineH2B"].ref.split(":")[0][1:]) + 1
    assert ws.cell(first, 2).value == f"=national_total_h2b*B{int(ws.tables['SharesH2B'].ref.split(':')[0][1:]) + 1}"
    assert shares["Sector share of the year"].astype(float).sum() == pytest.approx(1.0)
    stored = _table(values[SHEET], "BaselineH2B").set_index("Sector ")
    assert stored["Fiscal year (workers)"].astype(float).to_numpy() == pytest.approx(
        stored["labormatch: fiscal year (workers)"].astype(float).to_numpy(), rel=1e-12
    )
    references = [
        c.value
        for row in model.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("='Demand'!")
    ]
    assert len(references) == 12 * (len(baseline) + 1), (
        "every baseline month of H-2B and H-2A points to the Demand sheet"
    )


def test_a_result_without_national_figures_sums_its_baseline():
    old = synthetic_result()
    old.tables["demand_forecast"] = pd.DataFrame()
    rows = national_rows(old).set_index("visa_class")
    fy = old.tables["demand"][old.tables["demand"]["fiscal_year"] == 2025]
    assert rows.loc["H-2B", "kind"] == "sum of the baseline"
    assert rows.loc["H-2B", "total"] == pytest.approx(fy.loc[fy["visa_class"] == "H-2B", "shortage_workers"].sum())


def test_every_sheet_with_data_has_source_lines_with_data_through(values):
    def source_text(ws, cell) -> str:
        """A source line and the lines wrapped under it (a line beside another table continues in the rows below)."""
        below = [ws.cell(cell.row + k, cell.column).value for k in range(1, 5)]
        rest = [text for text in below if isinstance(text, str)]
        text = " ".join([cell.value, *rest])
        return text[: text.find("Source: ", 1)] if "Source: " in text[1:] else text

    lines = {
        ws.title: [
            source_text(ws, c)
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("Source: ")
        ]
        for ws in values
    }
    for sheet, found in lines.items():
        if sheet == "README" or not values[sheet].tables or sheet in PLAIN_SHEETS:
            # README's tables are notes; a sheet without a table (no intervals) says why in a note; a plain table
            # keeps its source line in the comment on A1, so its rows stay one header and data (test_report_plain.py)
            continue
        assert found, f"{sheet}: no source line"
        assert all("; data through " in line for line in found), sheet
    h2a = next(line for line in lines["H-2A"] if "AEWR" in line)
    assert "data through 2024-12" in h2a and "secondary" in h2a, "the AEWR's end comes from the manifest"
    assert any("issuances 2025-05" in line for line in lines["Quotas"])
    assert any("FY2023 (2023-09)" in line for line in lines["Processing times"])


def test_h2a_sheet_gives_the_aewr_year_of_each_state(result, values):
    ws = values["H-2A"]
    table = _table(ws, "H2A")
    assert list(table["AEWR year"]) == [int(b.split()[-1]) for b in result.tables["h2a"]["aewr_basis"]]
    note = next(
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("AEWR year by state")
    )
    assert "2025: 4 states (FL, CA, GA, NC)" in note
    rule = next(c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("AEWR rule by year"))
    assert "before 2025-10-02, the earlier methodology" in rule and "from 2025-10-02, 90 FR 47914" in rule
    assert "took effect by 2024-12-30, so every one was set under the earlier methodology" in rule
    assert "secondary" in rule and "FY2025 (2024-10-01 to 2025-09-30) falls under the earlier methodology." in rule
    assert "stands in" not in rule, "FY2025 ends before the rule"
    source = next(c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("Source: AEWR rates"))
    assert "secondary: copies of the rates" in source
    assert "AEWR methodology: 90 FR 47914 (rule effective 2025-10-02;" in source and "(primary)" in source


@pytest.mark.parametrize(
    "fiscal_year, rates_last, said, not_said",
    [
        (2026, "2024-12-30", "FY2026 (2025-10-01 to 2026-09-30): the earlier methodology, then 90 FR 47914", ""),
        (2026, "2024-12-30", "No rate set under 90 FR 47914 is staged: each state's latest earlier rate", ""),
        (2027, "2024-12-30", "FY2027 (2026-10-01 to 2027-09-30) falls under 90 FR 47914.", "then"),
        (2027, "2025-10-02", "so the latest were set under 90 FR 47914", "stands in"),
        (2026, None, "When the rates above took effect is not recorded", "stands in"),
    ],
)
def test_the_aewr_rule_note_says_which_rule_governs_which_years(fiscal_year, rates_last, said, not_said):
    import datetime as dt

    from labormatch.report.aewr_rule import aewr_rule_note
    from labormatch.rules import load_rules

    last = dt.date.fromisoformat(rates_last) if rates_last else None
    note = aewr_rule_note(load_rules().aewr_methodology(), fiscal_year, last)
    assert said in note
    assert not not_said or not_said not in note


def test_processing_sheet_names_its_case_file_years_and_totals_over_seasons_are_worker_seasons(values):
    title = values["Processing times"]["A1"].value
    assert "H-2A FY2023-FY2024" in title and "recent" not in title.casefold()
    comparison = [c.value for row in values["Comparison"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "worker-seasons" in comparison and "Workers by origin, all seasons" not in comparison


def test_a_citation_of_a_copy_is_labelled_secondary_and_the_elasticity_states_its_scope(values):
    table = _table(values["Assumptions"], "Assumptions").set_index("Name in formulas")
    carried = table.loc["carried_home_share"]
    assert "(copy)" in carried["Source"] and carried["Source"].startswith("secondary")
    assert "farm labour" in table.loc["wage_floor_elasticity", "Description"]
    assert not table.loc["return_rate", "Source"].startswith("secondary")


def test_a_note_shared_by_every_row_of_a_dimension_moves_to_one_line_above_the_composition_check():
    """53 state rows and 14 sector rows each repeated one note in a 16-wide column (rows five lines tall): the
    notes go to one line, the column goes; a dimension whose rows differ keeps the column."""
    from labormatch.report.demand_sheet import shared_notes

    current = pd.DataFrame(
        {"dimension": ["sector", "sector", "state"], "key": ["a", "b", "TX"], "note": ["jobs", "jobs", "model"]}
    )
    shown, line = shared_notes(current)
    assert list(shown.columns) == ["dimension", "key"]
    assert line == "sector rows: jobs  |  state rows: model"
    mixed = current.assign(note=["jobs", "other", "model"])
    shown, line = shared_notes(mixed)
    assert shown is mixed and line == ""
