"""Reference tables in `raw/h2_reference/` and `raw/h2_aggregates/` (see `PROVENANCE_h2.md`).

Each loader returns a tidy, typed DataFrame; its columns (with units) are in its docstring.
Every row keeps the `source` its figure was transcribed from, where the file gives one.
`load_reference_tables(raw)` returns them all by snapshot table name.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labormatch.errors import SourceError
from labormatch.sources.bls import read_csv_checked, require_columns
from labormatch.sources.job_orders import (
    JAN_PEAK_FY2024,
    load_jan_peak_fy2024,
    load_newest_job_orders,
    newest_job_orders_file,
)
from labormatch.sources.recent import load_h2_published, load_indeed, load_jolts_trailing_means

DOS_ISSUANCES = "h2_reference/dos_niv_h2_issuances_monthly_by_nationality_2017-03_2025-05.csv"
H2B_CAP_SUPPLEMENTAL = "h2_reference/h2b_cap_supplemental_by_fy.csv"
H2B_CAP_REACHED = "h2_reference/h2b_cap_reached_dates.csv"
AEWR = "h2_reference/aewr_h2a_by_state_2019_2025_partial.csv"
EPI_H2A = "h2_aggregates/epi_h2a_national_fy2005_2022.csv"
EPI_H2B = "h2_aggregates/epi_h2b_national_fy2015_2022.csv"
TRLA_TX_2021 = "h2_aggregates/trla_tx_2021/2021_h2a_workers_certified_by_month.csv"
H2B_FY2026_FACTS = "h2_reference/h2b_fy2026_cap_facts_transcribed.csv"

REFERENCE_FILES = [
    DOS_ISSUANCES,
    H2B_CAP_SUPPLEMENTAL,
    H2B_CAP_REACHED,
    AEWR,
    EPI_H2A,
    EPI_H2B,
    TRLA_TX_2021,
    H2B_FY2026_FACTS,
    JAN_PEAK_FY2024,
]


def reference_files(raw: Path) -> list[str]:
    """The raw files the reference tables read (relative paths), the newest job-order picture among them."""
    return [*REFERENCE_FILES, newest_job_orders_file(raw)]


VISA_CLASSES = ("H-2A", "H-2B")
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _load(raw: Path, relative: str, required: list[str], **kwargs) -> tuple[pd.DataFrame, Path]:
    path = Path(raw) / relative
    frame = read_csv_checked(path, **kwargs)
    require_columns(frame, required, path)
    return frame, path


def _dates(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A column of ISO dates; a value that is not a date names the file, column and value."""
    parsed = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
    bad = frame.loc[parsed.isna() & frame[column].notna(), column]
    if not bad.empty:
        raise SourceError(path, f"column {column!r}: not a date: {bad.iloc[0]!r}")
    return parsed


def load_dos_issuances(raw: Path) -> pd.DataFrame:
    """State Department H-2A/H-2B visa issuances by month and nationality, 2017-03..2025-05
    (2019-05 absent): `month` (datetime64), `nationality`, `visa_class`, `issuances` (visas, Int32)."""
    frame, path = _load(raw, DOS_ISSUANCES, ["month", "nationality", "visa_class", "issuances"])
    unknown = sorted(set(frame["visa_class"]) - set(VISA_CLASSES))
    if unknown:
        raise SourceError(path, f"column 'visa_class': unexpected values {unknown}")
    return pd.DataFrame(
        {
            "month": _dates(frame, "month", path),
            "nationality": frame["nationality"].astype(str),
            "visa_class": frame["visa_class"].astype(str),
            "issuances": frame["issuances"].astype("Int32"),
        }
    )


def load_h2b_cap_supplemental(raw: Path) -> pd.DataFrame:
    """H-2B statutory cap and supplemental visas authorized per fiscal year (maxima, not visas used):
    `fiscal_year` (Int16), `statutory_cap`, `supplemental_max`, `supplemental_returning_worker`,
    `supplemental_country_setaside` (visas, Int32, missing where not published), `rule_date`, `source`, `note`."""
    frame, _path = _load(raw, H2B_CAP_SUPPLEMENTAL, ["fiscal_year", "statutory_cap", "supplemental_max", "source"])
    out = pd.DataFrame({"fiscal_year": frame["fiscal_year"].astype("Int16")})
    for column in (
        "statutory_cap",
        "supplemental_max",
        "supplemental_returning_worker",
        "supplemental_country_setaside",
    ):
        out[column] = pd.to_numeric(frame.get(column), errors="coerce").round().astype("Int32")
    out["rule_dates"] = frame.get("rule_date", pd.Series("", index=frame.index)).fillna("").astype(str)
    out["source"] = frame["source"].astype(str)
    out["note"] = frame.get("note", pd.Series("", index=frame.index)).fillna("").astype(str)
    return out


def load_h2b_cap_reached_dates(raw: Path) -> pd.DataFrame:
    """USCIS final receipt date when an H-2B half-year cap was reached: `fiscal_year` (Int16),
    `cap_period` (first_half/second_half/annual), `final_receipt_date` (datetime64; first of the month
    where only the month is known), `date_precision` (day/month), `source`, `note`."""
    frame, path = _load(
        raw, H2B_CAP_REACHED, ["fiscal_year", "cap_period", "final_receipt_date", "date_precision", "source"]
    )
    return pd.DataFrame(
        {
            "fiscal_year": frame["fiscal_year"].astype("Int16"),
            "cap_period": frame["cap_period"].astype(str),
            "final_receipt_date": _dates(frame, "final_receipt_date", path),
            "date_precision": frame["date_precision"].astype(str),
            "source": frame["source"].astype(str),
            "note": frame.get("note", pd.Series("", index=frame.index)).fillna("").astype(str),
        }
    )


