"""The fiscal calendar (fiscal year, half, month index, fiscal-year windows) and the default fiscal year.

Every fiscal-year, half and month-position computation of the package is here, for single dates and, vectorised,
for pandas or numpy months.

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

import numpy as np
import pandas as pd

FIRST_MONTH = 10  # October: the first month of a federal fiscal year
MONTHS_PER_YEAR = 12
HALF_MONTHS = 6  # a half is six start months: H1 Oct-Mar, H2 Apr-Sep
HALF_SLICES = {"H1": slice(0, HALF_MONTHS), "H2": slice(HALF_MONTHS, MONTHS_PER_YEAR)}
"""Positions of each half's months among a fiscal year's 12 (Oct first)."""
HALVES = tuple(HALF_SLICES)
APRIL = HALF_MONTHS  # position of April, the first second-half month, among a fiscal year's months
#: Each half named by its employment start months, the one spelling of the pages, the workbook and the figures.
HALF_MONTH_NAMES = {"H1": "Oct-Mar", "H2": "Apr-Sep"}
#: The half codes and their months in one line ("H1 Oct-Mar, H2 Apr-Sep"), for a legend or a column title.
HALF_LEGEND = ", ".join(f"{half} {months}" for half, months in HALF_MONTH_NAMES.items())
#: A half as the app's charts and tables name it ("Oct-Mar starts").
HALF_START_NAMES = {half: f"{months} starts" for half, months in HALF_MONTH_NAMES.items()}
#: A half as a sentence's adjective ("the first-half (Oct-Mar) statutory numbers").
HALF_ORDINAL_NAMES = {
    half: f"{ordinal}-half ({HALF_MONTH_NAMES[half]})"
    for half, ordinal in zip(HALVES, ("first", "second"), strict=True)
}
#: A table's half "all": every start month of the fiscal year.
WHOLE_YEAR = {"all": "fiscal year"}


def fiscal_year_start(fiscal_year: int) -> dt.date:
    """Oct 1 of the calendar year before: FY2024 starts 2023-10-01."""
    return dt.date(fiscal_year - 1, FIRST_MONTH, 1)


def fiscal_year_of(day: dt.date) -> int:
    """The federal fiscal year containing `day` (a date or a pandas Timestamp)."""
    return day.year + 1 if day.month >= FIRST_MONTH else day.year


def fiscal_year_end(fiscal_year: int) -> dt.date:
    """Sep 30 of the year it is named after: FY2024 ends 2024-09-30."""
    return fiscal_year_start(fiscal_year + 1) - dt.timedelta(days=1)


def month_index(month):
    """Position of a calendar month (1-12; ints or arrays) in the fiscal year: October 0 ... September 11."""
    return (month - FIRST_MONTH) % MONTHS_PER_YEAR


def half_of(day: dt.date) -> str:
    """'H1' for Oct 1 - Mar 31 employment starts, 'H2' for Apr 1 - Sep 30."""
    return "H1" if month_index(day.month) < HALF_MONTHS else "H2"


def fiscal_months(fiscal_year: int) -> list[dt.date]:
    """The 12 first-of-month dates of a fiscal year, Oct to Sep."""
    start = fiscal_year_start(fiscal_year)
    return [
        dt.date(start.year + (start.month - 1 + i) // MONTHS_PER_YEAR, (start.month - 1 + i) % MONTHS_PER_YEAR + 1, 1)
        for i in range(MONTHS_PER_YEAR)
    ]


def _year_month(months) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and month (1-12) of dates given as a pandas Series, a DatetimeIndex, a numpy datetime64
    array or a list; float arrays with NaN where a date is missing."""
    index = pd.DatetimeIndex(months.to_numpy() if isinstance(months, pd.Series) else months)
    return index.year.to_numpy(), index.month.to_numpy()


def fiscal_years(months) -> np.ndarray:
    """The fiscal year of each date (vectorised `fiscal_year_of`; NaN where a date is missing)."""
    year, month = _year_month(months)
    return year + (month >= FIRST_MONTH)


def halves(months) -> np.ndarray:
    """'H1' or 'H2' for each date (vectorised `half_of`)."""
    _, month = _year_month(months)
    return np.where(month_index(month) < HALF_MONTHS, "H1", "H2")


def half_starts(months) -> np.ndarray:
    """The first day of the half each date falls in (Oct 1 or Apr 1; datetime64[ns], NaT where a date is missing)."""
    _, month = _year_month(months)
    first = month_number(fiscal_years(months) - 1, FIRST_MONTH) + np.where(
        month_index(month) < HALF_MONTHS, 0, HALF_MONTHS
    )
    return pd.to_datetime(
        pd.DataFrame({"year": first // MONTHS_PER_YEAR, "month": first % MONTHS_PER_YEAR + 1, "day": 1})
    ).to_numpy("datetime64[ns]")


def month_positions(months, fiscal_year: int) -> np.ndarray:
    """Position of each month (dates) among `fiscal_year`'s 12 months: October of the year before 0 ... September
    11 (outside the year: below 0 or above 11)."""
    year, month = _year_month(months)
    start = fiscal_year_start(fiscal_year)
    return month_number(year, month) - month_number(start.year, start.month)


def month_number(year, month):
    """Months since the start of year 0 (ints or arrays): consecutive months differ by 1."""
    return year * MONTHS_PER_YEAR + month - 1


def months_between(earlier, later) -> int:
    """Whole calendar months from `earlier` to `later` (dates or Timestamps; 2025-12 to 2026-12 is 12)."""
    return month_number(later.year, later.month) - month_number(earlier.year, earlier.month)


def half_window(fiscal_year: int, half: str) -> tuple[dt.date, dt.date]:
    """First and last start date of a half of a fiscal year."""
    months = fiscal_months(fiscal_year)
    if half == "H1":
        return months[0], months[APRIL] - dt.timedelta(days=1)
    return months[APRIL], fiscal_year_end(fiscal_year)


def default_fiscal_year(as_of: dt.date | None = None, data_dir: Path | None = None) -> int:
    """The fiscal year containing `as_of` (default: the as-of month of the snapshot in `data_dir`)."""
    if as_of is None:
        from labormatch import (
            snapshot,  # the snapshot module is heavy; read only when a default is needed
        )

        as_of = snapshot.as_of_month(data_dir)
    return fiscal_year_of(as_of)
