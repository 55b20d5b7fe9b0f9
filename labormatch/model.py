"""The pure scenario API: `run_scenario(assumptions, inputs) -> ScenarioResult`.

The inputs come from `labormatch.model_inputs.load_inputs()`, which does every heavy or I/O step once and returns
`ModelInputs`. `run_scenario` is plain arithmetic on those inputs: no I/O, no UI, deterministic, so the same
assumptions and inputs always give the same `ScenarioResult.hash()`.

Result tables (names and columns are the contract used by the report, the comparison and the app)
--------------------------------------------------------------------------------------------------
`demand` - one row per sector x visa class x month of the horizon:
    sector, visa_class ("H-2A"/"H-2B"), month (first of month), fiscal_year, half ("H1" Oct-Mar, "H2" Apr-Sep),
    shortage_workers (workers whose job would start that month: national total x composition share, see
    `labormatch.demand_baseline`),
    fillable_share (share), domestic_offset (share), wage_factor (ratio),
    demand_workers = shortage_workers x fillable_share x (1 - domestic_offset) x wage_factor (workers).
`allocation` - H-2B, chosen fiscal year, one row per sector x half x tranche in the order applied:
    sector, half, tranche, demand (workers still unmet when the tranche is applied), allocated (workers),
    unmet (workers still unmet after it).
`h2b_by_sector` - sector, half, demand, allocated, unmet (workers; final, all tranches).
`tranches` - tranche, kind ("statutory"/"supplemental"/"carveout"), fiscal_year, half ("H1"/"H2"/"both"),
    window_start, window_end (start dates served), size (workers; statutory_h2 includes carried_in),
    carried_in (unused first-half statutory numbers moved to the second half), returning_only (bool),
    countries ("; "-joined, empty = any), used, remaining (workers), source,
    sector (analysis sector a pilot carve-out serves; missing for the other tranches).
`origin_mix` - visa_class, origin, share (share of the visa class's workers, sums to 1 per class): the mix
    `circular.origin_mix` builds (each class's own shares or its DOS default, restricted to the circular program's
    countries and rescaled); the H-2B mix sets the country set-asides' eligible share in the allocation, and
    both mixes split first-season workers in `quotas`.
`h2a` - state, workers, aewr_usd_hour, aewr_basis ("state YYYY": that state's rate of year YYYY, or "mean of
    listed states YYYY"), weeks,
    hours_per_week, wage_bill_usd = workers x weeks x hours_per_week x aewr_usd_hour.
`quotas` - season (1..n), fiscal_year, origin, sector, visa_class, total_workers, returning_workers,
    new_workers, non_returning (workers who did not come back: went home for good or overstayed),
    overstays (workers), returning_eligible (alumni at home who worked in one of the look-back seasons, 3 under
    rules/h2b_returning_worker_lookback.yaml: the
    pool the supplemental returning-worker rule allows), wages_earned_usd, wages_carried_home_usd.
`processing` - fiscal_year, visa_class, cases, workers, median_days, p90_days (OFLC received -> decision,
    days; case-weighted lower quantiles), share_late (share of workers whose decision came after the start date of
    need),
    late_worker_months (worker-months lost, 30.44-day months), and the same three after the
    faster-processing lever: median_days_lever, share_late_lever, late_worker_months_lever.
`cap_timing` - half, numbers (workers available), demand (workers), estimated_cap_reached_date (method:
    `labormatch.cap_timing`),
    observed_cap_reached_date (USCIS, where published), basis.
`control_totals` - national demand figures in every published measure with source and publication date
    (columns: `labormatch.control_totals`).
`demand_forecast` - national positions certified by visa class and fiscal year: observed, converted from
    another measure, or forecast with 80%/95% intervals (columns: `labormatch.demand_baseline.national`).
`demand_backtest` - the rolling-origin backtest on published figures, model against two naive benchmarks, and
    the January windows as a secondary check (columns: `labormatch.demand_backtest`).
`composition_check` - the sector-share model's out-of-sample errors per sector and fiscal year (columns:
    `labormatch.composition.out_of_sample`).
`composition_current` - the model's FY2026 H-2B sector and state shares next to the newest job-order picture and
    the FY2024 January-peak list (columns: `labormatch.composition.current_check`).
`intervals` - demand draws carried through the caps (`labormatch.demand_intervals`): measure (h2b_demand,
    h2b_used, h2b_unmet, h2b_window_positions, h2b_h2_numbers, h2b_h2_selection_probability, h2a_workers,
    h2a_wage_bill_usd), half ("H1"/"H2"/"all"), tranche (a tranche, "all", or "" for H-2A), unit, point (the
    central path: the point run's figure), median, lo80, hi80, lo95, hi95 (quantiles over the draws), n_draws,
    seed, source (the demand uncertainty's). Empty when the inputs carry no demand uncertainty.
`cap_reached_intervals` - half, share_reached (share of draws whose statutory numbers run out), point, median,
    lo80, hi80, lo95, hi95 (estimated cap-reached dates; empty where that quantile's draw never reaches the cap),
    n_draws, seed. Empty without demand uncertainty.
`rules` - parameter, effective (date), value (text), unit, source: every program rule used, with its citation
    (values marked "check" are unconfirmed and treated as assumptions).

Headline keys (floats): h2b_cap_total (statutory cap after overrides + supplemental used-or-not + carve-outs
outside the cap), h2b_statutory_cap, h2b_supplemental_total, h2b_demand, h2b_allocated, h2b_unmet,
h2b_unmet_h1, h2b_unmet_h2, h2a_workers, h2a_wage_bill_usd, new_workers, returning_workers (summed over
seasons), wages_earned_usd, wages_carried_home_usd (summed over seasons), late_start_share,
late_worker_months, late_worker_months_lever, late_worker_months_saved (H-2B workers admitted and H-2A
demand of the chosen year, at the delay distribution of the latest fiscal year in the data),
h2b_h2_selection_probability (odds that a second-half petition filed in the January window is selected; see
`labormatch.demand_intervals`); with demand uncertainty, `<figure>_lo80` and `<figure>_hi80` (80% interval) for
h2b_demand, h2b_allocated, h2b_unmet, h2b_unmet_h1, h2b_unmet_h2, h2a_workers, h2a_wage_bill_usd and
h2b_h2_selection_probability.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labormatch import (
    cap_timing,
    circular,
    demand,
    demand_intervals,
    matcher,
    processing,
)
from labormatch.assumptions import Assumptions, ResolvedRules
from labormatch.errors import LabormatchError
from labormatch.fiscal import HALF_SLICES, HALVES, fiscal_months
from labormatch.h2a_wages import h2a_wage_bill
from labormatch.result_warnings import result_warnings
from labormatch.rules import load_rules

if TYPE_CHECKING:
    from labormatch.model_inputs import ModelInputs

DEMAND_TABLES = ("control_totals", "demand_forecast", "demand_backtest", "composition_check", "composition_current")
TABLE_NAMES = (
    "demand",
    "allocation",
    "h2b_by_sector",
    "tranches",
    "origin_mix",
    "h2a",
    "quotas",
    "processing",
    "cap_timing",
    *DEMAND_TABLES,
    "rules",
    "intervals",
    "cap_reached_intervals",
)


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's full output: the tables, headline figures, and the assumptions and data that made them.

    `resolved` holds the rule values the run used (cap in force, half shares and numbers, tranches, look-back;
    `Assumptions.resolve`): shells read them instead of working a rule out again. It follows from the
    assumptions and the rules (the `rules` table), so it is saved with the result but left out of the hash.
    """

    assumptions: Assumptions
    data_vintage: dict
    tables: dict[str, pd.DataFrame]
    headline: dict[str, float]
    resolved: ResolvedRules | None = None  # None: resolved from the packaged rules on construction

    def __post_init__(self) -> None:
        if self.resolved is None:
            object.__setattr__(self, "resolved", self.assumptions.resolve(load_rules()))

    @property
    def warnings(self) -> list[str]:
        """Plain warnings about this result (origins left out of the quotas, runaway need growth;
        `labormatch.result_warnings`), the same in the app, the CLI and the workbook."""
        return result_warnings(self)

    def canonical_json(self) -> str:
        """Deterministic JSON of assumptions + vintage + tables + headline (sorted keys, fixed float format)."""
        return json.dumps(self._payload(), sort_keys=True, separators=(",", ":"), default=str)

    def hash(self) -> str:
        """sha256 of the canonical JSON: equal inputs and assumptions give an equal hash."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        """JSON text readable by `from_json` (tables in pandas 'table' orient, with their schema)."""
        payload = self._payload()
        payload["hash"] = self.hash()
        payload["resolved"] = self.resolved.to_dict()
        return json.dumps(payload, indent=1, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> ScenarioResult:
        """Rebuild a result written by `to_json`."""
        data = json.loads(text)
        tables = {name: pd.read_json(io.StringIO(json.dumps(t)), orient="table") for name, t in data["tables"].items()}
        return cls(
            assumptions=Assumptions.from_dict(data["assumptions"]),
            data_vintage=data["data_vintage"],
            tables=tables,
            headline={k: float(v) for k, v in data["headline"].items()},
            resolved=ResolvedRules.from_dict(data["resolved"]) if "resolved" in data else None,
        )

    def _payload(self) -> dict:
        return {
            "assumptions": self.assumptions.hash_dict(),
            "data_vintage": self.data_vintage,
            "headline": {k: _round(v) for k, v in sorted(self.headline.items())},
            "tables": {name: _table_json(df) for name, df in sorted(self.tables.items())},
        }


def _round(value: float) -> float:
    """Round to 9 significant digits so platform float noise does not change the hash."""
    value = float(value)
    return 0.0 if value == 0 or not np.isfinite(value) else float(f"{value:.9g}")


def _table_json(df: pd.DataFrame) -> dict:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(_round)
    return json.loads(out.to_json(orient="table", index=False, date_format="iso", date_unit="s"))


def run_scenario(assumptions: Assumptions, inputs: ModelInputs) -> ScenarioResult:
    """Run one scenario: demand -> H-2B allocation and H-2A sizing -> circular quotas -> processing time.

    Pure: reads only its arguments and the packaged rules; the same arguments give the same result hash.
    """
    rules = load_rules()
    resolved = assumptions.resolve(rules)
    fy = assumptions.fiscal_year
    demand_table = demand.size_demand(inputs.baseline_demand, assumptions)
    months = fiscal_months(fy)
    mixes = circular.origin_mix(inputs.origin_shares, assumptions)

    # H-2B: caps, halves, tranches, carve-outs
    sectors = sorted(set(demand_table["sector"]) | {c.sector for c in assumptions.pilot_carveouts})
    h2b = demand.fiscal_year_matrix(demand_table, "H-2B", fy, sectors)
    pools = matcher.build_pools(assumptions, rules)
    allocated, rows = matcher.allocate_h2b(h2b, sectors, months, pools, resolved.returning_pool, mixes.get("H-2B", {}))
    allocation = pd.DataFrame(rows, columns=["sector", "half", "tranche", "demand", "allocated", "unmet"])
    by_sector = _by_sector_half(h2b, allocated, sectors)
    tranches = matcher.tranche_table(pools, fy)

    # H-2A: uncapped, wage bill at the AEWR
    h2a_rules = rules.h2a(fy)
    h2a_by_sector = demand.fiscal_year_matrix(demand_table, "H-2A", fy, sectors).sum(axis=1)
    h2a = h2a_wage_bill(
        float(h2a_by_sector.sum()),
        fy,
        inputs.h2a_state_shares,
        inputs.aewr,
        h2a_rules["contract_weeks"],
        h2a_rules["hours_per_week"],
    )

    # circular quotas on the workers admitted this year
    season_need = _season_need(
        sectors,
        allocated.sum(axis=1),
        h2a_by_sector,
        h2a,
        inputs.sector_terms,
        rules.h2b(fy)["hours_per_week"],
        h2a_rules,
    )
    quota_table = circular.quotas(season_need, mixes, assumptions, resolved.lookback_years)

    # processing time and cap timing
    delays = processing.delay_table(
        inputs.processing_cases, assumptions.processing_days_faster, assumptions.processing_pct_faster
    )
    lateness = processing.scenario_lateness(
        delays, {"H-2B": float(allocated.sum()), "H-2A": float(h2a_by_sector.sum())}
    )
    h2b_delays = delays[delays["visa_class"] == "H-2B"]  # latest FY last: processing days the lever saves
    saved = (
        float(h2b_delays["median_days"].iloc[-1] - h2b_delays["median_days_lever"].iloc[-1]) if len(h2b_delays) else 0.0
    )
    statutory = {p.tranche: p.size for p in pools if p.kind == "statutory"}
    timing = cap_timing.estimate(
        fy,
        {"H1": statutory["statutory_h1"], "H2": statutory["statutory_h2"]},
        {half: float(h2b[:, months].sum()) for half, months in HALF_SLICES.items()},
        inputs.filing_profile,
        inputs.cap_calibration,
        saved,
        inputs.cap_reached,
    )

    # the same caps over demand draws: intervals (none without a demand uncertainty)
    intervals, cap_dates, interval_headline = demand_intervals.interval_tables(
        assumptions,
        inputs,
        {"H-2B": h2b, "H-2A": demand.fiscal_year_matrix(demand_table, "H-2A", fy, sectors)},
        statutory["statutory_h2"],
        sectors,
        mixes.get("H-2B", {}),
        h2a,
        saved,
        rules,
    )

    tables = {
        "demand": demand_table,
        "allocation": allocation,
        "h2b_by_sector": by_sector,
        "tranches": tranches,
        "origin_mix": circular.mix_table(mixes),
        "h2a": h2a,
        "quotas": quota_table,
        "processing": delays,
        "cap_timing": timing,
        **{name: inputs.demand_tables.get(name, pd.DataFrame()) for name in DEMAND_TABLES},
        "rules": pd.DataFrame(rules.table()),
        "intervals": intervals,
        "cap_reached_intervals": cap_dates,
    }
    headline = {**_headline(resolved, assumptions, by_sector, pools, h2a, quota_table, lateness), **interval_headline}
    return ScenarioResult(
        assumptions=assumptions, data_vintage=dict(inputs.vintage), tables=tables, headline=headline, resolved=resolved
    )


def _by_sector_half(demand_matrix: np.ndarray, allocated: np.ndarray, sectors: list[str]) -> pd.DataFrame:
    d = np.concatenate([demand_matrix[:, HALF_SLICES[half]].sum(axis=1) for half in HALVES])
    a = np.concatenate([allocated[:, HALF_SLICES[half]].sum(axis=1) for half in HALVES])
    return pd.DataFrame(
        {
            "sector": sectors * len(HALVES),
            "half": [half for half in HALVES for _ in sectors],
            "demand": d,
            "allocated": a,
            "unmet": d - a,
        }
    )


def _season_need(
    sectors: list[str],
    h2b_workers: np.ndarray,
    h2a_workers: np.ndarray,
    h2a: pd.DataFrame,
    terms: pd.DataFrame,
    h2b_hours: float,
    h2a_rules: dict,
) -> pd.DataFrame:
    """First-season workers (H-2B admitted, H-2A demand) by sector with weeks, hours and hourly wage."""
    b = terms["visa_class"].to_numpy() == "H-2B"
    weeks = dict(zip(terms["sector"].to_numpy()[b], terms["contract_weeks"].to_numpy(float)[b], strict=True))
    wage = dict(zip(terms["sector"].to_numpy()[b], terms["wage_usd_hour"].to_numpy(float)[b], strict=True))
    h2b_rows = [i for i, w in enumerate(h2b_workers) if w > 0]
    missing = [sectors[i] for i in h2b_rows if sectors[i] not in weeks or sectors[i] not in wage]
    if missing:
        raise LabormatchError(f"sector_terms: no H-2B contract weeks or wage for {', '.join(missing)}")
    h2a_total = float(h2a["workers"].sum())
    h2a_wage = float((h2a["workers"] * h2a["aewr_usd_hour"]).sum() / h2a_total) if h2a_total else 0.0
    h2a_rows = [i for i, w in enumerate(h2a_workers) if w > 0]
    return pd.DataFrame(
        {
            "sector": [sectors[i] for i in h2b_rows] + [sectors[i] for i in h2a_rows],
            "visa_class": ["H-2B"] * len(h2b_rows) + ["H-2A"] * len(h2a_rows),
            "workers": [h2b_workers[i] for i in h2b_rows] + [h2a_workers[i] for i in h2a_rows],
            "weeks": [weeks[sectors[i]] for i in h2b_rows] + [float(h2a_rules["contract_weeks"])] * len(h2a_rows),
            "hours_per_week": [h2b_hours] * len(h2b_rows) + [float(h2a_rules["hours_per_week"])] * len(h2a_rows),
            "wage_usd_hour": [wage[sectors[i]] for i in h2b_rows] + [h2a_wage] * len(h2a_rows),
        }
    )


def _headline(
    resolved: ResolvedRules,
    assumptions: Assumptions,
    by_sector: pd.DataFrame,
    pools: list,
    h2a: pd.DataFrame,
    quota_table: pd.DataFrame,
    lateness: dict[str, float],
) -> dict[str, float]:
    supplemental = sum(p.size for p in pools if p.kind == "supplemental")
    outside = sum(c.numbers for c in assumptions.pilot_carveouts if not c.inside_cap)
    first = by_sector["half"].to_numpy() == "H1"
    unmet = by_sector["unmet"].to_numpy()
    return {
        "h2b_statutory_cap": float(resolved.annual_cap),
        "h2b_supplemental_total": float(supplemental),
        "h2b_cap_total": float(resolved.annual_cap + supplemental + outside),
        "h2b_demand": float(by_sector["demand"].sum()),
        "h2b_allocated": float(by_sector["allocated"].sum()),
        "h2b_unmet": float(unmet.sum()),
        "h2b_unmet_h1": float(unmet[first].sum()),
        "h2b_unmet_h2": float(unmet[~first].sum()),
        "h2a_workers": float(h2a["workers"].sum()),
        "h2a_wage_bill_usd": float(h2a["wage_bill_usd"].sum()),
        "new_workers": float(quota_table["new_workers"].sum()),
        "returning_workers": float(quota_table["returning_workers"].sum()),
        "wages_earned_usd": float(quota_table["wages_earned_usd"].sum()),
        "wages_carried_home_usd": float(quota_table["wages_carried_home_usd"].sum()),
        **{k: float(v) for k, v in lateness.items()},
    }
