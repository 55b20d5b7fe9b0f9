"""The monthly sector panel: BLS series spliced across vintages, and H-2 certified worker-months.

- `splice(obs)`: one value per series and month, the latest vintage winning where vintages overlap,
  plus a table of splice points with the level shift measured in each overlap.
- `series_meta(meta, series, sector_series)`: `bls_series_meta` (first/last month per series).
- `worker_months(cases)`: each certification spread over its months of need, pro rata by days.
- `h2_coverage(cases)`: per visa class and fiscal year, whether a complete disclosure file exists.
- `build_panel(...)`, `build_panel_state(...)`: the long `panel` and `panel_state` tables.
- `series_catalogue(panel, series, as_of)`: one row per panel series with its first and last month,
  vintage, source, proxy and whether it is stale.

Unknown stays unknown: a month without data has no value (NaN), never 0. H-2 worker-months are NaN in
months whose certifications are not all in complete disclosure files (`h2_coverage`); a month with
certainty of no certification is 0. Nothing is interpolated: a gap longer than `MAX_GAP_MONTHS` restarts
a series (`restart_month`).

Columns of every table are listed in `docs/ARCHITECTURE.md` and in the docstrings below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from labormatch.errors import SourceError
from labormatch.fiscal import fiscal_year_of, fiscal_years, month_number, months_between
from labormatch.sources.bls import OBS_COLUMNS
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES
from labormatch.sources.recent import jolts_id

SECTOR_SERIES_COLUMNS = ["sector", "survey", "code", "proxy", "fallback_code", "fallback_name", "note"]
OPTIONAL_SECTOR_SERIES_COLUMNS = ["proxy", "fallback_code", "fallback_name"]  # empty when absent
PANEL_COLUMNS = ["sector", "month", "series", "value", "unit", "seasonal", "source", "proxy_of"]
CATALOGUE_COLUMNS = [
    "sector",
    "series",
    "seasonal",
    "unit",
    "first_month",
    "last_month",
    "restart_month",
    "months",
    "missing_months",
    "vintage",
    "source",
    "source_file",
    "proxy_of",
    "stale",
]
COVERAGE_COLUMNS = ["visa_class", "fiscal_year", "disclosure", "source_file"]
MAX_GAP_MONTHS = 3  # a longer run of months without data is never bridged: the series restarts after it
STALE_MONTHS = 12  # a series whose last month is more than this many months before the as-of month is stale
MIN_RUN_MONTHS = 24  # months since a restart a series needs to stand for its sector (two seasonal cycles)
PANEL_STATE_COLUMNS = ["visa_class", "sector", "worksite_state", "month", "certified_worker_months"]
SPLICE_COLUMNS = [
    "series_id",
    "vintage_from",
    "vintage_to",
    "splice_month",
    "overlap_months",
    "level_ratio",
    "mean_difference",
]
JOLTS_PANEL = {"JO": "openings", "HI": "hires", "QU": "quits", "LD": "layoffs"}
RATE_SERIES = {"openings", "hires", "quits"}  # JOLTS rates the panel carries (percent)
MAX_NEED_DAYS = 400  # a certification spanning more is a date error (H-2 need is at most about one year)
VISA_SERIES = {"H-2A": "h2a_certified_worker_months", "H-2B": "h2b_certified_worker_months"}


# --- splicing ---------------------------------------------------------------------------------------


def splice(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Splice every series across vintages: for each series and month the value of the latest vintage
    (ties go to the source loaded later). Returns `(series, splices)`.

    `series`: `OBS_COLUMNS`, one row per series and month. `splices`: one row per series and newer
    vintage (`SPLICE_COLUMNS`): `splice_month` is the first month the newer vintage supplies,
    `overlap_months` the months both had, `level_ratio` = sum(newer) / sum(older) over the overlap and
    `mean_difference` = mean(newer - older), both missing without overlap.
    """
    frame = obs[OBS_COLUMNS].reset_index(drop=True)
    frame["order"] = np.arange(len(frame))
    frame = frame.sort_values(["series_id", "date", "vintage", "order"], kind="stable")
    keys = [frame["series_id"], frame["date"]]
    frame["older_value"] = frame.groupby(keys)["value"].shift(1)
    frame["older_vintage"] = frame.groupby(keys)["vintage"].shift(1)
    series = frame.drop_duplicates(["series_id", "date"], keep="last")[OBS_COLUMNS].reset_index(drop=True)

    vintages = frame.groupby("series_id")["vintage"].nunique()
    multi = frame[frame["series_id"].isin(vintages.index[vintages > 1])]
    first_vintage = multi.groupby("series_id")["vintage"].transform("min")
    newer = multi[multi["vintage"] != first_vintage].copy()
    overlap = newer.dropna(subset=["older_value"]).copy()
    overlap = overlap[overlap["older_vintage"] != overlap["vintage"]]
    overlap["difference"] = overlap["value"] - overlap["older_value"]
    group = ["series_id", "vintage"]
    stats = overlap.groupby(group).agg(
        vintage_from=("older_vintage", "last"),
        overlap_months=("value", "size"),
        new_sum=("value", "sum"),
        old_sum=("older_value", "sum"),
        mean_difference=("difference", "mean"),
    )
    starts = newer.groupby(group).agg(splice_month=("date", "min"))
    table = starts.join(stats, how="left").reset_index()
    all_vintages = multi.groupby("series_id")["vintage"].unique().map(sorted)
    previous = {(s, v): vs[vs.index(v) - 1] for s, vs in all_vintages.items() for v in vs[1:]}
    table["vintage_from"] = table["vintage_from"].fillna(
        pd.Series(
            [previous[(s, v)] for s, v in zip(table["series_id"], table["vintage"], strict=False)], index=table.index
        )
    )
    table["overlap_months"] = table["overlap_months"].fillna(0).astype(int)
    table["level_ratio"] = (table["new_sum"] / table["old_sum"].where(table["old_sum"] != 0)).round(6)
    table["mean_difference"] = table["mean_difference"].round(6)
    table = table.rename(columns={"vintage": "vintage_to"})
    return series, table[SPLICE_COLUMNS].sort_values(["series_id", "vintage_to"], ignore_index=True)


