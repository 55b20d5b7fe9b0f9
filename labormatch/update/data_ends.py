"""How current the snapshot is, source by source, and the command that refreshes each (for the Data page)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labormatch import snapshot
from labormatch.errors import LabormatchError

COLUMNS = ["source", "data through", "refresh with"]
SURVEYS = ("JOLTS", "CES", "CPS")


def _table(name: str, data: Path | None) -> pd.DataFrame | None:
    try:
        return snapshot.load_table(name, data)
    except LabormatchError:
        return None


def _oflc(coverage: pd.DataFrame | None, visa: str) -> str:
    """`FY2019 complete; FY2022 partial` from the H-2 coverage table."""
    if coverage is None:
        return "not in the snapshot"
    rows = coverage[coverage["visa_class"] == visa]
    parts = [
        f"FY{int(rows.loc[rows['disclosure'] == kind, 'fiscal_year'].max())} {kind}"
        for kind in ("complete", "partial")
        if (rows["disclosure"] == kind).any()
    ]
    return "; ".join(parts) or "no disclosure file"


def _bls(meta: pd.DataFrame | None, survey: str) -> str:
    """Latest (and earliest) last month among the survey's series the panel uses."""
    if meta is None:
        return "not in the snapshot"
    used = meta[(meta["survey"] == survey) & (meta["sector"].fillna("") != "")]["last_month"].dropna()
    if used.empty:
        return "no series"
    low, high = used.min().strftime("%Y-%m"), used.max().strftime("%Y-%m")
    return high if low == high else f"{high} (earliest series {low})"


def source_data_ends(data: Path | None = None) -> pd.DataFrame:
    """One row per official source: `source`, `data through` (fiscal years for OFLC, YYYY-MM for BLS and
    issuances, the date of the job-order picture), `refresh with` (the `labormatch data update` command)."""
    coverage, meta = _table("h2_coverage", data), _table("bls_series_meta", data)
    issuances, orders = _table("reference/dos_issuances", data), _table("reference/job_orders", data)
    rows = [
        ("OFLC H-2A disclosure files", _oflc(coverage, "H-2A"), "labormatch data update --source oflc"),
        ("OFLC H-2B disclosure files", _oflc(coverage, "H-2B"), "labormatch data update --source oflc"),
    ]
    rows += [
        (
            f"BLS {survey} (series the panel uses)",
            _bls(meta, survey),
            "labormatch data update --source bls_api (or --source bls_flat)",
        )
        for survey in SURVEYS
    ]
    picture = (
        f"{orders['as_of'].max():%Y-%m-%d} (one day's picture)"
        if orders is not None and len(orders)
        else "not in the snapshot"
    )
    rows.append(("DOL SeasonalJobs job orders", picture, "labormatch data update --source seasonaljobs"))
    has_issuances = issuances is not None and len(issuances)
    ended = issuances["month"].max().strftime("%Y-%m") if has_issuances else "not in the snapshot"
    rows.append(
        (
            "State Department H-2 issuances by nationality",
            ended,
            "by hand: monthly PDF tables into h2_reference/ (not published as data files)",
        )
    )
    return pd.DataFrame(rows, columns=COLUMNS)
