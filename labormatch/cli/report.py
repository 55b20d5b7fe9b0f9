"""`labormatch report`: export an Excel workbook for one scenario or a comparison."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from labormatch import paths, snapshot
from labormatch.cli.scenario_common import StoreOption, scenario_runner, show_notices, user_errors
from labormatch.errors import LabormatchError, SnapshotError
from labormatch.report import ReportScenario, snapshot_forecasts, write_report
from labormatch.report.safe import safe_filename, safe_output_path
from labormatch.scenario_refs import resolve_scenarios


def register(app: typer.Typer) -> None:
    """Add the report command to the top-level app."""

    @app.command("report")
    def report_command(
        scenario: Annotated[
            str,
            typer.Option(
                "--scenario",
                help="Scenario shown in full, with its live model: a YAML file, a name saved in the store "
                "(NAME or NAME@VERSION) or an example name.",
                show_default=False,
            ),
        ],
        compare: Annotated[
            list[str] | None,
            typer.Option(
                "--compare",
                help="Scenario to compare with it (repeat for several); adds the Comparison sheet.",
                show_default=False,
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help="Workbook to write, in an existing folder (replaced if it exists; the file name is "
                "sanitised), or an existing folder to write labormatch_<scenario>.xlsx into. Default: "
                "reports/labormatch_<scenario>.xlsx.",
                show_default=False,
            ),
        ] = None,
        forecasts: Annotated[
            bool,
            typer.Option(
                "--forecasts/--no-forecasts",
                help="Add the sector forecasts and their backtests (fits are cached; "
                "the first run on a new snapshot takes a few minutes).",
            ),
        ] = True,
        store: StoreOption = None,
    ) -> None:
        """Write an Excel report: sourced sheets, native charts and a live model economists can recalculate.

        Example: `labormatch report --scenario statutory_cap --compare cap_doubled --out reports/fy2025.xlsx`.
        """
        started = time.perf_counter()
        with user_errors():
            entries = resolve_scenarios([scenario, *(compare or [])], False, store)
            target = _target(out, entries[0].label)
            safe_output_path(target)  # refuse a missing folder before the long work
            run = scenario_runner()
            scenarios = []
            for e in entries:
                show_notices(f"{e.label} ({e.source})", e.scenario.notices)
                _step(f"running {e.label}")
                scenarios.append(
                    ReportScenario(
                        name=e.label,
                        result=run(e.scenario),
                        title=e.scenario.title,
                        author=e.scenario.author,
                        notes=e.scenario.notes,
                    )
                )
            if forecasts:
                _step("adding the sector forecasts and backtests (fits are cached on disk)")
            tables = snapshot_forecasts() if forecasts else None
            _step("writing the workbook")
            written = write_report(scenarios, target, forecasts=tables, manifest=_manifest())
        typer.echo(
            f"wrote {written} ({len(scenarios)} scenario{'s' if len(scenarios) > 1 else ''}, "
            f"{time.perf_counter() - started:.1f} s)"
        )


def _step(message: str) -> None:
    """One progress line on stderr (the report takes seconds to minutes; stdout keeps the result line)."""
    typer.echo(f"{message} ...", err=True)


def _target(out: Path | None, label: str) -> Path:
    """Where the workbook goes: --out as given, labormatch_<label>.xlsx inside --out when it is a folder, or
    the default path."""
    if out is None:
        return _default_path(label)
    return out / safe_filename(f"labormatch_{label}") if out.is_dir() else out


def _default_path(label: str) -> Path:
    """reports/labormatch_<label>.xlsx, creating the reports folder (LABORMATCH_REPORTS) if needed."""
    folder = paths.reports_dir()
    if folder.exists() and not folder.is_dir():
        raise LabormatchError(
            f"the reports folder {folder} is a file, not a folder: pass --out FILE or set "
            "LABORMATCH_REPORTS to a folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder / safe_filename(f"labormatch_{label}")


def _manifest() -> dict | None:
    """The snapshot manifest for the Data sources sheet; a missing snapshot only leaves that sheet shorter."""
    try:
        return snapshot.manifest()
    except SnapshotError as exc:
        typer.secho(
            f"warning: {exc}; the Data sources sheet lists only the scenario's data vintage",
            err=True,
            fg=typer.colors.YELLOW,
        )
        return None
