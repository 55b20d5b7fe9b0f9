"""The monthly sector panel: BLS series spliced across vintages, and H-2 certified worker-months.

- `splice(obs)`: one value per series and month, the latest vintage winning where vintages overlap,
  plus a table of splice points with the level shift measured in each overlap.
- `series_meta(meta, series, sector_series)`: `bls_series_meta` (first/last month per series).
- `worker_months(cases)`: each certification spread over its months of need, pro rata by days.
- `build_panel(...)`, `build_panel_state(...)`: the long `panel` and `panel_state` tables.

Columns of every table are listed in `docs/ARCHITECTURE.md` and in the docstrings below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from labormatch.errors import SourceError
from labormatch.sources.bls import OBS_COLUMNS
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES
from labormatch.sources.recent import jolts_id

SECTOR_SERIES_COLUMNS = ["sector", "survey", "code", "note"]
PANEL_COLUMNS = ["sector", "month", "series", "value", "unit", "seasonal", "source"]
PANEL_STATE_COLUMNS = ["visa_class", "sector", "worksite_state", "month", "certified_worker_months"]
SPLICE_COLUMNS = ["series_id", "vintage_from", "vintage_to", "splice_month", "overlap_months", "level_ratio",
                  "mean_difference"]
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
        vintage_from=("older_vintage", "last"), overlap_months=("value", "size"), new_sum=("value", "sum"),
        old_sum=("older_value", "sum"), mean_difference=("difference", "mean"),
    )
    starts = newer.groupby(group).agg(splice_month=("date", "min"))
    table = starts.join(stats, how="left").reset_index()
    all_vintages = multi.groupby("series_id")["vintage"].unique().map(sorted)
    previous = {(s, v): vs[vs.index(v) - 1] for s, vs in all_vintages.items() for v in vs[1:]}
    table["vintage_from"] = table["vintage_from"].fillna(
        pd.Series([previous[(s, v)] for s, v in zip(table["series_id"], table["vintage"])], index=table.index))
    table["overlap_months"] = table["overlap_months"].fillna(0).astype(int)
    table["level_ratio"] = (table["new_sum"] / table["old_sum"].where(table["old_sum"] != 0)).round(6)
    table["mean_difference"] = table["mean_difference"].round(6)
    table = table.rename(columns={"vintage": "vintage_to"})
    return series, table[SPLICE_COLUMNS].sort_values(["series_id", "vintage_to"], ignore_index=True)


# --- sector mapping ---------------------------------------------------------------------------------


def load_sector_series(path: Path, sectors: list[str] | None = None) -> pd.DataFrame:
    """`data/sector_series.csv`: which BLS series feed which sector (`sector, survey, code, note`).

    `code` is a JOLTS industry code (6 digits), a CES industry code (8 digits), a CPS series id, or
    QCEW NAICS codes joined by ';' (summed). Unknown sectors (when `sectors` is given) are refused."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "sector-to-series table not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
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
    return table[SECTOR_SERIES_COLUMNS]


def panel_series_ids(sector_series: pd.DataFrame) -> pd.DataFrame:
    """Every BLS series the panel uses: `sector, series, series_id, seasonal, unit` (QCEW rows carry one
    id per NAICS code; they are summed into one employment series)."""
    rows = []
    for sector, survey, code in sector_series[["sector", "survey", "code"]].itertuples(index=False):
        if survey == "JOLTS":
            for element, name in JOLTS_PANEL.items():
                for seasonal in ("SA", "NSA"):
                    rows.append((sector, name, jolts_id(seasonal, code, element, "L"), seasonal, "thousands"))
                    if name in RATE_SERIES:
                        rows.append((sector, f"{name}_rate", jolts_id(seasonal, code, element, "R"), seasonal, "percent"))
        elif survey == "CES":
            rows += [(sector, "employment", f"CES{code}01", "SA", "thousands"),
                     (sector, "employment", f"CEU{code}01", "NSA", "thousands"),
                     (sector, "avg_hourly_earnings", f"CES{code}03", "SA", "USD per hour")]
        elif survey == "CPS":
            rows.append((sector, "unemployment_rate", code, "SA" if code.startswith("LNS") else "NSA", "percent"))
        else:
            rows += [(sector, "employment", f"ENUUS000105{naics}", "NSA", "thousands") for naics in code.split(";")]
    return pd.DataFrame(rows, columns=["sector", "series", "series_id", "seasonal", "unit"])


