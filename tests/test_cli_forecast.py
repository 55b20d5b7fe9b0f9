"""`labormatch forecast` and `labormatch backtest` on a small CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from labormatch.cli import app
from labormatch.forecast.engine import BACKTEST_COLUMNS, FORECAST_COLUMNS
from tests.test_forecast import long_table, seasonal_trend


def write_input(tmp_path):
    dates, values = seasonal_trend(84)
    path = tmp_path / "series.csv"
    long_table({"a": (dates, values), "b": (dates, values * 2)}).to_csv(path, index=False)
    return path


def test_forecast_then_backtest_write_the_contract_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("LABORMATCH_CACHE", str(tmp_path / "cache"))
    source = write_input(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        app, ["forecast", "--horizon", "18", "--out", str(tmp_path / "f.csv"), "--input", str(source), "--n-jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    forecast = pd.read_csv(tmp_path / "f.csv")
    assert list(forecast.columns) == [*FORECAST_COLUMNS, "data_through"]
    last = pd.to_datetime(pd.read_csv(source)["date"]).max()
    assert set(forecast["data_through"]) == {f"{last:%Y-%m}"}
    assert len(forecast) == 2 * 18 and set(forecast["sector"]) == {"construction"}
    assert "fitting 2 series" in result.output
    assert "(trained on all months)" in result.output
    result = runner.invoke(app, ["backtest", "--out", str(tmp_path / "b.csv"), "--input", str(source), "--n-jobs", "1"])
    assert result.exit_code == 0, result.output
    backtest = pd.read_csv(tmp_path / "b.csv")
    assert list(backtest.columns) == BACKTEST_COLUMNS
    assert (backtest["origins"] == 3).all()
    assert any((tmp_path / "cache").rglob("*.pkl"))


def test_bad_horizon_and_bad_input_exit_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("LABORMATCH_CACHE", str(tmp_path / "cache"))
    source = write_input(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        app, ["forecast", "--horizon", "0", "--out", str(tmp_path / "f.csv"), "--input", str(source)]
    )
    assert result.exit_code == 1 and "horizon" in result.output
    result = runner.invoke(app, ["backtest", "--out", str(tmp_path / "b.csv"), "--input", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1 and "nope.csv" in result.output
    result = runner.invoke(app, ["forecast", "--out", str(tmp_path / "f.csv"), "--series", "vacancies"])
    assert result.exit_code == 1 and "vacancies" in result.output


def test_windows_option_averages_over_the_windows_it_names(tmp_path, monkeypatch):
    """--windows all,48 gives the engine's window average; a bad list is refused before any fit."""
    from labormatch.forecast import ForecastConfig, Forecaster

    monkeypatch.setenv("LABORMATCH_CACHE", str(tmp_path / "cache"))
    source = write_input(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "forecast",
            "--horizon",
            "6",
            "--out",
            str(tmp_path / "f.csv"),
            "--input",
            str(source),
            "--n-jobs",
            "1",
            "--windows",
            "all,48",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "(trained on each model averaged over training windows of all, 48 months)" in result.output
    expected = Forecaster(config=ForecastConfig(windows=(None, 48)), cache=False, n_jobs=1).forecast(
        pd.read_csv(source), horizon=6
    )
    assert np.allclose(pd.read_csv(tmp_path / "f.csv")["mean"], expected["mean"])
    for bad, reason in (
        ("all,ten", "comma-separated list of months"),
        ("all,12", "'windows' (all, 12): each must be 'all' (None) or a whole number of months of at least"),
    ):
        result = runner.invoke(
            app, ["backtest", "--out", str(tmp_path / "b.csv"), "--input", str(source), "--windows", bad]
        )
        assert result.exit_code == 1 and reason in result.output, result.output
        assert not (tmp_path / "b.csv").exists()


def test_parse_windows_reads_the_forms_people_write():
    from labormatch.forecast.config import WINDOW_AVERAGE, parse_windows

    assert parse_windows("all") == (None,)
    assert parse_windows("Average") == WINDOW_AVERAGE == (None, 120, 96, 72)
    assert parse_windows("all, 120 ,96") == (None, 120, 96)


def test_stale_snapshot_series_are_not_forecast(tmp_path):
    from labormatch import snapshot
    from labormatch.errors import SnapshotError

    try:
        snapshot.load_table("series_catalogue")
    except SnapshotError as exc:
        import pytest

        pytest.skip(f"no data snapshot: {exc}")
    result = CliRunner().invoke(
        app, ["forecast", "--out", str(tmp_path / "f.csv"), "--series", "h2a_certified_worker_months", "--n-jobs", "1"]
    )
    assert result.exit_code == 1 and "no current series to forecast" in result.output
    assert "(stale)" in result.output and not (tmp_path / "f.csv").exists()
