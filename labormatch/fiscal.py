"""Federal fiscal-year arithmetic and the default fiscal year of a scenario.

A federal fiscal year runs Oct 1 - Sep 30 and is named after the calendar year it ends in (FY2027 =
2026-10-01..2027-09-30). H-2B numbers are split by employment start date into a first half (Oct 1 - Mar 31
starts) and a second half (Apr 1 - Sep 30 starts).

The default fiscal year of a scenario is the one containing the data snapshot's as-of month: the month the
snapshot was built (`as_of_month` in `data/manifest.json`; snapshots written before that key existed give the
month of `built_at`). It is read when a scenario leaves `fiscal_year` out, never at import time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIRST_MONTH = 10  # October: the first month of a federal fiscal year
MONTHS_PER_YEAR = 12


def fiscal_year_start(fiscal_year: int) -> dt.date:
    """Oct 1 of the calendar year before: FY2024 starts 2023-10-01."""
    return dt.date(fiscal_year - 1, FIRST_MONTH, 1)


def fiscal_year_of(day: dt.date) -> int:
    """The federal fiscal year containing `day` (a date or a pandas Timestamp)."""
    return day.year + 1 if day.month >= FIRST_MONTH else day.year


def half_of(day: dt.date) -> str:
    """'H1' for Oct 1 - Mar 31 employment starts, 'H2' for Apr 1 - Sep 30."""
    return "H1" if day.month >= FIRST_MONTH or day.month <= 3 else "H2"


def half_window(fiscal_year: int, half: str) -> tuple[dt.date, dt.date]:
    """First and last start date of a half of a fiscal year."""
    if half == "H1":
        return dt.date(fiscal_year - 1, FIRST_MONTH, 1), dt.date(fiscal_year, 3, 31)
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year, 9, 30)


def default_fiscal_year(as_of: dt.date | None = None, data_dir: Path | None = None) -> int:
    """The fiscal year containing `as_of` (default: the as-of month of the snapshot in `data_dir`)."""
    if as_of is None:
        from labormatch import (
            snapshot,  # the snapshot module is heavy; read only when a default is needed
        )

        as_of = snapshot.as_of_month(data_dir)
    return fiscal_year_of(as_of)
