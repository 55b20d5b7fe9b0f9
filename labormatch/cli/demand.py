"""`labormatch demand`: the national demand model's record (control totals, forecast, backtest)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labormatch.cli.output import check_output_file, write_text
from labormatch.cli.scenario_common import user_errors

app = typer.Typer(
    help="National H-2A/H-2B demand: control totals, forecast with intervals, backtest.", no_args_is_help=True
)
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Also write the full table to this CSV file.")]


def _tables(csv: Path | None):
    from labormatch.model_inputs import load_inputs

    if csv is not None:
        check_output_file(csv, "--csv")
    return load_inputs(forecast=False).demand_tables


@app.command("backtest")
def backtest(csv: CsvOption = None) -> None:
    """Rolling-origin backtest on published figures: each fiscal year forecast from the figures public before
    it, against the last value and the last value x recent growth; interval coverage."""
    from labormatch.demand_backtest import render

    with user_errors():
        table = _tables(csv)["demand_backtest"]
        typer.echo("Positions certified (OFLC), forecast at each origin from figures published before it:")
        typer.echo(render(table))
        if csv is not None:
            write_text(csv, table.to_csv(index=False))
            typer.echo(f"wrote {len(table)} rows to {csv}")


@app.command("forecast")
def forecast(csv: CsvOption = None) -> None:
    """National positions certified by fiscal year: observed, converted from another measure, or forecast
    (median and 80% interval), with the source or model of each figure."""
    with user_errors():
        table = _tables(csv)["demand_forecast"]
        for _, r in table.iterrows():
            typer.echo(
                f"{r['visa_class']} FY{r['fiscal_year']} {r['kind']:9} {r['median']:>10,.0f} "
                f"(80%: {r['lo80']:,.0f}-{r['hi80']:,.0f})  {str(r['basis'])[:90]}"
            )
        if csv is not None:
            write_text(csv, table.to_csv(index=False))


@app.command("totals")
def totals(csv: CsvOption = None) -> None:
    """Control totals: every national figure by visa class, fiscal year and measure, with its source and the
    date it was public (monthly issuances are summed to fiscal years here; --csv writes every row)."""
    with user_errors():
        table = _tables(csv)["control_totals"]
        annual = table[table["period"] != "month"]
        for _, r in annual.iterrows():
            flag = " (partial)" if r["partial"] else ""
            typer.echo(
                f"{r['visa_class']} FY{r['fiscal_year']} {r['period']:>14} {r['measure']:28} "
                f"{r['value']:>10,.0f}{flag}  public {r['published']:%Y-%m-%d}  {str(r['source'])[:60]}"
            )
        if csv is not None:
            write_text(csv, table.to_csv(index=False))


@app.command("composition")
def composition(csv: CsvOption = None) -> None:
    """The model's FY2026 H-2B sector and state shares next to the newest job-order picture (positions) and the
    FY2024 January-peak list (applications)."""
    with user_errors():
        table = _tables(csv)["composition_current"]
        typer.echo(f"{'':9} {'':32} {'model':>7} {'job orders':>10} {'Jan peak':>9}")
        for _, r in table.iterrows():
            peak = "" if r["jan_peak_share"] != r["jan_peak_share"] else f"{r['jan_peak_share']:.1%}"
            typer.echo(
                f"{r['dimension']:9} {r['key']:32} {r['model_share']:>7.1%} {r['job_orders_share']:>10.1%} {peak:>9}"
            )
        typer.echo(table["note"].drop_duplicates().str.cat(sep="\n"))
        if csv is not None:
            write_text(csv, table.to_csv(index=False))
