"""`labormatch scenario compare`: run scenarios side by side and print the figures and their changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from labormatch import units
from labormatch.cli.output import check_output_folder, write_text
from labormatch.cli.scenario_common import (
    StoreOption,
    fail,
    scenario_runner,
    show_notices,
    text_table,
    user_errors,
)
from labormatch.compare import TABLE_TITLES, compare, measure_unit, measure_words, wide
from labormatch.demand_intervals import interval_note
from labormatch.reproduction import check_saved, short_hash
from labormatch.scenario_refs import Entry, default_baseline, resolve_scenarios

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult


def register(app: typer.Typer) -> None:
    """Add the `compare` command to the scenario command group."""

    @app.command("compare")
    def compare_command(
        scenarios: Annotated[
            list[str] | None,
            typer.Argument(
                help="Scenarios to compare: YAML files, names saved in the store (NAME or NAME@VERSION), or "
                "example names (see `labormatch scenario list --examples`).",
                show_default=False,
            ),
        ] = None,
        examples: Annotated[bool, typer.Option("--examples", help="Add every shipped example scenario.")] = False,
        baseline: Annotated[
            str | None,
            typer.Option(
                help="Scenario the changes are measured against; default: the baseline named in the first "
                "scenario's header if it is compared, else the first scenario."
            ),
        ] = None,
        top: Annotated[int, typer.Option(min=1, help="Origins shown (largest first).")] = 8,
        csv: Annotated[
            Path | None,
            typer.Option(
                help="Also write every comparison table, in full, as CSV files into this folder (created if "
                "missing; files of the same name are replaced)."
            ),
        ] = None,
        store: StoreOption = None,
    ) -> None:
        """Run scenarios on the same data and print their figures side by side, with changes against a baseline.

        Example: `labormatch scenario compare --examples` compares the shipped examples.
        """
        specs = list(scenarios or [])
        if not specs and not examples:
            raise fail("name at least one scenario, or pass --examples")
        with user_errors():
            if csv is not None:
                check_output_folder(csv, "--csv")
            entries = resolve_scenarios(specs, examples, store)
            for entry in entries:
                show_notices(f"{entry.label} ({entry.source})", entry.scenario.notices)
            chosen = default_baseline(entries, baseline)
            run = scenario_runner()
            results = {entry.label: run(entry.scenario) for entry in entries}
            tables = compare(results, baseline=chosen)
        typer.echo(render(tables, entries, results, chosen, top))
        if csv is not None:
            with user_errors():
                csv.mkdir(parents=True, exist_ok=True)
                for name, table in tables.items():
                    write_text(csv / f"{name}.csv", table.to_csv(index=False))
            typer.echo(f"\nwrote {len(tables)} tables to {csv}")


# ---- text rendering --------------------------------------------------------------------------------------


def format_value(value: float, unit: str, *, delta: bool = False) -> str:
    """A figure in a fixed-width table: the unit's formatter, money compact (in millions)."""
    return units.format_value(value, unit, delta=delta, compact=True)


def _section(title: str, body: str) -> str:
    return f"\n{title}\n{body}"


