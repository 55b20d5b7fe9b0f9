"""Bad input on the command line: a short message naming the problem, non-zero exit, no traceback,
no half-written output and no store change. Found in an exploratory pass over every command.

The model runs on small hand-made inputs (tests/example_inputs.py); the store and reports folder are
temporary.
"""

from __future__ import annotations

import pytest
from example_inputs import demand_inputs
from typer.testing import CliRunner

from labormatch import model_inputs
from labormatch.cli import app
from labormatch.scenario import example_paths
from labormatch.store import Store

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_on_hand_made_inputs")


def never(*args, **kwargs):
    raise AssertionError("the long work started although the command line was bad")


def invoke(*args: str, code: int = 1):
    """Run the CLI; assert it exited with `code` through a clean exit, not an escaped exception."""
    result = runner.invoke(app, list(args), prog_name="labormatch")
    assert result.exit_code == code, result.output
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def saved_names(tmp_path) -> list[str]:
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        return [s.name for s in store.list_scenarios(include_deleted=True)]


# ---- a folder (or an unreadable path) given where a scenario file is expected -----------------------------


@pytest.mark.parametrize(
    "command",
    [["scenario", "save"], ["scenario", "import"], ["scenario", "compare"], ["report", "--no-forecasts", "--scenario"]],
)
def test_a_folder_given_as_scenario_file_is_a_clear_error(tmp_path, command):
    folder = tmp_path / "plans.yaml"
    folder.mkdir()
    result = invoke(*command, str(folder))
    assert "plans.yaml" in result.output and "directory" in result.output
    assert saved_names(tmp_path) == []
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_scenario_run_on_a_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(model_inputs, "load_inputs", never)
    result = invoke("scenario", "run", "--config", str(tmp_path), code=1)
    assert "directory" in result.output


def test_scenario_run_refuses_an_out_that_is_a_folder_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr(model_inputs, "load_inputs", never)
    result = invoke(
        "scenario", "run", "--config", str(example_paths()["statutory_cap"]), "--out", str(tmp_path), code=1
    )
    assert "is a folder" in result.output


# ---- versions: NAME@N everywhere a stored scenario is named ------------------------------------------------


def test_a_version_that_is_not_a_number_is_refused(tmp_path):
    invoke("scenario", "save", str(example_paths()["statutory_cap"]), "--name", "mine", code=0)
    result = invoke("scenario", "compare", "mine@abc")
    assert "mine@abc" in result.output and "version" in result.output


def test_show_and_export_accept_name_at_version(tmp_path):
    source = example_paths()["statutory_cap"]
    invoke("scenario", "save", str(source), "--name", "mine", code=0)
    invoke("scenario", "save", str(example_paths()["cap_doubled"]), "--name", "mine", code=0)
    shown = invoke("scenario", "show", "mine@1", code=0).output
    assert shown.startswith("# mine version 1,") and "Statutory H-2B cap only" in shown
    out = tmp_path / "v1.yaml"
    invoke("scenario", "export", "mine@1", "-o", str(out), code=0)
    assert "version: 1" in out.read_text() and "Statutory H-2B cap only" in out.read_text()
    result = invoke("scenario", "show", "mine@99")
    assert "no version 99" in result.output
    result = invoke("scenario", "export", "mine@1", "--version", "2")
    assert "mine@1" in result.output and "--version" in result.output


# ---- names and output paths ---------------------------------------------------------------------------------


def test_an_empty_name_is_refused_not_replaced_by_the_file_name(tmp_path):
    for command in ("save", "import"):
        result = invoke("scenario", command, str(example_paths()["statutory_cap"]), "--name", "")
        assert "scenario name '' is not allowed" in result.output
    assert saved_names(tmp_path) == []


def test_export_into_a_path_under_a_file_is_a_clear_error(tmp_path):
    invoke("scenario", "save", str(example_paths()["statutory_cap"]), "--name", "mine", code=0)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    result = invoke("scenario", "export", "mine", "-o", str(blocker / "mine.yaml"))
    assert "notes.txt" in result.output and "not a folder" in result.output


def test_compare_csv_folder_that_is_a_file_is_refused_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", never)
    blocker = tmp_path / "tables"
    blocker.write_text("x")
    result = invoke("scenario", "compare", "statutory_cap", "cap_doubled", "--csv", str(blocker))
    assert "tables" in result.output and "not a folder" in result.output


def test_report_refuses_a_missing_out_folder_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", never)
    result = invoke("report", "--scenario", "statutory_cap", "--no-forecasts", "--out", str(tmp_path / "no" / "r.xlsx"))
    assert "does not exist" in result.output
    assert not (tmp_path / "no").exists()


def test_report_says_what_it_is_doing(tmp_path):
    result = invoke(
        "report",
        "--scenario",
        "statutory_cap",
        "--compare",
        "cap_doubled",
        "--no-forecasts",
        "--out",
        str(tmp_path / "r.xlsx"),
        code=0,
    )
    assert "running statutory_cap" in result.stderr and "running cap_doubled" in result.stderr
    assert "writing the workbook" in result.stderr


def test_check_on_an_empty_store_says_there_is_nothing_to_check():
    result = invoke("scenario", "check", code=0)
    assert "no scenarios saved" in result.output


# ---- forecast and backtest ------------------------------------------------------------------------------------


@pytest.fixture
def no_fitting(monkeypatch):
    monkeypatch.setattr("labormatch.forecast.Forecaster.forecast", never)
    monkeypatch.setattr("labormatch.forecast.Forecaster.backtest", never)


@pytest.mark.parametrize("command", [["forecast"], ["backtest"]])
def test_forecast_input_without_the_needed_columns_is_a_clear_error(tmp_path, no_fitting, command):
    source = tmp_path / "mine.csv"
    source.write_text("a,b\n1,2\n")
    out = tmp_path / "f.csv"
    result = invoke(*command, "--input", str(source), "--out", str(out))
    assert "series_id" in result.output and not out.exists()


