"""`labormatch scenario run`: run one scenario file through the model and write the result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from labormatch.cli.output import check_output_file, write_text
from labormatch.cli.scenario_common import show_notices, text_table, user_errors
from labormatch.demand_intervals import interval_note, interval_text, is_interval_key
from labormatch.errors import LabormatchError
from labormatch.figures import in_order
from labormatch.result_basis import basis_lines


def register(app: typer.Typer) -> None:
    """Add the `run` command to the scenario command group."""

    @app.command("run")
    def run(
        config: Path = typer.Option(..., "--config", "-c", help="Scenario YAML file (header + assumptions:)."),
        out: Path | None = typer.Option(
            None, "--out", "-o", help="Write the full result as JSON here (replaced if it exists)."
        ),
        data: Path | None = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
        forecast: bool = typer.Option(
            True,
            "--forecast/--no-forecast",
            help="Continue the sector indicators 24 months with the sector forecasts; "
            "without them, and always with --data, their year-on-year change after "
            "the data ends is 0.",
        ),
    ) -> None:
        """Run a scenario: H-2B numbers by half and tranche, unmet demand, H-2A wage bill, circular quotas.

        Prints which supplemental rule applies, the data years the year rests on, the headline figures and the
        result hash; --out writes every table as JSON. A file without fiscal_year runs the fiscal year of the
        snapshot's as-of month.
        """
        from labormatch.model import run_scenario
        from labormatch.model_inputs import load_inputs
        from labormatch.scenario import load_scenario_file

        with user_errors():
            if out is not None:
                check_output_file(out, "--out")  # before the long work
            scenario = load_scenario_file(config)
            show_notices(config, scenario.notices)
            forecasts = ", sector forecasts" if forecast and data is None else ""
            typer.echo(
                f"preparing the model inputs (demand model{forecasts}; the forecasts are cached on disk, "
                "so later runs are faster) ...",
                err=True,
            )
            result = run_scenario(scenario.assumptions, load_inputs(data, forecast=forecast))
        typer.echo(f"{scenario.title} (FY{scenario.assumptions.fiscal_year})")
        for line in basis_lines(result):
            typer.echo(line)
        typer.echo(headline_table(result.headline))
        typer.echo(interval_note(result.tables["intervals"], scenario.assumptions.fiscal_year))
        if not result.tables["cap_reached_intervals"].empty:
            typer.echo(cap_dates_table(result.tables["cap_reached_intervals"]))
        for warning in result.warnings:
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
    """The headline figures as a table: label, unit, value (USD in millions, shares in percent; with its 80%
    interval where the demand carries uncertainty) and the key the JSON result uses."""
    rows = []
    for figure in (f for f in in_order(headline) if not is_interval_key(f.key)):
        value = figure.text(headline[figure.key], compact=True)
        rows.append(
            [
                figure.label,
                figure.unit,
                value + interval_text(headline, figure.key, lambda v, f=figure: f.text(v, compact=True)),
                figure.key,
            ]
        )
    return text_table(["figure", "unit", "value", "key"], rows, align="llrl")


def cap_dates_table(dates) -> str:
    """When each half's statutory numbers run out over the demand draws: the central path's date, median,
    80% and 95% ends ("not reached" where that quantile's draws never exhaust the numbers)."""

    def day(value) -> str:
        return "not reached" if pd.isna(value) else f"{value:%Y-%m-%d}"

    rows = [
        [
            row.half,
            f"{row.share_reached:.0%}",
            day(row.point),
            day(row.median),
            f"{day(row.lo80)} to {day(row.hi80)}",
            f"{day(row.lo95)} to {day(row.hi95)}",
        ]
        for row in dates.itertuples(index=False)
    ]
    return "cap reached (estimated date)\n" + text_table(
        ["half", "draws reaching", "central path", "median", "80%", "95%"], rows, align="lrrrrr"
    )
