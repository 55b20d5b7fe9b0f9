"""`labormatch demand backtest` prints the backtest and writes it as CSV."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from labormatch import snapshot
from labormatch.cli import app
from labormatch.errors import SnapshotError


@pytest.fixture(scope="module")
def has_snapshot():
    try:
        snapshot.manifest()
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")


def test_demand_backtest_prints_every_year_and_writes_the_csv(has_snapshot, tmp_path):
    out = tmp_path / "backtest.csv"
    result = CliRunner().invoke(app, ["demand", "backtest", "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert "H-2A FY2019-FY2025: MAPE model" in result.output
    for year in range(2019, 2026):
        assert f"H-2A  {year} {year - 1}-12-31" in result.output
    table = pd.read_csv(out)
    assert set(table["check"]) == {"positions_certified", "january_window_positions"}
    assert (table.loc[table["check"] == "positions_certified", "actual"] > 0).all()


def test_demand_backtest_refuses_a_csv_in_a_missing_folder(has_snapshot, tmp_path):
    result = CliRunner().invoke(app, ["demand", "backtest", "--csv", str(tmp_path / "nope" / "b.csv")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_demand_composition_lists_sectors_and_states(has_snapshot):
    result = CliRunner().invoke(app, ["demand", "composition"])
    assert result.exit_code == 0, result.output
    assert "professional_business_services" in result.output and "state     TX" in result.output
    assert "mapped to a sector by job title" in result.output
