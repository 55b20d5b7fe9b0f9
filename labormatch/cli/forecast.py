"""`labormatch forecast` and `labormatch backtest`: shortage forecasts and their track record.

The forecast CSV carries `data_through` (each series' last month with a value) beside the forecast columns.
From the snapshot, stale series (data ending more than 12 months before its as-of month) are left out: their
forecast would cover months already past."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from labormatch.cli.output import check_output_file, write_text
from labormatch.errors import LabormatchError


def _engine_options(backend: str, scheduler: str | None, n_jobs: int, pandemic: str, windows: str):
    """The Forecaster's keyword arguments; an unknown backend or pandemic treatment, bad training windows,
    --n-jobs 0 or a malformed scheduler address is refused here, before any series is read or fitted."""
    from labormatch.forecast import ForecastConfig
    from labormatch.forecast.backends import check_options
    from labormatch.forecast.config import parse_windows

    try:
        check_options(backend, n_jobs, scheduler)
    except LabormatchError as exc:
        raise LabormatchError(f"--backend / --n-jobs / --scheduler-address: {exc}") from None
    config = ForecastConfig(pandemic=pandemic, windows=parse_windows(windows))
    return {"config": config, "backend": backend, "scheduler_address": scheduler, "n_jobs": n_jobs}


def _input_table(input_csv: Path | None, series: list[str] | None):
    """The forecast input: a user CSV (series_id, date, value[, sector, series]) or the snapshot's current (not
    stale) sector series."""
    import pandas as pd

    from labormatch.forecast.sectors import SHORTAGE_SERIES, snapshot_series

    if input_csv is not None:
        if series:
            raise LabormatchError("--series picks series of the data snapshot; it cannot be combined with --input")
        try:
            return pd.read_csv(input_csv)
        except (OSError, ValueError) as exc:
            raise LabormatchError(f"{input_csv}: cannot read forecast input ({exc})") from None
    from labormatch import snapshot

    chosen = tuple(series) if series else SHORTAGE_SERIES
    data = snapshot_series(chosen, current_only=True)
    if data.empty:
        raise LabormatchError(
            f"no current series to forecast: every {', '.join(chosen)} series of the snapshot ends "
            f"more than 12 months before its as-of month {snapshot.as_of_month():%Y-%m} (stale)"
        )
    return data


def _count_series(data, input_csv: Path | None) -> int:
    """How many series the input holds, after the engine's checks (columns, dates, months per series);
    a problem in a user CSV is reported with the file's name."""
    from labormatch.forecast.engine import split_series

    where = f"{input_csv}: " if input_csv is not None else ""
    try:
        total = len(split_series(data))
    except LabormatchError as exc:
        raise LabormatchError(f"{where}{exc}") from None
    if total == 0:
        raise LabormatchError(f"{where}no series to forecast (the table has no rows)")
    return total


def _data_through(data):
    """Each series' last month with a value, as "YYYY-MM"."""
    import pandas as pd

    from labormatch.forecast.sectors import data_through

    frame = data.assign(date=pd.to_datetime(data["date"]), value=pd.to_numeric(data["value"], errors="coerce"))
    return data_through(frame).dt.strftime("%Y-%m")


def _run(method: str, out: Path, input_csv, series, backend, scheduler, n_jobs, pandemic, windows, **kwargs) -> None:
    from labormatch.forecast import Forecaster
    from labormatch.forecast.config import check_horizon, windows_text

    try:
        check_output_file(out, "--out")
        if "horizon" in kwargs:
            check_horizon(kwargs["horizon"])
        options = _engine_options(backend, scheduler, n_jobs, pandemic, windows)
        data = _input_table(input_csv, series)
        total = _count_series(data, input_csv)
        with typer.progressbar(length=total, label=f"{method}: fitting {total} series", file=sys.stderr) as bar:
            engine = Forecaster(progress=bar.update, **options)
            table = getattr(engine, method)(data, **kwargs)
        if method == "forecast":
            table = table.join(_data_through(data), on="series_id")
        write_text(out, table.to_csv(index=False))
    except LabormatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    windows = options["config"].windows
    trained = (
        "all months"
        if windows == (None,)
        else f"each model averaged over training windows of {windows_text(windows)} months"
    )
    typer.echo(f"wrote {len(table)} rows for {total} series to {out} (trained on {trained})")


Input = Annotated[
    Path | None,
    typer.Option(
        "--input",
        help="CSV with series_id, date, value (+ sector, series); default: the snapshot's sector shortage series",
    ),
]
Series = Annotated[
    list[str] | None,
    typer.Option(
        "--series",
        help="snapshot series to fit, repeatable (default: all of them): openings, hires, "
        "unfilled_openings, h2a_certified_worker_months, h2b_certified_worker_months, employment; "
        "not with --input",
    ),
]
Backend = Annotated[
    str, typer.Option("--backend", help="joblib (all local cores) or dask (a dask.distributed cluster)")
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler-address", help="dask scheduler address, e.g. tcp://host:8786 (default: a local cluster)"),
]
Jobs = Annotated[int, typer.Option("--n-jobs", help="joblib processes (-1 = all cores)")]
Pandemic = Annotated[
    str, typer.Option("--pandemic", help="2020-03..2021-06 treatment: dummies (default), none, exclude")
]
Windows = Annotated[
    str,
    typer.Option(
        "--windows",
        help="training windows: all (default: all months); average (each model averaged over all months "
        "and the last 120, 96 and 72 months: steadier after breaks, about 3x the time); or months, "
        "e.g. all,96",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the forecast and backtest commands to the top-level app."""

    @app.command("forecast")
    def forecast_command(
        out: Annotated[
            Path,
            typer.Option("--out", help="forecast table CSV to write, in an existing folder (replaced if it exists)"),
        ],
        horizon: Annotated[int, typer.Option("--horizon", help="months ahead, 1-24")] = 12,
        input_csv: Input = None,
        series: Series = None,
        backend: Backend = "joblib",
        scheduler: Scheduler = None,
        n_jobs: Jobs = -1,
        pandemic: Pandemic = "dummies",
        windows: Windows = "all",
    ) -> None:
        """Forecast each series (model chosen by rolling-origin backtest) with 80% and 95% intervals."""
        _run("forecast", out, input_csv, series, backend, scheduler, n_jobs, pandemic, windows, horizon=horizon)

    @app.command("backtest")
    def backtest_command(
        out: Annotated[
            Path,
            typer.Option("--out", help="backtest table CSV to write, in an existing folder (replaced if it exists)"),
        ],
        input_csv: Input = None,
        series: Series = None,
        backend: Backend = "joblib",
        scheduler: Scheduler = None,
        n_jobs: Jobs = -1,
        pandemic: Pandemic = "dummies",
        windows: Windows = "all",
    ) -> None:
        """Track record per series: chosen model's MASE, sMAPE and interval coverage next to seasonal naive."""
        _run("backtest", out, input_csv, series, backend, scheduler, n_jobs, pandemic, windows)
