"""Recent (2022-2026) vintages in `raw/recent/` (see `PROVENANCE_recent.md`).

The BLS series (JOLTS, CPS, QCEW) come back as `labormatch.sources.bls.SeriesBatch` with the same
observation and metadata columns as the staged BLS files, so the panel can splice them.
`vintage` is the release month ("YYYY-MM") where the source states it; where it does not, the
last month the file covers (the earliest release that could hold it), as noted per loader.

The other tables (Indeed postings, published H-2 totals, JOLTS trailing means) are tidy frames
whose columns are listed in each loader's docstring.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labormatch.errors import SourceError
from labormatch.sources.bls import (
    SeriesBatch,
    meta_from_ids,
    observations,
    period_date,
    read_csv_checked,
    require_columns,
)

JOLTS_HIRES_SEPS = "recent/jolts/jolts_hires_totalseps_sa_national_industry_and_state_2000-12_2026-02.csv"
JOLTS_OPENINGS_FRED = "recent/jolts/jolts_job_openings_level_by_industry_fred_2000-12_2025-12.csv"
JOLTS_TABLE1 = "recent/jolts/jolts_job_openings_sa_by_industry_bls_table1_releases2026-03_2026-04_partial.csv"
JOLTS_TABLE2 = "recent/jolts/jolts_hires_sa_by_industry_bls_table2_release2026-06_2025-04_2026-04.csv"
JOLTS_RATES_10 = "recent/jolts/jolts_rates_10industries_sa_2009-01_2024-12_aastharijal.csv"
JOLTS_RATES_LEISURE = "recent/jolts/jolts_rates_sa_leisure_hospitality_2017-01_2026-08.csv"
JOLTS_TRAILING = "recent/jolts/jolts_rates_12supersectors_sa_trailing3mo_mean_2024-11_2025-05_anesta95.csv"
CPS_2024 = "recent/cps/cps_unemployment_rate_by_industry_occupation_nsa_monthly_2000-01_2024-12.csv"
CPS_PUBLISHED = "recent/cps/cps_unemployment_by_industry_nsa_bls_published_tables_2023-12_2026-05.csv"
QCEW_2024 = "recent/qcew/qcew_2024_monthly_employment_by_state_ownership_naics_nsa.csv"
INDEED_SECTOR = "recent/indeed/indeed_job_postings_index_by_sector_US_daily_2020-02-01_2024-09-27.csv"
INDEED_AGGREGATE = "recent/indeed/indeed_job_postings_index_US_aggregate_daily_2020-02-01_2026-08-14.csv"
INDEED_STATE = "recent/indeed/indeed_job_postings_index_by_state_daily_2020-02-01_2026-08-14.csv"
H2_PUBLISHED = "recent/h2/h2_program_published_figures_fy2018_2025.csv"

SERIES_FILES = [
    JOLTS_HIRES_SEPS,
    JOLTS_OPENINGS_FRED,
    JOLTS_TABLE1,
    JOLTS_TABLE2,
    JOLTS_RATES_10,
    JOLTS_RATES_LEISURE,
    CPS_2024,
    CPS_PUBLISHED,
    QCEW_2024,
]
TABLE_FILES = [JOLTS_TRAILING, INDEED_SECTOR, INDEED_AGGREGATE, INDEED_STATE, H2_PUBLISHED]

JOLTS_ELEMENTS = {"hires": "HI", "openings": "JO", "layoffs": "LD", "quits": "QU"}
# aastharijal's sector labels -> JOLTS industry codes (2017 NAICS JOLTS industries).
AASTHARIJAL_INDUSTRIES = {
    "Construction": "230000",
    "Durable Goods Manufacturing": "320000",
    "Non-Durable Goods Manufacturing": "340000",
    "Retail Trade": "440000",
    "Transportation, Warehousing and Utilities": "480099",
    "Information": "510000",
    "Financial Activities": "510099",
    "Professional and Business Services": "540099",
    "Healthcare and Social Assistance": "620000",
    "State and Local Government": "920000",
}


def jolts_id(seasonal: str, industry_code: str, element: str, ratelevel: str, state: str = "00") -> str:
    """The 21-character JOLTS series id: JT + S|U + industry(6) + state(2) + area(5) + size(2) + element + L|R."""
    return f"JT{'S' if seasonal == 'SA' else 'U'}{industry_code}{state}0000000{element}{ratelevel}"


def fred_jolts_to_bls(fred_id: str) -> str:
    """FRED JOLTS name -> BLS id: `JTS2300JOL` -> `JTS230000000000000JOL`, `JTSJOL` -> total nonfarm.

    FRED drops the industry code's trailing zeros and the state/area/size fields."""
    prefix, body, suffix = fred_id[:3], fred_id[3:-3], fred_id[-3:]
    if prefix not in ("JTS", "JTU") or (not body.isdigit() and body != ""):
        raise ValueError(f"not a FRED JOLTS series name: {fred_id!r}")
    return jolts_id("SA" if prefix == "JTS" else "NSA", body.ljust(6, "0"), suffix[:2], suffix[2])


