"""Side-by-side comparison of scenario results, with changes against a chosen baseline.

`compare(results, baseline)` returns tidy tables, one row per item x measure x scenario, with the
baseline's value and the change against it:

- `headline`: figure, label, unit, scenario, value, baseline_value, delta (with demand uncertainty, a figure's
  80% interval ends follow it as figures `<figure>_lo80`, `<figure>_hi80`)
- `h2b_by_half`: half, measure (demand / allocated / unmet, workers), scenario, value, baseline_value, delta
- `h2b_by_tranche`: half, tranche, kind, measure (size / used / remaining, workers), ...
- `by_sector`: sector, measure (H-2B demand / allocated / unmet, workers), ...
- `by_origin`: origin, measure (total / new / returning / non-returning workers, summed over seasons), ...
- `quotas`: season, origin, measure (total / new / returning workers), ...
- `intervals`: figure, half, tranche (the `measure`, half and tranche of the result's `intervals` table),
  measure (median / lo80 / hi80 / lo95 / hi95 over the demand draws), ...; a scenario without demand
  uncertainty has none (left empty).
- `late_starts`: visa_class, measure (share_late, late_worker_months, and the same with the
  faster-processing lever), at the latest fiscal year in each result's processing table.

Items missing from one scenario (a tranche that only exists under one rule set, an origin outside a
circular program) count as 0 workers there; shares and days are left empty instead.
`wide(table)` pivots any of them to one column per scenario for display.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from labormatch.crosswalk import sector_labels
from labormatch.errors import LabormatchError
from labormatch.figures import in_order
from labormatch.fiscal import HALF_START_NAMES

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult

#: Each comparison table's title, with its unit: one wording for the app, the CLI and the workbook.
TABLE_TITLES = {
    "headline": "Headline figures",
    "by_sector": "H-2B by sector (workers)",
    "h2b_by_half": "H-2B by half of the fiscal year (workers; "
    + ", ".join(f"{half} = {name}" for half, name in HALF_START_NAMES.items())
    + ")",
    "h2b_by_tranche": "H-2B numbers by tranche (workers)",
    "by_origin": "Worker-seasons by origin, all seasons (a person counted once per season)",
    "quotas": "Quotas by season and origin (workers)",
    "intervals": "Demand intervals over the demand draws (workers)",
    "late_starts": "Late starts in the latest fiscal year of processing times (share, worker-months)",
}
#: Each measure in words (default: the id with spaces).
MEASURE_WORDS = {
    "demand": "demand",
    "allocated": "admitted",
    "unmet": "unmet",
    "size": "numbers",
    "used": "used",
    "remaining": "left over",
    "total_workers": "workers",
    "new_workers": "new",
    "returning_workers": "returning",
    "non_returning": "not returning",
    "share_late": "share starting late",
    "late_worker_months": "worker-months lost",
    "share_late_lever": "share starting late, with faster processing",
    "late_worker_months_lever": "worker-months lost, with faster processing",
}
#: In a table summed over seasons a returning person counts once per season: its workers are worker-seasons.
SEASON_WORDS = {
    "total_workers": "worker-seasons",
    "new_workers": "new worker-seasons",
    "returning_workers": "returning worker-seasons",
    "non_returning": "non-returning worker-seasons",
}
SUMMED_OVER_SEASONS = ("by_origin",)
#: Each measure's unit where it is not workers.
MEASURE_UNITS = {
    "share_late": "share",
    "share_late_lever": "share",
    "late_worker_months": "worker-months",
    "late_worker_months_lever": "worker-months",
}

COUNTS, RATES = 0.0, None  # what a missing item is worth: 0 workers, but no share or duration

# table -> (source table, keys, measures, fill for missing items)
_SPECS: dict[str, tuple[str, list[str], list[str], float | None]] = {
    "h2b_by_half": ("h2b_by_sector", ["half"], ["demand", "allocated", "unmet"], COUNTS),
    "h2b_by_tranche": ("tranches", ["half", "tranche", "kind"], ["size", "used", "remaining"], COUNTS),
    "by_sector": ("h2b_by_sector", ["sector"], ["demand", "allocated", "unmet"], COUNTS),
    "by_origin": ("quotas", ["origin"], ["total_workers", "new_workers", "returning_workers", "non_returning"], COUNTS),
    "quotas": ("quotas", ["season", "origin"], ["total_workers", "new_workers", "returning_workers"], COUNTS),
    "intervals": ("intervals", ["figure", "half", "tranche"], ["median", "lo80", "hi80", "lo95", "hi95"], RATES),
    "late_starts": (
        "processing",
        ["visa_class"],
        ["share_late", "late_worker_months", "share_late_lever", "late_worker_months_lever"],
        RATES,
    ),
}


def compare(
    results: Mapping[str, ScenarioResult], baseline: str | None = None, only: Collection[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Compare named results side by side; `baseline` (default: the first) is what deltas are measured from.
    `only` names the comparison tables wanted besides the headline (default: all of them)."""
    if not results:
        raise LabormatchError("compare: no scenarios given")
    names = list(results)
    baseline = names[0] if baseline is None else baseline
    if baseline not in results:
        raise LabormatchError(f"compare: baseline {baseline!r} is not among the scenarios ({', '.join(names)})")
    order = [baseline] + [name for name in names if name != baseline]
    tables = {"headline": _headline(results, order)}
    unknown = set(only or ()) - set(_SPECS)
    if unknown:
        raise LabormatchError(
            f"compare: no comparison table {', '.join(sorted(unknown))}; choose from {', '.join(_SPECS)}"
        )
    for name, (source, keys, measures, fill) in _SPECS.items():
        if only is not None and name not in only:
            continue
        frames = {scenario: _source_table(results[scenario], scenario, source, keys, measures) for scenario in order}
        if source == "processing":
            frames = {scenario: _latest_fiscal_year(frame) for scenario, frame in frames.items()}
        tables[name] = _side_by_side(frames, keys, measures, order, fill)
    return tables


