"""Intervals of the demand-driven figures: demand draws run through the caps (`demand_draws`, `matcher_draws`).

Row 0 of every drawn array is the central path (factor 1: the point run's own demand), so its figures equal
the point tables'; the quantiles are taken over the other `assumptions.demand_draws` rows. Without a demand
uncertainty (`ModelInputs.demand_uncertainty` is None, or it has no spread for the fiscal year) nothing is
drawn: the tables are empty and the figures carry no interval.

Odds of the H-2B lottery (a scenario choice, stated here and in the `intervals` table's unit):
    selection probability = min(1, second-half numbers / positions filed in the January window)
second-half numbers: the statutory second-half numbers of the draw (after unused first-half numbers are
carried in, pilot carve-outs inside the cap taken out); positions filed in the window: the draw's H-2B demand
starting in April. OFLC accepts applications at most 90 days before the start date (20 CFR 655.15(b)), so
every April 1 start files on Jan 1-3, and OFLC randomizes those filings (positions requested for April 1
starts: 99,362 in 2020, 142,796 in 2023; domain notes). Counting all April starts as filed in the window
treats later April starts as April 1 starts: an upper bound on the window's positions, so a lower bound on
the odds. The supplemental tranches have lotteries of their own and are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labormatch import matcher
from labormatch.assumptions import Assumptions
from labormatch.demand_draws import SEED, draw_factors, drawn_matrix, missing_years
from labormatch.fiscal import APRIL, HALF_SLICES, fiscal_months
from labormatch.matcher_draws import allocate_h2b_draws, cap_reached_days
from labormatch.rules import Rules, half_window

if TYPE_CHECKING:
    from labormatch.model_inputs import ModelInputs

VISA_CLASSES = ("H-2A", "H-2B")
QUANTILES = {"median": 0.5, "lo80": 0.1, "hi80": 0.9, "lo95": 0.025, "hi95": 0.975}
INTERVAL_COLUMNS = ["measure", "half", "tranche", "unit", "point", *QUANTILES, "n_draws", "seed", "source"]
CAP_DATE_COLUMNS = ["half", "share_reached", "point", *QUANTILES, "n_draws", "seed"]
PROBABILITY_UNIT = (
    "probability: second-half statutory numbers / positions filed in the January window "
    "(H-2B demand starting in April), at most 1"
)
#: Headline figure -> (measure, half, tranche) of its row in the `intervals` table.
HEADLINE_ROWS = {
    "h2b_demand": ("h2b_demand", "all", "all"),
    "h2b_allocated": ("h2b_used", "all", "all"),
    "h2b_unmet": ("h2b_unmet", "all", "all"),
    "h2b_unmet_h1": ("h2b_unmet", "H1", "all"),
    "h2b_unmet_h2": ("h2b_unmet", "H2", "all"),
    "h2a_workers": ("h2a_workers", "all", ""),
    "h2a_wage_bill_usd": ("h2a_wage_bill_usd", "all", ""),
    "h2b_h2_selection_probability": ("h2b_h2_selection_probability", "H2", "statutory_h2"),
}
NO_INTERVAL = "no interval: the demand model gave no uncertainty"


def selection_probability(numbers: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """min(1, numbers / positions filed); 1 where nothing is filed."""
    numbers, positions = np.asarray(numbers, float), np.asarray(positions, float)
    ratio = np.divide(numbers, positions, out=np.ones_like(numbers), where=positions > 0)
    return np.minimum(ratio, 1.0)


def interval_tables(
    assumptions: Assumptions,
    inputs: ModelInputs,
    matrices: dict[str, np.ndarray],
    h2_numbers: float,
    sectors: list[str],
    h2b_origin_shares: dict[str, float],
    h2a: pd.DataFrame,
    days_saved: float,
    rules: Rules,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """The `intervals` and `cap_reached_intervals` tables and the headline figures they add: the point selection
    probability and, with draws, `<figure>_lo80` / `<figure>_hi80` for every figure of `HEADLINE_ROWS`.

    matrices: the point run's demand by visa class, sectors x 12 months of the fiscal year (workers);
    h2_numbers: the point run's statutory second-half numbers after the first-half carry-in (workers)."""
    fy = assumptions.fiscal_year
    point_odds = selection_probability(np.array([h2_numbers]), matrices["H-2B"][:, APRIL].sum(keepdims=True))
    headline = {"h2b_h2_selection_probability": float(point_odds[0])}
    uncertainty = inputs.demand_uncertainty
    if uncertainty is None or missing_years(uncertainty, fy, VISA_CLASSES):
        return pd.DataFrame(columns=INTERVAL_COLUMNS), pd.DataFrame(columns=CAP_DATE_COLUMNS), headline
    central = np.ones((1, len(sectors)))
    drawn = draw_factors(uncertainty, fy, sectors, VISA_CLASSES, assumptions.demand_draws, SEED).factors
    factors = {v: np.vstack([central, drawn[v]]) for v in VISA_CLASSES}
    values = _drawn_figures(assumptions, inputs, matrices, sectors, h2b_origin_shares, h2a, days_saved, rules, factors)
    intervals = _summary(values["rows"], assumptions.demand_draws, uncertainty.source)
    for key, (measure, half, tranche) in HEADLINE_ROWS.items():
        row = intervals[
            (intervals["measure"] == measure) & (intervals["half"] == half) & (intervals["tranche"] == tranche)
        ].iloc[0]
        headline[f"{key}_lo80"], headline[f"{key}_hi80"] = float(row["lo80"]), float(row["hi80"])
    return intervals, _cap_dates(values["cap_days"], fy, assumptions.demand_draws), headline