def load_aewr(raw: Path) -> pd.DataFrame:
    """H-2A Adverse Effect Wage Rates by state (partial 2019-2025): `state`, `state_abbr` (USPS),
    `fls_region`, `aewr_year` (Int16), `effective_date` (datetime64), `aewr_hourly_usd` (USD/hour),
    `source`, `note`."""
    frame, path = _load(raw, AEWR, ["state", "state_abbr", "aewr_year", "effective_date", "aewr_hourly_usd", "source"])
    wage = pd.to_numeric(frame["aewr_hourly_usd"], errors="coerce")
    if wage.isna().any() or (wage <= 0).any():
        raise SourceError(path, "column 'aewr_hourly_usd': a value is missing or not a positive number")
    return pd.DataFrame(
        {
            "state": frame["state"].astype(str),
            "state_abbr": frame["state_abbr"].astype(str),
            "fls_region": frame.get("fls_region", pd.Series("", index=frame.index)).fillna("").astype(str),
            "aewr_year": frame["aewr_year"].astype("Int16"),
            "effective_date": _dates(frame, "effective_date", path),
            "aewr_hourly_usd": wage.astype(float),
            "source": frame["source"].astype(str),
            "note": frame.get("note", pd.Series("", index=frame.index)).fillna("").astype(str),
        }
    )


def load_epi_h2a_national(raw: Path) -> pd.DataFrame:
    """US H-2A by fiscal year FY2005-2022 (EPI, from DOL/DOS/USCIS): `fiscal_year` (Int16),
    `h2a_positions_certified_dol`, `h2a_visas_issued_dos`, `h2a_petition_beneficiaries_approved_uscis`
    (Int32, missing before FY2015), `source`."""
    columns = [
        "fiscal_year",
        "h2a_positions_certified_dol",
        "h2a_visas_issued_dos",
        "h2a_petition_beneficiaries_approved_uscis",
    ]
    frame, _ = _load(raw, EPI_H2A, [*columns, "source"])
    return _int_table(frame, columns)


def load_epi_h2b_national(raw: Path) -> pd.DataFrame:
    """US H-2B by fiscal year FY2015-2022 (EPI, from USCIS/DOS): `fiscal_year` (Int16),
    `new_h2b_workers_uscis`, `h2b_extensions_uscis`, `h2b_visas_issued_dos`, `statutory_cap`,
    `cap_plus_supplemental` (Int32, missing where none), `source`."""
    columns = [
        "fiscal_year",
        "new_h2b_workers_uscis",
        "h2b_extensions_uscis",
        "h2b_visas_issued_dos",
        "statutory_cap",
        "cap_plus_supplemental",
    ]
    frame, _ = _load(raw, EPI_H2B, [*columns, "source"])
    return _int_table(frame, columns)


def _int_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({"fiscal_year": frame["fiscal_year"].astype("Int16")})
    for column in columns[1:]:
        out[column] = pd.to_numeric(frame[column], errors="coerce").round().astype("Int32")
    out["source"] = frame["source"].astype(str)
    return out


def load_trla_tx_2021(raw: Path) -> pd.DataFrame:
    """Texas H-2A workers certified on active job orders by housing county and month of 2021
    (TRLA): `housing_county`, `month` (datetime64), `workers_certified` (Int32)."""
    frame, _ = _load(raw, TRLA_TX_2021, ["HOUSING_COUNTY", *MONTH_NAMES])
    long = frame.melt(id_vars="HOUSING_COUNTY", value_vars=MONTH_NAMES, var_name="month_name", value_name="workers")
    long["month"] = pd.to_datetime("2021-" + long["month_name"], format="%Y-%B")
    return pd.DataFrame(
        {
            "housing_county": long["HOUSING_COUNTY"].astype(str),
            "month": long["month"],
            "workers_certified": long["workers"].astype("Int32"),
        }
    )


def load_h2b_fy2026_facts(raw: Path) -> pd.DataFrame:
    """FY2026 H-2B rule facts and January filing windows, transcribed one page per row: `item`, `value`
    (float; a date item keeps its text in `date_or_period`), `unit`, `date_or_period`, `source`, `verified`
    (the file's own text, e.g. "UNVERIFIED")."""
    frame, _path = _load(
        raw, H2B_FY2026_FACTS, ["item", "value", "unit", "date_or_period", "source", "verified"], dtype=str
    )
    return pd.DataFrame(
        {
            "item": frame["item"].astype(str),
            "value": pd.to_numeric(frame["value"], errors="coerce"),
            "unit": frame["unit"].astype(str),
            "date_or_period": frame["date_or_period"].fillna("").astype(str),
            "source": frame["source"].astype(str),
            "verified": frame["verified"].fillna("").astype(str),
        }
    )


def load_reference_tables(raw: Path) -> dict[str, pd.DataFrame]:
    """Every reference table by its snapshot name (`data/reference/<name>.parquet`)."""
    raw = Path(raw)
    return {
        "dos_issuances": load_dos_issuances(raw),
        "h2b_cap_supplemental": load_h2b_cap_supplemental(raw),
        "h2b_cap_reached_dates": load_h2b_cap_reached_dates(raw),
        "aewr": load_aewr(raw),
        "epi_h2a_national": load_epi_h2a_national(raw),
        "epi_h2b_national": load_epi_h2b_national(raw),
        "trla_tx_h2a_2021": load_trla_tx_2021(raw),
        "h2_published_figures": load_h2_published(raw),
        "indeed_postings": load_indeed(raw),
        "jolts_rates_trailing3mo": load_jolts_trailing_means(raw),
        "h2b_fy2026_facts": load_h2b_fy2026_facts(raw),
        "h2b_jan_peak_fy2024": load_jan_peak_fy2024(raw),
        "job_orders": load_newest_job_orders(raw),
    }
