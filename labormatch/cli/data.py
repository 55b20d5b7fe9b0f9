"""`labormatch data build|check|summary`: the embedded data snapshot."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from labormatch import paths, snapshot
from labormatch.errors import LabormatchError

app = typer.Typer(help="Build, check and summarise the embedded data snapshot.", no_args_is_help=True)

FIXED_STEPS = 6  # progress messages a build sends besides one per OFLC file


def _expected_steps(raw: Path) -> int:
    """Progress messages a full build sends: the fixed steps plus one per OFLC case file."""
    oflc = raw / "oflc"
    files = [p for p in oflc.rglob("*") if p.suffix.lower() in (".csv", ".xls", ".xlsx")] if oflc.is_dir() else []
    return FIXED_STEPS + len(files)


@app.command()
def build(
    raw: Path = typer.Option(None, "--raw", help="Folder of raw public files (default: LABORMATCH_RAW or ../shared/data/raw)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Snapshot folder (default: LABORMATCH_DATA or data/); it "
                                       "must already hold sector_series.csv, the hand-edited table of the BLS "
                                       "series behind each sector (copy data/sector_series.csv)."),
    skip_oflc: bool = typer.Option(False, "--skip-oflc", help="BLS and reference tables only (check will flag it)."),
) -> None:
    """Rebuild data/ from the raw files (the old snapshot stays in place if anything fails)."""
    raw = raw or paths.raw_dir()
    steps = FIXED_STEPS if skip_oflc else _expected_steps(raw)
    with typer.progressbar(length=steps, label="Building snapshot", file=sys.stderr) as bar:
        def progress(message: str) -> None:
            bar.label = f"{message[:48]:<48}"
            bar.update(1)

        try:
            result = snapshot.build(raw, out, progress=progress, oflc=not skip_oflc)
        except LabormatchError as exc:
            typer.echo(f"\nbuild failed, snapshot left unchanged: {exc}", err=True)
            raise typer.Exit(1) from None
    rows = sum(e["rows"] or 0 for e in result["outputs"])
    typer.echo(f"built {len(result['outputs'])} files ({rows:,} rows) in {result['build_seconds']} s; "
               f"data checksum {result['data_checksum'][:12]}")


@app.command()
def check(
    data: Optional[Path] = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="Raw folder whose checksums to verify, where present."),
) -> None:
    """Verify the snapshot against its manifest; exits 1 and lists each problem on any mismatch."""
    problems = snapshot.check(data, raw)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"snapshot OK (data checksum {snapshot.data_checksum(data)[:12]})")


@app.command()
def summary(
    data: Optional[Path] = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
) -> None:
    """Print OFLC cases and workers by visa class and fiscal year as CSV."""
    from labormatch.sources.oflc import oflc_summary

    try:
        cases = snapshot.load_table("oflc_cases", data)
    except LabormatchError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    except (OSError, ValueError) as exc:  # a damaged parquet file (pyarrow's errors are ValueErrors)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        typer.echo(f"cannot read the oflc_cases table ({reason}); `labormatch data check` lists damaged files",
                   err=True)
        raise typer.Exit(1) from None
    columns = ["visa_class", "fiscal_year", "cases", "workers_requested", "workers_certified", "partial_year"]
    typer.echo(oflc_summary(cases)[columns].to_csv(index=False), nl=False)
