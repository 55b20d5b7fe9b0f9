"""`labormatch data build|check|summary` through typer's CliRunner."""

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from labormatch import snapshot
from labormatch.cli import app

runner = CliRunner()


def oflc_cases():
    rows = [
        ("A-1", "H-2A", 2017, False, "certified", 10, 10),
        ("A-2", "H-2A", 2017, False, "partially certified", 8, 5),
        ("A-3", "H-2A", 2017, False, "denied", 4, 0),
        ("B-1", "H-2B", 2022, True, "certified", 20, 18),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "case_id",
            "visa_class",
            "fiscal_year",
            "partial_year",
            "status",
            "workers_requested",
            "workers_certified",
        ],
    )
    frame["fiscal_year"] = frame["fiscal_year"].astype("Int16")
    for column in ("workers_requested", "workers_certified"):
        frame[column] = frame[column].astype("Int32")
    return frame


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    snapshot.write_snapshot(folder, {"oflc_cases": oflc_cases()}, {}, {"sources": []}, build_seconds=0.1)
    return folder


def test_summary_prints_csv_by_visa_class_and_fiscal_year(data):
    result = runner.invoke(app, ["data", "summary", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[0] == "visa_class,fiscal_year,cases,workers_requested,workers_certified,partial_year"
    )
    table = pd.read_csv(io.StringIO(result.stdout)).set_index("visa_class")
    assert table.loc["H-2A"].tolist() == [2017, 3, 22, 15, False]  # denied case's workers are not certified
    assert table.loc["H-2B"].tolist() == [2022, 1, 20, 18, True]


def test_check_passes_then_fails_naming_the_tampered_file(data, tmp_path):
    ok = runner.invoke(app, ["data", "check", "--data", str(data), "--raw", str(tmp_path / "no-raw")])
    assert ok.exit_code == 0 and "snapshot OK" in ok.stdout
    with open(data / "oflc_cases.parquet", "ab") as handle:
        handle.write(b"x")
    bad = runner.invoke(app, ["data", "check", "--data", str(data), "--raw", str(tmp_path / "no-raw")])
    assert bad.exit_code == 1 and "oflc_cases.parquet:" in bad.stderr


def test_build_failure_exits_non_zero_and_keeps_snapshot(data, tmp_path):
    before = (data / "oflc_cases.parquet").read_bytes()
    result = runner.invoke(app, ["data", "build", "--raw", str(tmp_path / "missing"), "--out", str(data)])
    assert result.exit_code == 1
    assert "snapshot left unchanged" in result.stderr and "raw data folder not found" in result.stderr
    assert (data / "oflc_cases.parquet").read_bytes() == before


def test_summary_without_snapshot_says_how_to_build(tmp_path):
    result = runner.invoke(app, ["data", "summary", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "labormatch data build" in result.stderr


def test_build_reports_files_rows_and_checksum(tmp_path, monkeypatch):
    out = tmp_path / "data"
    messages = []

    def fake_build(raw, out_dir, progress=None, oflc=True):
        for step in ("BLS staged files", "writing the snapshot"):
            progress(step)
            messages.append(step)
        return snapshot.write_snapshot(out_dir, {"oflc_cases": oflc_cases()}, {}, {"sources": []}, build_seconds=2.0)

    monkeypatch.setattr(snapshot, "build", fake_build)
    result = runner.invoke(app, ["data", "build", "--raw", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert messages == ["BLS staged files", "writing the snapshot"]
    assert f"built 1 files (4 rows) in 2.0 s; data checksum {snapshot.data_checksum(out)[:12]}" in result.stdout
