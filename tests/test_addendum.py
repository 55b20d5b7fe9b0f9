"""H-2A Addendum A and H-2B Appendix A/C/D readers: hand-made files and every staged addendum."""

from __future__ import annotations

import pandas as pd
import pytest

from labormatch.errors import SourceError
from labormatch.sources.addendum import detect_addendum, load_h2a_addendum_a, load_h2b_appendix

# Data rows per staged file, from raw/oflc/SCHEMAS.md section 2 (counted there with pandas).
STAGED_ROWS = {
    "H-2A_FY2020_AddendumA.xlsx": ("H-2A Addendum A", 30075),
    "H-2A_Addendum_A_FY2021.xlsx": ("H-2A Addendum A", 43291),
    "H-2A_Addendum_A_Disclosure_Data_FY2022_Q2.xlsx": ("H-2A Addendum A", 28899),
    "H2B_FY2020_Appendix_A.xlsx": ("H-2B Appendix A", 62491),
    "H2B_FY2020_Appendix_C.xlsx": ("H-2B Appendix C", 47488),
    "H2B_FY2020_Appendix_D.xlsx": ("H-2B Appendix D", 19),
    "H-2B_Appendix_A_FY2021.xlsx": ("H-2B Appendix A", 63959),
    "H-2B_Appendix_C_FY2021.xlsx": ("H-2B Appendix C", 44434),
    "H-2B_Appendix_D_FY2021.xlsx": ("H-2B Appendix D", 22),
    "H-2B_Appendix_A_FY2022_Q2.xlsx": ("H-2B Appendix A", 29814),
    "H-2B_Appendix_C_FY2022_Q2.xlsx": ("H-2B Appendix C", 40887),
    "H-2B_Appendix_D_FY2022_Q2.xlsx": ("H-2B Appendix D", 18),
}


def test_addendum_a_piece_rates_stay_unconverted(tmp_path):
    path = tmp_path / "H-2A_Addendum_A_FY2021.xlsx"
    pd.DataFrame(
        {
            "CASE_NUMBER": ["H-300-1", "H-300-1", "H-300-2"],
            "JO_ORDER_NUMBER": ["JO-1", "JO-1", "JO-2"],
            "CROP_ID": [1112.0, 1113.0, None],
            "CROP_AGRICULTURAL_ACTIVITY": ["Watermelon", "Apples", "Cattle"],
            "WAGE_OFFER": [12.5, 0.75, 2600.0],
            "PER": ["Hour", "Piece Rate", "Month"],
            "PIECE_RATE_UNITS_SPECIAL_PAY": [None, "per bin", None],
        }
    ).to_excel(path, index=False)
    rows = load_h2a_addendum_a(path)
    assert rows["case_id"].tolist() == ["H-300-1", "H-300-1", "H-300-2"]
    assert rows["crop_id"].tolist()[:2] == ["1112", "1113"]
    assert rows["wage_hourly"].round(2).tolist()[0] == 12.5 and pd.isna(rows["wage_hourly"][1])
    assert rows["wage_hourly"].round(2).tolist()[2] == 15.0  # 2,600 a month / (2,080 / 12) hours
    assert rows["fiscal_year"].tolist() == [2021] * 3 and not rows["partial_year"].any()


def test_appendix_a_worksites_typed(tmp_path):
    path = tmp_path / "H-2B_Appendix_A_FY2022_Q2.xlsx"
    pd.DataFrame(
        {
            "CASE_NUMBER": ["H-400-1"],
            "WORKSITE_CITY": ["Ocean City"],
            "WORKSITE_STATE": ["MARYLAND"],
            "WORKSITE_COUNTY": ["WORCESTER"],
            "TOTAL_WORKERS": [12],
            "BEGIN_DATE": ["2022-04-01"],
            "END_DATE": ["2022-10-15"],
            "BASIC_WAGE_RATE_FROM": [600.0],
            "BASIC_WAGE_RATE_TO": [700.0],
            "PER": ["Week"],
        }
    ).to_excel(path, index=False)
    kind, rows = load_h2b_appendix(path)
    assert kind == "H-2B Appendix A"
    row = rows.iloc[0]
    assert (row["worksite_state"], row["workers"], row["wage_hourly_from"]) == ("MD", 12, 15.0)
    assert row["begin_date"] == pd.Timestamp("2022-04-01") and bool(row["partial_year"])


def test_wrong_file_is_refused(tmp_path):
    path = tmp_path / "H-2B_Appendix_C_FY2021.xlsx"
    pd.DataFrame({"CASE_NUMBER": ["H-400-1"], "RECRUITER_EMPLOYER_COUNTRY": ["MEXICO"]}).to_excel(path, index=False)
    with pytest.raises(SourceError, match="not an H-2A Addendum A"):
        load_h2a_addendum_a(path)
    other = tmp_path / "notes.xlsx"
    pd.DataFrame({"A": [1]}).to_excel(other, index=False)
    with pytest.raises(SourceError, match="unknown layout") as err:
        load_h2b_appendix(other)
    assert str(other) in str(err.value)
    broken = tmp_path / "H2B_FY2020_Appendix_D.xlsx"
    broken.write_text("not a workbook")
    with pytest.raises(SourceError, match="cannot be read"):
        load_h2b_appendix(broken)


def test_detect_by_header_not_name():
    assert detect_addendum(["CASE_NUMBER", "EMPLOYER_CLIENT_LEGAL_BUSINESS_NAME"]) == "H-2B Appendix D"
    assert detect_addendum(["CASE_NUMBER", "CASE_STATUS"]) is None


@pytest.mark.raw
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(STAGED_ROWS))
def test_staged_addendum_loads(raw_dir, name):
    kind, rows_expected = STAGED_ROWS[name]
    path = raw_dir / "oflc" / name
    if kind == "H-2A Addendum A":
        rows = load_h2a_addendum_a(path)
        assert rows["wage_offer"].dtype == "float64" and rows["crop_activity"].notna().mean() > 0.95
    else:
        found, rows = load_h2b_appendix(path)
        assert found == kind
        if kind == "H-2B Appendix A":
            assert str(rows["workers"].dtype) == "Int32" and rows["workers"].sum() > 0
            assert rows["worksite_state"].dropna().str.fullmatch(r"[A-Z]{2}").all()
        if kind == "H-2B Appendix C":
            assert (rows["recruiter_country"].str.upper() == "MEXICO").mean() > 0.3
    assert len(rows) == rows_expected
    assert rows["case_id"].str.match(r"^H-[34]00-").all()
    assert rows["partial_year"].all() == ("_Q2" in name)
