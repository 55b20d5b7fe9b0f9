"""What an update changed between two snapshots: new months per series, revised values, new OFLC files
and fiscal years, as lines a user reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labormatch import snapshot
from labormatch.errors import LabormatchError

EXAMPLES = 5  # series listed by name before "and N more"
HEADLINE = {"h2b_demand": "H-2B demand", "h2a_workers": "H-2A workers"}  # headline keys compared, in positions


def _table(name: str, folder: Path) -> pd.DataFrame | None:
    try:
        return snapshot.load_table(name, folder)
    except LabormatchError:
        return None


def series_changes(old: pd.DataFrame | None, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(new months: `series_id, old_last, new_last, months` per series whose last month moved;
    revisions: `series_id, date, old, new` where a month both snapshots hold changed value)."""
    last_new = new.groupby("series_id")["date"].max()
    last_old = old.groupby("series_id")["date"].max() if old is not None else pd.Series(dtype="datetime64[ns]")
    moved = pd.DataFrame({"old_last": last_old.reindex(last_new.index), "new_last": last_new})
    moved = moved[moved["old_last"].isna() | (moved["new_last"] > moved["old_last"])]
    start = moved["old_last"].fillna(pd.Timestamp("1900-01-01"))
    moved["months"] = [int(((new["series_id"] == sid) & (new["date"] > s)).sum()) for sid, s in start.items()]
    if old is None:
        return moved.rename_axis("series_id").reset_index(), pd.DataFrame(columns=["series_id", "date", "old", "new"])
    both = old[["series_id", "date", "value"]].merge(
        new[["series_id", "date", "value"]], on=["series_id", "date"], suffixes=("_old", "_new")
    )
    revised = both[(both["value_old"] - both["value_new"]).abs() > 1e-9]
    revised = revised.rename(columns={"value_old": "old", "value_new": "new"})
    return moved.rename_axis("series_id").reset_index(), revised.reset_index(drop=True)


def coverage_changes(old: pd.DataFrame | None, new: pd.DataFrame | None) -> list[str]:
    """`H-2A FY2025: none -> complete` for every visa class and fiscal year whose disclosure changed."""
    if new is None:
        return []
    key = ["visa_class", "fiscal_year"]
    before = old.set_index(key)["disclosure"] if old is not None else pd.Series(dtype=str)
    lines = []
    for (visa, year), status in new.set_index(key)["disclosure"].items():
        was = before.get((visa, year), "absent")
        if was != status:
            lines.append(f"{visa} FY{year}: {was} -> {status}")
    return lines


def headline(folder: Path) -> tuple[int, dict[str, float]]:
    """Fiscal year and headline demand (positions) of the default scenario on the snapshot in `folder`, with
    the employment driver held at its last value (the indicator forecasts are fitted only for `data/`)."""
    from labormatch.assumptions import Assumptions
    from labormatch.model import run_scenario
    from labormatch.model_inputs import load_inputs

    result = run_scenario(Assumptions(), load_inputs(folder, forecast=False))
    return result.assumptions.fiscal_year, {key: result.headline[key] for key in HEADLINE}


def headline_lines(old_dir: Path, new_dir: Path) -> list[str]:
    """How the default scenario's headline demand moved; a line saying why when it cannot be computed."""
    try:
        (_, before), (year, after) = headline(old_dir), headline(new_dir)
    except KeyError as exc:
        return [f"headline demand: not computed (the snapshot has no {exc.args[0]!r} data)"]
    except (LabormatchError, ValueError) as exc:
        return [f"headline demand: not computed ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"]
    lines = [f"headline demand, default scenario FY{year} (employment driver held at its last value):"]
    lines += [
        f"  {label}: {before[key]:,.0f} -> {after[key]:,.0f} positions ({after[key] - before[key]:+,.0f})"
        for key, label in HEADLINE.items()
    ]
    return lines


def describe(old_dir: Path, new_dir: Path, added: list[str]) -> list[str]:
    """The update summary, one finding per line."""
    lines = [f"files added to the raw folder: {len(added)}"] + [f"  {name}" for name in added]
    new_series = _table("bls_series", new_dir)
    if new_series is not None:
        moved, revised = series_changes(_table("bls_series", old_dir), new_series)
        lines.append(f"BLS series with new months: {len(moved)}")
        for row in moved.head(EXAMPLES).itertuples():
            was = row.old_last.strftime("%Y-%m") if pd.notna(row.old_last) else "none"
            lines.append(f"  {row.series_id}: data through {was} -> {row.new_last:%Y-%m} (+{row.months} months)")
        if len(moved) > EXAMPLES:
            lines.append(f"  and {len(moved) - EXAMPLES} more")
        lines.append(
            f"revised values (same series and month, new value): {len(revised)} in "
            f"{revised['series_id'].nunique()} series"
        )
    fiscal = coverage_changes(_table("h2_coverage", old_dir), _table("h2_coverage", new_dir))
    lines.append(f"OFLC fiscal years changed: {len(fiscal)}")
    lines += [f"  {line}" for line in fiscal]
    return lines
