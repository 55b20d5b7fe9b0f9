"""`labormatch data build|check|summary|update`: the embedded data snapshot."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from labormatch import paths, snapshot
from labormatch.errors import LabormatchError

app = typer.Typer(help="Build, check, summarise and update the embedded data snapshot.", no_args_is_help=True)

FIXED_STEPS = 6  # progress messages a build sends besides one per OFLC file


def _expected_steps(raw: Path) -> int:
    """Progress messages a full build sends: the fixed steps plus one per OFLC case file."""
    oflc = raw / "oflc"
    files = [p for p in oflc.rglob("*") if p.suffix.lower() in (".csv", ".xls", ".xlsx")] if oflc.is_dir() else []
    return FIXED_STEPS + len(files)


@app.command()
def build(
    raw: Path = typer.Option(
        None, "--raw", help="Folder of raw public files (default: LABORMATCH_RAW or ../shared/data/raw)."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Snapshot folder (default: LABORMATCH_DATA or data/); it "
        "must already hold sector_series.csv, the hand-edited table of the BLS "
        "series behind each sector (copy data/sector_series.csv).",
    ),
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
    typer.echo(
        f"built {len(result['outputs'])} files ({rows:,} rows) in {result['build_seconds']} s; "
        f"data checksum {result['data_checksum'][:12]}"
    )


@app.command()
def check(
    data: Path | None = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
    raw: Path | None = typer.Option(None, "--raw", help="Raw folder whose checksums to verify, where present."),
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
    data: Path | None = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
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
        typer.echo(
            f"cannot read the oflc_cases table ({reason}); `labormatch data check` lists damaged files", err=True
        )
        raise typer.Exit(1) from None
    columns = ["visa_class", "fiscal_year", "cases", "workers_requested", "workers_certified", "partial_year"]
    typer.echo(oflc_summary(cases)[columns].to_csv(index=False), nl=False)


class _ProgressReporter:
    """Update progress on stderr: one line per stage, a bar per downloaded file."""

    BAR = 30

    def __init__(self) -> None:
        self.line_open = False  # a file's bar is on the current line

    def step(self, message: str) -> None:
        typer.echo(f"  {message}", err=True)

    def file(self, item):
        name = item.target.rsplit("/", 1)[-1]

        def on_chunk(received: int, total: int | None) -> None:
            self.line_open = True
            if total:
                done = int(self.BAR * received / total)
                typer.echo(
                    f"\r  {name[:40]:<40} [{'#' * done}{'.' * (self.BAR - done)}] {received:,} bytes",
                    err=True,
                    nl=False,
                )
            else:
                typer.echo(f"\r  {name[:40]:<40} {received:,} bytes", err=True, nl=False)

        return on_chunk

    def file_done(self, item, description: str) -> None:
        typer.echo(f"\r  {item.target}: checked ({description})", err=True)
        self.line_open = False

    def end_line(self) -> None:
        """End a file's bar so that a message starts on its own line."""
        if self.line_open:
            typer.echo("", err=True)
            self.line_open = False


@app.command()
def update(
    source: str | None = typer.Option(
        None,
        "--source",
        help="Only this source (ids in labormatch/update/"
        "sources.yaml: oflc, bls_api, bls_flat, seasonaljobs, dos_issuances).",
    ),
    bls_via: str = typer.Option(
        "api",
        "--bls",
        help="BLS route when all sources update: api (needs BLS_API_KEY) or flat (whole-survey flat files, no key).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be fetched; change nothing."),
    raw: Path | None = typer.Option(None, "--raw", help="Raw folder (default: LABORMATCH_RAW or ../shared/data/raw)."),
    data: Path | None = typer.Option(None, "--data", help="Snapshot folder (default: LABORMATCH_DATA or data/)."),
) -> None:
    """Fetch the newest official files into the raw folder and rebuild the snapshot (the only command that
    uses the network). Nothing changes unless every download passes its checks and the rebuilt snapshot
    passes `data check`."""
    from labormatch.update.apply import run

    reporter = _ProgressReporter()
    try:
        result = run(source, raw, data, dry_run=dry_run, bls_via=bls_via, reporter=reporter)
    except LabormatchError as exc:
        reporter.end_line()
        one_line = " ".join(str(exc).split())
        typer.echo(f"update failed, raw folder and snapshot unchanged: {one_line}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        reporter.end_line()
        typer.echo("update interrupted, raw folder and snapshot unchanged", err=True)
        raise typer.Exit(130) from None
    for note in result.notes:
        typer.echo(note)
    if dry_run:
        typer.echo(f"would fetch {len(result.planned)} file(s)")
        for item in result.planned:
            what = (
                f" ({len(item.body['seriesid'])} series, {item.body['startyear']}-{item.body['endyear']})"
                if item.body
                else ""
            )
            typer.echo(f"  {item.address} -> {item.target}{what}")
        return
    if not result.added:
        typer.echo("nothing new: raw folder and snapshot unchanged")
        return
    typer.echo("\n".join(result.summary))
    typer.echo("snapshot rebuilt and checked" if result.rebuilt else "snapshot unchanged (files not read by the build)")
