"""`labormatch scenario ...`: run, save, list, show, compare, export and import scenarios."""

import typer

from labormatch.cli import scenario_run

app = typer.Typer(help="Run, save and compare visa-cap scenarios.", no_args_is_help=True)
scenario_run.register(app)
