"""Benchmark: full snapshot build time (target <= 2 min on 2 cores) and snapshot load time (<= 0.5 s).

Usage: python bench/data_build.py [--raw DIR] [--keep DIR]
Builds into a temporary folder (the package's data/ is only read: its sector and crosswalk tables are
copied in), then loads every table of the new snapshot with labormatch's read cache cleared (median of 3 runs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from labormatch import paths, snapshot


def copy_inputs(source: Path, target: Path) -> None:
    """The data files a build reads (sector tables, crosswalk) copied into the build folder."""
    for pattern in snapshot.PACKAGE_INPUTS:
        for path in source.glob(pattern):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=paths.raw_dir())
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep the result")
    args = parser.parse_args()
    source = paths.data_dir()
    with tempfile.TemporaryDirectory(prefix="labormatch-bench-") as scratch:
        out = args.keep or Path(scratch) / "data"
        out.mkdir(parents=True, exist_ok=True)
        copy_inputs(source, out)
        os.environ["LABORMATCH_DATA"] = str(out)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = snapshot.build(args.raw, out)
        build_seconds, build_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        names = snapshot.table_names(out)
        wall, cpu = [], []
        for _ in range(3):
            snapshot._read_parquet.cache_clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            rows = sum(len(snapshot.load_table(name, out)) for name in names)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        load_seconds, load_cpu = sorted(wall)[1], sorted(cpu)[1]
        started = time.perf_counter()
        for name in names:
            snapshot.load_table(name, out)
        warm_seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"cores available: {os.cpu_count()}")
    print(
        f"full build: {build_seconds:.1f} s wall (target <= 120 s), {build_cpu:.1f} s CPU in this process "
        "(serial: OFLC files are read one after another, as the build does); "
        f"{len(result['outputs'])} files, {size / 1e6:.1f} MB"
    )
    print(f"load average (1 min): {os.getloadavg()[0]:.1f}")
    print(
        f"snapshot load, uncached (median of 3): {load_seconds:.3f} s wall, {load_cpu:.3f} s CPU for "
        f"{len(names)} tables, {rows:,} rows (target <= 0.5 s; wall time grows with the load average)"
    )
    print(f"snapshot load, cached: {warm_seconds:.3f} s")


if __name__ == "__main__":
    main()
