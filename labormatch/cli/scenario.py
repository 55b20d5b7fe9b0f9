"""`labormatch scenario ...`: run, save, list, show, compare, export and import scenarios.

A scenario is a YAML file (header + assumptions; see `labormatch scenario fields`). `save` and
`import` run it and record it as a new version in the scenario store, a SQLite file in your user
data folder unless `--store` or `LABORMATCH_STORE` names another SQLAlchemy URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml

from labormatch.cli import scenario_compare, scenario_run
from labormatch.cli.output import check_output_file
from labormatch.cli.scenario_common import (
    NameArgument,
    StoreOption,
    VersionedName,
    open_store,
    scenario_runner,
    show_notices,
    text_table,
    user_errors,
    versioned,
)
from labormatch.errors import LabormatchError
from labormatch.reproduction import check_saved, short_hash
from labormatch.scenario import (
    Provenance,
    ScenarioError,
    example_paths,
    load_scenario_file,
    save_scenario_file,
    scenario_yaml,
)
from labormatch.store import SavedVersion, Store, check_name, name_from_stem

app = typer.Typer(
    help="Run, save and compare visa-cap scenarios. Start with `labormatch scenario compare --examples`, "
    "then copy an example (`labormatch scenario show cap_doubled --example > mine.yaml`), edit it, and "
    "`labormatch scenario save mine.yaml`.",
    no_args_is_help=True,
)
scenario_run.register(app)
scenario_compare.register(app)


def _describe(saved: SavedVersion) -> str:
    return f"{saved.name} v{saved.version} (result {short_hash(saved.result_hash)})"


@app.command()
def save(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file (header + assumptions).", show_default=False)],
    name: Annotated[str | None, typer.Option(help="Name in the store; default: the file name without .yaml.")] = None,
    store: StoreOption = None,
) -> None:
    """Run a scenario file and save it as a new version (earlier versions are kept)."""
    with user_errors():
        chosen = check_name(name_from_stem(file.stem) if name is None else name)
        scenario = load_scenario_file(file)
        show_notices(file, scenario.notices)
        with open_store(store) as opened:  # a bad name or store is refused before the model runs
            saved = opened.save_result(chosen, scenario, scenario_runner()(scenario))
    typer.echo(f"saved {_describe(saved)}: {scenario.title}")


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include deleted scenarios.")] = False,
    examples: Annotated[bool, typer.Option("--examples", help="List the shipped example scenarios instead.")] = False,
    store: StoreOption = None,
) -> None:
    """List saved scenarios (latest version of each), or the shipped examples."""
    if examples:
        for example, path in example_paths().items():
            typer.echo(f"{example:<24} {load_scenario_file(path).title}")
        return
    with user_errors(), open_store(store) as opened:
        summaries = opened.list_scenarios(include_deleted=all_)
        where = opened.url
    if not summaries:
        typer.echo(f"no scenarios saved in {where} yet; try `labormatch scenario save FILE`")
        return
    rows = [
        [
            s.name,
            str(s.versions),
            f"{s.saved_at:%Y-%m-%d %H:%M}",
            short_hash(s.result_hash),
            s.title + (" [deleted]" if s.deleted else ""),
        ]
        for s in summaries
    ]
    typer.echo(text_table(["name", "versions", "last saved (UTC)", "result", "title"], rows, align="lrlll"))


@app.command()
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="Scenario name in the store, NAME@N for version N (or an example name with --example).",
            show_default=False,
        ),
    ],
    version: Annotated[int | None, typer.Option(help="Version to show; default: the latest.")] = None,
    history: Annotated[bool, typer.Option("--history", help="List every version instead.")] = False,
    example: Annotated[bool, typer.Option("--example", help="Show a shipped example file.")] = False,
    store: StoreOption = None,
) -> None:
    """Print a scenario as YAML (ready to edit and save), with when and how it was saved."""
    with user_errors():
        if example:
            paths = example_paths()
            if name not in paths:
                raise LabormatchError(f"no example named {name!r}; examples: {', '.join(paths)}")
            typer.echo(paths[name].read_text(encoding="utf-8"), nl=False)
            return
        name, version = versioned(name, version)
        with open_store(store) as opened:
            if history:
                versions = opened.history(name)
            else:
                saved = opened.get(name, version, include_deleted=True)
                deleted = _is_deleted(opened, name)
    if history:
        rows = [
            [
                str(v.version),
                f"{v.saved_at:%Y-%m-%d %H:%M:%S}",
                v.saved_by or "-",
                short_hash(v.result_hash),
                str(v.data_vintage.get("data_checksum", ""))[:12] or _one_line(v.data_vintage, 12),
                v.title,
            ]
            for v in versions
        ]
        typer.echo(text_table(["version", "saved (UTC)", "by", "result", "data", "title"], rows, align="rlllll"))
        return
    typer.echo(
        f"# {saved.name} version {saved.version}, saved {saved.saved_at:%Y-%m-%d %H:%M:%S} UTC"
        f" by {saved.saved_by or 'unknown'}"
    )
    typer.echo(f"# result hash {saved.result_hash}")
    if deleted:
        typer.echo(f"# deleted: hidden from `list`; `labormatch scenario restore {saved.name}` brings it back")
    for key, value in sorted(saved.data_vintage.items()):
        typer.echo(f"# data vintage {key}: {_one_line(value)}")
    typer.echo(f"# labormatch {saved.package_version}")
    try:
        text = scenario_yaml(saved.scenario())
    except ScenarioError as exc:  # saved under an older Assumptions model: show it as stored
        typer.echo(f"# note: no longer valid as saved ({exc})".replace("\n", " "))
        text = yaml.safe_dump(saved.document, sort_keys=False, allow_unicode=True, width=100)
    typer.echo(text, nl=False)


def _one_line(value: object, limit: int = 100) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@app.command()
def export(
    name: VersionedName,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (replaced if it exists); default: print to the screen."),
    ] = None,
    version: Annotated[int | None, typer.Option(help="Version to export; default: the latest.")] = None,
    store: StoreOption = None,
) -> None:
    """Write a saved scenario to a YAML file to hand to a colleague (with its provenance and result hash)."""
    with user_errors():
        name, version = versioned(name, version)
        if output is not None:
            check_output_file(output, "--output")
        with open_store(store) as opened:
            saved = opened.get(name, version, include_deleted=True)
        provenance = Provenance(
            name=saved.name,
            version=saved.version,
            saved_at=saved.saved_at,
            result_hash=saved.result_hash,
            data_vintage=saved.data_vintage,
            package_version=saved.package_version,
        )
        scenario = saved.scenario().model_copy(update={"provenance": provenance})
        if output is None:
            typer.echo(scenario_yaml(scenario), nl=False)
            return
        save_scenario_file(scenario, output)
    typer.echo(f"exported {_describe(saved)} to {output}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file, e.g. one written by `export`.", show_default=False)],
    name: Annotated[
        str | None, typer.Option(help="Name in the store; default: the name recorded in the file, else the file name.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Check a scenario file, re-run it, and save it as a new version; nothing is saved if the file is bad.

    When the file was exported from a store, the re-run's result hash is compared with the one it
    recorded: a difference means the data or the model changed since.
    """
    with user_errors():
        if name is not None:
            check_name(name)  # an empty --name is refused, not replaced by the recorded name
        with open_store(store) as opened:
            outcome = opened.import_file(file, run=scenario_runner(), name=name)
    show_notices(file, outcome.notices)
    typer.echo(f"imported {file} as {_describe(outcome.saved)}")
    checked = outcome.check
    if checked is not None and checked.reproduced:
        typer.echo("re-run reproduces the result hash recorded in the file")
    elif checked is not None:
        typer.secho(
            f"note: the file recorded result {short_hash(checked.recorded)}; the re-run gives "
            f"{short_hash(checked.now)}: the data vintage or model differs from the exporter's",
            fg=typer.colors.YELLOW,
        )


