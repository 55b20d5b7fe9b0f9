"""BLS labor-market series: the staged JOLTS, CES and CPS files, the Public Data API v2 JSON
response and the BLS flat-file format (`jt.data.*` + `jt.series`).

Every loader returns a `SeriesBatch`: observations and one metadata row per series.

Observations (`OBS_COLUMNS`): `series_id` (BLS id as published), `date` (datetime64, first of the
reference month), `value` (float; thousands for levels, percent for rates, USD/hour for earnings,
persons for QCEW), `vintage` ("YYYY-MM": the release the values come from), `source_file`
(path relative to the raw folder).

Metadata (`META_COLUMNS`): `series_id, survey` (JOLTS/CES/CPS/QCEW), `measure` (openings, hires,
quits, layoffs, other_separations, total_separations, unemployed_per_opening, employment,
avg_hourly_earnings, unemployment_rate, unemployed), `industry_code, industry_name, ratelevel`
(level/rate), `seasonal` (SA/NSA), `unit`, `area` ("US" or a USPS state code or a JOLTS region).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labormatch.errors import SourceError

OBS_COLUMNS = ["series_id", "date", "value", "vintage", "source_file"]
META_COLUMNS = [
    "series_id",
    "survey",
    "measure",
    "industry_code",
    "industry_name",
    "ratelevel",
    "seasonal",
    "unit",
    "area",
]

JOLTS_MEASURES = {
    "JO": "openings",
    "HI": "hires",
    "QU": "quits",
    "LD": "layoffs",
    "OS": "other_separations",
    "TS": "total_separations",
    "UO": "unemployed_per_opening",
}
CES_MEASURES = {"01": ("employment", "thousands"), "03": ("avg_hourly_earnings", "USD per hour")}
CPS_MEASURES = {"4": ("unemployment_rate", "percent"), "3": ("unemployed", "thousands")}
JOLTS_REGIONS = {"NE": "Northeast", "SO": "South", "MW": "Midwest", "WE": "West"}
# FRED names some series differently from BLS; the BLS ids (from FRED's notes) are the keys here.
FRED_ALIASES = {
    "UNRATENSA": "LNU04000000",
    "UNRATE": "LNS14000000",
    "PAYNSA": "CEU0000000001",
    "TEMPHELPN": "CEU6056132001",
}

# State FIPS code -> USPS code (JOLTS state field, QCEW area codes).
STATE_FIPS = {
    "01": "AL",
    "02": "AK",
    "04": "AZ",
    "05": "AR",
    "06": "CA",
    "08": "CO",
    "09": "CT",
    "10": "DE",
    "11": "DC",
    "12": "FL",
    "13": "GA",
    "15": "HI",
    "16": "ID",
    "17": "IL",
    "18": "IN",
    "19": "IA",
    "20": "KS",
    "21": "KY",
    "22": "LA",
    "23": "ME",
    "24": "MD",
    "25": "MA",
    "26": "MI",
    "27": "MN",
    "28": "MS",
    "29": "MO",
    "30": "MT",
    "31": "NE",
    "32": "NV",
    "33": "NH",
    "34": "NJ",
    "35": "NM",
    "36": "NY",
    "37": "NC",
    "38": "ND",
    "39": "OH",
    "40": "OK",
    "41": "OR",
    "42": "PA",
    "44": "RI",
    "45": "SC",
    "46": "SD",
    "47": "TN",
    "48": "TX",
    "49": "UT",
    "50": "VT",
    "51": "VA",
    "53": "WA",
    "54": "WV",
    "55": "WI",
    "56": "WY",
    "72": "PR",
    "78": "VI",
}


@dataclass(frozen=True)
class SeriesBatch:
    """Observations (`OBS_COLUMNS`) and one metadata row per series (`META_COLUMNS`)."""

    obs: pd.DataFrame
    meta: pd.DataFrame

    @staticmethod
    def concat(batches: list[SeriesBatch]) -> SeriesBatch:
        """All observations stacked; metadata de-duplicated, the first batch's description winning.
        Batches without observations are skipped (unless all are empty)."""
        batches = [b for b in batches if len(b.obs)] or batches[:1]
        obs = pd.concat([b.obs for b in batches], ignore_index=True)
        meta = pd.concat([b.meta for b in batches], ignore_index=True).drop_duplicates("series_id")
        return SeriesBatch(obs[OBS_COLUMNS], meta[META_COLUMNS].reset_index(drop=True))


def describe_series_id(series_id: str) -> dict:
    """Metadata decoded from the structure of a BLS series id (JOLTS, CES, CPS `LN`, QCEW `EN`).

    Industry names are left empty: they come from the series files where a source has them.
    Raises `ValueError` for an id whose survey prefix is unknown.
    """
    sid = series_id.strip()
    meta = dict.fromkeys(META_COLUMNS, "")
    meta["series_id"] = sid
    prefix = sid[:2]
    if prefix == "JT" and len(sid) == 21:
        element, rl = sid[18:20], sid[20]
        state = sid[9:11]
        meta.update(
            survey="JOLTS",
            measure=JOLTS_MEASURES.get(element, element.lower()),
            industry_code=sid[3:9],
            ratelevel="level" if rl == "L" else "rate",
            seasonal="SA" if sid[2] == "S" else "NSA",
            unit="thousands" if rl == "L" else ("ratio" if element == "UO" else "percent"),
            area="US" if state == "00" else JOLTS_REGIONS.get(state, STATE_FIPS.get(state, state)),
        )
    elif prefix == "CE" and len(sid) == 13:
        measure, unit = CES_MEASURES.get(sid[11:13], (f"ces_datatype_{sid[11:13]}", ""))
        meta.update(
            survey="CES",
            measure=measure,
            industry_code=sid[3:11],
            ratelevel="level",
            seasonal="SA" if sid[2] == "S" else "NSA",
            unit=unit,
            area="US",
        )
    elif prefix == "LN" and len(sid) == 11:
        measure, unit = CPS_MEASURES.get(sid[4], (f"cps_{sid[3:5]}", ""))
        meta.update(
            survey="CPS",
            measure=measure,
            industry_code=sid[5:],
            ratelevel="rate" if sid[4] == "4" else "level",
            seasonal="SA" if sid[2] == "S" else "NSA",
            unit=unit,
            area="US",
        )
    elif prefix == "EN" and len(sid) >= 12:
        area = sid[3:8]
        meta.update(
            survey="QCEW",
            measure="employment",
            industry_code=sid[11:],
            ratelevel="level",
            seasonal="SA" if sid[2] == "S" else "NSA",
            unit="persons",
            area="US" if area == "US000" else STATE_FIPS.get(area[:2], area),
        )
    else:
        raise ValueError(f"not a JOLTS, CES, CPS or QCEW series id: {series_id!r}")
    return meta


def meta_from_ids(series_ids, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Metadata rows decoded from series ids; `names` maps series id -> industry name."""
    rows = [describe_series_id(s) for s in pd.unique(pd.Series(list(series_ids), dtype=str))]
    meta = pd.DataFrame(rows, columns=META_COLUMNS)
    if names:
        meta["industry_name"] = meta["series_id"].map(names).fillna("")
    return meta