def _next_month(date: pd.Timestamp) -> str:
    return (pd.Timestamp(date) + pd.offsets.MonthBegin(1)).strftime("%Y-%m")


def load_jolts_hires_seps(raw: Path) -> SeriesBatch:
    """JOLTS hires and total separations, SA levels (thousands) and rates (%), 12 national industries
    to 2026-02 and total nonfarm for 51 states to 2025-12; BLS vintage of about Apr-2026."""
    path = raw / JOLTS_HIRES_SEPS
    frame = read_csv_checked(path, dtype=str)
    require_columns(frame, ["series_id", "date", "industry_text", "value"], path)
    obs = observations(frame, "2026-04", JOLTS_HIRES_SEPS)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], dict(zip(frame["series_id"], frame["industry_text"]))))


def load_jolts_openings_fred(raw: Path) -> SeriesBatch:
    """JOLTS job openings levels (thousands), 10 SA and 6 NSA series to 2025-12; FRED vintage from
    before the Mar-2026 annual revision (set to 2026-02)."""
    path = raw / JOLTS_OPENINGS_FRED
    frame = read_csv_checked(path, dtype=str)
    require_columns(frame, ["date", "fred_series_id", "industry", "value"], path)
    frame["series_id"] = frame["fred_series_id"].map(fred_jolts_to_bls)
    obs = observations(frame, "2026-02", JOLTS_OPENINGS_FRED)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], dict(zip(frame["series_id"], frame["industry"]))))


def _table_batch(frame: pd.DataFrame, element: str, vintages: pd.Series, name_column: str, rel: str) -> SeriesBatch:
    """Level and rate rows of a transcribed JOLTS news-release table as observations."""
    state = frame.get("state_or_region", pd.Series("00", index=frame.index)).fillna("00")
    parts = []
    for column, rl in (("level_thousands", "L"), ("rate_pct", "R")):
        part = pd.DataFrame(
            {
                "series_id": [jolts_id("SA", c, element, rl, s) for c, s in zip(frame["industry_code"], state)],
                "date": frame["date"],
                "value": frame[column],
            }
        )
        for vintage, rows in part.groupby(vintages.values):
            parts.append(observations(rows, vintage, rel))
    obs = pd.concat(parts, ignore_index=True)
    names = dict(zip(obs["series_id"], [n for n in frame[name_column]] * 2))
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


def load_jolts_table1(raw: Path) -> SeriesBatch:
    """JOLTS job openings SA, level (thousands) and rate (%), 16 industries, transcribed from BLS
    news-release Table 1 of the Mar-2026 and Apr-2026 releases (vintages 2026-05 and 2026-06)."""
    path = raw / JOLTS_TABLE1
    frame = read_csv_checked(path, dtype={"industry_code": str})
    require_columns(frame, ["date", "industry", "industry_code", "level_thousands", "rate_pct", "release"], path)
    reference = pd.to_datetime(frame["release"].str.extract(r"month (\w{3}-\d{4})", expand=False), format="%b-%Y")
    if reference.isna().any():
        raise SourceError(path, "a 'release' value does not name its reference month (e.g. 'reference month Mar-2026')")
    vintages = reference.map(lambda d: (d + pd.offsets.MonthBegin(2)).strftime("%Y-%m"))
    return _table_batch(frame, "JO", vintages, "industry", JOLTS_TABLE1)


