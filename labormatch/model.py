"""The pure scenario API: `run_scenario(assumptions, inputs) -> ScenarioResult`.

`load_inputs()` does every heavy or I/O step once (reads the data snapshot, calibrates demand with
scikit-learn, builds origin shares and processing-time tables) and returns `ModelInputs`. `run_scenario` is
plain arithmetic on those inputs: no I/O, no UI, deterministic, so the same assumptions and inputs always give
the same `ScenarioResult.hash()`.

Result tables (names and columns are the contract used by the report, the comparison and the app)
--------------------------------------------------------------------------------------------------
`demand` - one row per sector x visa class x month of the horizon:
    sector, visa_class ("H-2A"/"H-2B"), month (first of month), fiscal_year, half ("H1" Oct-Mar, "H2" Apr-Sep),
    shortage_workers (workers whose job would start that month, calibrated baseline),
    fillable_share (share), domestic_offset (share), wage_factor (ratio),
    demand_workers = shortage_workers x fillable_share x (1 - domestic_offset) x wage_factor (workers).
`allocation` - H-2B, chosen fiscal year, one row per sector x half x tranche in the order applied:
    sector, half, tranche, demand (workers still unmet when the tranche is applied), allocated (workers),
    unmet (workers still unmet after it).
`h2b_by_sector` - sector, half, demand, allocated, unmet (workers; final, all tranches).
`tranches` - tranche, kind ("statutory"/"supplemental"/"carveout"), fiscal_year, half ("H1"/"H2"/"both"),
    window_start, window_end (start dates served), size (workers; statutory_h2 includes carried_in),
    carried_in (unused first-half statutory numbers moved to the second half), returning_only (bool),
    countries ("; "-joined, empty = any), used, remaining (workers), source.
`h2a` - state, workers, aewr_usd_hour, aewr_basis ("state" or "mean of listed states"), weeks,
    hours_per_week, wage_bill_usd = workers x weeks x hours_per_week x aewr_usd_hour.
`quotas` - season (1..n), fiscal_year, origin, sector, visa_class, total_workers, returning_workers,
    new_workers, non_returning (workers who did not come back: went home for good or overstayed),
    overstays (workers), wages_earned_usd, wages_carried_home_usd.
`processing` - fiscal_year, visa_class, cases, workers, median_days, p90_days (OFLC received -> decision,
    days), share_late (share of workers whose decision came after the start date of need),
    late_worker_months (worker-months lost, 30.44-day months), and the same three after the
    faster-processing lever: median_days_lever, share_late_lever, late_worker_months_lever.
`cap_timing` - half, numbers (workers available), demand (workers), estimated_cap_reached_date,
    observed_cap_reached_date (USCIS, where published), basis.
`calibration` - sector, visa_class, model, folds, n_test, mae_worker_months, wape, naive_wape
    (out-of-sample error of the demand calibration, time-ordered CV).

Headline keys (floats): h2b_cap_total (statutory cap after overrides + supplemental used-or-not + carve-outs
outside the cap), h2b_statutory_cap, h2b_supplemental_total, h2b_demand, h2b_allocated, h2b_unmet,
h2b_unmet_h1, h2b_unmet_h2, h2a_workers, h2a_wage_bill_usd, new_workers, returning_workers (summed over
seasons), wages_earned_usd, wages_carried_home_usd (summed over seasons), late_start_share,
late_worker_months, late_worker_months_lever, late_worker_months_saved (H-2B workers admitted and H-2A
demand of the chosen year, at the delay distribution of the latest fiscal year in the data).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labormatch import circular, demand, matcher, processing
from labormatch.assumptions import Assumptions
from labormatch.errors import LabormatchError
from labormatch.rules import load_rules

TABLE_NAMES = (
    "demand", "allocation", "h2b_by_sector", "tranches", "h2a", "quotas", "processing", "cap_timing",
    "calibration",
)


@dataclass(frozen=True)
class ModelInputs:
    """Everything `run_scenario` reads, prepared once by `load_inputs()` (or built by hand in tests).

    baseline_demand: sector, visa_class, month, shortage_workers (workers starting that month).
    origin_shares: visa_class, origin, share (default origin mix; shares sum to 1 per visa class).
    aewr: state, year, aewr_usd_hour.
    h2a_state_shares: state, share (where H-2A workers work; sums to 1).
    sector_terms: sector, visa_class, contract_weeks, wage_usd_hour (typical job terms from OFLC cases).
    processing_cases: fiscal_year, visa_class, workers, processing_days (received -> decision),
        slack_days (need start - decision; negative = decided after the job should have started).
    filing_profile: half, day_offset (received date minus half start, days), cum_share (share of a half's
        positions received by that day).
    cap_reached: fiscal_year, cap_period, final_receipt_date (observed USCIS dates).
    calibration: the out-of-sample error table (see module docstring).
    vintage: data vintage (snapshot manifest summary) recorded in every result.
    """

    baseline_demand: pd.DataFrame
    origin_shares: pd.DataFrame
    aewr: pd.DataFrame
    h2a_state_shares: pd.DataFrame
    sector_terms: pd.DataFrame
    processing_cases: pd.DataFrame
    filing_profile: pd.DataFrame
    cap_reached: pd.DataFrame
    calibration: pd.DataFrame
    vintage: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's full output: the tables, headline figures, and the assumptions and data that made them."""

    assumptions: Assumptions
    data_vintage: dict
    tables: dict[str, pd.DataFrame]
    headline: dict[str, float]

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
        return json.dumps(payload, indent=1, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> "ScenarioResult":
        """Rebuild a result written by `to_json`."""
        data = json.loads(text)
        tables = {name: pd.read_json(io.StringIO(json.dumps(t)), orient="table") for name, t in data["tables"].items()}
        return cls(
            assumptions=Assumptions.from_dict(data["assumptions"]),
            data_vintage=data["data_vintage"],
            tables=tables,
            headline={k: float(v) for k, v in data["headline"].items()},
        )

    def _payload(self) -> dict:
        return {
            "assumptions": self.assumptions.to_dict(),
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
    fy = assumptions.fiscal_year
    demand_table = demand.size_demand(inputs.baseline_demand, assumptions)
    months = matcher.fiscal_months(fy)
    mixes = circular.origin_mix(inputs.origin_shares, assumptions)

    # H-2B: caps, halves, tranches, carve-outs
    sectors = sorted(set(demand_table["sector"]) | {c.sector for c in assumptions.pilot_carveouts})
    h2b = demand.fiscal_year_matrix(demand_table, "H-2B", fy, sectors, months)
    pools = matcher.build_pools(assumptions, rules)
    allocated, rows = matcher.allocate_h2b(h2b.to_numpy(), sectors, months, pools,
                                           matcher.returning_pool(assumptions, rules), mixes.get("H-2B", {}))
    allocation = pd.DataFrame(rows)
    by_sector = _by_sector_half(h2b.to_numpy(), allocated, sectors)
    tranches = matcher.tranche_table(pools, fy)

    # H-2A: uncapped, wage bill at the AEWR
    h2a_rules = rules.h2a(fy)
    h2a_by_sector = demand.fiscal_year_matrix(demand_table, "H-2A", fy, sectors, months).sum(axis=1)
    h2a = matcher.h2a_wage_bill(float(h2a_by_sector.sum()), fy, inputs.h2a_state_shares, inputs.aewr,
                                h2a_rules["contract_weeks"], h2a_rules["hours_per_week"])

    # circular quotas on the workers admitted this year
    season_need = _season_need(by_sector, h2a_by_sector, h2a, inputs.sector_terms, rules.h2b(fy)["hours_per_week"],
                               h2a_rules)
    quota_table = circular.quotas(season_need, mixes, assumptions)

    # processing time and cap timing
    delays = processing.delay_table(inputs.processing_cases, assumptions.processing_days_faster,
                                    assumptions.processing_pct_faster)
    lateness = processing.scenario_lateness(
        delays, {"H-2B": float(allocated.sum()), "H-2A": float(h2a_by_sector.sum())})
    h2b_delays = delays[delays["visa_class"] == "H-2B"]
    lag = float(h2b_delays.loc[h2b_delays["fiscal_year"].idxmax(), "median_days"]) if len(h2b_delays) else 0.0
    statutory = tranches.set_index("tranche")
    timing = matcher.cap_timing(
        fy,
        {"H1": float(statutory.loc["statutory_h1", "size"]), "H2": float(statutory.loc["statutory_h2", "size"])},
        {h: float(by_sector.loc[by_sector["half"] == h, "demand"].sum()) for h in matcher.HALVES},
        inputs.filing_profile, lag, inputs.cap_reached)

    tables = {
        "demand": demand_table, "allocation": allocation, "h2b_by_sector": by_sector, "tranches": tranches,
        "h2a": h2a, "quotas": quota_table, "processing": delays, "cap_timing": timing,
        "calibration": inputs.calibration,
    }
    headline = _headline(assumptions, by_sector, tranches, h2a, quota_table, lateness)
    return ScenarioResult(assumptions=assumptions, data_vintage=dict(inputs.vintage), tables=tables,
                          headline=headline)


def _by_sector_half(demand_matrix: np.ndarray, allocated: np.ndarray, sectors: list[str]) -> pd.DataFrame:
    rows = []
    for half, cols in (("H1", slice(0, 6)), ("H2", slice(6, 12))):
        d = demand_matrix[:, cols].sum(axis=1)
        a = allocated[:, cols].sum(axis=1)
        rows.append(pd.DataFrame({"sector": sectors, "half": half, "demand": d, "allocated": a, "unmet": d - a}))
    return pd.concat(rows, ignore_index=True)


def _season_need(by_sector: pd.DataFrame, h2a_by_sector: pd.Series, h2a: pd.DataFrame, terms: pd.DataFrame,
                 h2b_hours: float, h2a_rules: dict) -> pd.DataFrame:
    """First-season workers (H-2B allocated, H-2A demand) with their weeks, hours and hourly wage."""
    h2b = by_sector.groupby("sector", as_index=False)["allocated"].sum().rename(columns={"allocated": "workers"})
    h2b["visa_class"] = "H-2B"
    h2b = h2b.merge(terms[terms["visa_class"] == "H-2B"][["sector", "contract_weeks", "wage_usd_hour"]],
                    on="sector", how="left")
    h2b["weeks"] = h2b["contract_weeks"]
    h2b["hours_per_week"] = h2b_hours
    h2a_wage = float((h2a["workers"] * h2a["aewr_usd_hour"]).sum() / h2a["workers"].sum()) if h2a["workers"].sum() else 0.0
    farm = pd.DataFrame({"sector": h2a_by_sector.index, "workers": h2a_by_sector.to_numpy(), "visa_class": "H-2A",
                         "weeks": float(h2a_rules["contract_weeks"]), "hours_per_week": float(h2a_rules["hours_per_week"]),
                         "wage_usd_hour": h2a_wage})
    need = pd.concat([h2b[["sector", "visa_class", "workers", "weeks", "hours_per_week", "wage_usd_hour"]], farm],
                     ignore_index=True)
    need = need[need["workers"] > 0].copy()
    missing = need[need["weeks"].isna() | need["wage_usd_hour"].isna()]
    if len(missing):
        raise LabormatchError(f"sector_terms: no contract weeks or wage for {', '.join(missing['sector'])} (H-2B)")
    return need.reset_index(drop=True)


def _headline(assumptions: Assumptions, by_sector: pd.DataFrame, tranches: pd.DataFrame, h2a: pd.DataFrame,
              quota_table: pd.DataFrame, lateness: dict[str, float]) -> dict[str, float]:
    kind = tranches.groupby("kind")["size"].sum()
    outside = sum(c.numbers for c in assumptions.pilot_carveouts if not c.inside_cap)
    half = by_sector.groupby("half")["unmet"].sum()
    return {
        "h2b_statutory_cap": float(assumptions.annual_cap()),
        "h2b_supplemental_total": float(kind.get("supplemental", 0.0)),
        "h2b_cap_total": float(assumptions.annual_cap() + kind.get("supplemental", 0.0) + outside),
        "h2b_demand": float(by_sector["demand"].sum()),
        "h2b_allocated": float(by_sector["allocated"].sum()),
        "h2b_unmet": float(by_sector["unmet"].sum()),
        "h2b_unmet_h1": float(half.get("H1", 0.0)),
        "h2b_unmet_h2": float(half.get("H2", 0.0)),
        "h2a_workers": float(h2a["workers"].sum()),
        "h2a_wage_bill_usd": float(h2a["wage_bill_usd"].sum()),
        "new_workers": float(quota_table["new_workers"].sum()),
        "returning_workers": float(quota_table["returning_workers"].sum()),
        "wages_earned_usd": float(quota_table["wages_earned_usd"].sum()),
        "wages_carried_home_usd": float(quota_table["wages_carried_home_usd"].sum()),
        **{k: float(v) for k, v in lateness.items()},
    }


__all__ = ["ModelInputs", "ScenarioResult", "TABLE_NAMES", "run_scenario"]