# --- sector mapping ---------------------------------------------------------------------------------


def load_sector_series(path: Path, sectors: list[str] | None = None) -> pd.DataFrame:
    """`data/sector_series.csv`: which BLS series feed which sector (`SECTOR_SERIES_COLUMNS`).

    `code` is a JOLTS industry code (6 digits), a CES industry code (8 digits), a CPS series id, or
    QCEW NAICS codes joined by ';' (summed). `proxy` names what `code` measures when it is not the
    sector itself (e.g. nondurable goods manufacturing for food manufacturing); empty otherwise.
    `fallback_code` (same survey, JOLTS only) is the supersector whose series stands in, measure by
    measure, where the sector's own series is stale or too short since its last long gap
    (`build_panel`); `fallback_name` is how it is labelled. Unknown sectors (when `sectors` is given)
    are refused."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "sector-to-series table not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in OPTIONAL_SECTOR_SERIES_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    missing = [c for c in SECTOR_SERIES_COLUMNS if c not in table.columns]
    if missing:
        raise SourceError(path, f"missing required columns {missing}")
    bad_survey = sorted(set(table["survey"]) - {"JOLTS", "CES", "CPS", "QCEW"})
    if bad_survey:
        raise SourceError(path, f"column 'survey': unknown values {bad_survey}")
    if sectors is not None:
        unknown = sorted(set(table["sector"]) - set(sectors))
        if unknown:
            raise SourceError(path, f"column 'sector': not analysis sectors: {unknown}")
    bad_fallback = table[
        (table["fallback_code"] != "") & ((table["survey"] != "JOLTS") | (table["fallback_name"] == ""))
    ]
    if len(bad_fallback):
        raise SourceError(
            path,
            f"column 'fallback_code': only JOLTS rows may have one, with a 'fallback_name' "
            f"(row of sector {bad_fallback['sector'].iloc[0]!r})",
        )
    return table[SECTOR_SERIES_COLUMNS]


def panel_series_ids(sector_series: pd.DataFrame, fallbacks: bool = False) -> pd.DataFrame:
    """Every BLS series the panel uses: `sector, series, series_id, seasonal, unit, proxy_of, role` (QCEW rows
    carry one id per NAICS code; they are summed into one employment series). `proxy_of` is the row's `proxy`
    label; `role` is "own". With `fallbacks`, the supersector candidates of `fallback_code` follow with
    `role` "fallback" and `proxy_of` = their `fallback_name`."""
    rows = []
    table = sector_series.copy()
    for column in OPTIONAL_SECTOR_SERIES_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    candidates = [table[["sector", "survey", "code", "proxy"]].assign(role="own")]
    if fallbacks:
        extra = table[table["fallback_code"] != ""]
        candidates.append(
            pd.DataFrame(
                {
                    "sector": extra["sector"],
                    "survey": extra["survey"],
                    "code": extra["fallback_code"],
                    "proxy": extra["fallback_name"],
                    "role": "fallback",
                }
            )
        )
    for sector, survey, code, proxy, role in pd.concat(candidates).itertuples(index=False):
        if survey == "JOLTS":
            for element, name in JOLTS_PANEL.items():
                for seasonal in ("SA", "NSA"):
                    rows.append(
                        (sector, name, jolts_id(seasonal, code, element, "L"), seasonal, "thousands", proxy, role)
                    )
                    if name in RATE_SERIES:
                        rows.append(
                            (
                                sector,
                                f"{name}_rate",
                                jolts_id(seasonal, code, element, "R"),
                                seasonal,
                                "percent",
                                proxy,
                                role,
                            )
                        )
        elif survey == "CES":
            rows += [
                (sector, "employment", f"CES{code}01", "SA", "thousands", proxy, role),
                (sector, "employment", f"CEU{code}01", "NSA", "thousands", proxy, role),
                (sector, "avg_hourly_earnings", f"CES{code}03", "SA", "USD per hour", proxy, role),
            ]
        elif survey == "CPS":
            rows.append(
                (sector, "unemployment_rate", code, "SA" if code.startswith("LNS") else "NSA", "percent", proxy, role)
            )
        else:
            rows += [
                (sector, "employment", f"ENUUS000105{naics}", "NSA", "thousands", proxy, role)
                for naics in code.split(";")
            ]
    return pd.DataFrame(rows, columns=["sector", "series", "series_id", "seasonal", "unit", "proxy_of", "role"])


def series_meta(meta: pd.DataFrame, series: pd.DataFrame, sector_series: pd.DataFrame) -> pd.DataFrame:
    """`bls_series_meta`: the loaders' metadata for every spliced series plus `sector` (';' between
    several; empty when no sector uses it), `first_month`, `last_month`, `months` (with a value),
    `missing_months` (gaps between first and last), `contiguous_since` (first month of the unbroken run
    that ends at `last_month`: transcribed release tables add isolated recent points) and `last_vintage`."""
    ordered = series.sort_values(["series_id", "date"])
    month = month_number(ordered["date"].dt.year, ordered["date"].dt.month)
    run = (month.groupby(ordered["series_id"]).diff() != 1).groupby(ordered["series_id"]).cumsum()
    last_run = run == run.groupby(ordered["series_id"]).transform("max")
    span = ordered.groupby("series_id").agg(
        first_month=("date", "min"),
        last_month=("date", "max"),
        months=("date", "size"),
        last_vintage=("vintage", "max"),
    )
    span["contiguous_since"] = ordered[last_run].groupby("series_id")["date"].min()
    span["missing_months"] = (
        month_number(span["last_month"].dt.year, span["last_month"].dt.month)
        - month_number(span["first_month"].dt.year, span["first_month"].dt.month)
        + 1
        - span["months"]
    )
    used = panel_series_ids(sector_series, fallbacks=True).drop_duplicates(["sector", "series_id"])
    sectors = used.groupby("series_id")["sector"].agg(";".join)
    out = meta.drop_duplicates("series_id").set_index("series_id").join(span, how="inner")
    out["sector"] = sectors.reindex(out.index).fillna("")
    return out.reset_index()


# --- H-2 worker-months --------------------------------------------------------------------------


def worker_months(cases: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Spread each certification's workers over its months of need (need_start..need_end, both days
    included): in each calendar month, workers x days of need in the month / days in the month.

    Uses certified and partially certified cases with workers_certified > 0. Returns
    `(rows, report)`: rows `case_id, visa_class, sector, worksite_state, month, worker_months` and a
    report counting cases left out because dates are missing, reversed or span over MAX_NEED_DAYS.
    """
    use = cases[cases["status"].isin(CERTIFIED_STATUSES) & (cases["workers_certified"].fillna(0) > 0)]
    start = pd.to_datetime(use["need_start"]).to_numpy("datetime64[D]")
    end = pd.to_datetime(use["need_end"]).to_numpy("datetime64[D]")
    missing = np.isnat(start) | np.isnat(end)
    reversed_ = ~missing & (end < start)
    too_long = ~missing & ~reversed_ & ((end - start).astype("int64") + 1 > MAX_NEED_DAYS)
    ok = ~(missing | reversed_ | too_long)
    report = {
        "cases_certified": len(use),
        "cases_spread": int(ok.sum()),
        "cases_missing_need_dates": int(missing.sum()),
        "cases_need_end_before_start": int(reversed_.sum()),
        f"cases_need_over_{MAX_NEED_DAYS}_days": int(too_long.sum()),
        "workers_not_spread": float(use.loc[~ok, "workers_certified"].astype(float).sum()),
    }
    use, start, end = use[ok], start[ok], end[ok]
    first_month = start.astype("datetime64[M]")
    n_months = (end.astype("datetime64[M]") - first_month).astype("int64") + 1
    index = np.repeat(np.arange(len(use)), n_months)
    offset = np.arange(len(index)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = first_month[index] + offset.astype("timedelta64[M]")
    month_start = month.astype("datetime64[D]")
    next_start = (month + np.timedelta64(1, "M")).astype("datetime64[D]")
    days = np.minimum(end[index] + np.timedelta64(1, "D"), next_start) - np.maximum(start[index], month_start)
    share = days.astype("int64") / (next_start - month_start).astype("int64")
    workers = use["workers_certified"].astype(float).to_numpy()[index]
    rows = pd.DataFrame(
        {
            "case_id": use["case_id"].to_numpy()[index],
            "visa_class": use["visa_class"].to_numpy()[index],
            "sector": use["sector"].to_numpy()[index] if "sector" in use else None,
            "worksite_state": use["worksite_state"].to_numpy()[index],
            "month": month.astype("datetime64[ns]"),
            "worker_months": workers * share,
        }
    )
    report["worker_months"] = float(rows["worker_months"].sum())
    return rows, report


# --- panel tables ----------------------------------------------------------------------------------


def restart_month(months: pd.Series) -> pd.Timestamp:
    """First month of the run after the last gap longer than `MAX_GAP_MONTHS` among observed `months`
    (the first month when there is no such gap); NaT when there is no month."""
    ordered = pd.Series(pd.to_datetime(months)).dropna().sort_values().reset_index(drop=True)
    if ordered.empty:
        return pd.NaT
    number = month_number(ordered.dt.year, ordered.dt.month)
    long_gap = (number.diff() - 1) > MAX_GAP_MONTHS
    return ordered[long_gap].iloc[-1] if long_gap.any() else ordered.iloc[0]


def is_usable(months: pd.Series, as_of: pd.Timestamp | None) -> bool:
    """Whether observed `months` can stand for a sector: not stale against `as_of` (None: no test) and
    at least `MIN_RUN_MONTHS` observed since the series' restart."""
    months = pd.Series(pd.to_datetime(months)).dropna()
    if months.empty:
        return False
    if as_of is not None and months_between(months.max(), pd.Timestamp(as_of)) > STALE_MONTHS:
        return False
    return int((months >= restart_month(months)).sum()) >= MIN_RUN_MONTHS


def _with_fallbacks(values: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per sector, series and seasonal version, the sector's own values, or the supersector's (`proxy`
    rows) where the own series is not usable (stale or too short since its last long gap) and the
    supersector's is."""
    keys = ["sector", "series", "seasonal"]
    fallback = values["role"] == "fallback"
    if not fallback.any():
        return values
    own_ok = values[~fallback].groupby(keys)["date"].agg(lambda m: is_usable(m, as_of))
    other_ok = values[fallback].groupby(keys)["date"].agg(lambda m: is_usable(m, as_of))
    swap = other_ok[other_ok & ~own_ok.reindex(other_ok.index, fill_value=False)].index
    swapped = pd.MultiIndex.from_frame(values[keys]).isin(swap)
    return values[(~fallback & ~swapped) | (fallback & swapped)]


def build_panel(
    series: pd.DataFrame,
    sector_series: pd.DataFrame,
    spread: pd.DataFrame | None,
    coverage: pd.DataFrame | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The long sector x month panel (`PANEL_COLUMNS`). `source` is the BLS series id (several joined
    by '+' where summed) or "OFLC disclosure" for worker-months; `proxy_of` names what a series measures
    when it is not the sector itself (empty otherwise). QCEW persons become thousands.

    A sector's JOLTS measure comes from its `fallback_code` supersector where its own series is stale
    against `as_of` or shorter than `MIN_RUN_MONTHS` since its last long gap (`_with_fallbacks`).
    H-2 worker-months run monthly from a sector's first to its last month with certifications: 0 in a
    known month without any, NaN in months `coverage` (`h2_coverage`) leaves unknown (none: all known).
    """
    wanted = panel_series_ids(sector_series, fallbacks=True)
    values = wanted.merge(series[["series_id", "date", "value"]], on="series_id", how="inner")
    values = _with_fallbacks(values, as_of)
    qcew = values["series_id"].str.startswith("EN")
    values.loc[qcew, "value"] = values.loc[qcew, "value"] / 1000.0
    keys = ["sector", "series", "seasonal", "unit", "proxy_of", "date"]
    summed = (
        values[qcew]
        .groupby(keys, as_index=False)
        .agg(
            value=("value", "sum"), source=("series_id", lambda ids: "+".join(sorted(ids))), parts=("series_id", "size")
        )
    )
    expected_parts = wanted[wanted["series_id"].str.startswith("EN")].groupby("sector").size()
    summed = summed[summed["parts"] == summed["sector"].map(expected_parts)].drop(columns="parts")
    bls = pd.concat([values[~qcew].rename(columns={"series_id": "source"}), summed], ignore_index=True)
    bls = bls.rename(columns={"date": "month"})
    parts = [bls[PANEL_COLUMNS]]
    if spread is not None and len(spread):
        parts.append(_h2_rows(spread, coverage))
    panel = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    panel["proxy_of"] = panel["proxy_of"].fillna("").astype(str)
    return panel.sort_values(["sector", "series", "seasonal", "month"], ignore_index=True)


def _h2_rows(spread: pd.DataFrame, coverage: pd.DataFrame | None) -> pd.DataFrame:
    """Panel rows of certified worker-months per sector and visa class on a full monthly index."""
    h2 = spread.dropna(subset=["sector"]).groupby(["sector", "visa_class", "month"])["worker_months"].sum()
    frames = []
    for (sector, visa_class), group in h2.groupby(level=["sector", "visa_class"]):
        monthly = group.droplevel(["sector", "visa_class"])
        months = pd.date_range(monthly.index.min(), monthly.index.max(), freq="MS")
        value = monthly.reindex(months, fill_value=0.0)
        if coverage is not None:
            value = value.where(known_h2_months(months, coverage, visa_class))
        frames.append(
            pd.DataFrame(
                {
                    "sector": sector,
                    "month": months,
                    "series": VISA_SERIES[visa_class],
                    "value": value.to_numpy(),
                    "unit": "worker-months",
                    "seasonal": "NSA",
                    "source": "OFLC disclosure",
                    "proxy_of": "",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[PANEL_COLUMNS]


def h2_coverage(cases: pd.DataFrame) -> pd.DataFrame:
    """Per visa class and fiscal year from its first to its last disclosure file (`COVERAGE_COLUMNS`):
    `disclosure` is "complete" (a full-year file), "partial" (only files of part of the year, e.g. FY2021 Q1)
    or "none" (no case file; some such years have only addenda, which list no cases); `source_file` the
    files read (';' between several)."""
    rows = []
    for visa_class, group in cases.groupby("visa_class", observed=True):
        years = group.groupby("fiscal_year", observed=True).agg(
            partial=("partial_year", "any"), files=("source_file", lambda f: ";".join(sorted(set(map(str, f)))))
        )
        for year in range(int(years.index.min()), int(years.index.max()) + 1):
            if year in years.index:
                status = "partial" if bool(years.loc[year, "partial"]) else "complete"
                rows.append((str(visa_class), year, status, years.loc[year, "files"]))
            else:
                rows.append((str(visa_class), year, "none", ""))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def known_h2_months(months: pd.DatetimeIndex, coverage: pd.DataFrame, visa_class: str) -> np.ndarray:
    """Whether each month's worker-months are fully known: a month of fiscal year k holds certifications
    decided in years k-1 and k, so both must have a complete disclosure file (the rule `demand` uses)."""
    complete = set(
        coverage.loc[
            (coverage["visa_class"] == visa_class) & (coverage["disclosure"] == "complete"), "fiscal_year"
        ].astype(int)
    )
    years = fiscal_years(months)
    return np.isin(years, list(complete)) & np.isin(years - 1, list(complete))


def missing_fiscal_years(
    coverage: pd.DataFrame, visa_class: str, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> str:
    """Readable list of a visa class's fiscal years without a complete file, e.g.
    "no disclosure file for FY2019–FY2020; partial files only for FY2018, FY2021–FY2022". With `start` and
    `end` (months), only the years that leave those months unknown: their fiscal years and the ones before,
    years outside `coverage` counting as without a file."""
    rows = coverage[coverage["visa_class"] == visa_class]
    if start is not None and end is not None:
        years = range(fiscal_year_of(start) - 1, fiscal_year_of(end) + 1)
        status = dict(zip(rows["fiscal_year"].astype(int), rows["disclosure"], strict=False))
        rows = pd.DataFrame({"fiscal_year": list(years), "disclosure": [status.get(y, "none") for y in years]})
    parts = []
    for status, text in (("none", "no disclosure file for"), ("partial", "partial files only for")):
        years = sorted(int(y) for y in rows.loc[rows["disclosure"] == status, "fiscal_year"])
        if years:
            parts.append(f"{text} {_year_ranges(years)}")
    return "; ".join(parts)


def _year_ranges(years: list[int]) -> str:
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"FY{r[0]}" if len(r) == 1 else f"FY{r[0]}–FY{r[-1]}" for r in runs)


def series_catalogue(
    panel: pd.DataFrame, series: pd.DataFrame, as_of: pd.Timestamp, coverage: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per panel series (`CATALOGUE_COLUMNS`): `first_month`/`last_month` with a value,
    `restart_month` (first month after the last gap longer than `MAX_GAP_MONTHS`), `months` with a value,
    `missing_months` between first and last, `vintage` (latest release used; for H-2 the last fiscal year
    with a complete file), `source` (BLS ids or "OFLC disclosure"), `source_file` (raw files, ';' between),
    `proxy_of` and `stale` (last month more than `STALE_MONTHS` before `as_of`).

    `series` is the spliced BLS observations (`OBS_COLUMNS`) the panel was built from."""
    as_of = pd.Timestamp(as_of)
    keys = ["sector", "series", "seasonal"]
    known = panel.dropna(subset=["value"])
    ids = panel[[*keys, "source"]].drop_duplicates()
    ids = ids.assign(series_id=ids["source"].str.split("+")).explode("series_id")
    origin = ids.merge(series[["series_id", "vintage", "source_file"]], on="series_id", how="inner")
    vintage = origin.groupby(keys)["vintage"].max()
    files = origin.groupby(keys)["source_file"].agg(lambda f: ";".join(sorted(set(f))))
    rows = []
    for key, group in known.groupby(keys, observed=True):
        months = group["month"].sort_values()
        first, last = months.iloc[0], months.iloc[-1]
        row = dict(zip(keys, key, strict=False))
        row.update(
            unit=group["unit"].iloc[0],
            first_month=first,
            last_month=last,
            restart_month=restart_month(months),
            months=len(months),
            missing_months=months_between(first, last) + 1 - len(months),
            vintage=vintage.get(key, ""),
            source=" + ".join(sorted(set(group["source"]))),
            source_file=files.get(key, ""),
            proxy_of=group["proxy_of"].iloc[0],
            stale=months_between(last, as_of) > STALE_MONTHS,
        )
        if group["source"].iloc[0] == "OFLC disclosure" and coverage is not None:
            visa_class = next(v for v, name in VISA_SERIES.items() if name == key[1])
            complete = coverage[(coverage["visa_class"] == visa_class) & (coverage["disclosure"] == "complete")]
            row.update(
                vintage=f"FY{int(complete['fiscal_year'].max())}" if len(complete) else "",
                source_file="oflc/ ("
                + (missing_fiscal_years(coverage, visa_class) or "every fiscal year complete")
                + ")",
            )
        rows.append(row)
    out = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    out["stale"] = out["stale"].astype(bool)
    return out.sort_values(keys, ignore_index=True)


def build_panel_state(spread: pd.DataFrame) -> pd.DataFrame:
    """Certified worker-months by visa class, sector, worksite state and month (`PANEL_STATE_COLUMNS`);
    cases without a sector or a state are left out (their totals are in the worker-months report)."""
    rows = spread.dropna(subset=["sector", "worksite_state"])
    out = (
        rows.groupby(["visa_class", "sector", "worksite_state", "month"], as_index=False)["worker_months"]
        .sum()
        .rename(columns={"worker_months": "certified_worker_months"})
    )
    return out[PANEL_STATE_COLUMNS]