def observations(frame: pd.DataFrame, vintage: str, source_file: str) -> pd.DataFrame:
    """Typed observations from a frame with `series_id, date, value`; rows without a value dropped."""
    out = pd.DataFrame(
        {
            "series_id": frame["series_id"].astype(str).str.strip(),
            "date": pd.to_datetime(frame["date"]).dt.to_period("M").dt.to_timestamp(),
            "value": pd.to_numeric(frame["value"], errors="coerce").astype(float),
        }
    )
    out = out.dropna(subset=["value"])
    out["vintage"] = vintage
    out["source_file"] = source_file
    return out.reset_index(drop=True)


def read_csv_checked(path: Path, **kwargs) -> pd.DataFrame:
    """`pd.read_csv` that names the file in the error when it is missing, empty or unreadable."""
    if not path.is_file():
        raise SourceError(path, "file not found")
    try:
        frame = pd.read_csv(path, **kwargs)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise SourceError(path, f"cannot be read as CSV ({exc})") from exc
    if frame.empty:
        raise SourceError(path, "no rows")
    return frame


def require_columns(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """`SourceError` naming the file and every required column it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SourceError(path, f"missing required columns {missing}; found {list(frame.columns)}")


def read_long_csv(path: Path, raw_root: Path, vintage: str) -> pd.DataFrame:
    """A staged long CSV (`series_id, date, value`) as observations."""
    frame = read_csv_checked(path, dtype={"series_id": str})
    require_columns(frame, ["series_id", "date", "value"], path)
    return observations(frame, vintage, _relative(path, raw_root))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return Path(path).name


# --- official formats: BLS Public Data API v2 and flat files -------------------------------------


def period_date(year, period: pd.Series) -> pd.Series:
    """`M01`..`M12` -> first of month; anything else (M13 annual average, Q, A, S) -> NaT."""
    month = pd.to_numeric(period.str.extract(r"^M(0[1-9]|1[0-2])$", expand=False), errors="coerce")
    year = pd.to_numeric(year, errors="coerce")
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}), errors="coerce")


def read_api_json(source: Path | str, vintage: str) -> SeriesBatch:
    """A BLS Public Data API v2 response (`/publicAPI/v2/timeseries/data/`) saved as JSON.

    Monthly values only: M13 annual averages are dropped, and so are values BLS marks "-"
    (not available). A response whose status is not REQUEST_SUCCEEDED, or that has no series,
    raises `SourceError` quoting BLS's messages.
    """
    path = Path(source)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(path, f"not a BLS API JSON response ({exc})") from exc
    if not isinstance(payload, dict) or "status" not in payload:
        raise SourceError(path, "not a BLS API JSON response (no 'status' field)")
    messages = "; ".join(str(m) for m in payload.get("message") or [])
    if payload["status"] != "REQUEST_SUCCEEDED":
        raise SourceError(path, f"BLS API request failed with status {payload['status']}: {messages or 'no message'}")
    series = (payload.get("Results") or {}).get("series") or []
    if not series:
        raise SourceError(path, f"BLS API response holds no series{': ' + messages if messages else ''}")
    rows = []
    for item in series:
        if "seriesID" not in item or not isinstance(item.get("data"), list):
            raise SourceError(path, "a series entry lacks 'seriesID' or 'data'")
        for point in item["data"]:
            rows.append((item["seriesID"], point.get("year"), point.get("period", ""), point.get("value")))
    frame = pd.DataFrame(rows, columns=["series_id", "year", "period", "value"])
    frame["date"] = period_date(frame["year"], frame["period"].astype(str))
    frame["value"] = pd.to_numeric(frame["value"].astype(str).str.replace(",", ""), errors="coerce")
    frame = frame.dropna(subset=["date"])
    obs = observations(frame, vintage, path.name).sort_values(["series_id", "date"], ignore_index=True)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"]))


def read_flat_data(path: Path, vintage: str) -> pd.DataFrame:
    """A BLS flat data file (`jt.data.1.AllItems`, `ce.data.0.AllCESSeries`, `ln.data.1.AllData`…).

    Tab-separated, padded columns `series_id year period value footnote_codes`. Monthly
    observations only (M13 annual averages dropped); "-" values dropped. Returns observations.
    """
    frame = read_csv_checked(Path(path), sep="\t", dtype=str)
    frame.columns = [c.strip() for c in frame.columns]
    require_columns(frame, ["series_id", "year", "period", "value"], Path(path))
    frame = frame.apply(lambda col: col.str.strip())
    frame["date"] = period_date(frame["year"], frame["period"])
    frame = frame.dropna(subset=["date"])
    return observations(frame, vintage, Path(path).name)


def read_flat_series(path: Path, required: tuple[str, ...] = ("series_id",)) -> pd.DataFrame:
    """A tab-separated BLS flat mapping file (`jt.series`, `jt.industry`, `ce.series`…), stripped,
    that must carry the `required` columns."""
    frame = read_csv_checked(Path(path), sep="\t", dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    require_columns(frame, list(required), Path(path))
    return frame.apply(lambda col: col.str.strip())


def read_flat_files(data_path: Path, series_path: Path, vintage: str, industry_path: Path | None = None) -> SeriesBatch:
    """A flat data file with its series file (and, optionally, the survey's industry file,
    e.g. `jt.industry` with `industry_code, industry_text`) as a `SeriesBatch`.

    Every series in the data file must be described in the series file."""
    obs = read_flat_data(data_path, vintage)
    series = read_flat_series(series_path)
    unknown = sorted(set(obs["series_id"]) - set(series["series_id"]))
    if unknown:
        raise SourceError(
            data_path, f"{len(unknown)} series not described in {Path(series_path).name}, e.g. {unknown[0]}"
        )
    names: dict[str, str] = {}
    if industry_path is not None and "industry_code" in series.columns:
        industries = read_flat_series(industry_path, ("industry_code", "industry_text"))
        by_code = dict(zip(industries["industry_code"], industries["industry_text"]))
        names = {s: by_code.get(c, "") for s, c in zip(series["series_id"], series["industry_code"])}
    elif "series_title" in series.columns:
        names = dict(zip(series["series_id"], series["series_title"]))
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


# --- staged files in raw/bls_jolts, bls_ces, bls_cps -----------------------------------------------

JOLTS_2022 = "bls_jolts/jolts_national_industry_monthly_2000-12_2022-08.csv"
JOLTS_2022_META = "bls_jolts/jolts_national_series_metadata_vintage2022-08.csv"
CES_2022 = "bls_ces/ces_sa_allemployees_monthly_1990-01_2022-07.csv"
CES_2022_META = "bls_ces/ces_sa_allemployees_series_metadata_vintage2022-07.csv"
CES_SUPERSECTORS_2023 = "bls_ces/ces_sa_allemployees_supersectors_monthly_1939-01_2023-12.csv"
CES_2025 = "bls_ces/ces_sa_allemployees_ahe_monthly_2023-01_2025-07.csv"
CES_2025_META = "bls_ces/ces_sa_allemployees_ahe_series_metadata_vintage2025-07.csv"
CES_NSA_2019 = "bls_ces/US_employment_fpp3_Monthly.txt"
CPS_2023 = "bls_cps/cps_unemployment_by_industry_occupation_monthly_2000-01_2023-11.csv"
CPS_LABELS = "bls_cps/cps_series_labels.csv"


def load_jolts_2022(raw: Path) -> SeriesBatch:
    """National JOLTS, 28 industries, SA and NSA levels and rates, 2000-12..2022-08 (Oct-2022 release)."""
    obs = read_long_csv(raw / JOLTS_2022, raw, vintage="2022-10")
    meta_file = read_csv_checked(raw / JOLTS_2022_META, dtype=str)
    require_columns(meta_file, ["series_id", "industry_text"], raw / JOLTS_2022_META)
    names = dict(zip(meta_file["series_id"], meta_file["industry_text"]))
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


def load_ces_sa(raw: Path) -> SeriesBatch:
    """CES SA all employees (thousands) and average hourly earnings (USD/hour), three vintages:
    866 series 1990-01..2022-07 (Aug-2022 release), 16 supersectors 1939-01..2023-12 (Jan-2024),
    1,391 series 2023-01..2025-07 (Aug-2025)."""
    names: dict[str, str] = {}
    for meta_path, _column in ((CES_2025_META, "industry_name"), (CES_2022_META, "supersector_name")):
        frame = read_csv_checked(raw / meta_path, dtype=str)
        require_columns(frame, ["series_id", "series_title"], raw / meta_path)
        for sid, title in zip(frame["series_id"], frame["series_title"]):
            names.setdefault(sid, _ces_industry_from_title(title))
    supers = read_csv_checked(raw / CES_SUPERSECTORS_2023, dtype={"series_id": str})
    require_columns(supers, ["series_id", "industry_name", "date", "value"], raw / CES_SUPERSECTORS_2023)
    for sid, name in zip(supers["series_id"], supers["industry_name"]):
        names.setdefault(sid, name)
    obs = pd.concat(
        [
            read_long_csv(raw / CES_2022, raw, vintage="2022-08"),
            observations(supers, "2024-01", CES_SUPERSECTORS_2023),
            read_long_csv(raw / CES_2025, raw, vintage="2025-08"),
        ],
        ignore_index=True,
    )
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


def _ces_industry_from_title(title: str) -> str:
    """'All employees, thousands, food manufacturing, seasonally adjusted' -> 'food manufacturing'."""
    parts = [p.strip() for p in str(title).split(",")]
    body = [p for p in parts[1:] if p not in ("thousands", "seasonally adjusted", "not seasonally adjusted")]
    return ", ".join(body)


def load_ces_nsa(raw: Path) -> SeriesBatch:
    """CES NSA all employees (thousands), 148 series, 1939-01..2019-09, FRED vintage of 2019-10-04.

    Columns are `<ID>_20191004`; FRED's PAYNSA and TEMPHELPN take their BLS ids (CEU0000000001,
    CEU6056132001) as FRED's notes give them.
    """
    path = raw / CES_NSA_2019
    wide = read_csv_checked(path, sep="\t")
    require_columns(wide, ["observation_date"], path)
    ids = {c: FRED_ALIASES.get(c.split("_")[0], c.split("_")[0]) for c in wide.columns if c != "observation_date"}
    long = wide.melt(id_vars="observation_date", value_vars=list(ids), var_name="column", value_name="value")
    long["series_id"] = long["column"].map(ids)
    long = long.rename(columns={"observation_date": "date"})
    obs = observations(long, "2019-10", CES_NSA_2019)
    return SeriesBatch(obs, meta_from_ids(obs["series_id"]))


def load_cps_2023(raw: Path) -> SeriesBatch:
    """CPS NSA unemployment rates (%) and unemployed (thousands) by industry of last job and by
    occupation, 2000-01..2023-11 (FRED vintage of Dec-2023); FRED's UNRATE/UNRATENSA renamed to
    the BLS ids LNS14000000/LNU04000000."""
    path = raw / CPS_2023
    wide = read_csv_checked(path)
    require_columns(wide, ["date"], path)
    long = wide.melt(id_vars="date", var_name="series_id", value_name="value")
    long["series_id"] = long["series_id"].replace(FRED_ALIASES)
    obs = observations(long, "2023-12", CPS_2023)
    labels = read_csv_checked(raw / CPS_LABELS, dtype=str)
    require_columns(labels, ["series_id", "title"], raw / CPS_LABELS)
    names = {FRED_ALIASES.get(s, s): t for s, t in zip(labels["series_id"], labels["title"])}
    return SeriesBatch(obs, meta_from_ids(obs["series_id"], names))


def load_staged(raw: Path) -> SeriesBatch:
    """Every staged file in `bls_jolts/`, `bls_ces/` and `bls_cps/`."""
    raw = Path(raw)
    return SeriesBatch.concat([load_jolts_2022(raw), load_ces_sa(raw), load_ces_nsa(raw), load_cps_2023(raw)])


UPDATES_DIR = "bls_updates"


def load_updates(raw: Path) -> tuple[SeriesBatch, list[str]]:
    """Newer official BLS files a user dropped into `raw/bls_updates/`: API v2 responses (`*.json`)
    and flat files (`<survey>.data.*` with `<survey>.series` and, optionally, `<survey>.industry`
    beside them). Their vintage is the month after their last observation (BLS files do not state
    their release). Returns the batch (no rows when the folder is absent) and the files read,
    relative to `raw`."""
    folder = Path(raw) / UPDATES_DIR
    batches, read = [], []
    for path in sorted(folder.glob("*.json")):
        batches.append(read_api_json(path, vintage=""))
        read.append(path)
    for path in sorted(folder.glob("*.data.*")):
        prefix = path.name.split(".data.")[0]
        series_path, industry_path = folder / f"{prefix}.series", folder / f"{prefix}.industry"
        industry = industry_path if industry_path.is_file() else None
        batches.append(read_flat_files(path, series_path, vintage="", industry_path=industry))
        read += [path, series_path] + ([industry] if industry else [])
    empty = SeriesBatch(pd.DataFrame(columns=OBS_COLUMNS), pd.DataFrame(columns=META_COLUMNS))
    for batch in batches:
        if len(batch.obs):
            batch.obs["vintage"] = (batch.obs["date"].max() + pd.offsets.MonthBegin(1)).strftime("%Y-%m")
            batch.obs["source_file"] = f"{UPDATES_DIR}/" + batch.obs["source_file"]
    return SeriesBatch.concat([empty, *batches]), [p.relative_to(raw).as_posix() for p in read]


STAGED_FILES = [
    JOLTS_2022,
    JOLTS_2022_META,
    CES_2022,
    CES_2022_META,
    CES_SUPERSECTORS_2023,
    CES_2025,
    CES_2025_META,
    CES_NSA_2019,
    CPS_2023,
    CPS_LABELS,
]
