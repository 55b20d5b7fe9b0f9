"""`ScenarioResult.warnings`: worked out once in the core, shown by the CLI and the workbook alike."""

from __future__ import annotations

import pandas as pd
import pytest
from example_inputs import demand_inputs
from report_fixtures import synthetic_result
from typer.testing import CliRunner

from labormatch import model_inputs
from labormatch.assumptions import Assumptions
from labormatch.cli import app
from labormatch.report.headline import reading
from labormatch.result_warnings import left_out_origins

LEFT_OUT = (
    "Circular origins left out of the quotas (Narnia: no H-2A or H-2B workers in the origin shares). Check the "
    "spelling against that visa class's origin shares, or give the country a share there."
)


def test_no_warning_for_a_plain_scenario():
    assert synthetic_result().warnings == []


def test_an_origin_without_workers_and_runaway_growth_are_warned_in_order():
    result = synthetic_result(
        h2a_origin_shares={"Mexico": 1.0},
        h2b_origin_shares={"Mexico": 1.0},
        circular_origins=["Mexico", "Narnia"],
        need_growth_per_season=1.0,
        seasons=11,
    )
    left_out, growth = result.warnings
    assert left_out == LEFT_OUT
    assert growth.startswith("Need growth of 100% a season over 11 seasons makes the last season's need 1,024 times")
    assert left_out in reading(result) and growth in reading(result)  # the workbook's reading carries them


def test_left_out_origins_are_named_per_visa_class():
    """Guatemala has H-2A quotas but none in H-2B; Narnia none at all; Mexico both (any capitalisation)."""
    quotas = pd.DataFrame(
        {
            "visa_class": ["H-2A", "H-2A", "H-2B", "H-2B"],
            "origin": ["Mexico", "Guatemala", "mexico", "Jamaica"],
        }
    )
    assumptions = Assumptions(fiscal_year=2024, circular_origins=["Narnia", "Mexico", "Guatemala"])
    assert left_out_origins(assumptions, quotas) == {"Narnia": ["H-2A", "H-2B"], "Guatemala": ["H-2B"]}
    assert left_out_origins(Assumptions(fiscal_year=2024), quotas) == {}  # no circular program: nothing left out


def test_an_origin_missing_from_one_class_is_warned_for_that_class():
    """Synthetic defaults: Jamaica is among the H-2B origins only, South Africa among the H-2A origins only."""
    (warning,) = synthetic_result(circular_origins=["Mexico", "Jamaica", "South Africa"]).warnings
    assert warning == (
        "Circular origins left out of the quotas (Jamaica: no H-2A workers in the origin shares; South Africa: no "
        "H-2B workers in the origin shares). Check the spelling against that visa class's origin shares, or give "
        "the country a share there."
    )


@pytest.mark.parametrize("command", ["run", "compare"])
def test_the_cli_shows_the_left_out_origin(tmp_path, monkeypatch, command):
    monkeypatch.setattr(model_inputs, "load_inputs", lambda data=None, forecast=True: demand_inputs())
    config = tmp_path / "narnia.yaml"
    config.write_text(
        "title: Narnia\nassumptions:\n  fiscal_year: 2024\n  h2b_origin_shares: {Mexico: 1.0}\n"
        "  circular_origins: [Mexico, Narnia]\n"
    )
    args = ["scenario", "run", "--config", str(config)] if command == "run" else ["scenario", "compare", str(config)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert LEFT_OUT in result.output
