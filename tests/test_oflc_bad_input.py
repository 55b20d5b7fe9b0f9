"""Bad OFLC input is refused with a SourceError that names the file and the problem (files built in tmp_path)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from labormatch.errors import LabormatchError, SourceError
from labormatch.sources.oflc import load_oflc_dir, load_oflc_file

H2B_2000_HEADER = (
    "Case_Type,Case_Num,Last_Sig_Event,Last_Event_Date,Work_State,Occ_Code,Occ_Title,Num_Aliens,Salary,Unit_of_Pay\n"
)


def _refused(path, *words):
    with pytest.raises(SourceError) as err:
        load_oflc_file(path)
    message = str(err.value)
    assert isinstance(err.value, LabormatchError)
    assert str(path) in message and err.value.path == str(path)
    for word in words:
        assert word in message.lower()
    return message


def test_unknown_layout(tmp_path):
    path = tmp_path / "H-2B_FY2001.csv"
    path.write_text("employer,city,wage\nACME,Boston,12\n")
    message = _refused(path, "unknown layout", "employer")
    assert "(columns: EMPLOYER, CITY, WAGE)" in message, "each column named once, in file order"


def test_missing_required_columns(tmp_path):
    """Recognised as the H-2A FY2008-2015 layout by its header, but without a case-number column."""
    path = tmp_path / "H2A_FY2009.csv"
    path.write_text("ORGANIZATION_FLAG,NBR_WORKERS_CERTIFIED,CASE_STATUS\nS,4,Certified - Full\n")
    _refused(path, "missing required columns", "case_id", "case_no")


def test_empty_file(tmp_path):
    path = tmp_path / "H-2B_FY2002.csv"
    path.write_bytes(b"")
    _refused(path, "empty")


def test_header_without_rows(tmp_path):
    path = tmp_path / "H-2B_FY2002.csv"
    path.write_text(H2B_2000_HEADER)
    _refused(path, "no data rows")


def test_truncated_xlsx(tmp_path):
    good = tmp_path / "good.xlsx"
    pd.DataFrame(
        {"CASE_NUMBER": ["H-1"], "CASE_STATUS": ["Certification"], "TOTAL_WORKERS_CERTIFIED": [3], "CAP_EXEMPT": ["N"]}
    ).to_excel(good, index=False)
    assert zipfile.is_zipfile(good)
    path = tmp_path / "H-2B_Disclosure_Data_FY2022.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(path, "cannot be read as an excel workbook")


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "H-2A_Disclosure_Data_FY17.xlsx"
    path.write_text("CASE_NUMBER,CASE_STATUS\nH-1,Certified\n")
    _refused(path, "cannot be read as an excel workbook")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "H-2B_FY2003.txt"
    path.write_text(H2B_2000_HEADER)
    _refused(path, "unsupported file type")


def test_addendum_given_as_case_file(tmp_path):
    path = tmp_path / "H-2A_FY2020_AddendumA.xlsx"
    pd.DataFrame({"CASE_NUMBER": ["H-1"], "CROP_AGRICULTURAL_ACTIVITY": ["Apples"]}).to_excel(path, index=False)
    _refused(path, "addendum a", "not a disclosure file of cases", "labormatch data build")


def test_latin1_csv_loads_and_says_so(tmp_path):
    """A valid FY2000-05 H-2B layout saved in Latin-1 (an accented employer city) loads; the report names the
    decoding."""
    path = tmp_path / "H-2B_FY2004.csv"
    text = H2B_2000_HEADER + (
        'TEMP,07235340,"Certified, Temporary",10/01/03 00:00:00,PR,408.687-014,"Laborer, Landscape",4,7.5,H\n'
        'TEMP,07235341,"Denied, Temporary",10/02/03 00:00:00,PR,311.477-030,"Camarero, Peñuelas",2,300,W\n'
    )
    path.write_bytes(text.encode("latin-1"))
    cases, report = load_oflc_file(path)
    assert report["encoding"].startswith("latin-1")
    assert cases["job_title"].tolist()[1] == "Camarero, Peñuelas"
    assert cases["workers_certified"].tolist() == [4, 0]  # FY2000-05: certified = requested on certified cases
    assert cases["wage_hourly"].tolist() == [7.5, 7.5]


def test_no_fiscal_year_anywhere(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("ORGANIZATION_FLAG,NBR_WORKERS_CERTIFIED,CASE_STATUS,CASE_NO\nS,4,Certified - Full,C-1\n")
    _refused(path, "fiscal year")


def test_folder_without_case_files(tmp_path):
    with pytest.raises(SourceError, match="no OFLC case files"):
        load_oflc_dir(tmp_path)
