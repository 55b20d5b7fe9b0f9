"""OFLC loader: hand-made cases for the value rules, and every staged file against an independent count."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from labormatch import paths
from labormatch.sources import oflc
from labormatch.sources.oflc_layouts import detect_layout
from tests.oflc_real import loaded, staged_case_files

# ---------------------------------------------------------------- value rules on hand-made input


def test_status_wording_across_vintages():
    raw = pd.Series(
        [
            "Certified, Temporary",
            "DETERMINATION ISSUED - PARTIAL CERTIFICATION EXPIRED",
            "Determination Issued - Certification (Returned)",
            "Certified - Partial",
            "PARTIAL CERTIFIED",
            "Denied, Temporary",
            "Reduction in Recruitment Denied",
            "Determination Issued - Withdrawn",
            "Determination Issued - Rejected",
            "Remand Issued to State",
            None,
        ]
    )
    assert oflc.normalise_status(raw).tolist() == [
        "certified",
        "partially certified",
        "certified",
        "partially certified",
        "partially certified",
        "denied",
        "other",
        "withdrawn",
        "other",
        "other",
        "other",
    ]


def test_hourly_wage_conversion_and_counts():
    wage = pd.Series([10.0, 800.0, 41600.0, 3466.67, 1.5, 12.0, 12.0, 5000.0, 9.0])
    unit = pd.Series(["HR", "Week", "A", "MTH", "Piece Rate", "Select Pay Range", "fortnight", "Hour", None])
    hourly, counts = oflc.hourly_wage(wage, unit)
    assert hourly[:4].round(2).tolist() == [10.0, 20.0, 20.0, 20.0]  # 40 h/week, 2,080 h/year, 2,080/12 h/month
    assert hourly[4:].isna().all()
    assert counts["wage_unit_not_convertible"] == 2
    assert counts["wage_unit_unknown"] == 1
    assert counts["wage_hourly_out_of_range"] == 1  # $5,000 an hour
    assert counts["wage_unit_missing"] == 1


def test_state_names_and_codes():
    codes, unrecognised = oflc.usps_state(pd.Series(["MASSACHUSETTS", " nc", "TX", "SASKATCHEWAN", None]))
    assert codes.tolist()[:3] == ["MA", "NC", "TX"]
    assert codes[3:].isna().all() and unrecognised == 1


def test_typo_years_become_missing():
    dates, unparseable, far = oflc.parse_dates(pd.Series(["2016-06-21", "2106-06-21", "not a date", None]), 2016)
    assert dates[0] == pd.Timestamp("2016-06-21")
    assert dates[1:].isna().all()
    assert (unparseable, far) == (1, 1)


def test_negative_workers_become_missing():
    counts, not_numeric, negative, too_large = oflc.worker_count(pd.Series(["5", "-3", "x", None, 7.0]))
    assert counts.dtype == "Int32"
    assert counts.tolist()[0] == 5 and counts.tolist()[4] == 7
    assert counts[1:4].isna().all() and (not_numeric, negative, too_large) == (1, 1, 0)


def test_codes_lose_spreadsheet_decimal():
    assert oflc.code_text(pd.Series([111219.0, "45-2092.00", " 1121 ", None])).tolist()[:3] == [
        "111219",
        "45-2092.00",
        "1121",
    ]


def test_joint_employer_master_row_kept(tmp_path):
    """Hand-made FY2009-style file: a master row of 10 with two members (6 + 4) and a single employer."""
    path = tmp_path / "H2A_FY2009.csv"
    header = [
        "CASE_NO",
        "CASE_STATUS",
        "NBR_WORKERS_CERTIFIED",
        "ORGANIZATION_FLAG",
        "DECISION_DATE",
        "ALIEN_WORK_STATE",
        "BASIC_RATE_OF_PAY",
        "BASIC_UNIT_OF_PAY",
        "CERTIFICATION_BEGIN_DATE",
        "CERTIFICATION_END_DATE",
    ]
    rows = [
        ["C-1", "Certified - Full", "10", "A", "2009-03-01", "NC", "9.5", "HR", "2009-04-01", "2009-10-01"],
        ["C-1", "Certified - Full", "6", "", "2009-03-01", "NC", "9.5", "HR", "2009-04-01", "2009-10-01"],
        ["C-1", "Certified - Full", "4", "", "2009-03-01", "NC", "9.5", "HR", "2009-04-01", "2009-10-01"],
        ["C-2", "Certified - Partial", "3", "S", "2009-09-20", "GA", "400", "WK", "2009-10-01", "2009-09-01"],
        ["C-3", "Denied", "2", "S", "2009-05-01", "FL", "9", "HR", "", ""],
    ]
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    cases, report = oflc.load_oflc_file(path)
    assert list(cases.columns) == oflc.CASE_COLUMNS
    assert cases["case_id"].tolist() == ["C-1", "C-2", "C-3"]
    assert report["joint_employer_sub_rows_dropped"] == {
        "rule": "flag_blank:ORGANIZATION_FLAG",
        "rows": 2,
        "workers_certified": 10,
    }
    assert report["workers_certified"] == 13
    assert cases["wage_hourly"].tolist()[:2] == [9.5, 10.0]
    assert pd.isna(cases.loc[2, "workers_certified"])  # certified workers on a denied case
    assert report["values_set_missing"]["workers_certified_on_case_not_certified"] == 1
    assert report["values_set_missing"]["need_end_before_start"] == 1
    assert cases["fiscal_year"].tolist() == [2009] * 3 and not cases["partial_year"].any()


# ---------------------------------------------------------------- every staged file


def _raw_dir_or_none() -> Path | None:
    root = paths.raw_dir()
    return root if (root / "oflc").is_dir() else None


STAGED = staged_case_files(_raw_dir_or_none()) if _raw_dir_or_none() else []
# Without the raw files one placeholder case stands in, so the `raw_dir` fixture skips it with its reason
# (an empty parameter set would skip with pytest's "got empty parameter set" instead).
STAGED_CASES = [pytest.param(path, id=path.name) for path in STAGED] or [pytest.param(None, id="raw-files-absent")]


def _rows(path: Path) -> list[list]:
    """All rows of a staged file without pandas: the csv module, or calamine's own row reader."""
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def independent_certified_total(rows: list[list]) -> int:
    """Certified positions by the documented rule, computed straight from the raw rows.

    Sub rows: blank ORGANIZATION_FLAG (without PRIMARY/SUB) or PRIMARY/SUB = SUB. One row per case: the
    row with the most workers on a certified case. Certified: status mentions CERTIF (not 'Reduction in
    Recruitment'). FY2000-05 H-2B: no certified column, count Num_Aliens of certified cases.
    """
    head = [str(h).strip().upper() for h in rows[0]]
    col = {name: i for i, name in enumerate(head)}
    case = next(col[c] for c in ("CASE_NUM", "CASE_NO", "CASE_NUMBER") if c in col)
    status = next(col[c] for c in ("LAST_SIG_EVENT", "CASE_STATUS") if c in col)
    workers = next(
        col[c]
        for c in ("NBR_WORKERS_CERTIFIED", "TOTAL_WORKERS_H2A_CERTIFIED", "TOTAL_WORKERS_CERTIFIED", "NUM_ALIENS")
        if c in col
    )
    best: dict[str, float | None] = {}
    for row in rows[1:]:
        if "PRIMARY/SUB" in col and str(row[col["PRIMARY/SUB"]]).strip().upper() == "SUB":
            continue
        if "PRIMARY/SUB" not in col and "ORGANIZATION_FLAG" in col and str(row[col["ORGANIZATION_FLAG"]]).strip() == "":
            continue
        text = str(row[status]).lower()
        value = _number(row[workers]) if "certif" in text else None
        value = round(value) if value is not None and value >= 0 else None
        key = str(row[case]).strip()
        if key and (key not in best or (value or -1) > (best[key] or -1)):
            best[key] = value
    return int(sum(v for v in best.values() if v))