def test_forecast_refuses_bad_backend_and_pandemic_before_fitting(tmp_path, no_fitting):
    out = str(tmp_path / "f.csv")
    result = invoke("forecast", "--out", out, "--backend", "spark")
    assert "spark" in result.output and "fitting" not in result.output
    result = invoke("forecast", "--out", out, "--pandemic", "maybe")
    assert "maybe" in result.output and "fitting" not in result.output


def test_forecast_out_must_be_a_file_in_an_existing_folder(tmp_path, no_fitting):
    result = invoke("forecast", "--out", str(tmp_path / "no" / "f.csv"))
    assert "does not exist" in result.output and not (tmp_path / "no").exists()
    result = invoke("backtest", "--out", str(tmp_path))
    assert "is a folder" in result.output


def test_save_refuses_a_bad_name_or_store_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", never)
    source = str(example_paths()["statutory_cap"])
    result = invoke("scenario", "save", source, "--name", "a/b")
    assert "'a/b' is not allowed" in result.output
    result = invoke("scenario", "save", source, "--store", "not-a-url")
    assert "not-a-url" in result.output


def test_forecast_input_with_a_header_only_names_the_file(tmp_path, no_fitting):
    source = tmp_path / "mine.csv"
    source.write_text("series_id,date,value\n")
    result = invoke("forecast", "--input", str(source), "--out", str(tmp_path / "f.csv"))
    assert "mine.csv" in result.output and "no series" in result.output
    source.write_text("series_id,date,value\na,notadate,1\n")
    result = invoke("backtest", "--input", str(source), "--out", str(tmp_path / "b.csv"))
    assert "mine.csv" in result.output and "date" in result.output


def test_delete_and_restore_say_when_there_is_nothing_to_do(tmp_path):
    invoke("scenario", "save", str(example_paths()["statutory_cap"]), "--name", "mine", code=0)
    assert "not deleted" in invoke("scenario", "restore", "mine", code=0).output
    assert "deleted mine" in invoke("scenario", "delete", "mine", code=0).output
    assert "already deleted" in invoke("scenario", "delete", "mine", code=0).output
    assert "restored mine" in invoke("scenario", "restore", "mine", code=0).output
    assert "no scenario named 'gone'" in invoke("scenario", "delete", "gone").output


def test_scenario_run_prints_headline_figures_with_labels_and_units(monkeypatch):
    from labormatch.model import run_scenario
    from labormatch.scenario import load_scenario_file

    monkeypatch.setattr(model_inputs, "load_inputs", lambda data=None, forecast=True: demand_inputs())
    source = example_paths()["statutory_cap"]
    result = invoke("scenario", "run", "--config", str(source), code=0)
    headline = run_scenario(load_scenario_file(source).assumptions, demand_inputs()).headline
    lines = {line.split()[-1]: line for line in result.stdout.splitlines() if line.strip()}
    assert "H-2B demand unmet" in lines["h2b_unmet"] and "workers" in lines["h2b_unmet"]
    assert f"{headline['h2b_unmet']:,.0f}" in lines["h2b_unmet"]
    assert f"{headline['h2a_wage_bill_usd'] / 1e6:,.1f}m" in lines["h2a_wage_bill_usd"]
    assert f"{headline['late_start_share']:.1%}" in lines["late_start_share"]


def test_report_refuses_a_reports_folder_that_is_a_file_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", never)
    blocker = tmp_path / "reports.txt"
    blocker.write_text("x")
    monkeypatch.setenv("LABORMATCH_REPORTS", str(blocker))
    result = invoke("report", "--scenario", "statutory_cap", "--no-forecasts")
    assert "reports.txt" in result.output and "not a folder" in result.output and "--out" in result.output


def test_forecast_refuses_zero_jobs_and_a_malformed_scheduler_address(tmp_path, no_fitting):
    out = str(tmp_path / "f.csv")
    result = invoke("forecast", "--out", out, "--n-jobs", "0")
    assert "--n-jobs" in result.output and "fitting" not in result.output
    result = invoke("backtest", "--out", out, "--backend", "dask", "--scheduler-address", "nonsense")
    assert "nonsense" in result.output and "port" in result.output and "fitting" not in result.output


def test_data_summary_on_a_damaged_table_points_to_data_check(tmp_path):
    from test_cli_data import oflc_cases

    from labormatch import snapshot

    folder = tmp_path / "data"
    snapshot.write_snapshot(folder, {"oflc_cases": oflc_cases()}, {}, {"sources": []}, build_seconds=0.1)
    (folder / "oflc_cases.parquet").write_bytes(b"not parquet")
    result = invoke("data", "summary", "--data", str(folder))
    assert "oflc_cases" in result.stderr and "labormatch data check" in result.stderr


def test_forecast_refuses_series_with_input_instead_of_ignoring_it(tmp_path, no_fitting):
    source = tmp_path / "mine.csv"
    source.write_text("series_id,date,value\n")
    result = invoke("forecast", "--input", str(source), "--series", "hires", "--out", str(tmp_path / "f.csv"))
    assert "--series" in result.output and "--input" in result.output


def test_show_says_when_a_scenario_is_deleted(tmp_path):
    invoke("scenario", "save", str(example_paths()["statutory_cap"]), "--name", "mine", code=0)
    assert "deleted" not in invoke("scenario", "show", "mine", code=0).output
    invoke("scenario", "delete", "mine", code=0)
    shown = invoke("scenario", "show", "mine", code=0).output
    assert "# deleted: hidden from `list`" in shown and "scenario restore mine" in shown
