"""H-2A Addendum A and H-2B Appendix A/C/D disclosure files: the detail a main case file lacks.

All of them join to the main file on `case_id` (CASE_NUMBER) and hold many rows per case
(SCHEMAS.md section 2):
- H-2A Addendum A: crop / agricultural activity and the wage offer per job order, incl. piece rates.
- H-2B Appendix A: additional worksites, with workers, dates and wage range per worksite.
- H-2B Appendix C: foreign labor recruiters named by the employer (recruiter country = origin signal).
- H-2B Appendix D: employer-client details for job contractors, incl. the client's NAICS code.
The layout is recognised by the header (sheet names and file names disagree: `Appendix` files hold
`Addendum` sheets).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labormatch.errors import SourceError
from labormatch.sources import oflc

# kind -> (columns that identify it, {tidy column: source columns in order of preference})
ADDENDUM_LAYOUTS: dict[str, tuple[frozenset[str], dict[str, tuple[str, ...]]]] = {
    "H-2A Addendum A": (
        frozenset({"CASE_NUMBER", "CROP_AGRICULTURAL_ACTIVITY"}),
        {
            "case_id": ("CASE_NUMBER",),
            "job_order": ("JOB_ORDER_NUMBER", "JO_ORDER_NUMBER"),
            "crop_id": ("CROP_ID",),
            "crop_activity": ("CROP_AGRICULTURAL_ACTIVITY",),
            "wage_offer": ("WAGE_OFFER",),
            "wage_unit": ("PER",),
            "piece_rate_unit": ("PIECE_RATE_UNITS_SPECIAL_PAY",),
        },
    ),
    "H-2B Appendix A": (
        frozenset({"CASE_NUMBER", "TOTAL_WORKERS", "BASIC_WAGE_RATE_FROM"}),
        {
            "case_id": ("CASE_NUMBER",),
            "worksite_city": ("WORKSITE_CITY",),
            "worksite_state": ("WORKSITE_STATE",),
            "worksite_county": ("WORKSITE_COUNTY",),
            "workers": ("TOTAL_WORKERS",),
            "begin_date": ("BEGIN_DATE",),
            "end_date": ("END_DATE",),
            "wage_from": ("BASIC_WAGE_RATE_FROM",),
            "wage_to": ("BASIC_WAGE_RATE_TO",),
            "wage_unit": ("PER",),
        },
    ),
    "H-2B Appendix C": (
        frozenset({"CASE_NUMBER", "RECRUITER_EMPLOYER_COUNTRY"}),
        {
            "case_id": ("CASE_NUMBER",),
            "recruiter_name": ("RECRUITER_EMPLOYER_NAME",),
            "recruiter_city": ("RECRUITER_EMPLOYER_CITY",),
            "recruiter_state": ("RECRUITER_EMPLOYER_STATE",),
            "recruiter_country": ("RECRUITER_EMPLOYER_COUNTRY",),
        },
    ),
    "H-2B Appendix D": (
        frozenset({"CASE_NUMBER", "EMPLOYER_CLIENT_LEGAL_BUSINESS_NAME"}),
        {
            "case_id": ("CASE_NUMBER",),
            "client_name": ("EMPLOYER_CLIENT_LEGAL_BUSINESS_NAME",),
            "client_state": ("EMPLOYER_CLIENT_STATE",),
            "client_naics": ("EMPLOYER_CLIENT_NAICS_CODE", "EMPLOYER_CLIENT_NAICS"),
        },
    ),
}


def detect_addendum(headers) -> str | None:
    """Which addendum/appendix a header belongs to, or None."""
    cols = {str(h).strip().upper() for h in headers}
    return next((kind for kind, (needs, _) in ADDENDUM_LAYOUTS.items() if needs <= cols), None)


def _read(path: Path) -> tuple[pd.DataFrame, str]:
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise SourceError(path, "file not found or empty")
    try:
        frame = oflc.read_workbook(path, keep=lambda col: True)
    except Exception as exc:
        raise SourceError(path, f"cannot be read as an Excel workbook (damaged or another format): {exc}") from None
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    kind = detect_addendum(frame.columns)
    if kind is None:
        raise SourceError(path, "unknown layout: not an H-2A Addendum A or H-2B Appendix A/C/D file")
    return frame, kind


def _tidy(path: Path, frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rename to tidy columns, text as pandas strings, and stamp fiscal year, partial flag and source file."""
    columns = ADDENDUM_LAYOUTS[kind][1]
    out = pd.DataFrame(index=frame.index)
    for name, candidates in columns.items():
        col = next((c for c in candidates if c in frame.columns), None)
        out[name] = frame[col] if col else pd.NA
    text = [
        c for c in out.columns if c not in ("wage_offer", "wage_from", "wage_to", "workers", "begin_date", "end_date")
    ]
    for name in text:
        out[name] = (
            oflc.code_text(out[name]) if name in ("client_naics", "crop_id") else out[name].astype("string").str.strip()
        )
    out = out.dropna(subset=["case_id"])
    out.insert(1, "fiscal_year", pd.Series(oflc._fiscal_year_from_name(path.name), index=out.index, dtype="Int16"))
    out["partial_year"] = bool(pd.Series([path.stem]).str.contains(r"_Q[123]$", case=False).iloc[0])
    out["source_file"] = path.name
    return out.reset_index(drop=True)


def load_h2a_addendum_a(path) -> pd.DataFrame:
    """H-2A Addendum A rows: case_id, fiscal_year, job_order, crop_id, crop_activity, wage_offer (USD per
    wage_unit), wage_unit (as given, e.g. Hour, Piece Rate), piece_rate_unit, wage_hourly (USD/hour where the
    unit converts), partial_year, source_file. One row per crop/activity of a job order."""
    path = Path(path)
    frame, kind = _read(path)
    if kind != "H-2A Addendum A":
        raise SourceError(path, f"is an {kind} file, not an H-2A Addendum A")
    out = _tidy(path, frame, kind)
    out["wage_offer"] = pd.to_numeric(out["wage_offer"], errors="coerce").astype("float64")
    out["wage_hourly"], _ = oflc.hourly_wage(out["wage_offer"], out["wage_unit"])
    return out


def load_h2b_appendix(path) -> tuple[str, pd.DataFrame]:
    """An H-2B Appendix A (worksites), C (recruiters) or D (employer clients) as (kind, tidy frame).

    Appendix A: case_id, fiscal_year, worksite_city, worksite_state (USPS), worksite_county, workers (Int32),
    begin_date, end_date, wage_from, wage_to (USD per wage_unit), wage_unit, wage_hourly_from (USD/hour).
    Appendix C: case_id, fiscal_year, recruiter_name, recruiter_city, recruiter_state, recruiter_country.
    Appendix D: case_id, fiscal_year, client_name, client_state, client_naics.
    """
    path = Path(path)
    frame, kind = _read(path)
    if not kind.startswith("H-2B"):
        raise SourceError(path, f"is an {kind} file, not an H-2B appendix")
    out = _tidy(path, frame, kind)
    if kind == "H-2B Appendix A":
        out["worksite_state"], _ = oflc.usps_state(out["worksite_state"])
        out["workers"], *_ = oflc.worker_count(out["workers"])
        fiscal_year = int(out["fiscal_year"].iloc[0]) if len(out) else 2000
        for name in ("begin_date", "end_date"):
            out[name], _, _ = oflc.parse_dates(out[name], fiscal_year)
        for name in ("wage_from", "wage_to"):
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
        out["wage_hourly_from"], _ = oflc.hourly_wage(out["wage_from"], out["wage_unit"])
    return kind, out
