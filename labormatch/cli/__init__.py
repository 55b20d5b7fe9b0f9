"""The `labormatch` command: a thin shell over the package's functions.

Each sub-module owns one group of commands; this module only assembles them.
"""

import typer

from labormatch.cli import data, demand, forecast, report, scenario

app = typer.Typer(
    help="Forecast US sector labor shortages and size H-2A/H-2B visa demand, caps and circular quotas.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(data.app, name="data")
app.add_typer(scenario.app, name="scenario")
app.add_typer(demand.app, name="demand")
forecast.register(app)
report.register(app)
