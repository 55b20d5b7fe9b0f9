"""The real staged OFLC folder, loaded once per test process (shared by the OFLC and crosswalk tests)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from labormatch.sources.oflc import load_oflc_dir


@lru_cache(maxsize=1)
def loaded(oflc_dir: Path):
    """(cases, report) for the whole staged folder; about 35-45 s on 2 shared cores."""
    return load_oflc_dir(oflc_dir)


def staged_case_files(raw_dir: Path) -> list[Path]:
    """Main case files under raw/oflc and raw/oflc/partial_history (addenda excluded)."""
    oflc = raw_dir / "oflc"
    files = [*oflc.glob("*.*"), *(oflc / "partial_history").glob("*.*")]
    return sorted(
        p
        for p in files
        if p.suffix in (".csv", ".xls", ".xlsx")
        and "addendum" not in p.name.lower()
        and "appendix" not in p.name.lower()
    )
