"""The embedded data snapshot in `data/`: build it from the raw files, check it, load it.

- `build(raw_dir, out_dir, progress)` reads every raw source, writes all tables into a temporary
  folder, and only when everything succeeded moves them into `out_dir` (manifest last), so a failed
  build leaves the existing snapshot untouched.
- `check(data_dir)` lists every mismatch between the files and `manifest.json`.
- `load_table(name)`, `manifest()`, `data_checksum()`, `as_of_month()` are what the rest of labormatch reads.

Tables and their columns: `docs/ARCHITECTURE.md`. The manifest records each source file (path
relative to the raw folder, sha256, bytes, vintage), each output (rows, sha256, bytes, date range),
the splice points of the BLS series, the build time, the as-of month (`as_of_month`: the month of the
build; a series whose last month is more than 12 months earlier is stale) and the package version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import labormatch
from labormatch import panel as panel_mod
from labormatch import paths
from labormatch.crosswalk import sector_ids
from labormatch.errors import SnapshotError
from labormatch.sources import bls, recent, reference

MANIFEST = "manifest.json"
SECTOR_SERIES = "sector_series.csv"
PACKAGE_INPUTS = ["sector_series.csv", "sectors.csv", "crosswalk/*.csv"]  # data files the build reads
Progress = Callable[[str], None]


# --- helpers -------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _date_range(frame: pd.DataFrame) -> list[str] | None:
    """[first, last] ISO dates of the table's month/date column (or first datetime column)."""
    dated = [c for c in ("month", "date") if c in frame.columns]
    dated += [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c]) and c not in dated]
    if not dated or frame[dated[0]].dropna().empty:
        return None
    column = frame[dated[0]].dropna()
    return [column.min().strftime("%Y-%m-%d"), column.max().strftime("%Y-%m-%d")]


def _file_entry(path: Path, root: Path) -> dict:
    return {"file": path.relative_to(root).as_posix(), "sha256": sha256_file(path), "bytes": path.stat().st_size}


def _rows_of(path: Path) -> int | None:
    """Rows of a parquet (from its footer) or CSV (lines after the header) output; None for JSON."""
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    if path.suffix == ".csv":
        return len(pd.read_csv(path))
    return None


