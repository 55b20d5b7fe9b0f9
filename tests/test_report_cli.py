"""`labormatch report`: scenarios from files, examples and the store, sanitised output, clear errors."""

from __future__ import annotations

import openpyxl
import pytest
from report_fixtures import forecast_tables
from typer.testing import CliRunner

from labormatch.cli import app
from labormatch.scenario import example_paths

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_on_hand_made_inputs")


def test_report_with_comparison_from_example_and_file(tmp_path):
    out = tmp_path / "fy 2024?.xlsx"
    done = runner.invoke(
        app,
        [
            "report",
            "--scenario",
            "statutory_cap",
            "--compare",
            str(example_paths()["cap_doubled"]),
            "--out",
            str(out),
            "--no-forecasts",
        ],
    )
    assert done.exit_code == 0, done.output
    written = tmp_path / "fy_2024.xlsx"
    assert f"wrote {written} (2 scenarios" in done.output
    wb = openpyxl.load_workbook(written)
    assert "Comparison" in wb.sheetnames
    assert [c.value for c in wb["Comparison"][4]][2:4] == ["statutory_cap", "cap_doubled"]
    assert wb["Summary"]["A1"].value.startswith("labormatch report: Statutory")


def test_report_defaults_to_the_reports_folder(tmp_path):
    done = runner.invoke(app, ["report", "--scenario", "statutory_cap", "--no-forecasts"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "reports" / "labormatch_statutory_cap.xlsx").is_file()


def test_out_folder_gets_the_default_file_name_inside_it(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    done = runner.invoke(app, ["report", "--scenario", "statutory_cap", "--out", str(folder), "--no-forecasts"])
    assert done.exit_code == 0, done.output
    assert (folder / "labormatch_statutory_cap.xlsx").is_file()
    assert not (tmp_path / "exports.xlsx").exists()


def test_unknown_scenario_is_a_clear_error(tmp_path):
    done = runner.invoke(
        app, ["report", "--scenario", "no_such_scenario", "--out", str(tmp_path / "r.xlsx"), "--no-forecasts"]
    )
    assert done.exit_code == 1
    assert "no scenario named 'no_such_scenario'" in done.output
    assert not (tmp_path / "r.xlsx").exists()


def test_forecasts_are_added_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr("labormatch.cli.report.snapshot_forecasts", forecast_tables)
    done = runner.invoke(app, ["report", "--scenario", "statutory_cap", "--out", str(tmp_path / "r.xlsx")])
    assert done.exit_code == 0, done.output
    assert "Forecasts" in openpyxl.load_workbook(tmp_path / "r.xlsx")["Forecasts"].tables
