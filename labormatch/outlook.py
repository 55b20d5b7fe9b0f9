"""Where each sector is heading: the next 12 forecast months against the last 12 observed (the Overview's chart).

Light on imports (pandas only): the app's first page computes it from the cached forecast tables.
"""

from __future__ import annotations

import pandas as pd

from labormatch.fiscal import MONTHS_PER_YEAR

#: Series that say where a sector is heading, in order of preference (JOLTS openings; H-2 certifications
#: for agriculture, which JOLTS does not cover).
OUTLOOK_SERIES = ("openings", "h2a_certified_worker_months", "h2b_certified_worker_months")


def outlook(forecast: pd.DataFrame, history: pd.DataFrame, stale: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Per sector, its first available series of `OUTLOOK_SERIES` that is not stale (series ids in `stale`, or
    rows flagged `stale` in the forecast): mean of the next 12 forecast months against the mean of the observed
    months among the last 12 calendar months to its last observed month (percent change), with the change at
    the 80% band's ends."""
    flagged = set(forecast.loc[forecast["stale"].astype(bool), "series_id"]) if "stale" in forecast else set()
    current = forecast[~forecast["series_id"].isin(set(stale) | flagged)]
    rows = []
    for sector, ahead in current.groupby("sector"):
        available = [s for s in OUTLOOK_SERIES if s in set(ahead["series"])]
        if not available:
            continue
        chosen = ahead[ahead["series"] == available[0]].sort_values("date").head(MONTHS_PER_YEAR)
        past = history[history["series_id"] == chosen["series_id"].iloc[0]].dropna(subset=["value"])
        last = past["date"].max()
        past = past[past["date"] > last - pd.DateOffset(months=MONTHS_PER_YEAR)]
        before = past["value"].mean()
        rows.append(
            {
                "sector": sector,
                "series": available[0],
                "series_id": chosen["series_id"].iloc[0],
                "model": chosen["model"].iloc[0],
                "last_observed_month": last,
                "last_12_months_mean": before,
                "next_12_months_mean": chosen["mean"].mean(),
                "change_pct": 100 * (chosen["mean"].mean() / before - 1),
                "change_pct_lo80": 100 * (chosen["lo80"].mean() / before - 1),
                "change_pct_hi80": 100 * (chosen["hi80"].mean() / before - 1),
            }
        )
    return pd.DataFrame(rows).sort_values("change_pct", ascending=False, ignore_index=True)
