"""Two pictures of current H-2 demand composition staged under `raw/recent/h2/` (see `PROVENANCE_recent.md`,
"Added 2026-12-02"): DOL OFLC's FY2024 H-2B January-peak randomization list and a DOL SeasonalJobs job-order
snapshot of 2026-01-15. Neither is a national total: they are used to check the composition model's sector
and state shares. `labormatch data update --source seasonaljobs` adds newer job-order pictures as the feed's
JSON responses (`recent/h2/seasonaljobs/job_orders_YYYY-MM-DD.json`); the build reads the newest picture.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from labormatch.errors import SourceError
from labormatch.sources.bls import read_csv_checked, require_columns
from labormatch.sources.oflc import usps_state

JAN_PEAK_FY2024 = "recent/h2/Randomization List H2B summer 2024 - FY24_JanPeak_PublicFacingReport.csv"
JOB_ORDERS_2026_01_15 = "recent/h2/dol_seasonaljobs_job_orders_snapshot_2026-01-15.parquet"
JOB_ORDERS_AS_OF = "2026-01-15"
#: Job-order pictures fetched by `labormatch data update` (SeasonalJobs JSON responses), dated by file name.
FETCHED_JOB_ORDERS = "recent/h2/seasonaljobs"
#: The fields every fetched job order must have (the others may be absent from the feed's response).
FEED_REQUIRED_FIELDS = ["case_number", "visa_class", "total_positions", "begin_date", "end_date", "worksite_state"]
_FETCHED_NAME = re.compile(r"job_orders_(\d{4}-\d{2}-\d{2})\.json")
JAN_PEAK_COLUMNS = ["Case Number", "Business Name", "Worksite State", "Randomization Group"]
JOB_ORDER_COLUMNS = [
    "case_number",
    "case_status",
    "visa_class",
    "job_title",
    "total_positions",
    "basic_rate_from",
    "pay_range_desc",
    "begin_date",
    "end_date",
    "worksite_state",
]
VISA_CLASSES = ("H-2A", "H-2B")


def load_jan_peak_fy2024(raw: Path) -> pd.DataFrame:
    """OFLC's FY2024 H-2B January-peak randomization list (applications filed Jan 1-3, 2024 for April 1
    starts), one row per application: `case_number`, `business_name`, `worksite_state` (USPS code, missing
    where the name is not a state), `randomization_group` (A..G, OFLC's processing order). No worker counts."""
    path = Path(raw) / JAN_PEAK_FY2024
    frame = read_csv_checked(path, dtype=str)
    require_columns(frame, JAN_PEAK_COLUMNS, path)
    state, unrecognised = usps_state(frame["Worksite State"])
    if unrecognised > len(frame) // 10:
        raise SourceError(path, f"column 'Worksite State': {unrecognised} of {len(frame)} values are not US states")
    group = frame["Randomization Group"].astype("string").str.strip()
    bad = group[~group.str.fullmatch(r"[A-Z]").fillna(False)]
    if len(bad):
        raise SourceError(path, f"column 'Randomization Group': expected one letter, found {bad.iloc[0]!r}")
    return pd.DataFrame(
        {
            "case_number": frame["Case Number"].astype("string").str.strip(),
            "business_name": frame["Business Name"].astype("string").str.strip(),
            "worksite_state": state,
            "randomization_group": group,
        }
    )


def load_job_orders_2026_01_15(raw: Path) -> pd.DataFrame:
    """DOL SeasonalJobs job orders open around 2026-01-15 (the repository author's cleaned parquet), one row per
    job order: `case_number`, `case_status`, `visa_class` (H-2A/H-2B), `job_title`, `positions` (workers, Int32),
    `wage_offered` (USD per `pay_unit`), `pay_unit`, `begin_date`, `end_date` (datetime64), `worksite_state`
    (USPS code), `as_of` (the snapshot date). No SOC or NAICS code: sectors come from the job title."""
    path = Path(raw) / JOB_ORDERS_2026_01_15
    if not path.is_file():
        raise SourceError(path, "file not found")
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise SourceError(path, f"cannot be read as parquet ({exc})") from exc
    if frame.empty:
        raise SourceError(path, "no rows")
    require_columns(frame, JOB_ORDER_COLUMNS, path)
    return _job_orders(frame, path, pd.Timestamp(JOB_ORDERS_AS_OF))


def _job_orders(frame: pd.DataFrame, path: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """Checked, typed job orders from the feed's columns (`JOB_ORDER_COLUMNS`), dated `as_of`."""
    unknown = sorted(set(frame["visa_class"].dropna()) - set(VISA_CLASSES))
    if unknown:
        raise SourceError(path, f"column 'visa_class': unexpected values {unknown}")
    positions = pd.to_numeric(frame["total_positions"], errors="coerce")
    if positions.isna().any() or (positions < 0).any():
        raise SourceError(path, "column 'total_positions': a value is missing or negative")
    state, _ = usps_state(frame["worksite_state"])
    return pd.DataFrame(
        {
            "case_number": frame["case_number"].astype("string"),
            "case_status": frame["case_status"].astype("string"),
            "visa_class": frame["visa_class"].astype("string"),
            "job_title": frame["job_title"].astype("string"),
            "positions": positions.astype("Int32"),
            "wage_offered": pd.to_numeric(frame["basic_rate_from"], errors="coerce"),
            "pay_unit": frame["pay_range_desc"].astype("string"),
            "begin_date": _utc_dates(frame["begin_date"]),
            "end_date": _utc_dates(frame["end_date"]),
            "worksite_state": state,
            "as_of": as_of,
        }
    )


def newest_job_orders_file(raw: Path) -> str:
    """The newest job-order picture in the raw folder (relative path): the latest fetched SeasonalJobs response
    if any, else the staged 2026-01-15 snapshot."""
    folder = Path(raw) / FETCHED_JOB_ORDERS
    fetched = (
        sorted(p.name for p in folder.glob("job_orders_*.json") if _FETCHED_NAME.fullmatch(p.name))
        if folder.is_dir()
        else []
    )
    return f"{FETCHED_JOB_ORDERS}/{fetched[-1]}" if fetched else JOB_ORDERS_2026_01_15


def load_newest_job_orders(raw: Path) -> pd.DataFrame:
    """The newest job-order picture (see `newest_job_orders_file`) in the columns of
    `load_job_orders_2026_01_15`; `as_of` is the picture's date."""
    relative = newest_job_orders_file(raw)
    if relative == JOB_ORDERS_2026_01_15:
        return load_job_orders_2026_01_15(raw)
    return load_fetched_job_orders(Path(raw) / relative)


def load_fetched_job_orders(path: Path) -> pd.DataFrame:
    """A SeasonalJobs JSON response saved by `labormatch data update` (a list of job orders, or an object holding
    it under `value`), dated by its file name `job_orders_YYYY-MM-DD.json`. Fields the feed leaves out (job
    title, wage, status) are missing, never invented."""
    match = _FETCHED_NAME.fullmatch(path.name)
    if not match:
        raise SourceError(path, "expected a file named job_orders_YYYY-MM-DD.json")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(path, f"not a JSON response ({exc})") from None
    records = payload.get("value") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not records:
        raise SourceError(path, "no job orders in the response")
    frame = pd.DataFrame.from_records(records)
    require_columns(frame, FEED_REQUIRED_FIELDS, path)
    for column in set(JOB_ORDER_COLUMNS) - set(frame.columns):
        frame[column] = pd.NA
    return _job_orders(frame, path, pd.Timestamp(match.group(1)))


def _utc_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce", utc=True).dt.tz_localize(None).dt.normalize()