@app.command()
def check(
    names: Annotated[
        list[str] | None, typer.Argument(help="Scenario names; default: every saved scenario.", show_default=False)
    ] = None,
    store: StoreOption = None,
) -> None:
    """Re-run saved scenarios and check each reproduces the result hash it was saved with.

    Also checks every stored document against its checksum. Exits with code 1 if anything differs,
    so it can run in a scheduled job after a data update.
    """
    with user_errors(), open_store(store) as opened:
        problems = opened.verify()
        chosen = names or [s.name for s in opened.list_scenarios()]
        if not chosen:
            typer.echo(f"no scenarios saved in {opened.url}; nothing to re-run")
        saved_versions = [opened.get(name) for name in chosen]
        run = scenario_runner()
        differing = 0
        for saved in saved_versions:
            checked = check_saved(saved, run(saved.scenario()))
            differing += not checked.reproduced
            typer.echo(f"{saved.name} v{saved.version}: {short_hash(checked.recorded)} {checked.verdict()}")
    for problem in problems:
        typer.secho(f"store: {problem}", fg=typer.colors.RED)
    if differing or problems:
        raise typer.Exit(code=1)


def _is_deleted(opened: Store, name: str) -> bool | None:
    """Whether `name` is deleted; None when the store has no such scenario (the store's own error follows)."""
    return next((s.deleted for s in opened.list_scenarios(include_deleted=True) if s.name == name), None)


@app.command()
def delete(name: NameArgument, store: StoreOption = None) -> None:
    """Hide a scenario from `list`; its versions are kept and `restore` brings it back."""
    with user_errors(), open_store(store) as opened:
        if _is_deleted(opened, name):
            typer.echo(f"{name} is already deleted (`labormatch scenario restore {name}` brings it back)")
            return
        opened.delete(name)
    typer.echo(f"deleted {name} (history kept; `labormatch scenario restore {name}` undoes this)")


@app.command()
def restore(name: NameArgument, store: StoreOption = None) -> None:
    """Bring back a deleted scenario."""
    with user_errors(), open_store(store) as opened:
        if _is_deleted(opened, name) is False:
            typer.echo(f"{name} is not deleted; nothing to restore")
            return
        opened.restore(name)
    typer.echo(f"restored {name}")


@app.command()
def fields() -> None:
    """List every assumption a scenario file can set: unit, allowed range, default and source."""
    from labormatch.assumptions import Assumptions, readable_bound

    for row in Assumptions.describe():
        bounds = (
            ""
            if row["minimum"] is None and row["maximum"] is None
            else (f"  [{readable_bound(row['minimum'], row['unit'])} to {readable_bound(row['maximum'], row['unit'])}]")
        )
        typer.echo(f"{row['name']} ({row['unit']}){bounds}  default: {row['default']!r}")
        typer.echo(f"    {row['description']}")
        typer.echo(f"    source: {row['source']}")
