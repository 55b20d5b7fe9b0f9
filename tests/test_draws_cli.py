"""`scenario run` and `scenario compare` show the intervals of the demand draws, or say there are none."""

from dataclasses import replace

import pytest
from example_inputs import demand_inputs
from test_draws import uncertainty
from typer.testing import CliRunner

from labormatch import model_inputs
from labormatch.cli import app
from labormatch.scenario import example_paths

runner = CliRunner()


@pytest.fixture(autouse=True)
def hand_made_inputs(monkeypatch):
    """Scenarios run on hand-made inputs (no demand uncertainty unless a test says otherwise)."""
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", demand_inputs)


def uncertain_inputs(*args, **kwargs):
    return replace(demand_inputs(), demand_uncertainty=uncertainty(log_sd=0.25, share_sd=0.1))


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("title: Plain\nauthor: test\nassumptions:\n  fiscal_year: 2024\n  demand_draws: 400\n")
    return path


def test_scenario_run_prints_the_80_percent_interval_beside_each_figure(config, monkeypatch):
    monkeypatch.setattr(model_inputs, "load_inputs", uncertain_inputs)
    result = runner.invoke(app, ["scenario", "run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    unmet = next(line for line in result.output.splitlines() if line.startswith("H-2B demand unmet"))
    assert "(80%: " in unmet and unmet.rstrip().endswith("h2b_unmet")
    assert "over 400 demand draws (seed" in result.output and "hand-made test spreads" in result.output
    assert "Odds a January-window petition (Apr-Sep start) is selected" in result.output
    assert "cap reached (estimated date)" in result.output and "not reached" in result.output
    assert "h2b_unmet_lo80" not in result.output  # folded into the value, not a row of its own


def test_scenario_run_without_uncertainty_says_so(config, monkeypatch):
    monkeypatch.setattr(model_inputs, "load_inputs", lambda *args, **kwargs: demand_inputs())
    result = runner.invoke(app, ["scenario", "run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "no interval: the demand model gave no uncertainty (FY2024)" in result.output
    assert "(80%:" not in result.output and "cap reached (estimated date)" not in result.output


def test_scenario_compare_lines_up_the_interval_ends(config, monkeypatch):
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", uncertain_inputs)
    result = runner.invoke(app, ["scenario", "compare", str(config), str(example_paths()["cap_doubled"])])
    assert result.exit_code == 0, result.output
    low = next(line for line in result.output.splitlines() if line.strip().startswith("H-2B demand unmet, 80% low"))
    assert len(low.split()) >= 7  # label words, unit, one value per scenario
    assert "intervals plain: 80% and 95% intervals over 400 demand draws" in result.output
    assert "intervals cap_doubled: 80% and 95% intervals over 1,000 demand draws" in result.output


def test_scenario_compare_says_once_that_there_are_no_intervals():
    result = runner.invoke(
        app, ["scenario", "compare", str(example_paths()["statutory_cap"]), str(example_paths()["cap_doubled"])]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("no interval: the demand model gave no uncertainty (FY2024)") == 1
    assert "80% low" not in result.output
