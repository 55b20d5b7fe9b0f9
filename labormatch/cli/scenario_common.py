"""What the scenario commands share: the `--store` option, the model runner, error exits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from labormatch.errors import LabormatchError
from labormatch.scenario import Scenario
from labormatch.scenario_refs import split_version
from labormatch.store import Store, default_store_url

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult
    from labormatch.model_inputs import ModelInputs

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="LABORMATCH_STORE",
        show_default=False,
        help="Scenario store as a SQLAlchemy URL, e.g. sqlite:///scenarios.sqlite or "
        "postgresql+psycopg://user:password@host/db. Default: a SQLite file in your user data folder.",
    ),
]


def load_model_inputs() -> ModelInputs:
    """The model inputs from the embedded data snapshot (the slow step, done once per command)."""
    from labormatch.model_inputs import load_inputs

    typer.echo(
        "preparing the model inputs from the data snapshot (the sector forecasts are cached on disk, "
        "so later runs are faster) ...",
        err=True,
    )
    return load_inputs()


def scenario_runner() -> Callable[[Scenario], ScenarioResult]:
    """A function that runs scenarios; the data snapshot is loaded on the first call only."""
    from labormatch.model import run_scenario

    inputs: list[ModelInputs] = []

    def run(scenario: Scenario) -> ScenarioResult:
        if not inputs:
            inputs.append(load_model_inputs())
        return run_scenario(scenario.assumptions, inputs[0])

    return run


def show_notices(source: object, notices: tuple[str, ...]) -> None:
    """Tell the user, on stderr, how the scenario from `source` (a file, a stored version) was read where it used an
    older format (`Scenario.notices`)."""
    for line in notices:
        typer.secho(f"note: {source}: {line}", err=True, fg=typer.colors.YELLOW)


def open_store(url: str | None) -> Store:
    return Store(url or default_store_url())


def fail(message: str) -> typer.Exit:
    """Print a user error to stderr and return the exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a `LabormatchError`, or a file the system cannot read or write, into a one-line message on
    stderr and exit code 1 (no traceback)."""
    try:
        yield
    except LabormatchError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(os_error_message(exc)) from None


def os_error_message(exc: OSError) -> str:
    """`path: reason` for a file the system refused (a folder where a file was expected, no permission, ...)."""
    return f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)


def versioned(spec: str, version: int | None) -> tuple[str, int | None]:
    """The name and version a command was given, as `NAME@N` or as NAME with `--version N` (not both)."""
    name, at_version = split_version(spec)
    if at_version is not None and version is not None:
        raise LabormatchError(f"{spec}: give the version once, either as {name}@N or with --version N")
    return name, version if at_version is None else at_version


NameArgument = Annotated[str, typer.Argument(help="Scenario name in the store.", show_default=False)]
VersionedName = Annotated[
    str,
    typer.Argument(
        help="Scenario name in the store; NAME@N picks version N (default: the latest).", show_default=False
    ),
]


def text_table(headers: list[str], rows: list[list[str]], left: int = 1, align: str | None = None) -> str:
    """Aligned plain-text table: the first `left` columns left-aligned, the rest right-aligned,
    unless `align` gives one letter per column (`l` or `r`)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    align = align or "l" * left + "r" * (len(headers) - left)

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if a == "l" else str(c).rjust(w) for c, w, a in zip(cells, widths, align, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(row) for row in rows])
