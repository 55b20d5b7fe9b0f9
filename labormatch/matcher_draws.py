"""`matcher.allocate_h2b` over many demand draws at once, and the cap-reached day of each draw.

`allocate_h2b_draws` applies the same rule, step for step, to a draws x sectors x 12 months demand array: the
same pools in the same order, the same months, the same pro-rata split; each draw keeps its own numbers used,
carried-in first-half numbers and returning pool. Draw by draw it gives what `allocate_h2b` gives for that
draw's matrix (tests/test_draws_matcher.py checks it on random inputs). The pools passed in are not changed.

`cap_reached_days` is `cap_timing.estimate` for every draw: the first profile day where demand x cum_share
reaches the half's numbers, plus the filing lag, minus the processing days saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from labormatch import cap_timing
from labormatch.fiscal import HALF_SLICES, HALVES
from labormatch.matcher import Pool, country_share, covered_share, sector_mask


@dataclass(frozen=True)
class DrawAllocation:
    """Per draw: allocated workers (draws x sectors x months); per (half, tranche) row of `steps`: demand still
    unmet before the tranche, allocated by it and unmet after it, summed over sectors (draws x steps); numbers per
    pool after the carry-in (`sizes`, draws x pools) and used (`used`, draws x pools)."""

    allocated: np.ndarray
    steps: list[tuple[str, str]]
    before: np.ndarray
    given: np.ndarray
    after: np.ndarray
    sizes: np.ndarray
    used: np.ndarray
    tranches: list[str]


def allocate_h2b_draws(
    demand: np.ndarray,
    sectors: list[str],
    months: list[dt.date],
    pools: list[Pool],
    pool_returning: float,
    origin_shares: dict[str, float],
) -> DrawAllocation:
    """Allocate H-2B numbers to each draw of `demand` (draws x sectors x 12 fiscal months, workers); `origin_shares`:
    the H-2B origin mix, as in `matcher.allocate_h2b`."""
    draws = demand.shape[0]
    remaining = demand.astype(float).copy()
    allocated = np.zeros_like(remaining)
    sizes = np.array([[p.size for p in pools]] * draws, dtype=float).reshape(draws, len(pools))
    used = np.zeros_like(sizes)
    returning_left = np.full(draws, float(pool_returning))
    sector_index = {s: i for i, s in enumerate(sectors)}
    tranche_index = {p.tranche: i for i, p in enumerate(pools)}
    steps, before_rows, given_rows, after_rows = [], [], [], []
    for half, month_slice in HALF_SLICES.items():
        if half == "H2":
            h1, h2 = tranche_index["statutory_h1"], tranche_index["statutory_h2"]
            sizes[:, h2] += sizes[:, h1] - used[:, h1]
        for k, pool in enumerate(pools):
            if pool.half not in (half, "both"):
                continue
            before = remaining[:, :, month_slice].sum(axis=2)
            share = country_share(origin_shares, pool.countries)
            mask = sector_mask(pool, sectors, sector_index)
            for m in range(month_slice.start, month_slice.stop):
                cover = covered_share(months[m], pool.window_start, pool.window_end)
                if cover == 0.0:
                    continue
                eligible = remaining[:, :, m] * cover * share * mask
                total = eligible.sum(axis=1)
                available = sizes[:, k] - used[:, k]
                if pool.returning_only:
                    available = np.minimum(available, returning_left)
                take = np.minimum(available, total)
                taking = take > 0.0
                if not taking.any():
                    continue
                ratio = np.divide(take, total, out=np.zeros(draws), where=taking)
                given = eligible[taking] * ratio[taking, None]
                remaining[taking, :, m] -= given
                allocated[taking, :, m] += given
                used[taking, k] += take[taking]
                if pool.returning_only:
                    returning_left[taking] -= take[taking]
            after = remaining[:, :, month_slice].sum(axis=2)
            steps.append((half, pool.tranche))
            before_rows.append(before.sum(axis=1))
            given_rows.append((before - after).sum(axis=1))
            after_rows.append(after.sum(axis=1))
    return DrawAllocation(
        allocated,
        steps,
        np.stack(before_rows, axis=1),
        np.stack(given_rows, axis=1),
        np.stack(after_rows, axis=1),
        sizes,
        used,
        [p.tranche for p in pools],
    )


def cap_reached_days(
    fiscal_year: int,
    numbers: dict[str, np.ndarray],
    demand: dict[str, np.ndarray],
    profile: pd.DataFrame,
    calibration: pd.DataFrame | None,
    days_saved: float,
) -> dict[str, np.ndarray]:
    """Per half, the estimated cap-reached date of each draw as days after the half's first day (NaN where the
    draw's demand does not exceed its numbers, or the profile never reaches them), as `cap_timing.estimate`."""
    halves = profile["half"].to_numpy()
    offsets = profile["day_offset"].to_numpy(float)
    shares = profile["cum_share"].to_numpy(float)
    out = {}
    for half in HALVES:
        wanted, have = np.asarray(numbers[half], float), np.asarray(demand[half], float)
        days = np.full(have.shape, np.nan)
        mask = halves == half
        if mask.any():
            lag, _ = cap_timing.filing_lag(calibration, half)
            order = np.argsort(offsets[mask], kind="stable")
            hits = shares[mask][order][None, :] * have[:, None] >= wanted[:, None]
            reached = (have > wanted) & hits.any(axis=1)
            first = offsets[mask][order][hits.argmax(axis=1)]
            days = np.where(reached, np.round(first + lag - days_saved), np.nan)
        out[half] = days
    return out