def _headline(results: Mapping[str, ScenarioResult], order: list[str]) -> pd.DataFrame:
    """Declared figures in display order, then the others by key; a figure one scenario lacks is NaN there."""
    held = dict.fromkeys(sorted({key for s in order for key in results[s].headline}), 0.0)
    rows = []
    for figure in in_order(held):
        base = results[order[0]].headline.get(figure.key, float("nan"))
        for scenario in order:
            value = results[scenario].headline.get(figure.key, float("nan"))
            rows.append(
                {
                    "figure": figure.key,
                    "label": figure.label,
                    "unit": figure.unit,
                    "scenario": scenario,
                    "value": value,
                    "baseline_value": base,
                    "delta": value - base,
                }
            )
    return pd.DataFrame(rows, columns=["figure", "label", "unit", "scenario", "value", "baseline_value", "delta"])


#: Source columns renamed for the comparison (its own `measure` column names the quantity compared).
_RENAMED = {"intervals": {"measure": "figure"}}


def _source_table(
    result: ScenarioResult, scenario: str, source: str, keys: list[str], measures: list[str]
) -> pd.DataFrame:
    table = result.tables.get(source)
    if table is None and source == "intervals":  # results written before the demand draws have none
        table = pd.DataFrame(columns=["measure", "half", "tranche", *measures])
    if table is None:
        raise LabormatchError(f"compare: scenario {scenario!r} has no {source!r} table in its result")
    table = table.rename(columns=_RENAMED.get(source, {}))
    needed = keys + measures + (["fiscal_year"] if source == "processing" else [])
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise LabormatchError(f"compare: scenario {scenario!r}, table {source!r} lacks columns {', '.join(missing)}")
    return table[needed]


