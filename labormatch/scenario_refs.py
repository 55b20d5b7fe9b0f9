"""Scenarios named by reference: a YAML file, a stored name (`NAME` or `NAME@N`), or a shipped example.

The CLI's `scenario compare` and `report` take such references; this module turns them into scenarios, each
with a label, where it came from and, for a stored one, the saved version (whose result hash a re-run is
checked against, `labormatch.reproduction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from labormatch.errors import LabormatchError
from labormatch.scenario import Scenario, example_paths, load_scenario_file
from labormatch.store import SavedVersion, Store, StoreError, default_store_url


@dataclass(frozen=True)
class Entry:
    """One scenario to compare: its column label, where it came from, and the stored version if any."""

    label: str
    scenario: Scenario
    source: str
    saved: SavedVersion | None = None


def split_version(spec: str) -> tuple[str, int | None]:
    """`NAME@N` as (NAME, N); a plain NAME as (NAME, None). A version that is not a whole number is refused."""
    name, at, version = spec.partition("@")
    if not at:
        return name, None
    if not version.isdigit():
        raise LabormatchError(f"{spec}: the version after '@' must be a whole number, e.g. {name}@2")
    return name, int(version)


def resolve_scenarios(specs: list[str], examples: bool, store_url: str | None) -> list[Entry]:
    """Turn references into scenarios: a file, a stored name (NAME or NAME@N), or an example; with `examples`,
    every shipped example is added (those naming no baseline first). The store is `store_url`, else the default."""
    entries: list[Entry] = []
    store: Store | None = None
    shipped = example_paths()
    try:
        for spec in specs:
            path = Path(spec)
            if path.suffix in (".yaml", ".yml") or path.exists():
                entries.append(Entry(path.stem, load_scenario_file(path), f"file {path}"))
                continue
            name, version = split_version(spec)
            store = store or Store(store_url or default_store_url())
            try:
                saved = store.get(name, version)
            except StoreError:
                if version is not None or name not in shipped:
                    raise
                entries.append(Entry(name, load_scenario_file(shipped[name]), "example"))
                continue
            entries.append(Entry(spec, saved.scenario(), f"store v{saved.version}", saved))
    finally:
        if store is not None:
            store.close()
    if examples:
        entries += _baseline_order([Entry(name, load_scenario_file(path), "example") for name, path in shipped.items()])
    labels = [entry.label for entry in entries]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise LabormatchError(f"compare: {', '.join(repeated)} named more than once")
    return entries


def _baseline_order(entries: list[Entry]) -> list[Entry]:
    """Scenarios that name no baseline first, then those measured against them, and so on (by name within)."""
    by_label = {entry.label: entry for entry in entries}

    def depth(entry: Entry, seen: frozenset[str] = frozenset()) -> int:
        parent = entry.scenario.baseline
        if parent not in by_label or parent in seen:
            return 0
        return 1 + depth(by_label[parent], seen | {entry.label})

    return sorted(entries, key=lambda entry: (depth(entry), entry.label))


def default_baseline(entries: list[Entry], chosen: str | None) -> str:
    """`chosen` if given, else the baseline named in the first scenario's header if it is among `entries`,
    else the first scenario."""
    labels = [entry.label for entry in entries]
    if chosen is not None:
        return chosen
    named = entries[0].scenario.baseline
    return named if named in labels else labels[0]