def _notify(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


# --- build ---------------------------------------------------------------------------------------


def collect_series(raw: Path, sector_series: pd.DataFrame, progress: Progress | None = None) -> dict:
    """BLS series (staged, recent and any official files in `bls_updates/`), spliced: tables
    `bls_series`, `bls_series_meta`, the splice table, the vintage of each source file and the
    update files read."""
    _notify(progress, "BLS staged files (JOLTS, CES, CPS)")
    staged = bls.load_staged(raw)
    _notify(progress, "recent vintages (JOLTS, CPS, QCEW) and bls_updates/")
    updates, update_files = bls.load_updates(raw)
    batch = bls.SeriesBatch.concat([staged, recent.load_recent_series(raw), updates])
    _notify(progress, "splicing series across vintages")
    series, splices = panel_mod.splice(batch.obs)
    vintages = batch.obs.groupby("source_file")["vintage"].unique().map(lambda v: ",".join(sorted(v))).to_dict()
    return {
        "bls_series": series,
        "bls_series_meta": panel_mod.series_meta(batch.meta, series, sector_series),
        "splices": splices,
        "vintages": vintages,
        "update_files": update_files,
    }


def collect_oflc(raw: Path, progress: Progress | None = None) -> dict:
    """OFLC cases with their sector, the load report and the mapped-share table."""
    from labormatch.crosswalk import assign_sector, mapped_share
    from labormatch.sources.oflc import load_oflc_dir

    cases, report = load_oflc_dir(raw / "oflc", progress=progress)
    cases = cases.copy()
    cases["sector"] = assign_sector(cases).astype("string")
    return {"cases": cases, "report": report, "mapped_share": mapped_share(cases)}


def build(
    raw_dir: Path | None = None, out_dir: Path | None = None, progress: Progress | None = None, oflc: bool = True
) -> dict:
    """Rebuild the snapshot in `out_dir` (default `paths.data_dir()`) from `raw_dir` (default
    `paths.raw_dir()`); returns the new manifest. `progress(message)` is called at every step and
    for every OFLC file. Raises `LabormatchError` (and leaves `out_dir` as it was) on any bad input.

    `oflc=False` builds the BLS and reference tables only (no OFLC cases, no worker-months); the
    manifest then says `"oflc": false` and `check` reports it."""
    started = time.perf_counter()
    built_at = datetime.now(UTC)
    as_of = pd.Timestamp(built_at.strftime("%Y-%m-01"))
    raw = Path(raw_dir or paths.raw_dir())
    out = Path(out_dir or paths.data_dir())
    if not raw.is_dir():
        raise SnapshotError(f"raw data folder not found: {raw} (pass --raw DIR or set LABORMATCH_RAW)")
    sector_series = panel_mod.load_sector_series(out / SECTOR_SERIES, sectors=sector_ids())
    collected = collect_series(raw, sector_series, progress)
    _notify(progress, "reference tables (H-2 issuances, caps, AEWR, EPI, Indeed)")
    references = reference.load_reference_tables(raw)
    tables = {"bls_series": collected["bls_series"], "bls_series_meta": collected["bls_series_meta"]}
    read = list(bls.STAGED_FILES) + recent.SERIES_FILES + recent.TABLE_FILES + reference.reference_files(raw)
    read += collected["update_files"]
    vintages = dict(collected["vintages"])
    extras, spread, spread_report, coverage = {}, None, {}, None
    if oflc:
        cases = collect_oflc(raw, progress)
        spread, spread_report = panel_mod.worker_months(cases["cases"])
        coverage = panel_mod.h2_coverage(cases["cases"])
        tables["oflc_cases"] = cases["cases"]
        tables["h2_coverage"] = coverage
        tables["panel_state"] = panel_mod.build_panel_state(spread)
        extras = {
            "load_report.json": json.dumps(cases["report"], indent=1, default=str, sort_keys=True),
            "mapped_share.csv": cases["mapped_share"].to_csv(index=False),
        }
        oflc_files = sorted(p for p in (raw / "oflc").rglob("*") if p.is_file() and p.suffix.lower() != ".md")
        read += [p.relative_to(raw).as_posix() for p in oflc_files]
        fiscal_years = cases["cases"].groupby("source_file")["fiscal_year"].max()
        in_oflc = {p: p.relative_to(raw / "oflc").as_posix() for p in oflc_files}
        vintages.update(
            {
                p.relative_to(raw).as_posix(): f"FY{fiscal_years[name]}"
                for p, name in in_oflc.items()
                if name in fiscal_years.index
            }
        )
    _notify(progress, "monthly panel and worker-months")
    tables["panel"] = panel_mod.build_panel(collected["bls_series"], sector_series, spread, coverage, as_of)
    tables["series_catalogue"] = panel_mod.series_catalogue(tables["panel"], collected["bls_series"], as_of, coverage)
    tables.update({f"reference/{name}": frame for name, frame in references.items()})
    info = {
        "as_of_month": as_of.strftime("%Y-%m"),
        "oflc": oflc,
        "sources": source_entries(raw, read, vintages),
        "inputs": [_file_entry(p, out) for pattern in PACKAGE_INPUTS for p in sorted(out.glob(pattern))],
        "splices": json.loads(
            collected["splices"]
            .assign(splice_month=collected["splices"]["splice_month"].dt.strftime("%Y-%m-%d"))
            .to_json(orient="records")
        ),
        "worker_months": spread_report,
        "panel_last_months": panel_last_months(tables["panel"]),
    }
    _notify(progress, "writing the snapshot")
    return write_snapshot(out, tables, extras, info, build_seconds=time.perf_counter() - started, built_at=built_at)


def source_entries(raw: Path, files: list[str], vintages: dict[str, str]) -> list[dict]:
    """Manifest entries for the raw files read: path under `raw`, sha256, bytes, vintage."""
    entries = []
    for relative in files:
        path = raw / relative
        if not path.is_file():
            raise SnapshotError(f"source file vanished during the build: {path}")
        entries.append(
            {
                "path": relative,
                "sha256": sha256_file(path),
                "bytes": path.stat().st_size,
                "vintage": vintages.get(relative, ""),
            }
        )
    return entries


def panel_last_months(panel: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Last month with a value for every sector and `series (seasonal)`, as "YYYY-MM"."""
    known = panel.dropna(subset=["value"])
    last = known.groupby(["sector", "series", "seasonal"])["month"].max().dt.strftime("%Y-%m")
    out: dict[str, dict[str, str]] = {}
    for (sector, series, seasonal), month in last.items():
        out.setdefault(sector, {})[f"{series} ({seasonal})"] = month
    return out


def write_snapshot(
    out: Path,
    tables: dict[str, pd.DataFrame],
    extras: dict[str, str],
    info: dict,
    build_seconds: float,
    built_at: datetime | None = None,
) -> dict:
    """Write `tables` (parquet, zstd) and `extras` (text files) into a temporary folder beside `out`,
    then move each into `out` and write the manifest last. Nothing in `out` changes if writing fails."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".snapshot-build-", dir=out.parent))
    try:
        outputs = []
        for name, frame in tables.items():
            target = staging / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            frame.to_parquet(target, compression="zstd", index=False)
            outputs.append({**_file_entry(target, staging), "rows": len(frame), "date_range": _date_range(frame)})
        for name, text in extras.items():
            target = staging / name
            target.write_text(text, encoding="utf-8")
            outputs.append({**_file_entry(target, staging), "rows": _rows_of(target), "date_range": None})
        manifest_data = {
            "package_version": labormatch.__version__,
            "built_at": (built_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "build_seconds": round(build_seconds, 1),
            "outputs": outputs,
            **info,
        }
        manifest_data["data_checksum"] = _checksum(outputs)
        old_outputs = _old_outputs(out)
        for entry in outputs:
            target = out / entry["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / entry["file"], target)
        for stale in old_outputs - {e["file"] for e in outputs}:
            (out / stale).unlink(missing_ok=True)
        (staging / MANIFEST).write_text(json.dumps(manifest_data, indent=1, default=str), encoding="utf-8")
        os.replace(staging / MANIFEST, out / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest_data


def _old_outputs(out: Path) -> set[str]:
    try:
        return {e["file"] for e in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _checksum(outputs: list[dict]) -> str:
    lines = sorted(f"{e['file']}:{e['sha256']}" for e in outputs)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# --- read ----------------------------------------------------------------------------------------


def manifest(data_dir: Path | None = None) -> dict:
    """The snapshot's manifest; `SnapshotError` when the snapshot is missing or the manifest unreadable."""
    folder = Path(data_dir or paths.data_dir())
    path = folder / MANIFEST
    if not path.is_file():
        raise SnapshotError(f"no data snapshot in {folder} ({MANIFEST} not found): run `labormatch data build`")
    stat = path.stat()
    return _read_manifest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_manifest(path: str, mtime_ns: int, size: int) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: manifest cannot be read ({exc}): run `labormatch data build`") from exc
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), list):
        raise SnapshotError(f"{path}: manifest has no 'outputs' list: run `labormatch data build`")
    return data


def as_of_month(data_dir: Path | None = None) -> pd.Timestamp:
    """The snapshot's as-of month (first of the month it was built; from `built_at` in manifests written
    before `as_of_month` was recorded). `SnapshotError` when the manifest has neither."""
    data = manifest(data_dir)
    text = str(data.get("as_of_month") or str(data.get("built_at", ""))[:7])
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise SnapshotError(f"{MANIFEST}: no as-of month (as_of_month or built_at): run `labormatch data build`")
    return pd.Timestamp(f"{text}-01")


def data_checksum(data_dir: Path | None = None) -> str:
    """One sha256 over every output's checksum: changes whenever any snapshot table changes."""
    return _checksum(manifest(data_dir)["outputs"])


def table_names(data_dir: Path | None = None) -> list[str]:
    """Names `load_table` accepts, e.g. `panel`, `reference/aewr`."""
    return sorted(
        e["file"][: -len(".parquet")] for e in manifest(data_dir)["outputs"] if e["file"].endswith(".parquet")
    )


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """A snapshot table as a DataFrame (a fresh copy; reads are cached on path, size and mtime).

    Text columns have the pandas "string" dtype (missing = `pd.NA`); months are datetime64."""
    folder = Path(data_dir or paths.data_dir())
    path = folder / f"{name}.parquet"
    if not path.is_file():
        names = table_names(folder)
        raise SnapshotError(f"no table {name!r} in the snapshot at {folder}; tables: {', '.join(names)}")
    stat = path.stat()
    try:
        return _read_parquet(str(path), stat.st_mtime_ns, stat.st_size).copy()
    except (OSError, pa.ArrowException) as exc:
        raise SnapshotError(f"{path}: cannot read the snapshot table ({exc}); run `labormatch data check`") from None


@lru_cache(maxsize=64)
def _read_parquet(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # Text comes back as pandas "string" backed by Arrow: half the CPU time of Python objects.
    return pq.read_table(path).to_pandas(types_mapper=_ARROW_STRINGS.get)


_ARROW_STRINGS = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


# --- check ---------------------------------------------------------------------------------------


def check(data_dir: Path | None = None, raw_dir: Path | None = None) -> list[str]:
    """Every mismatch between the snapshot and its manifest, as messages naming the file: outputs
    (presence, bytes, sha256, rows), package inputs, package version and, where the raw folder
    exists, the source files' checksums. An empty list means the snapshot is intact."""
    folder = Path(data_dir or paths.data_dir())
    try:
        data = manifest(folder)
    except SnapshotError as exc:
        return [str(exc)]
    problems = []
    for key in ("package_version", "built_at", "sources", "outputs"):
        if key not in data:
            problems.append(f"{MANIFEST}: missing {key!r}")
    for entry in data["outputs"]:
        problems += _check_file(folder, entry, expect_rows=True)
    for entry in data.get("inputs", []):
        problems += _check_file(folder, entry, expect_rows=False)
    if data.get("oflc") is False:
        problems.append(f"{MANIFEST}: built without the OFLC cases (oflc=False): run `labormatch data build`")
    if data.get("package_version") != labormatch.__version__:
        problems.append(
            f"{MANIFEST}: built by labormatch {data.get('package_version')}, installed is "
            f"{labormatch.__version__}: rebuild with `labormatch data build`"
        )
    raw = Path(raw_dir or paths.raw_dir())
    if raw.is_dir():
        for source in data.get("sources", []):
            path = raw / source["path"]
            if not path.is_file():
                problems.append(f"source {source['path']}: missing from {raw}")
            elif path.stat().st_size != source["bytes"] or sha256_file(path) != source["sha256"]:
                problems.append(f"source {source['path']}: changed since the build (sha256 differs): rebuild")
    return problems


def _check_file(folder: Path, entry: dict, expect_rows: bool) -> list[str]:
    path = folder / entry["file"]
    if not path.is_file():
        return [f"{entry['file']}: missing"]
    if path.stat().st_size != entry["bytes"]:
        return [f"{entry['file']}: {path.stat().st_size} bytes, manifest says {entry['bytes']}"]
    if sha256_file(path) != entry["sha256"]:
        return [f"{entry['file']}: sha256 differs from the manifest (file changed after the build)"]
    if expect_rows and entry.get("rows") is not None:
        try:
            rows = _rows_of(path)
        except Exception as exc:  # a damaged parquet footer or CSV
            return [f"{entry['file']}: cannot be read ({exc})"]
        if rows != entry["rows"]:
            return [f"{entry['file']}: {rows} rows, manifest says {entry['rows']}"]
    return []
