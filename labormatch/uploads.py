"""Validating an uploaded OFLC or BLS file with the snapshot build's own loaders, and comparing it to the snapshot
(the web app's Data page shows the summaries)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from labormatch import snapshot
from labormatch.errors import SourceError
from labormatch.sources import bls
from labormatch.sources.oflc import load_oflc_file


@dataclass(frozen=True)
class UploadSummary:
    """What a valid upload holds: one sentence and a table set against the snapshot."""

    headline: str
    table: pd.DataFrame


def oflc_summary(path: Path) -> UploadSummary:
    """Cases and workers by status in the file, beside the snapshot's figures for the same class and year."""
    cases, report = load_oflc_file(path)
    visa_class = str(cases["visa_class"].iloc[0])
    fiscal_year = int(cases["fiscal_year"].max())
    known = snapshot.load_table("oflc_cases")
    known = known[(known["visa_class"] == visa_class) & (known["fiscal_year"] == fiscal_year)]

    def by_status(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.groupby("status").agg(cases=("case_id", "size"), workers_certified=("workers_certified", "sum"))

    table = by_status(cases).join(by_status(known), rsuffix="_in_snapshot", how="outer").fillna(0).reset_index()
    headline = (
        f"{visa_class} FY{fiscal_year}: {len(cases):,} cases, {int(cases['workers_certified'].sum()):,} workers "
        f"certified (the snapshot holds {len(known):,} cases for {visa_class} FY{fiscal_year}); "
        f"layout {report['layout']}; {report['repeated_case_rows_dropped']['rows']:,} repeated case rows and "
        f"{report['joint_employer_sub_rows_dropped']['rows']:,} joint-employer sub rows dropped."
    )
    return UploadSummary(headline, table)


def _series_summary(obs: pd.DataFrame, path: Path) -> UploadSummary:
    """Months per series in the upload, the snapshot's last month, and how many months are new."""
    if obs.empty:
        raise SourceError(path, "holds no monthly values (M01-M12): nothing to compare with the snapshot")
    name = path.name
    known = snapshot.load_table("bls_series").groupby("series_id")["date"].max().rename("snapshot_last_month")
    table = obs.groupby("series_id")["date"].agg(first_month="min", last_month="max", months="size")
    table = table.join(known, how="left")
    newer = obs.merge(known.reset_index(), on="series_id", how="left")
    newer = newer[newer["snapshot_last_month"].isna() | (newer["date"] > newer["snapshot_last_month"])]
    table = table.join(newer.groupby("series_id").size().rename("new_months"), how="left").fillna({"new_months": 0})
    table["new_months"] = table["new_months"].astype(int)
    for column in ("first_month", "last_month", "snapshot_last_month"):
        table[column] = table[column].dt.strftime("%Y-%m")  # monthly values: the day and time say nothing
    headline = (
        f"{name}: {len(table):,} series, {len(obs):,} monthly values "
        f"({obs['date'].min():%Y-%m} to {obs['date'].max():%Y-%m}); {int(table['new_months'].sum()):,} months "
        "are newer than the snapshot."
    )
    return UploadSummary(headline, table.reset_index())


def _vintage() -> str:
    return date.today().strftime("%Y-%m")


def bls_json_summary(path: Path) -> UploadSummary:
    return _series_summary(bls.read_api_json(path, _vintage()).obs, path)


def bls_flat_summary(path: Path) -> UploadSummary:
    return _series_summary(bls.read_flat_data(path, _vintage()), path)


@dataclass(frozen=True)
class UploadKind:
    """A kind of file the Data page accepts: allowed extensions (None = any name) and its validator."""

    extensions: list[str] | None
    check: Callable[[Path], UploadSummary]

    def validate(self, path: Path) -> UploadSummary:
        """The summary, or a SourceError naming the file: a value the loaders did not foresee becomes a
        refusal of this upload (the page's status then ends), never an error that leaves it validating."""
        try:
            return self.check(path)
        except (ValueError, TypeError, OverflowError, KeyError, IndexError, MemoryError) as exc:
            raise SourceError(path, f"cannot be validated ({type(exc).__name__}: {exc})") from exc


KINDS = {
    "OFLC H-2A/H-2B disclosure": UploadKind(["xlsx", "xls", "csv"], oflc_summary),
    "BLS API v2 JSON": UploadKind(["json"], bls_json_summary),
    "BLS flat data file (e.g. jt.data.1.AllItems)": UploadKind(None, bls_flat_summary),
}
