"""`labormatch scenario run`: run one scenario file through the model and write the result."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from labormatch.cli.output import check_output_file, write_text
from labormatch.cli.scenario_common import text_table, user_errors
from labormatch.cli.scenario_compare import format_value
from labormatch.circular import growth_warning
from labormatch.compare import HEADLINE_FIGURES
from labormatch.errors import LabormatchError


def register(app: typer.Typer) -> None:
    """Add the `run` command to the scenario command group."""

    @app.command("run")
    def run(
        config: Path = typer.Option(..., "--config", "-c", help="Scenario YAML file (header + assumptions:)."),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the full result as JSON here (replaced if it exists)."),
        data: Optional[Path] = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
        forecast: bool = typer.Option(True, "--forecast/--no-forecast",
                                      help="Continue the sector indicators 24 months with the sector forecasts; without them, and "
                                           "always with --data, their year-on-year change after the data ends is 0."),
    ) -> None:
        """Run a scenario: H-2B numbers by half and tranche, unmet demand, H-2A wage bill, circular quotas.

        Prints the headline figures and the result hash; --out writes every table as JSON.
        """
        from labormatch.model import load_inputs, run_scenario
        from labormatch.scenario import load_scenario_file

        with user_errors():
            if out is not None:
                check_output_file(out, "--out")  # before the long work
            scenario = load_scenario_file(config)
            typer.echo("preparing the model inputs (demand model" + (", sector forecasts" if forecast and data is None else "")
                       + "; the forecasts are cached on disk, so later runs are faster) ...", err=True)
            result = run_scenario(scenario.assumptions, load_inputs(data, forecast=forecast))
        typer.echo(f"{scenario.title} (FY{scenario.assumptions.fiscal_year})")
        typer.echo(headline_table(result.headline))
        if warning := growth_warning(scenario.assumptions):
            typer.echo(f"warning: {warning}", err=True)
        typer.echo(f"result hash {result.hash()}")
        if out is not None:
            try:
                write_text(out, result.to_json())
            except LabormatchError as exc:
                typer.echo(f"error: --out {exc}", err=True)
                raise typer.Exit(code=1) from None
            typer.echo(f"wrote {out}")


def headline_table(headline: dict[str, float]) -> str:
    """The headline figures as a table: label, unit, value (USD in millions, shares in percent) and the
    key the JSON result uses."""
    known = {key: (label, unit) for key, label, unit in HEADLINE_FIGURES}
    keys = [key for key in known if key in headline] + [key for key in headline if key not in known]
    rows = []
    for key in keys:
        label, unit = known.get(key, (key, ""))
        value = format_value(headline[key], unit) if unit else f"{headline[key]:,.4g}"
        rows.append([label, unit, value, key])
    return text_table(["figure", "unit", "value", "key"], rows, align="llrl")
