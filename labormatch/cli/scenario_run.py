"""`labormatch scenario run`: run one scenario file through the model and write the result."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from labormatch.errors import LabormatchError


def register(app: typer.Typer) -> None:
    """Add the `run` command to the scenario command group."""

    @app.command("run")
    def run(
        config: Path = typer.Option(..., "--config", "-c", help="Scenario YAML file (header + assumptions:)."),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the full result as JSON here."),
        data: Optional[Path] = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
        forecast: bool = typer.Option(True, "--forecast/--no-forecast",
                                      help="Continue the sector indicators with the forecasts (default snapshot only)."),
    ) -> None:
        """Run a scenario: H-2B numbers by half and tranche, unmet demand, H-2A wage bill, circular quotas.

        Prints the headline figures and the result hash; --out writes every table as JSON.
        """
        from labormatch.model import load_inputs, run_scenario
        from labormatch.scenario import load_scenario_file

        if out is not None and not out.parent.is_dir():
            typer.echo(f"error: --out {out}: folder {out.parent} does not exist", err=True)
            raise typer.Exit(code=2)
        try:
            scenario = load_scenario_file(config)
            typer.echo("preparing the model inputs (demand calibration" + (", sector forecasts" if forecast else "")
                       + "; the forecasts are cached on disk, so later runs are faster) ...", err=True)
            result = run_scenario(scenario.assumptions, load_inputs(data, forecast=forecast))
        except LabormatchError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None
        typer.echo(f"{scenario.title} (FY{scenario.assumptions.fiscal_year})")
        width = max(len(k) for k in result.headline)
        for key, value in result.headline.items():
            typer.echo(f"  {key:<{width}}  {value:>18,.1f}" if abs(value) >= 1 else f"  {key:<{width}}  {value:>18.4f}")
        typer.echo(f"  result hash  {result.hash()}")
        if out is not None:
            try:
                out.write_text(result.to_json(), encoding="utf-8")
            except OSError as exc:
                typer.echo(f"error: --out {out}: cannot write the result ({exc.strerror})", err=True)
                raise typer.Exit(code=1) from None
            typer.echo(f"wrote {out}")