def _drawn_figures(
    assumptions: Assumptions,
    inputs: ModelInputs,
    matrices: dict[str, np.ndarray],
    sectors: list[str],
    mix: dict[str, float],
    h2a: pd.DataFrame,
    days_saved: float,
    rules: Rules,
    factors: dict[str, np.ndarray],
) -> dict:
    """Every figure per draw (row 0 the central path): rows of (measure, half, tranche, unit, values)."""
    fy = assumptions.fiscal_year
    h2b = drawn_matrix(matrices["H-2B"], factors["H-2B"])
    pools = matcher.build_pools(assumptions, rules)
    result = allocate_h2b_draws(h2b, sectors, fiscal_months(fy), pools, matcher.returning_pool(assumptions, rules), mix)
    rows = []
    halves = {h: h2b[:, :, s].sum(axis=(1, 2)) for h, s in HALF_SLICES.items()}
    for half, total in halves.items():
        rows.append(("h2b_demand", half, "all", "workers", total))
    rows.append(("h2b_demand", "all", "all", "workers", halves["H1"] + halves["H2"]))
    for k, (half, tranche) in enumerate(result.steps):
        rows.append(("h2b_used", half, tranche, "workers", result.given[:, k]))
        rows.append(("h2b_unmet", half, tranche, "workers (still unmet after this tranche)", result.after[:, k]))
    allocated = {h: result.allocated[:, :, s].sum(axis=(1, 2)) for h, s in HALF_SLICES.items()}
    for half in ("H1", "H2"):
        rows.append(("h2b_used", half, "all", "workers", allocated[half]))
        rows.append(("h2b_unmet", half, "all", "workers", np.maximum(halves[half] - allocated[half], 0.0)))
    rows.append(("h2b_used", "all", "all", "workers", allocated["H1"] + allocated["H2"]))
    rows.append(
        (
            "h2b_unmet",
            "all",
            "all",
            "workers",
            np.maximum(halves["H1"] + halves["H2"] - allocated["H1"] - allocated["H2"], 0.0),
        )
    )  # no -1e-13
    statutory = {p.tranche: k for k, p in enumerate(pools) if p.kind == "statutory"}
    numbers = {"H1": result.sizes[:, statutory["statutory_h1"]], "H2": result.sizes[:, statutory["statutory_h2"]]}
    window = h2b[:, :, APRIL].sum(axis=1)
    probability = selection_probability(numbers["H2"], window)
    rows += [
        ("h2b_window_positions", "H2", "statutory_h2", "positions (H-2B demand starting in April)", window),
        ("h2b_h2_numbers", "H2", "statutory_h2", "workers (statutory, after the first-half carry-in)", numbers["H2"]),
        ("h2b_h2_selection_probability", "H2", "statutory_h2", PROBABILITY_UNIT, probability),
    ]
    h2a_matrix = drawn_matrix(matrices["H-2A"], factors["H-2A"])
    workers = h2a_matrix.sum(axis=2).sum(axis=1)  # the point run's order of summing
    count = workers[:, None] * inputs.h2a_state_shares["share"].to_numpy(float)[None, :]
    weeks, hours = h2a["weeks"].to_numpy(float), h2a["hours_per_week"].to_numpy(float)
    bill = count * weeks * hours * h2a["aewr_usd_hour"].to_numpy(float)  # the point run's order of products
    rows += [("h2a_workers", "all", "", "workers", workers), ("h2a_wage_bill_usd", "all", "", "USD", bill.sum(axis=1))]
    cap_days = cap_reached_days(fy, numbers, halves, inputs.filing_profile, inputs.cap_calibration, days_saved)
    return {"rows": rows, "cap_days": cap_days}


