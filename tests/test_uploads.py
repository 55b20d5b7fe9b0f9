"""Uploads that cannot take the server down: compression bombs, oversized tables and absurd worker counts
are refused or set missing with a message naming the file, in bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from labormatch import snapshot
from labormatch.cli import app
from labormatch.errors import SourceError
from labormatch.sources import oflc
from labormatch.sources import oflc_layouts as lay
from labormatch.sources.oflc import load_oflc_file

H2B_2000_HEADER = (
    "Case_Type,Case_Num,Last_Sig_Event,Last_Event_Date,Work_State,Occ_Code,Occ_Title,Num_Aliens,Salary,Unit_of_Pay\n"
)
H2A_2017_COLUMNS = ["CASE_NUMBER", "CASE_STATUS", "DECISION_DATE", "NBR_WORKERS_REQUESTED", "NBR_WORKERS_CERTIFIED"]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_bomb(path: Path, rows: int = 250_000, columns: int = 50) -> Path:
    """An .xlsx whose first sheet is a real H-2A header over rows x columns of numbers: ~2 MB compressed,
    ~200 MB of sheet XML (the issue's attack, 500,000 x 50, was 4 MB and 3.4 GB peak when read)."""
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    workbook = (
        f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in H2A_2017_COLUMNS)
    row = "".join(f"<c><v>{i}</v></c>" for i in range(columns))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{header}</row>'.encode())
            block = "".join(f"<row>{row}</row>" for _ in range(1000)).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return write_bomb(tmp_path_factory.mktemp("bomb") / "H-2A_Disclosure_Data_FY2017.xlsx")


def test_bomb_is_refused_in_under_a_second_and_300_mb(bomb):
    """Measured in a fresh process: wall time of the load call and the process's peak resident memory
    (imports of pandas and the loader included)."""
    code = textwrap.dedent(f"""
        import json, time
        from labormatch.errors import SourceError
        from labormatch.sources.oflc import load_oflc_file
        start = time.perf_counter()
        try:
            load_oflc_file({str(bomb)!r})
            message = None
        except SourceError as exc:
            message = str(exc)
        seconds = time.perf_counter() - start
        # VmHWM: this process image's own peak (ru_maxrss would carry the forking pytest process's size)
        status = open("/proc/self/status").read()
        peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
        print(json.dumps({{"message": message, "seconds": seconds, "peak_mb": peak_mb}}))
    """)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    measured = json.loads(done.stdout)
    assert measured["message"] is not None, "the bomb was not refused"
    assert measured["message"].startswith(
        f"{bomb}: refused: the workbook declares 191.0 MB uncompressed, above the limit of 128.0 MB"
    ), measured
    assert measured["seconds"] < 1.0, measured
    assert measured["peak_mb"] < 300, measured


def test_bomb_within_the_size_limit_is_refused_by_its_compression_ratio(bomb, monkeypatch):
    monkeypatch.setattr(lay, "WORKBOOK_MAX_UNCOMPRESSED_BYTES", 10**12)
    with pytest.raises(SourceError, match=r"sheet1.xml is compressed \d{2,3} to 1, above the limit of 40 to 1") as err:
        load_oflc_file(bomb)
    assert err.value.path == str(bomb)


def test_member_holding_more_than_it_declares_is_refused_as_damaged(tmp_path):
    """A lying archive: the sheet declares 1,000 bytes (directory and local header) but inflates to more."""
    path = _h2a_workbook(tmp_path / "H-2A_Disclosure_Data_FY2017.xlsx", [["H-1", "Certified", "2017-03-01", 2, 2]])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 1000
    central_entry = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46  # name at +46
    for offset in (sheet.header_offset + 22, central_entry + 24):  # uncompressed size in either header
        data[offset : offset + 4] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    with pytest.raises(SourceError, match=r"cannot be read as an Excel workbook.*CRC"):
        load_oflc_file(path)


def _h2a_workbook(path: Path, rows: list[list]) -> Path:
    pd.DataFrame(rows, columns=H2A_2017_COLUMNS).to_excel(path, index=False)
    return path


def test_every_real_workbook_passes_the_limits(raw_dir):
    """The limits leave every staged real file alone, and its streamed header is a known layout (main
    case files) or addendum (hand-checked once: equal to the first row openpyxl reads, all 37 files)."""
    from labormatch.sources.addendum import detect_addendum

    files = sorted((raw_dir / "oflc").rglob("*.xlsx"))
    assert len(files) >= 30
    for path in files:
        oflc.check_workbook_archive(path)
        header = [name.strip().upper() for name in oflc.workbook_header(path)]
        assert lay.detect_layout(header) or detect_addendum(header), path.name


def test_unknown_layout_is_refused_before_any_row_is_read(tmp_path, monkeypatch):
    path = tmp_path / "H-2A_FY2017.xlsx"
    pd.DataFrame({"employer": ["ACME"] * 3, "city": ["Boston"] * 3}).to_excel(path, index=False)

    def no_rows(*_):
        raise AssertionError("rows were read before the header was checked")

    monkeypatch.setattr(oflc, "read_workbook", no_rows)
    with pytest.raises(SourceError, match=r"unknown layout.*EMPLOYER, CITY"):
        load_oflc_file(path)


def test_declared_and_actual_rows_are_capped(tmp_path, monkeypatch):
    path = _h2a_workbook(
        tmp_path / "H-2A_Disclosure_Data_FY2017.xlsx", [[f"H-{i}", "Certified", "2017-03-01", 2, 2] for i in range(5)]
    )
    assert len(load_oflc_file(path)[0]) == 5
    monkeypatch.setattr(lay, "MAX_ROWS", 4)
    with pytest.raises(SourceError, match=r"declares 5 rows x 5 columns, above the limit of 4 rows"):
        load_oflc_file(path)
    monkeypatch.setattr(oflc, "_check_declared_size", lambda *_: None)  # a file whose <dimension> lies
    with pytest.raises(SourceError, match=r"holds 5 rows x 5 columns, above the limit of 4 rows"):
        load_oflc_file(path)
    csv = tmp_path / "H-2B_FY2004.csv"
    csv.write_text(H2B_2000_HEADER + "TEMP,1,Certified,10/01/03,PR,408.687-014,Laborer,4,7.5,H\n" * 5)
    with pytest.raises(SourceError, match=r"holds 5 rows x 10 columns"):
        load_oflc_file(csv)


HUGE = ["2147483648", "1e308", "inf", "100001", "-inf"]


def test_huge_counts_in_a_csv_are_set_missing_and_counted(tmp_path):
    path = tmp_path / "H-2B_FY2004.csv"
    rows = [
        f"TEMP,{i},Certified,10/01/03,PR,408.687-014,Laborer,{count},7.5,H\n"
        for i, count in enumerate([*HUGE, "100000", "4"])
    ]
    path.write_text(H2B_2000_HEADER + "".join(rows))
    cases, report = load_oflc_file(path)
    assert cases["workers_requested"].tolist()[:5] == [pd.NA] * 5
    assert cases["workers_requested"].tolist()[5:] == [100_000, 4]  # the bound itself is kept
    assert report["values_set_missing"]["workers_requested_above_100000"] == 4
    assert report["values_set_missing"]["workers_requested_negative"] == 1  # -inf
    assert report["workers_certified"] == 100_004


def test_huge_counts_in_a_workbook_are_set_missing_and_counted(tmp_path):
    """The issue's crash: a float64 count above 2**31 in an .xlsx raised TypeError casting to int32."""
    counts = [2_147_483_648.0, 1e308, float("inf"), 2_147_483_647.0, 12.0]
    path = _h2a_workbook(
        tmp_path / "H-2A_Disclosure_Data_FY2017.xlsx",
        [[f"H-{i}", "Certified", "2017-03-01", n, n] for i, n in enumerate(counts)],
    )
    cases, report = load_oflc_file(path)
    assert cases.set_index("case_id")["workers_certified"].tolist() == [pd.NA] * 4 + [12]
    assert report["values_set_missing"]["workers_certified_above_100000"] == 4
    assert report["values_set_missing"]["workers_requested_above_100000"] == 4


def test_data_build_with_a_bomb_prints_one_line_naming_it(bomb, tmp_path, monkeypatch):
    """The real OFLC step of the build (the BLS and reference steps stubbed): one error line, no traceback,
    and the snapshot folder untouched."""
    raw = tmp_path / "raw"
    (raw / "oflc").mkdir(parents=True)
    (raw / "oflc" / bomb.name).symlink_to(bomb)
    monkeypatch.setattr(
        snapshot,
        "collect_series",
        lambda *_: {
            "bls_series": pd.DataFrame(),
            "bls_series_meta": pd.DataFrame(),
            "vintages": {},
            "update_files": [],
        },
    )
    monkeypatch.setattr(snapshot.reference, "load_reference_tables", lambda _raw: {})
    monkeypatch.setattr(snapshot.panel_mod, "load_sector_series", lambda *_, **__: pd.DataFrame())
    out = tmp_path / "data"
    result = CliRunner().invoke(app, ["data", "build", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 1
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if "build failed" in line]
    assert len(lines) == 1 and bomb.name in lines[0] and "limit of 128.0 MB" in lines[0]
    assert not out.exists()


def test_upload_temp_folder_is_removed_when_the_file_is_refused(bomb):
    from app_pages import common
    from labormatch import uploads

    class Upload:
        name = bomb.name

        def getvalue(self):
            return bomb.read_bytes()

    seen = []
    with pytest.raises(Exception, match=r"limit of 128.0 MB") as err, common.uploaded_file(Upload()) as path:
        seen.append(path)
        uploads.KINDS["OFLC H-2A/H-2B disclosure"].validate(path)
    assert str(seen[0].parent) not in str(err.value), "the message names the file as the user knows it"
    assert not seen[0].parent.exists()


def test_an_unforeseen_loader_error_is_a_refusal_naming_the_upload(tmp_path):
    """The issue's page stayed on 'Validating…' after a TypeError: at the upload boundary any data error
    becomes a SourceError (a LabormatchError, which the Data page reports and ends its status with)."""
    from labormatch import uploads

    def crash(_path):
        raise TypeError("cannot safely cast non-equivalent float64 to int32")

    kind = uploads.UploadKind(["csv"], crash)
    path = tmp_path / "H-2B_FY2004.csv"
    with pytest.raises(SourceError, match=r"H-2B_FY2004.csv: cannot be validated \(TypeError: cannot safely cast"):
        kind.validate(path)
