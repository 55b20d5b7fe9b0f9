"""Shortage indicators per sector and month, and a composite shortage index with a sector ranking.

``compute_indicators(panel)`` turns the snapshot panel (``sector, month, series, value, unit, seasonal,
source``) into a long table ``sector, month, indicator, value, unit``; ``composite_index`` scores those
indicators across sectors month by month and combines them with user-changeable weights
(one file per indicator in the parameter tree, ``rules/behaviour/indicator_weights/``, each with its
rationale, direction and sources).

Series choice: a sector's seasonally adjusted (SA) series is used when the panel has one; otherwise its
not-seasonally-adjusted (NSA) series smoothed by a trailing 12-month mean, so indicators compare levels,
not seasons. Agriculture, outside JOLTS and CES, gets the CPS agriculture unemployment rate and the H-2
(mostly H-2A) certification indicators.

Unknown stays unknown: a month the panel has no value for (NaN, e.g. H-2 months without a complete
disclosure file) gives no indicator value, and any 12-month total or change that would need it is
missing too. Proxies (panel `proxy_of`, e.g. leisure and hospitality for accommodation): a supersector's
rates stand in for the sector's, but its levels (thousands of openings or hires) are not the sector's and
are never combined with the sector's employment or compared across sectors as levels.
``current_ranking`` leaves stale series (`series_catalogue`) out, so the current ranking uses only series
that run to within a year of the snapshot's as-of month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.errors import LabormatchError
from labormatch.fiscal import MONTHS_PER_YEAR, months_between
from labormatch.panel import STALE_MONTHS
from labormatch.rules import load_rules

WEIGHTS_FOLDER = "behaviour/indicator_weights"  # in the parameter tree (labormatch/rules/)
INDICATOR_COLUMNS = ["sector", "month", "indicator", "value", "unit"]
METHODS = ("zscore", "percentile")
PANEL_COLUMNS = {"sector", "month", "series", "value", "seasonal"}


def load_default_weights() -> dict[str, dict]:
    """Indicator -> {weight, direction, unit, rationale} from the cited weight files of the parameter tree
    (weight: the latest dated value; unit: the indicator's own), indicators in name order."""
    prefix = f"{WEIGHTS_FOLDER}/"
    parameters = {
        name.removeprefix(prefix): p for name, p in load_rules().parameters.items() if name.startswith(prefix)
    }
    if not parameters:
        raise LabormatchError(f"rules/{WEIGHTS_FOLDER}: no indicator weight files")
    for name, p in parameters.items():
        if p.extra.get("direction") not in (1, -1) or not p.extra.get("indicator_unit"):
            raise LabormatchError(f"rules/{WEIGHTS_FOLDER}/{name}.yaml: needs direction (1 or -1) and indicator_unit")
    return {
        name: {
            "weight": float(p.latest()),
            "direction": int(p.extra["direction"]),
            "unit": p.extra["indicator_unit"],
            "rationale": p.description,
        }
        for name, p in parameters.items()
    }


LEVEL_SERIES = ("openings", "hires")  # JOLTS levels: a supersector's are not a sector's


def _preferred(panel: pd.DataFrame, series: str) -> pd.DataFrame:
    """Month x sector table of one panel series: SA where a sector has it, else NSA trailing 12-month mean.
    Proxy rows of level series (`LEVEL_SERIES`) are left out."""
    rows = panel[(panel["series"] == series) & panel["value"].notna()]
    if series in LEVEL_SERIES and "proxy_of" in rows:
        rows = rows[rows["proxy_of"].fillna("").astype(str) == ""]
    if rows.empty:
        return pd.DataFrame(dtype=float)
    wide = {}
    for sector, group in rows.groupby("sector", observed=True):
        adjusted = group[group["seasonal"] == "SA"]
        if len(adjusted):
            wide[sector] = adjusted.set_index("month")["value"].astype(float)
        else:
            raw = group.set_index("month")["value"].astype(float).sort_index()
            raw = raw.reindex(pd.date_range(raw.index.min(), raw.index.max(), freq="MS"))
            wide[sector] = raw.rolling(MONTHS_PER_YEAR, min_periods=MONTHS_PER_YEAR).mean()
    return pd.DataFrame(wide).sort_index()


def _h2_trailing_year(panel: pd.DataFrame) -> pd.DataFrame:
    """Month x sector H-2A + H-2B certified worker-months over the 12 months ending in each month.

    Each visa class counts from its first to its last panel month; outside that span it adds 0 (no
    certification yet, or none any more). A NaN month (unknown) makes every total that includes it NaN.
    """
    rows = panel[panel["series"].isin(["h2a_certified_worker_months", "h2b_certified_worker_months"])]
    if rows.empty:
        return pd.DataFrame(dtype=float)
    totals = {}
    for sector, group in rows.groupby("sector", observed=True):
        months = pd.date_range(group["month"].min(), group["month"].max(), freq="MS")
        parts = []
        for _, visa in group.groupby("series", observed=True):
            values = visa.set_index("month")["value"].astype(float).sort_index()
            inside = (months >= values.index.min()) & (months <= values.index.max())
            parts.append(values.reindex(months).where(inside, 0.0))
        total = pd.concat(parts, axis=1).sum(axis=1, min_count=len(parts))
        totals[sector] = total.rolling(MONTHS_PER_YEAR, min_periods=MONTHS_PER_YEAR).sum()
    return pd.DataFrame(totals)


def compute_indicators(panel: pd.DataFrame) -> pd.DataFrame:
    """Long table sector, month, indicator, value, unit of every indicator a sector's data supports.

    openings_rate, quits_rate (percent, JOLTS); unfilled_openings (openings - hires, thousands) and
    unfilled_openings_rate (per 100 employees); openings_per_unemployed (openings over employment *
    u / (100 - u), u the CPS unemployment rate of the industry's experienced wage and salary workers,
    an approximation of the industry's unemployed); wage_growth (12-month % change of average hourly
    earnings); unemployment_rate (percent); h2_worker_months_per_1000 (H-2 certified worker-months over the
    past 12 months per 1,000 employees); h2_worker_months_growth (% change of that 12-month total).
    """
    missing = PANEL_COLUMNS - set(panel.columns)
    if missing:
        raise LabormatchError(f"panel: missing column(s) {', '.join(sorted(missing))}")
    # Categorical keys: the many row selections below compare codes, not (Arrow) strings.
    panel = panel.astype({"sector": "category", "series": "category", "seasonal": "category"})
    openings, hires = _preferred(panel, "openings"), _preferred(panel, "hires")
    employment = _preferred(panel, "employment")
    unemployment = _preferred(panel, "unemployment_rate")
    earnings = _preferred(panel, "avg_hourly_earnings")
    h2_year = _h2_trailing_year(panel)

    unfilled = openings - hires
    unemployed = employment * unemployment / (100 - unemployment)
    tables = {
        "openings_rate": (_preferred(panel, "openings_rate"), "percent"),
        "quits_rate": (_preferred(panel, "quits_rate"), "percent"),
        "unfilled_openings": (unfilled, "thousands"),
        "unfilled_openings_rate": (100 * unfilled / employment, "percent of employment"),
        "openings_per_unemployed": (openings / unemployed, "openings per unemployed person"),
        "wage_growth": (_pct_change_year(earnings), "percent, 12-month change"),
        "unemployment_rate": (unemployment, "percent"),
        "h2_worker_months_per_1000": (
            h2_year / employment,
            "certified worker-months over 12 months per 1,000 employees",
        ),
        "h2_worker_months_growth": (_pct_change_year(h2_year), "percent, 12-month change of the 12-month total"),
    }
    frames = []
    for name, (wide, unit) in tables.items():
        if wide.empty:
            continue
        long = wide.rename_axis(index="month", columns="sector").stack().rename("value").reset_index()
        long = long[np.isfinite(long["value"])]
        frames.append(long.assign(indicator=name, unit=unit))
    if not frames:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[INDICATOR_COLUMNS]
    out["sector"] = out["sector"].astype(str)
    return out.sort_values(["indicator", "sector", "month"]).reset_index(drop=True)


#: Ranking indicators read straight from one panel rate series (a proxy rate stands in; proxy levels never do).
RATE_INDICATORS = ("openings_rate", "quits_rate", "unemployment_rate")


def ranking_proxies(ranked: pd.DataFrame, catalogue: pd.DataFrame) -> dict[str, str]:
    """Sector -> the proxies (`proxy_of`, '; ' between) behind the rate indicators its rank rests on (a score in
    `ranked`), from the current (not stale) series of `catalogue`, e.g. accommodation and food services ->
    "JOLTS leisure and hospitality (700000)"."""
    current = catalogue[~catalogue["stale"].astype(bool) & (catalogue["proxy_of"] != "")]
    out = {}
    for row in ranked.itertuples():
        used = [name for name in RATE_INDICATORS if pd.notna(getattr(row, f"score_{name}", float("nan")))]
        names = current.loc[(current["sector"] == row.sector) & current["series"].isin(used), "proxy_of"]
        if len(names):
            out[row.sector] = "; ".join(sorted(set(names)))
    return out


def without_stale(panel: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The panel without the series `catalogue` (`series_catalogue`: sector, series, seasonal, stale) marks stale."""
    stale = catalogue.loc[catalogue["stale"].astype(bool), ["sector", "series", "seasonal"]].astype(str)
    keys = pd.MultiIndex.from_frame(panel[["sector", "series", "seasonal"]].astype(str))
    return panel[~keys.isin(pd.MultiIndex.from_frame(stale))]


CURRENT_MIN_INDICATORS = 1  # since CES (employment, earnings) ended 2025-07, most sectors have one current indicator


def current_ranking(
    panel: pd.DataFrame,
    catalogue: pd.DataFrame,
    as_of: pd.Timestamp,
    weights: dict | None = None,
    method: str = "zscore",
    min_indicators: int = CURRENT_MIN_INDICATORS,
) -> pd.DataFrame:
    """`sector_ranking` in its default month of the composite index built from current series only (stale
    ones, per `catalogue`, left out): a sector whose series are all stale is not ranked. `n_indicators` says
    how many indicators each rank rests on. A ranking month more than `STALE_MONTHS` before `as_of` is
    not current: `LabormatchError`."""
    table = compute_indicators(without_stale(panel, catalogue))
    ranking = sector_ranking(composite_index(table, weights, method, min_indicators))
    month = ranking["month"].iloc[0]
    if months_between(month, pd.Timestamp(as_of)) > STALE_MONTHS:
        raise LabormatchError(
            f"composite index: no current ranking (the latest month with most sectors ranked "
            f"is {month:%Y-%m}, more than {STALE_MONTHS} months before {pd.Timestamp(as_of):%Y-%m})"
        )
    return ranking


def _pct_change_year(wide: pd.DataFrame) -> pd.DataFrame:
    """12-month percentage change of a monthly table (months must be regular; gaps are filled with NaN)."""
    if wide.empty:
        return wide
    regular = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq="MS"))
    previous = regular.shift(MONTHS_PER_YEAR)
    return 100 * (regular - previous) / previous.where(previous > 0)


def _resolve_weights(weights: dict | None) -> dict[str, dict]:
    defaults = load_default_weights()
    if weights is None:
        return defaults
    resolved = {}
    for name, value in weights.items():
        if name not in defaults:
            raise LabormatchError(f"indicator weights: unknown indicator {name!r}; known: {', '.join(defaults)}")
        weight = float(value["weight"] if isinstance(value, dict) else value)
        if not np.isfinite(weight) or weight < 0:
            raise LabormatchError(f"indicator weights: weight of {name!r} must be a non-negative number, got {weight}")
        resolved[name] = {**defaults[name], "weight": weight}
    if not any(spec["weight"] > 0 for spec in resolved.values()):
        raise LabormatchError("indicator weights: at least one weight must be above zero")
    return resolved


def composite_index(
    indicators: pd.DataFrame, weights: dict | None = None, method: str = "zscore", min_indicators: int = 2
) -> pd.DataFrame:
    """Composite shortage index and rank per sector and month (rank 1 = tightest sector that month).

    Each indicator is scored across the sectors that report it that month: ``zscore`` = (x - mean) / sd,
    ``percentile`` = percentile rank in [0, 1] minus 0.5; the score is multiplied by the indicator's
    direction (+1: higher is tighter, -1: lower is tighter). The index is the weighted mean of the
    scores a sector has (weights renormalised over them), reported only with at least ``min_indicators``.
    ``weights`` maps indicator -> weight (indicators left out are not used); None uses the defaults.
    Columns: sector, month, index, rank, n_indicators, score_<indicator> for each weighted indicator.
    """
    if method not in METHODS:
        raise LabormatchError(f"composite index method {method!r} is not one of {', '.join(METHODS)}")
    spec = {n: s for n, s in _resolve_weights(weights).items() if s["weight"] > 0}
    used = indicators[indicators["indicator"].isin(spec)]
    wide = used.pivot_table(index=["month", "sector"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=sorted(spec))
    by_month = wide.groupby(level="month")
    if method == "zscore":
        scores = (wide - by_month.transform("mean")) / by_month.transform("std", ddof=0).replace(0, np.nan)
    else:
        scores = by_month.rank(pct=True) - 0.5
    scores = scores * pd.Series({n: float(spec[n]["direction"]) for n in scores.columns})
    weight = pd.Series({n: spec[n]["weight"] for n in scores.columns})
    present = scores.notna()
    weighted = (scores.fillna(0) * weight).sum(axis=1)
    total = (present * weight).sum(axis=1)
    out = pd.DataFrame({"index": weighted / total.replace(0, np.nan), "n_indicators": present.sum(axis=1)})
    out.loc[out["n_indicators"] < min_indicators, "index"] = np.nan
    out["rank"] = out.groupby(level="month")["index"].rank(ascending=False, method="min").astype("Int64")
    out = out.join(scores.add_prefix("score_")).reset_index()
    return out[["sector", "month", "index", "rank", "n_indicators", *[f"score_{n}" for n in scores.columns]]]


RANKED_COVERAGE = 0.75


def sector_ranking(index: pd.DataFrame, month: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Sectors ordered by the composite index in ``month``.

    Default month: the latest in which at least ``RANKED_COVERAGE`` of the most sectors ever ranked in one
    month are ranked (the sources end in different months, so the very last months rank only a few sectors).
    """
    ranked = index.dropna(subset=["index"])
    if ranked.empty:
        raise LabormatchError("composite index: no sector has enough indicators to be ranked")
    if month is None:
        counts = ranked.groupby("month").size()
        month = counts[counts >= np.ceil(RANKED_COVERAGE * counts.max())].index.max()
    month = pd.Timestamp(month)
    chosen = ranked[ranked["month"] == month]
    if chosen.empty:
        raise LabormatchError(f"composite index: no sector is ranked in {month:%Y-%m}")
    return chosen.sort_values("rank").reset_index(drop=True)