def _summary(rows: list[tuple], n_draws: int, source: str) -> pd.DataFrame:
    """The `intervals` table: point (central path) and quantiles over the draws, one row per figure."""
    stacked = np.stack([r[4] for r in rows], axis=1)  # (1 + draws) x figures
    bands = np.quantile(stacked[1:], list(QUANTILES.values()), axis=0)
    table = pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "half": [r[1] for r in rows],
            "tranche": [r[2] for r in rows],
            "unit": [r[3] for r in rows],
            "point": stacked[0],
        }
    )
    for name, band in zip(QUANTILES, bands, strict=False):
        table[name] = band
    return table.assign(n_draws=n_draws, seed=SEED, source=source)


def _cap_dates(days: dict[str, np.ndarray], fiscal_year: int, n_draws: int) -> pd.DataFrame:
    """The `cap_reached_intervals` table: per half, the share of draws whose numbers run out and the quantiles of
    the estimated cap-reached date (a draw that never reaches the cap counts as later than any date; a quantile
    that falls on such draws is empty)."""
    rows = []
    for half, values in days.items():
        start = np.datetime64(half_window(fiscal_year, half)[0], "ns")
        never = np.where(np.isnan(values), np.inf, values)
        drawn = np.quantile(never[1:], list(QUANTILES.values()), method="inverted_cdf")
        dates = [
            start + np.timedelta64(int(d), "D") if np.isfinite(d) else np.datetime64("NaT", "ns")
            for d in [never[0], *drawn]
        ]
        rows.append(
            {
                "half": half,
                "share_reached": float(np.isfinite(never[1:]).mean()),
                **dict(zip(["point", *QUANTILES], dates, strict=False)),
                "n_draws": n_draws,
                "seed": SEED,
            }
        )
    table = pd.DataFrame(rows, columns=CAP_DATE_COLUMNS)
    for column in ["point", *QUANTILES]:
        table[column] = table[column].astype("datetime64[ns]")
    return table


def interval_text(headline: dict[str, float], key: str, formatter) -> str:
    """' (80%: lo–hi)' for a headline figure that has an interval, '' otherwise; `formatter` formats a value."""
    lo, hi = headline.get(f"{key}_lo80"), headline.get(f"{key}_hi80")
    return "" if lo is None or hi is None else f" (80%: {formatter(lo)}–{formatter(hi)})"


def is_interval_key(key: str) -> bool:
    """True for the `<figure>_lo80` / `<figure>_hi80` headline keys."""
    return key.endswith(("_lo80", "_hi80")) and key[:-5] in HEADLINE_ROWS


def interval_note(intervals: pd.DataFrame, fiscal_year: int) -> str:
    """One line saying where the intervals come from, or that there are none."""
    if intervals is None or intervals.empty:
        return f"{NO_INTERVAL} (FY{fiscal_year})"
    first = intervals.iloc[0]
    return (
        f"80% and 95% intervals over {int(first['n_draws']):,} demand draws (seed {int(first['seed'])}), "
        f"carried through the caps; demand uncertainty: {first['source']}"
    )
