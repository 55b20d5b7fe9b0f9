"""H-2B numbers by half and tranche, unmet demand (cap dates: `cap_timing`; H-2A wage bill: `h2a_wages`).

Allocation rule (simple enough to redo with spreadsheet formulas)
----------------------------------------------------------------
Demand is H-2B workers by sector and employment start month of the chosen fiscal year. Tranches are applied
in two phases, first-half months (Oct-Mar) then second-half months (Apr-Sep); inside a phase the order is:
pilot carve-outs, the statutory half cap, then the supplemental tranches. A tranche spanning both
halves keeps one pool across the phases.

Supplemental tranches with a country list come first among the supplementals (only those nationals can
use them, so applying them first leaves the open numbers for everyone else), then the others by window start.
A tranche serves the months its window covers, earliest start month first (filing order: OFLC accepts
applications 75-90 days before the start date, 20 CFR 655.15(b), so earlier starts file and are counted
earlier). In month m::

    eligible_s   = remaining_s,m x covered_m x country_share        (covered_m: share of the month's days in
                                                                      the window; country_share: share of the
                                                                      origin mix from the tranche's countries,
                                                                      1 without a country list)
    available    = min(tranche numbers left, returning pool left)   (pool only for returning-only tranches)
    allocated_m  = min(available, SUM_s eligible_s)
    allocated_s  = eligible_s x allocated_m / SUM_s eligible_s        (pro rata to demand)

Rationing among sectors is pro rata to eligible demand: the expected outcome of OFLC's random assignment of
same-day filings to randomly ordered groups (a lottery), where every position filed has the same chance.
Unused first-half statutory numbers are added to the second-half statutory tranche; nothing carries into the
next fiscal year (8 U.S.C. 1184(g)(10)). Carve-out numbers a sector does not use stay unused.

Returning pool (who may use returning-only tranches, i.e. held H-2B status in one of the look-back fiscal
years, 3 under rules/h2b_returning_worker_lookback.yaml) is approximated as
``return_rate x max(numbers of the look-back years)``, numbers = statutory cap + supplemental maxima of that
year: the workers of the largest recent year who come back.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from labormatch.assumptions import Assumptions, AssumptionsError, PilotCarveout
from labormatch.fiscal import HALF_SLICES
from labormatch.rules import Rules, half_window


@dataclass
class Pool:
    """A tranche being allocated: its numbers, its window and who may use it."""

    tranche: str
    kind: str  # statutory / supplemental / carveout
    half: str
    window_start: dt.date
    window_end: dt.date
    size: float
    returning_only: bool
    countries: tuple[str, ...]
    source: str
    sector: str | None = None
    carried_in: float = 0.0
    used: float = 0.0


def covered_share(month: dt.date, start: dt.date, end: dt.date) -> float:
    """Share of a month's days that fall inside [start, end]."""
    days = calendar.monthrange(month.year, month.month)[1]
    last = dt.date(month.year, month.month, days)
    lo, hi = max(month, start), min(last, end)
    return max(0, (hi - lo).days + 1) / days