def load_jolts_table2(raw: Path) -> SeriesBatch:
    """JOLTS hires SA, level (thousands) and rate (%), 28 industries and 4 regions, months 2025-04 and
    2026-01..2026-04, transcribed from BLS news-release Table 2 of the Apr-2026 release (2026-06-02)."""
    path = raw / JOLTS_TABLE2
    frame = read_csv_checked(path, dtype={"industry_code": str, "state_or_region": str})
    require_columns(
        frame,
        ["date", "industry_or_region", "industry_code", "state_or_region", "level_thousands", "rate_pct", "release"],
        path,
    )
    released = pd.to_datetime(frame["release"].str.extract(r"\((\d{4}-\d{2})-\d{2}\)", expand=False), format="%Y-%m")
    if released.isna().any():
        raise SourceError(path, "a 'release' value lacks its publication date, e.g. '(2026-06-02)'")
    return _table_batch(frame, "HI", released.dt.strftime("%Y-%m"), "industry_or_region", JOLTS_TABLE2)


def load_jolts_rates_10(raw: Path) -> SeriesBatch:
    """JOLTS SA rates (%) of hires, openings, layoffs and quits for 10 industries, 2009-01..2024-12.

    The vintage is not stated; it is set to 2024-12, the last month covered."""
    path = raw / JOLTS_RATES_10
    frame = read_csv_checked(path)
    require_columns(frame, ["Year", "month", "sector", *JOLTS_ELEMENTS], path)
    unknown = sorted(set(frame["sector"]) - set(AASTHARIJAL_INDUSTRIES))
    if unknown:
        raise SourceError(path, f"unknown sector labels {unknown}")
    frame["date"] = pd.to_datetime(frame["Year"].astype(str) + "-" + frame["month"], format="%Y-%b")
    long = frame.melt(id_vars=["date", "sector"], value_vars=list(JOLTS_ELEMENTS), var_name="measure")
    long["series_id"] = [
        jolts_id("SA", AASTHARIJAL_INDUSTRIES[s], JOLTS_ELEMENTS[m], "R")
        for s, m in zip(long["sector"], long["measure"])
    ]
    obs = observations(long, "2024-12", JOLTS_RATES_10)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], dict(zip(long["series_id"], long["sector"]))))


def load_jolts_rates_leisure(raw: Path) -> SeriesBatch:
    """JOLTS SA rates (%) of openings, hires and quits 2017-01..2026-08 and of layoffs and discharges
    2019-11..2026-08, leisure and hospitality (industry 700000), BLS ids `JTS700000000000000{JO,HI,QU,LD}R`,
    in the BLS layout `series_id, year, period (M01..M12), value`.

    The vintage is not stated; it is set to 2026-08, the last month covered. Rows that are not a
    monthly period (M13 annual averages) or not a JOLTS leisure and hospitality rate are refused."""
    path = raw / JOLTS_RATES_LEISURE
    frame = read_csv_checked(path, dtype=str)
    require_columns(frame, ["series_id", "year", "period", "value"], path)
    frame["series_id"] = frame["series_id"].str.strip()
    expected = {jolts_id("SA", "700000", element, "R") for element in JOLTS_ELEMENTS.values()}
    unknown = sorted(set(frame["series_id"]) - expected)
    if unknown:
        raise SourceError(path, f"column 'series_id': not JOLTS leisure and hospitality SA rates: {unknown}")
    frame["date"] = period_date(frame["year"], frame["period"].str.strip())
    if frame["date"].isna().any():
        bad = frame.loc[frame["date"].isna(), ["year", "period"]].iloc[0].tolist()
        raise SourceError(path, f"columns 'year', 'period': not a month (M01..M12): {bad}")
    if frame.duplicated(["series_id", "date"]).any():
        raise SourceError(path, "more than one value for a series and month")
    obs = observations(frame, "2026-08", JOLTS_RATES_LEISURE)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], dict.fromkeys(obs["series_id"], "Leisure and hospitality")))