@pytest.fixture(scope="module")
def real(raw_dir):
    return loaded(raw_dir / "oflc")


@pytest.mark.raw
@pytest.mark.slow
@pytest.mark.parametrize("path", STAGED_CASES)
def test_staged_file_loads_typed_and_matches_independent_count(real, path):
    cases, report = real
    rep = next(r for r in report["files"] if r["file"].endswith(path.name))
    mine = cases[cases["source_file"] == rep["file"]]
    rows = _rows(path)
    assert detect_layout(rows[0]) is not None
    assert len(mine) == rep["cases"] > 0
    assert mine["case_id"].is_unique
    assert str(mine["fiscal_year"].dtype) == "Int16"
    for name in ("workers_requested", "workers_certified"):
        assert str(mine[name].dtype) == "Int32"
    for name in ("need_start", "need_end", "received_date", "decision_date"):
        assert str(mine[name].dtype) == "datetime64[ns]"
    for name in ("case_id", "status", "naics", "soc", "worksite_state", "nature_of_need"):
        assert str(mine[name].dtype) == "string"
    assert mine["wage_hourly"].dtype == "float64" and mine["partial_year"].dtype == bool
    assert set(mine["status"].dropna()) <= {"certified", "partially certified", "denied", "withdrawn", "other"}
    assert mine["worksite_state"].dropna().str.fullmatch(r"[A-Z]{2}").all()
    certified = mine["status"].isin(["certified", "partially certified"])
    assert int(mine.loc[certified, "workers_certified"].fillna(0).sum()) == independent_certified_total(rows)