def render(
    tables: dict[str, pd.DataFrame], entries: list[Entry], results: dict[str, ScenarioResult], baseline: str, top: int
) -> str:
    """The comparison as readable text: scenarios, headline figures, changes, and the detail tables."""
    order = list(dict.fromkeys(tables["headline"]["scenario"]))
    others = order[1:]
    parts = [_scenario_list(entries, results, baseline), _data_line(results[baseline].data_vintage)]
    parts += [f"warning ({label}): {warning}" for label, result in results.items() for warning in result.warnings]
    notes = {
        label: interval_note(result.tables["intervals"], result.assumptions.fiscal_year)
        for label, result in results.items()
    }
    if len(set(notes.values())) == 1:
        parts.append(f"intervals: {next(iter(notes.values()))}")
    else:
        parts += [f"intervals {label}: {note}" for label, note in notes.items()]

    headline = wide(tables["headline"])
    rows = [[r["label"], r["unit"]] + [format_value(r[s], r["unit"]) for s in order] for _, r in headline.iterrows()]
    parts.append(_section(TABLE_TITLES["headline"], text_table(["figure", "unit", *order], rows, left=2)))
    if others:
        rows = [
            [r["label"], r["unit"]] + [format_value(r[f"Δ {s}"], r["unit"], delta=True) for s in others]
            for _, r in headline.iterrows()
        ]
        parts.append(
            _section(
                f"Change against {baseline}", text_table(["figure", "unit"] + [f"Δ {s}" for s in others], rows, left=2)
            )
        )

    parts.append(_section(TABLE_TITLES["h2b_by_half"], _values(tables["h2b_by_half"], "h2b_by_half", ["half"], order)))
    tranches = tables["h2b_by_tranche"]
    tranches = tranches[tranches["measure"].isin(["size", "used"])]
    parts.append(
        _section(
            TABLE_TITLES["h2b_by_tranche"],
            _values(tranches, "h2b_by_tranche", ["tranche", "half"], order, drop_zero=True),
        )
    )
    if others:
        parts.append(
            _section(
                f"Change by sector against {baseline} (H-2B workers; sectors that change)",
                _changes(tables["by_sector"], "by_sector", ["sector"], baseline, others),
            )
        )
    origins = _top_origins(tables["by_origin"], top)
    by_origin = tables["by_origin"][tables["by_origin"]["origin"].isin(origins)]
    parts.append(
        _section(
            f"{TABLE_TITLES['by_origin']}; largest {len(origins)}",
            _values(by_origin[by_origin["measure"] == "total_workers"], "by_origin", ["origin"], order),
        )
    )
    if others:
        shown = by_origin[by_origin["measure"].isin(["new_workers", "returning_workers"])]
        parts.append(
            _section(
                f"Change by origin against {baseline} (new and returning worker-seasons)",
                _changes(shown, "by_origin", ["origin"], baseline, others),
            )
        )
    parts.append(
        _section(TABLE_TITLES["late_starts"], _values(tables["late_starts"], "late_starts", ["visa_class"], order))
    )
    return "\n".join(parts)


def _data_line(vintage: dict) -> str:
    """Which data the figures come from (every scenario is run on the same inputs)."""
    checksum = str(vintage.get("data_checksum", ""))[:12]
    built = vintage.get("snapshot_built_at") or vintage.get("snapshot_built")
    if checksum:
        return f"data snapshot {checksum}" + (f", built {built}" if built else "")
    return "data: " + ", ".join(f"{key}={value}" for key, value in sorted(vintage.items()))[:100]


def _scenario_list(entries: list[Entry], results: dict[str, ScenarioResult], baseline: str) -> str:
    rows, notes = [], []
    for entry in entries:
        mark = " (baseline)" if entry.label == baseline else ""
        result = results[entry.label]
        rows.append([entry.label + mark, entry.source, short_hash(result.hash()), entry.scenario.title])
        checked = None if entry.saved is None else check_saved(entry.saved, result)
        if checked is not None and not checked.reproduced:
            notes.append(
                f"note: {entry.label} was saved with result {short_hash(checked.recorded)}; "
                f"re-running it now gives {short_hash(checked.now)} (data or model changed since)"
            )
    body = text_table(["scenario", "from", "result", "title"], rows, left=4)
    return "\n".join(["Scenarios compared", body, *notes])


def _values(table: pd.DataFrame, name: str, keys: list[str], order: list[str], *, drop_zero: bool = False) -> str:
    if table.empty:
        return "(none)"
    grid = wide(table, deltas=False)
    if drop_zero:
        grid = grid[(grid[order].fillna(0) != 0).any(axis=1)]
    rows = [
        [str(r[k]) for k in keys]
        + [measure_words(name, r["measure"])]
        + [format_value(r[s], measure_unit(r["measure"])) for s in order]
        for _, r in grid.iterrows()
    ]
    return text_table([*keys, "measure", *order], rows, left=len(keys) + 1) if rows else "(none)"


def _changes(table: pd.DataFrame, name: str, keys: list[str], baseline: str, others: list[str]) -> str:
    if table.empty:
        return "(none)"
    grid = wide(table)
    changes = [f"Δ {s}" for s in others]
    grid = grid[(grid[changes].fillna(0).abs() > 1e-9).any(axis=1)]
    rows = [
        [str(r[k]) for k in keys]
        + [measure_words(name, r["measure"]), format_value(r[baseline], measure_unit(r["measure"]))]
        + [format_value(r[c], measure_unit(r["measure"]), delta=True) for c in changes]
        for _, r in grid.iterrows()
    ]
    return text_table([*keys, "measure", baseline, *changes], rows, left=len(keys) + 1) if rows else "(no change)"


def _top_origins(by_origin: pd.DataFrame, top: int) -> list[str]:
    totals = by_origin[by_origin["measure"] == "total_workers"].groupby("origin")["value"].max()
    return list(totals.sort_values(ascending=False, kind="stable").index[:top])