def load_cps_2024(raw: Path) -> SeriesBatch:
    """CPS NSA unemployment rates (%), 9 industry/occupation series, 2000-01..2024-12 (FRED, Jan-2025)."""
    path = raw / CPS_2024
    wide = read_csv_checked(path)
    require_columns(wide, ["date"], path)
    long = wide.melt(id_vars="date", var_name="series_id", value_name="value")
    obs = observations(long, "2025-01", CPS_2024)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"]))


def load_cps_published(raw: Path) -> SeriesBatch:
    """CPS NSA unemployment rates (%) and unemployed (thousands) by industry, point observations
    transcribed from Employment Situation Tables A-14 and A-31 (Dec-2023 to May-2026).

    Each release prints a month and the same month a year earlier, so a row's vintage is the month
    after the later of the pair. Rows without a BLS series id (food manufacturing, DOL's NAICS
    tabulations from the Federal Register, 10-year averages) are not series and are left out."""
    path = raw / CPS_PUBLISHED
    frame = read_csv_checked(path, dtype=str)
    require_columns(
        frame,
        [
            "date",
            "industry_or_class",
            "bls_series_rate",
            "bls_series_level",
            "unemployed_thousands",
            "unemployment_rate_pct",
            "source",
        ],
        path,
    )
    frame = frame[frame["bls_series_rate"].notna() & frame["date"].str.match(r"^\d{4}-\d{2}-\d{2}$")].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    release_key = [frame["source"], frame["date"].dt.month]
    frame["vintage"] = frame.groupby(release_key)["date"].transform("max").map(_next_month)
    parts = []
    for id_column, value_column in (
        ("bls_series_rate", "unemployment_rate_pct"),
        ("bls_series_level", "unemployed_thousands"),
    ):
        part = frame.rename(columns={id_column: "series_id", value_column: "value"})
        for vintage, rows in part.groupby("vintage"):
            parts.append(observations(rows, vintage, CPS_PUBLISHED))
    obs = pd.concat(parts, ignore_index=True)
    names = {
        **dict(zip(frame["bls_series_rate"], frame["industry_or_class"])),
        **dict(zip(frame["bls_series_level"], frame["industry_or_class"])),
    }
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


def qcew_id(area_fips: str, own_code: str, industry_code: str) -> str:
    """A QCEW-style series id for monthly employment: ENU + area(5) + datatype 1 + size 0 + ownership + industry."""
    return f"ENU{area_fips}10{own_code}{industry_code}"


def load_qcew_2024(raw: Path) -> SeriesBatch:
    """QCEW monthly employment (persons, NSA), 2024-01..2024-12, US and states by ownership and NAICS.

    QCEW shows suppressed cells as 0: those are missing, not zero, and are dropped. The vintage is
    not stated; it is set to 2024-12."""
    path = raw / QCEW_2024
    frame = read_csv_checked(path, dtype=str)
    require_columns(frame, ["date", "area_fips", "own_code", "industry_code", "employment"], path)
    frame = frame.drop_duplicates(["date", "area_fips", "own_code", "industry_code"])
    frame["series_id"] = [
        qcew_id(a, o, i) for a, o, i in zip(frame["area_fips"], frame["own_code"], frame["industry_code"])
    ]
    frame["value"] = pd.to_numeric(frame["employment"], errors="coerce").where(lambda v: v > 0)
    obs = observations(frame, "2024-12", QCEW_2024)
    return SeriesBatch(
        obs, meta_from_ids(obs["series_id"], dict(zip(frame["series_id"], "NAICS " + frame["industry_code"])))
    )


def load_recent_series(raw: Path) -> SeriesBatch:
    """Every BLS series in `raw/recent/` (JOLTS, CPS, QCEW)."""
    raw = Path(raw)
    loaders = (
        load_jolts_hires_seps,
        load_jolts_openings_fred,
        load_jolts_table1,
        load_jolts_table2,
        load_jolts_rates_10,
        load_jolts_rates_leisure,
        load_cps_2024,
        load_cps_published,
        load_qcew_2024,
    )
    return SeriesBatch.concat([load(raw) for load in loaders])


