"""Circular migration: multi-season stock-flow quotas by origin country, sector and season.

For each origin o and sector k (need split by origin share)::

    need[s]        = need[1] x (1 + growth) ^ (s - 1)
    went_home[s]   = workers[s-1] x (1 - overstay_rate)          (the others overstayed)
    returning[s]   = min(need[s], went_home[s] x return_rate)      (returning[1] = 0: the program starts)
    new[s]         = need[s] - returning[s]
    non_returning[s] = workers[s-1] - returning[s]                 (overstayed, stayed home, or not needed)
    overstays[s]   = workers[s] x overstay_rate
    wages_earned   = workers x weeks x hours_per_week x wage_usd_hour
    carried_home   = wages_earned x carried_home_share

Returning workers are last season's workers. The supplemental tranches' returning-worker rule (H-2B status in
one of the L previous fiscal years, L = rules/h2b_returning_worker_lookback.yaml, 3) allows a wider pool,
tracked as alumni at home by seasons since they last worked::

    home_1[s] = went_home[s]                    (worked in s-1)
    home_2[s] = home_1[s-1] - returning[s-1]    (worked in s-2, did not come back in s-1)
    home_j[s] = home_(j-1)[s-1]                 (j = 3 .. L)
    returning_eligible[s] = home_1[s] + ... + home_L[s]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.rules import load_rules


def origin_mix(default_shares: pd.DataFrame, assumptions: Assumptions) -> dict[str, dict[str, float]]:
    """Origin shares per visa class: the class's own shares (`h2a_origin_shares`, `h2b_origin_shares`) or its DOS
    default, restricted to the circular program's countries and rescaled to sum to 1."""
    defaults: dict[str, dict[str, float]] = {}
    columns = (default_shares["visa_class"], default_shares["origin"], default_shares["share"])
    for visa_class, origin, share in zip(*columns, strict=True):
        defaults.setdefault(str(visa_class), {})[str(origin)] = float(share)
    mixes: dict[str, dict[str, float]] = {}
    for visa_class, default in defaults.items():
        shares = dict(assumptions.origin_shares_of(visa_class) or default)
        if assumptions.circular_origins:
            wanted = {c.casefold() for c in assumptions.circular_origins}
            shares = {o: s for o, s in shares.items() if o.casefold() in wanted}
            total = sum(shares.values())
            if total <= 0:
                raise AssumptionsError(
                    f"circular_origins: none of {', '.join(assumptions.circular_origins)} has {visa_class} workers "
                    "in the origin shares"
                )
            shares = {o: s / total for o, s in shares.items()}
        mixes[visa_class] = shares
    return mixes


def mix_table(mixes: dict[str, dict[str, float]]) -> pd.DataFrame:
    """The `origin_mix` result table: visa_class, origin, share (share of the visa class's workers, sorted)."""
    rows = [(v, o, float(s)) for v in sorted(mixes) for o, s in sorted(mixes[v].items())]
    return pd.DataFrame(rows, columns=["visa_class", "origin", "share"]).astype({"share": float})


GROWTH_WARNING_FACTOR = 10.0  # warn when the last season's need is this many times the first's (or 1/this)


def growth_warning(assumptions: Assumptions) -> str | None:
    """A plain warning when the per-season need growth, compounded over the seasons, multiplies or divides the
    first season's need by ``GROWTH_WARNING_FACTOR`` or more (the totals then follow the compounding, not a
    plausible program), else None."""
    factor = (1.0 + assumptions.need_growth_per_season) ** (assumptions.seasons - 1)
    if 1 / GROWTH_WARNING_FACTOR < factor < GROWTH_WARNING_FACTOR:
        return None
    size = f"{factor:,.0f} times" if factor >= 1 else f"1/{1 / factor:,.0f} of"
    return (
        f"Need growth of {assumptions.need_growth_per_season:.0%} a season over {assumptions.seasons} seasons "
        f"makes the last season's need {size} the first's; the circular totals and wages follow that compounding. "
        "Check the need growth and the number of seasons."
    )


