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
    window_start, window_end (start dates served), size (workers), returning_only (bool),
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
late_worker_months, late_worker_months_lever, late_worker_months_saved (H-2B and H-2A demand of the chosen
year, at the delay distribution of the latest fiscal year in the data).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labormatch.assumptions import Assumptions

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

    STUB (first contract commit): raises until the matcher, circular and processing modules land.
    """
    raise NotImplementedError("run_scenario: stub in the contract commit; implemented in the next commit")


__all__ = ["ModelInputs", "ScenarioResult", "TABLE_NAMES", "run_scenario"]