def load_jolts_trailing_means(raw: Path) -> pd.DataFrame:
    """JOLTS SA rates as trailing 3-month means (computed by the source's author, so not spliced into
    monthly series): `month, industry_name, measure, value` (percent)."""
    path = raw / JOLTS_TRAILING
    frame = read_csv_checked(path)
    require_columns(frame, ["date", "industry_text", "data_element_text", "value"], path)
    return pd.DataFrame(
        {
            "month": pd.to_datetime(frame["date"]),
            "industry_name": frame["industry_text"].astype(str),
            "measure": frame["data_element_text"]
            .str.lower()
            .str.replace(" and discharges", "")
            .str.replace("job ", ""),
            "value": frame["value"].astype(float),
        }
    )


def load_indeed(raw: Path) -> pd.DataFrame:
    """Indeed Hiring Lab job-postings indexes (1 Feb 2020 = 100) as monthly means of the daily index:
    `month, geography` ("US" or USPS state code), `indeed_sector` ("total" for all postings),
    `seasonal` (SA/NSA), `index`, `days` (daily values averaged). Source: Indeed Hiring Lab, CC-BY 4.0."""
    raw = Path(raw)
    sector = read_csv_checked(raw / INDEED_SECTOR)
    require_columns(sector, ["date", "indeed_job_postings_index", "variable", "display_name"], raw / INDEED_SECTOR)
    sector = sector[sector["variable"] == "total postings"]
    total = read_csv_checked(raw / INDEED_AGGREGATE)
    require_columns(
        total,
        ["date", "indeed_job_postings_index_SA", "indeed_job_postings_index_NSA", "variable"],
        raw / INDEED_AGGREGATE,
    )
    total = total[total["variable"] == "total postings"]
    state = read_csv_checked(raw / INDEED_STATE)
    require_columns(state, ["date", "state", "indeed_job_postings_index"], raw / INDEED_STATE)
    daily = pd.concat(
        [
            pd.DataFrame(
                {
                    "date": sector["date"],
                    "geography": "US",
                    "indeed_sector": sector["display_name"],
                    "seasonal": "SA",
                    "index": sector["indeed_job_postings_index"],
                }
            ),
            pd.DataFrame(
                {
                    "date": total["date"],
                    "geography": "US",
                    "indeed_sector": "total",
                    "seasonal": "SA",
                    "index": total["indeed_job_postings_index_SA"],
                }
            ),
            pd.DataFrame(
                {
                    "date": total["date"],
                    "geography": "US",
                    "indeed_sector": "total",
                    "seasonal": "NSA",
                    "index": total["indeed_job_postings_index_NSA"],
                }
            ),
            pd.DataFrame(
                {
                    "date": state["date"],
                    "geography": state["state"].str.upper(),
                    "indeed_sector": "total",
                    "seasonal": "SA",
                    "index": state["indeed_job_postings_index"],
                }
            ),
        ],
        ignore_index=True,
    )
    daily["month"] = pd.to_datetime(daily["date"]).dt.to_period("M").dt.to_timestamp()
    daily["index"] = pd.to_numeric(daily["index"], errors="coerce")
    monthly = (
        daily.dropna(subset=["index"])
        .groupby(["month", "geography", "indeed_sector", "seasonal"], as_index=False)["index"]
        .agg(index="mean", days="count")
    )
    return monthly


def load_h2_published(raw: Path) -> pd.DataFrame:
    """Published H-2A/H-2B program figures FY2018-2025 (transcribed, each row cited):
    `program, fiscal_year, period, geography, measure, value, unit, source, note`."""
    path = Path(raw) / H2_PUBLISHED
    frame = read_csv_checked(path, dtype={"note": str})
    require_columns(
        frame, ["program", "fiscal_year", "period", "geography", "measure", "value", "unit", "source"], path
    )
    frame["fiscal_year"] = frame["fiscal_year"].astype("Int16")
    frame["value"] = frame["value"].astype(float)
    frame["note"] = frame.get("note", pd.Series(dtype=str)).fillna("")
    return frame