@pytest.mark.raw
@pytest.mark.slow
def test_h2a_totals_match_published_or_are_explained(real):
    _, report = real
    compared = {r["fiscal_year"]: r["published_comparison"] for r in report["files"] if r["published_comparison"]}
    assert set(compared) == set(range(2006, 2018))  # every full-year H-2A file FY2006-2017
    assert compared[2017]["published"] == 200_049 and compared[2017]["before_dedup"] == 224_975
    assert abs(compared[2017]["difference_share"]) <= 0.01
    for year, comp in compared.items():
        assert comp["within_tolerance"] == (abs(comp["difference_share"]) <= 0.01)
        if not comp["within_tolerance"]:
            assert str(year) in comp["explanation"] or "FY" in comp["explanation"]
    assert sum(not c["within_tolerance"] for c in compared.values()) <= 2
    json.dumps(report)  # the report is JSON-serialisable


@pytest.mark.raw
@pytest.mark.slow
def test_partial_year_files_are_flagged(real):
    cases, report = real
    partial = {r["file"] for r in report["files"] if r["partial_year"]}
    assert partial == {
        "partial_history/H-2A_FY2018.xlsx",
        "partial_history/H2A_Disclosure_Data_FY2021_Q1.xlsx",
        "partial_history/H-2A_Disclosure_Data_FY2022_Q1.xlsx",
        "partial_history/H2B_Disclosure_Data_FY2021_Q1.xlsx",
        "partial_history/H-2B_Disclosure_Data_FY2022_Q1.xlsx",
    }
    assert cases.loc[cases["source_file"].isin(partial), "partial_year"].all()
    assert not cases.loc[~cases["source_file"].isin(partial), "partial_year"].any()
    summary = oflc.oflc_summary(cases)
    assert list(summary.columns) == [
        "visa_class",
        "fiscal_year",
        "cases",
        "workers_requested",
        "workers_certified",
        "partial_year",
    ]
    row = summary[(summary["visa_class"] == "H-2A") & (summary["fiscal_year"] == 2017)].iloc[0]
    assert row["workers_certified"] == 200_049 and not row["partial_year"]
    no_requested = summary[(summary["visa_class"] == "H-2A") & (summary["fiscal_year"] == 2008)].iloc[0]
    assert pd.isna(no_requested["workers_requested"])  # FY2008 H-2A has no requested column


def test_superseded_partial_file_is_excluded(tmp_path):
    """A Q1 partial and a full-year file of the same class and FY: the partial is superseded and reported."""
    header = ["CASE_NUMBER", "CASE_STATUS", "TOTAL_WORKERS_CERTIFIED", "CAP_EXEMPT", "DECISION_DATE"]
    (tmp_path / "partial_history").mkdir()
    for name, rows in {
        "partial_history/H-2B_Disclosure_Data_FY2022_Q1.xlsx": [
            ["H-1", "Determination Issued - Certification", 5, "N", "2021-11-01"]
        ],
        "H-2B_Disclosure_Data_FY2022.xlsx": [
            ["H-1", "Determination Issued - Certification", 5, "N", "2021-11-01"],
            ["H-2", "Determination Issued - Certification", 7, "N", "2022-09-28"],
        ],
    }.items():
        pd.DataFrame(rows, columns=header).to_excel(tmp_path / name, index=False)
    seen = []
    (tmp_path / "H-2B_Appendix_D_FY2022.xlsx").write_bytes(b"")  # an addendum: announced, never read
    cases, report = oflc.load_oflc_dir(tmp_path, progress=seen.append)
    assert sorted(seen) == [
        "H-2B_Appendix_D_FY2022.xlsx (addendum: not a case file)",
        "H-2B_Disclosure_Data_FY2022.xlsx",
        "H-2B_Disclosure_Data_FY2022_Q1.xlsx",
    ]
    assert report["addendum_files_not_case_files"] == ["H-2B_Appendix_D_FY2022.xlsx"]
    assert report["superseded_partial_files"] == [
        {
            "file": "partial_history/H-2B_Disclosure_Data_FY2022_Q1.xlsx",
            "superseded_by": "H-2B_Disclosure_Data_FY2022.xlsx",
        }
    ]
    assert cases["case_id"].tolist() == ["H-1", "H-2"] and cases["workers_certified"].sum() == 12
    # the report holds no timings, so rebuilding from the same files gives a byte-identical load_report.json
    _, again = oflc.load_oflc_dir(tmp_path)
    text = json.dumps(report, sort_keys=True, default=str)
    assert json.dumps(again, sort_keys=True, default=str) == text and '"seconds"' not in text


@pytest.mark.raw
@pytest.mark.slow
def test_openpyxl_reading_agrees(raw_dir, real):
    """A second parser (openpyxl, not calamine) on one workbook gives the same certified total."""
    from openpyxl import load_workbook

    path = raw_dir / "oflc" / "H-2B_FY2012.xlsx"
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    cases, _ = real
    mine = cases[(cases["source_file"] == path.name) & cases["status"].isin(["certified", "partially certified"])]
    assert int(mine["workers_certified"].sum()) == independent_certified_total(rows) == 75_458