def series_meta(meta: pd.DataFrame, series: pd.DataFrame, sector_series: pd.DataFrame) -> pd.DataFrame:
    """`bls_series_meta`: the loaders' metadata for every spliced series plus `sector` (';' between
    several; empty when no sector uses it), `first_month`, `last_month`, `months` (with a value),
    `missing_months` (gaps between first and last), `contiguous_since` (first month of the unbroken run
    that ends at `last_month`: transcribed release tables add isolated recent points) and `last_vintage`."""
    ordered = series.sort_values(["series_id", "date"])
    month_number = ordered["date"].dt.year * 12 + ordered["date"].dt.month
    run = (month_number.groupby(ordered["series_id"]).diff() != 1).groupby(ordered["series_id"]).cumsum()
    last_run = run == run.groupby(ordered["series_id"]).transform("max")
    span = ordered.groupby("series_id").agg(first_month=("date", "min"), last_month=("date", "max"),
                                            months=("date", "size"), last_vintage=("vintage", "max"))
    span["contiguous_since"] = ordered[last_run].groupby("series_id")["date"].min()
    span["missing_months"] = ((span["last_month"].dt.year - span["first_month"].dt.year) * 12
                              + span["last_month"].dt.month - span["first_month"].dt.month + 1 - span["months"])
    used = panel_series_ids(sector_series).drop_duplicates(["sector", "series_id"])
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
        "cases_certified": int(len(use)), "cases_spread": int(ok.sum()),
        "cases_missing_need_dates": int(missing.sum()), "cases_need_end_before_start": int(reversed_.sum()),
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
    days = (np.minimum(end[index] + np.timedelta64(1, "D"), next_start) - np.maximum(start[index], month_start))
    share = days.astype("int64") / (next_start - month_start).astype("int64")
    workers = use["workers_certified"].astype(float).to_numpy()[index]
    rows = pd.DataFrame({
        "case_id": use["case_id"].to_numpy()[index], "visa_class": use["visa_class"].to_numpy()[index],
        "sector": use["sector"].to_numpy()[index] if "sector" in use else None,
        "worksite_state": use["worksite_state"].to_numpy()[index],
        "month": month.astype("datetime64[ns]"), "worker_months": workers * share,
    })
    report["worker_months"] = float(rows["worker_months"].sum())
    return rows, report


# --- panel tables ----------------------------------------------------------------------------------


def build_panel(series: pd.DataFrame, sector_series: pd.DataFrame, spread: pd.DataFrame | None) -> pd.DataFrame:
    """The long sector x month panel (`PANEL_COLUMNS`). `source` is the BLS series id (several joined
    by '+' where summed) or "OFLC disclosure" for worker-months. QCEW persons become thousands."""
    wanted = panel_series_ids(sector_series)
    values = wanted.merge(series[["series_id", "date", "value"]], on="series_id", how="inner")
    qcew = values["series_id"].str.startswith("EN")
    values.loc[qcew, "value"] = values.loc[qcew, "value"] / 1000.0
    keys = ["sector", "series", "seasonal", "unit", "date"]
    summed = values[qcew].groupby(keys, as_index=False).agg(
        value=("value", "sum"), source=("series_id", lambda ids: "+".join(sorted(ids))), parts=("series_id", "size"))
    expected_parts = wanted[wanted["series_id"].str.startswith("EN")].groupby(["sector"]).size()
    summed = summed[summed["parts"] == summed["sector"].map(expected_parts)].drop(columns="parts")
    bls = pd.concat([values[~qcew].rename(columns={"series_id": "source"}), summed], ignore_index=True)
    bls = bls.rename(columns={"date": "month"})
    parts = [bls[PANEL_COLUMNS]]
    if spread is not None and len(spread):
        h2 = (spread.dropna(subset=["sector"]).groupby(["sector", "visa_class", "month"], as_index=False)
              ["worker_months"].sum())
        parts.append(pd.DataFrame({
            "sector": h2["sector"], "month": h2["month"], "series": h2["visa_class"].map(VISA_SERIES),
            "value": h2["worker_months"], "unit": "worker-months", "seasonal": "NSA", "source": "OFLC disclosure",
        }))
    panel = pd.concat(parts, ignore_index=True)
    return panel.sort_values(["sector", "series", "seasonal", "month"], ignore_index=True)


def build_panel_state(spread: pd.DataFrame) -> pd.DataFrame:
    """Certified worker-months by visa class, sector, worksite state and month (`PANEL_STATE_COLUMNS`);
    cases without a sector or a state are left out (their totals are in the worker-months report)."""
    rows = spread.dropna(subset=["sector", "worksite_state"])
    out = (rows.groupby(["visa_class", "sector", "worksite_state", "month"], as_index=False)["worker_months"].sum()
           .rename(columns={"worker_months": "certified_worker_months"}))
    return out[PANEL_STATE_COLUMNS]