def shift_year(day: dt.date, years: int) -> dt.date:
    """Same calendar day `years` later (Feb 29 becomes Feb 28)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def returning_pool(assumptions: Assumptions, rules: Rules) -> float:
    """Workers eligible for returning-only tranches: return_rate x the largest numbers of the look-back years
    (`Assumptions.resolve`)."""
    return assumptions.resolve(rules).returning_pool


def build_pools(assumptions: Assumptions, rules: Rules) -> list[Pool]:
    """Carve-outs, the two statutory halves and the supplemental tranches of the scenario's fiscal year."""
    fy = assumptions.fiscal_year
    h1, h2 = assumptions.half_caps(rules)
    h1_start, h1_end = half_window(fy, "H1")
    h2_start, h2_end = half_window(fy, "H2")
    cap_source = rules.parameters["h2b_statutory_cap"].source() + " | " + rules.parameters["h2b_half_split"].source()
    pools: list[Pool] = []
    inside = sum(c.numbers for c in assumptions.pilot_carveouts if c.inside_cap)
    if inside > h1 + h2:
        raise AssumptionsError(f"pilot_carveouts: {inside} numbers reserved inside the cap exceed the cap of {h1 + h2}")
    inside_h1 = round(inside * h1 / (h1 + h2)) if h1 + h2 else 0
    names = [carveout_tranche(c) for c in assumptions.pilot_carveouts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise AssumptionsError(
            f"pilot_carveouts: more than one carve-out makes tranche {', '.join(twice)}; "
            "combine the numbers of a sector's carve-outs inside (or outside) the cap"
        )
    for c, name in zip(assumptions.pilot_carveouts, names, strict=True):
        pools.append(
            Pool(
                name,
                "carveout",
                "both",
                h1_start,
                h2_end,
                float(c.numbers),
                False,
                (),
                "scenario pilot carve-out",
                sector=c.sector,
            )
        )
    pools.append(
        Pool("statutory_h1", "statutory", "H1", h1_start, h1_end, float(h1 - inside_h1), False, (), cap_source)
    )
    pools.append(
        Pool(
            "statutory_h2", "statutory", "H2", h2_start, h2_end, float(h2 - (inside - inside_h1)), False, (), cap_source
        )
    )
    rules_fy = assumptions.supplemental_rules_year(rules)  # None: no published rule for the year (or switched off)
    if rules_fy is not None:
        # country set-asides first (only their nationals can use them), then the others by window start
        ordered = sorted(rules.supplemental_tranches(rules_fy), key=lambda t: (not t.countries, t.window_start))
        for t in ordered:
            pools.append(
                Pool(
                    t.tranche,
                    "supplemental",
                    t.half,
                    shift_year(t.window_start, fy - rules_fy),
                    shift_year(t.window_end, fy - rules_fy),
                    float(t.size),
                    t.returning_only,
                    t.countries,
                    t.source + (" (check)" if t.check else ""),
                )
            )
    return pools


def carveout_tranche(carveout: PilotCarveout) -> str:
    """Tranche name of a pilot carve-out: pilot_<sector>_inside_cap or pilot_<sector>_outside_cap."""
    return f"pilot_{carveout.sector}_{'inside' if carveout.inside_cap else 'outside'}_cap"


def country_share(origin_shares: dict[str, float], countries: tuple[str, ...]) -> float:
    """Share of H-2B workers from the listed countries (1 when the tranche has no country list)."""
    if not countries:
        return 1.0
    wanted = {c.casefold() for c in countries}
    return float(sum(s for o, s in origin_shares.items() if o.casefold() in wanted))


def sector_mask(pool: Pool, sectors: list[str], sector_index: dict[str, int]) -> np.ndarray:
    """1 for each sector the pool may fill, 0 elsewhere (a pilot carve-out fills only its sector)."""
    if pool.sector is None:
        return np.ones(len(sectors))
    mask = np.zeros(len(sectors))
    if pool.sector in sector_index:
        mask[sector_index[pool.sector]] = 1.0
    return mask


def allocate_h2b(
    demand: np.ndarray,
    sectors: list[str],
    months: list[dt.date],
    pools: list[Pool],
    pool_returning: float,
    origin_shares: dict[str, float],
) -> tuple[np.ndarray, list[dict]]:
    """Allocate H-2B numbers; `demand` is sectors x 12 fiscal months (workers), `origin_shares` the H-2B origin mix
    (country -> share of H-2B workers; a country set-aside serves its countries' share). Returns the allocated
    matrix and one row per sector x half x tranche (sector, half, tranche, demand, allocated, unmet)."""
    remaining = demand.astype(float).copy()
    allocated = np.zeros_like(remaining)
    sector_index = {s: i for i, s in enumerate(sectors)}
    rows: list[dict] = []
    returning_left = float(pool_returning)
    for half, month_slice in HALF_SLICES.items():
        if half == "H2":
            h1 = next(p for p in pools if p.tranche == "statutory_h1")
            h2 = next(p for p in pools if p.tranche == "statutory_h2")
            h2.carried_in = h1.size - h1.used
            h2.size += h2.carried_in
        for pool in pools:
            if pool.half not in (half, "both"):
                continue
            before = remaining[:, month_slice].sum(axis=1)
            share = country_share(origin_shares, pool.countries)
            mask = sector_mask(pool, sectors, sector_index)
            for m in range(month_slice.start, month_slice.stop):
                cover = covered_share(months[m], pool.window_start, pool.window_end)
                if cover == 0.0:
                    continue
                eligible = remaining[:, m] * cover * share * mask
                total = eligible.sum()
                available = pool.size - pool.used
                if pool.returning_only:
                    available = min(available, returning_left)
                take = min(available, total)
                if take <= 0.0:
                    continue
                given = eligible * (take / total)
                remaining[:, m] -= given
                allocated[:, m] += given
                pool.used += take
                if pool.returning_only:
                    returning_left -= take
            after = remaining[:, month_slice].sum(axis=1)
            for i, sector in enumerate(sectors):
                rows.append(
                    {
                        "sector": sector,
                        "half": half,
                        "tranche": pool.tranche,
                        "demand": before[i],
                        "allocated": before[i] - after[i],
                        "unmet": after[i],
                    }
                )
    return allocated, rows


def tranche_table(pools: list[Pool], fiscal_year: int) -> pd.DataFrame:
    """The `tranches` result table."""
    return pd.DataFrame(
        {
            "tranche": [p.tranche for p in pools],
            "kind": [p.kind for p in pools],
            "fiscal_year": fiscal_year,
            "half": [p.half for p in pools],
            "window_start": np.array([p.window_start for p in pools], dtype="datetime64[ns]"),
            "window_end": np.array([p.window_end for p in pools], dtype="datetime64[ns]"),
            "size": [p.size for p in pools],
            "carried_in": [p.carried_in for p in pools],
            "returning_only": [p.returning_only for p in pools],
            "countries": ["; ".join(p.countries) for p in pools],
            "used": [p.used for p in pools],
            "remaining": [p.size - p.used for p in pools],
            "source": [p.source for p in pools],
            "sector": pd.array([p.sector for p in pools], dtype="string"),
        }
    )
