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
        started = time.perf_counter()
        result = snapshot.build(args.raw, out)
        build_seconds = time.perf_counter() - started
        names = snapshot.table_names(out)
        cold = []
        for _ in range(3):
            snapshot._read_parquet.cache_clear()
            started = time.perf_counter()
            rows = sum(len(snapshot.load_table(name, out)) for name in names)
            cold.append(time.perf_counter() - started)
        load_seconds = sorted(cold)[1]
        started = time.perf_counter()
        for name in names:
            snapshot.load_table(name, out)
        warm_seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"cores available: {os.cpu_count()}")
    print(f"full build: {build_seconds:.1f} s (target <= 120 s); {len(result['outputs'])} files, {size / 1e6:.1f} MB")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f}")
    print(f"snapshot load, uncached (median of 3): {load_seconds:.3f} s for {len(names)} tables, {rows:,} rows (target <= 0.5 s)")
    print(f"snapshot load, cached: {warm_seconds:.3f} s")


if __name__ == "__main__":
    main()