def _latest_fiscal_year(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table.drop(columns="fiscal_year")
    return table[table["fiscal_year"] == table["fiscal_year"].max()].drop(columns="fiscal_year")


def _side_by_side(
    frames: dict[str, pd.DataFrame], keys: list[str], measures: list[str], order: list[str], fill: float | None
) -> pd.DataFrame:
    """Sum each scenario's measures by `keys`, line the scenarios up, and add baseline and delta."""
    long = []
    for scenario, frame in frames.items():
        summed = frame.groupby(keys, dropna=False, sort=False)[measures].sum(min_count=1).reset_index()
        melted = summed.melt(id_vars=keys, value_vars=measures, var_name="measure", value_name="value")
        long.append(melted.assign(scenario=scenario))
    columns = [*keys, "measure", "scenario", "value", "baseline_value", "delta"]
    if not any(len(frame) for frame in long):
        return pd.DataFrame(columns=columns)
    stacked = pd.concat([frame for frame in long if len(frame)], ignore_index=True)
    grid = stacked.set_index([*keys, "measure", "scenario"])["value"].unstack("scenario").reindex(columns=order)
    if fill is not None:
        grid = grid.fillna(fill)
    base = grid[order[0]]
    out = grid.reset_index().melt(id_vars=[*keys, "measure"], value_vars=order, var_name="scenario", value_name="value")
    out = out.merge(base.rename("baseline_value").reset_index(), on=[*keys, "measure"], how="left")
    out["delta"] = out["value"] - out["baseline_value"]
    measure_rank = {measure: i for i, measure in enumerate(measures)}
    scenario_rank = {scenario: i for i, scenario in enumerate(order)}
    out = out.sort_values(
        [*keys, "measure", "scenario"],
        key=lambda col: (
            col.map(measure_rank)
            if col.name == "measure"
            else col.map(scenario_rank)
            if col.name == "scenario"
            else col
        ),
        kind="stable",
    )
    return out[columns].reset_index(drop=True)


def measure_words(table: str, measure: str) -> str:
    """A measure of comparison table `table` in words (worker-seasons in a table summed over seasons)."""
    if table in SUMMED_OVER_SEASONS and measure in SEASON_WORDS:
        return SEASON_WORDS[measure]
    return MEASURE_WORDS.get(measure, measure.replace("_", " "))


def measure_unit(measure: str) -> str:
    """A measure's unit: workers unless `MEASURE_UNITS` says otherwise."""
    return MEASURE_UNITS.get(measure, "workers")


def wide(table: pd.DataFrame, *, deltas: bool = True) -> pd.DataFrame:
    """One row per item x measure, one column per scenario (baseline first), then `Δ name` per other scenario."""
    value_columns = {"scenario", "value", "baseline_value", "delta"}
    keys = [column for column in table.columns if column not in value_columns]
    order = list(dict.fromkeys(table["scenario"]))
    grid = table.set_index([*keys, "scenario"])
    out = grid["value"].unstack("scenario").reindex(columns=order)
    if deltas:
        changes = grid["delta"].unstack("scenario")
        for scenario in order[1:]:
            out[f"Δ {scenario}"] = changes[scenario]
    rows = table[keys].drop_duplicates()
    out = out.reindex(pd.MultiIndex.from_frame(rows) if len(keys) > 1 else pd.Index(rows[keys[0]]))
    out.columns.name = None
    return out.reset_index()


# ---- assumptions that differ -------------------------------------------------------------------------------


def assumption_label(row: dict) -> str:
    """`Label (unit)` of an `Assumptions.describe()` row (a label that is its unit, e.g. 'Seasons', stays as is)."""
    label, unit = row["label"], row["unit"]
    return f"{label} ({unit})" if unit and unit.casefold() != label.casefold() else label


def _readable(value, sectors: dict[str, str]) -> str:
    """An assumption value as a person reads it: sectors by label, numbers with separators, empty = default."""
    if value is None:
        return "default (from the data or the rule)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{sectors.get(k, k)} {_readable(v, sectors)}" for k, v in value.items()) or "none"
    if isinstance(value, (tuple, list)):
        parts = []
        for item in value:
            if hasattr(item, "sector"):  # a pilot carve-out
                place = "inside the cap" if item.inside_cap else "on top of the cap"
                parts.append(f"{sectors.get(item.sector, item.sector)}: {item.numbers:,} workers {place}")
            else:
                parts.append(str(item))
        return "; ".join(parts) or "none"
    return str(value)


def assumption_differences(named: Mapping[str, object]) -> pd.DataFrame:
    """The assumptions whose values differ among `named` (name -> `Assumptions`): one row per such field, the
    column `assumption` (its label and unit), then one column per name holding the value as text."""
    from labormatch.assumptions import Assumptions

    sectors = sector_labels()
    rows = []
    for row in Assumptions.describe():
        values = [getattr(assumptions, row["name"]) for assumptions in named.values()]
        if any(value != values[0] for value in values[1:]):
            rows.append(
                {
                    "assumption": assumption_label(row),
                    **{name: _readable(value, sectors) for name, value in zip(named, values, strict=False)},
                }
            )
    return pd.DataFrame(rows, columns=["assumption", *named])