def stock_flow(
    need: np.ndarray, seasons: int, return_rate: float, overstay_rate: float, growth: float, lookback: int | None = None
) -> dict[str, np.ndarray]:
    """Season-by-season flows for a vector of first-season needs; arrays are seasons x len(need).

    `lookback`: seasons an alumnus stays eligible as a returning worker (years); None = the latest value of
    rules/h2b_returning_worker_lookback.yaml."""
    if lookback is None:
        lookback = int(load_rules().parameters["h2b_returning_worker_lookback"].latest())
    need = np.asarray(need, dtype=float)
    factors = (1.0 + growth) ** np.arange(seasons)
    needs = factors[:, None] * need[None, :]
    returning = np.zeros_like(needs)
    for s in range(1, seasons):
        went_home = needs[s - 1] * (1.0 - overstay_rate)
        returning[s] = np.minimum(needs[s], went_home * return_rate)
    non_returning = np.zeros_like(needs)
    non_returning[1:] = needs[:-1] - returning[1:]
    home = np.zeros((lookback, *needs.shape))  # alumni at home, 1 .. lookback seasons after they last worked
    for s in range(1, seasons):
        home[0, s] = needs[s - 1] * (1.0 - overstay_rate)
        if lookback > 1:
            home[1, s] = home[0, s - 1] - returning[s - 1]
        home[2:, s] = home[1:-1, s - 1]
    return {
        "total_workers": needs,
        "returning_workers": returning,
        "new_workers": needs - returning,
        "non_returning": non_returning,
        "overstays": needs * overstay_rate,
        "returning_eligible": home.sum(axis=0),
    }


QUOTA_COLUMNS = [
    "season",
    "fiscal_year",
    "origin",
    "sector",
    "visa_class",
    "total_workers",
    "returning_workers",
    "new_workers",
    "non_returning",
    "overstays",
    "returning_eligible",
    "wages_earned_usd",
    "wages_carried_home_usd",
]


def quotas(
    season_need: pd.DataFrame,
    mixes: dict[str, dict[str, float]],
    assumptions: Assumptions,
    lookback_years: int | None = None,
) -> pd.DataFrame:
    """The `quotas` table from first-season workers by sector and visa class.

    season_need columns: sector, visa_class, workers, weeks, hours_per_week, wage_usd_hour. `lookback_years`: the
    returning-worker look-back the run resolved (`ResolvedRules.lookback_years`); None resolves `assumptions`.
    """
    if lookback_years is None:
        lookback_years = assumptions.resolve(load_rules()).lookback_years
    seasons = assumptions.seasons
    columns: dict[str, list] = {name: [] for name in QUOTA_COLUMNS}
    visa = season_need["visa_class"].to_numpy()
    for visa_class in sorted(set(visa)):
        rows = visa == visa_class
        mix = mixes.get(str(visa_class), {})
        origins = sorted(mix)
        shares = np.array([mix[o] for o in origins], dtype=float)
        sectors = season_need["sector"].to_numpy()[rows]
        cells = len(sectors) * len(origins)
        need = (season_need["workers"].to_numpy(float)[rows][:, None] * shares[None, :]).ravel()
        flows = stock_flow(
            need,
            seasons,
            assumptions.return_rate,
            assumptions.overstay_rate,
            assumptions.need_growth_per_season,
            lookback_years,
        )
        pay = (
            season_need["weeks"].to_numpy(float)
            * season_need["hours_per_week"].to_numpy(float)
            * season_need["wage_usd_hour"].to_numpy(float)
        )[rows]
        season = np.repeat(np.arange(1, seasons + 1), cells)
        wages = flows["total_workers"].ravel() * np.tile(np.repeat(pay, len(origins)), seasons)
        columns["season"].append(season)
        columns["fiscal_year"].append(assumptions.fiscal_year + season - 1)
        columns["origin"].append(np.tile(np.tile(np.array(origins, dtype=object), len(sectors)), seasons))
        columns["sector"].append(np.tile(np.repeat(sectors, len(origins)), seasons))
        columns["visa_class"].append(np.full(cells * seasons, visa_class, dtype=object))
        for name, values in flows.items():
            columns[name].append(values.ravel())
        columns["wages_earned_usd"].append(wages)
        columns["wages_carried_home_usd"].append(wages * assumptions.carried_home_share)
    return pd.DataFrame({name: np.concatenate(parts) if parts else [] for name, parts in columns.items()})
