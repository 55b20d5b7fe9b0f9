"""The inputs a run needs, built from the data snapshot: `ModelInputs` and `load_inputs()`.

`load_inputs()` does every heavy or I/O step once (reads the data snapshot, builds the demand control totals,
fits the national demand model and the composition, builds origin shares and processing-time tables) and
returns `ModelInputs`, cached per snapshot checksum; `labormatch.model.run_scenario` is plain arithmetic on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from labormatch import (
    cap_timing,
    composition,
    control_totals,
    demand,
    demand_backtest,
    demand_baseline,
    demand_model,
    snapshot,
)
from labormatch.demand_uncertainty import DemandUncertainty
from labormatch.fiscal import fiscal_year_of, fiscal_years
from labormatch.rules import fiscal_year_start, load_rules
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

MIN_ORIGIN_SHARE = 0.005  # nationalities below 0.5% of a visa class are grouped as "All other nationalities"
OTHER_ORIGINS = "All other nationalities"
FILING_YEARS = 5  # latest complete fiscal years pooled for the certification-date profile and job terms
MAX_HORIZON_MONTHS = 60
INDICATOR_FORECAST_MONTHS = 24


CONTROL_TOTAL_TABLES = (
    "epi_h2a_national",
    "epi_h2b_national",
    "h2_published_figures",
    "dos_issuances",
    "h2b_fy2026_facts",
    "h2b_jan_peak_fy2024",
)


@dataclass(frozen=True)
class ModelInputs:
    """Everything `labormatch.model.run_scenario` reads, prepared once by `load_inputs()` (or built by hand in
    tests).

    baseline_demand: sector, visa_class, month, shortage_workers (workers starting that month).
    origin_shares: visa_class, origin, share (default origin mix; shares sum to 1 per visa class).
    aewr: state, year, aewr_usd_hour.
    h2a_state_shares: state, share (where H-2A workers work; sums to 1).
    sector_terms: sector, visa_class, contract_weeks, wage_usd_hour (typical job terms from OFLC cases).
    processing_cases: fiscal_year, visa_class, workers, processing_days (received -> decision),
        slack_days (need start - decision; negative = decided after the job should have started), and
        optionally cases (how many cases the row stands for; 1 when absent).
    filing_profile: half, day_offset (OFLC decision date minus half start, days), cum_share (share of a half's
        certified H-2B positions certified by that day); see `labormatch.cap_timing`.
    cap_reached: fiscal_year, cap_period, final_receipt_date (observed USCIS dates).
    demand_tables: the demand model's record by name (`labormatch.model.DEMAND_TABLES`; columns in that module's
        docstring); missing names give empty tables.
    vintage: data vintage (snapshot manifest summary) recorded in every result.
    cap_calibration: fiscal_year, half, observed_date, certified_reached_date, lag_days: the certification ->
        USCIS filing lag measured on published cap dates (`cap_timing.filing_lag_calibration`); None = no lag.
    demand_uncertainty: the baseline's forecast-error distribution (`labormatch.demand_uncertainty`); None = a
        point run only.
    """

    baseline_demand: pd.DataFrame
    origin_shares: pd.DataFrame
    aewr: pd.DataFrame
    h2a_state_shares: pd.DataFrame
    sector_terms: pd.DataFrame
    processing_cases: pd.DataFrame
    filing_profile: pd.DataFrame
    cap_reached: pd.DataFrame
    demand_tables: dict[str, pd.DataFrame]
    vintage: dict = field(default_factory=dict)
    cap_calibration: pd.DataFrame | None = None
    demand_uncertainty: DemandUncertainty | None = None


def load_inputs(data_dir: Path | None = None, forecast: bool = True) -> ModelInputs:
    """Read the snapshot and fit demand once; cached per snapshot checksum (a few seconds cold, plus the
    employment forecasts that drive demand, which `labormatch.forecast` caches on disk).

    forecast: continue the demand driver (sector employment) with `labormatch.forecast.sector_forecasts`
    (24 months); only for the default snapshot folder, which is the one the forecast module reads. Without it
    (or past the forecast) the driver is taken as 0 (no change).
    """
    checksum = snapshot.data_checksum(data_dir)
    return _cached_inputs(str(data_dir) if data_dir else None, checksum, forecast and data_dir is None)


@lru_cache(maxsize=2)
def _cached_inputs(data_dir: str | None, checksum: str, forecast: bool) -> ModelInputs:
    indicator_future = None
    if forecast:
        from labormatch.forecast.sectors import sector_forecasts

        indicator_future = demand_model.driver_rows_from_forecast(
            sector_forecasts(horizon=INDICATOR_FORECAST_MONTHS, series=(demand_model.DRIVER_SERIES,))
        )
    return _build_inputs(Path(data_dir) if data_dir else None, indicator_future, checksum)


def _build_inputs(data_dir: Path | None, indicator_forecast: pd.DataFrame | None, checksum: str) -> ModelInputs:
    def table(name: str) -> pd.DataFrame:
        return snapshot.load_table(name, data_dir)

    cases, panel = table("oflc_cases"), table("panel")
    complete = demand.complete_fiscal_years(cases)
    rules = load_rules()
    until = pd.Timestamp(fiscal_year_start(rules.last_fiscal_year)) + pd.DateOffset(months=MAX_HORIZON_MONTHS - 1)
    baseline, demand_tables, demand_note = _demand(
        cases, panel, complete, table, until, min(rules.fiscal_years), indicator_forecast
    )
    manifest = snapshot.manifest(data_dir)
    cap_reached = table("reference/h2b_cap_reached_dates")[["fiscal_year", "cap_period", "final_receipt_date"]]
    cap_years = cap_timing.cap_years(complete.get("H-2B", set()))
    return ModelInputs(
        baseline_demand=baseline,
        origin_shares=origin_shares_from_issuances(table("reference/dos_issuances")),
        aewr=_aewr(table("reference/aewr")),
        h2a_state_shares=_h2a_state_shares(table("panel_state"), complete.get("H-2A", set())),
        sector_terms=_sector_terms(cases, complete),
        processing_cases=_processing_cases(cases, complete),
        filing_profile=cap_timing.certification_profile(cases, cap_years[-FILING_YEARS:]),
        cap_reached=cap_reached,
        demand_tables=demand_tables,
        cap_calibration=cap_timing.filing_lag_calibration(cases, cap_reached, cap_years, rules),
        demand_uncertainty=demand_note.pop("uncertainty"),
        vintage={
            "data_checksum": checksum,
            "snapshot_built_at": str(manifest.get("built_at", "")),
            "package_version": str(manifest.get("package_version", "")),
            "complete_fiscal_years": {k: sorted(v) for k, v in complete.items()},
            **demand_note,
            "indicator_forecast": (
                f"labormatch.forecast.sector_forecasts, {INDICATOR_FORECAST_MONTHS} months of "
                f"{demand_model.DRIVER_SERIES}; driver held at 0 after"
                if indicator_forecast is not None
                else "none: the demand driver is held at 0 after the data end"
            ),
        },
    )


def _demand(
    cases: pd.DataFrame,
    panel: pd.DataFrame,
    complete: dict[str, set[int]],
    table,
    until: pd.Timestamp,
    first_year: int,
    indicator_forecast: pd.DataFrame | None,
) -> tuple[pd.DataFrame, dict, dict]:
    """Baseline demand (national total x composition share), the demand record tables and the notes for the
    vintage (models, conversions, uncertainty)."""
    totals = control_totals.build({name: table(f"reference/{name}") for name in CONTROL_TOTAL_TABLES}, cases)
    driver = demand_model.driver_series(panel, indicator_forecast)
    # national demand is forecast at least to the planning horizon, the last fiscal year a scenario may choose
    last_year = max(fiscal_year_of(until), load_rules().last_fiscal_year)
    national = demand_baseline.national(totals, driver, last_year)
    compositions = {v: composition.Composition(cases, v, complete[v]) for v in demand_baseline.VISA_CLASSES}
    baseline = demand_baseline.baseline(national.table, compositions, first_year)
    h2b = compositions["H-2B"]
    latest = h2b.cell_shares([h2b.years[1]])
    april_share = float(latest.loc[latest["calendar_month"] == 4, "share"].sum())
    backtest = pd.concat(
        [demand_backtest.backtest(totals, driver), demand_backtest.window_check(totals, driver, april_share)],
        ignore_index=True,
    )
    current = composition.current_check(
        h2b, cases, complete["H-2B"], table("reference/job_orders"), table("reference/h2b_jan_peak_fy2024")
    )
    tables = {
        "control_totals": totals,
        "demand_forecast": national.table,
        "demand_backtest": backtest,
        "composition_check": pd.concat([c.check for c in compositions.values()], ignore_index=True),
        "composition_current": current,
    }
    note = {
        "demand_model": [demand_model.describe(m) for m in national.fits.values()],
        "demand_composition": [c.describe() for c in compositions.values()],
        "demand_conversions": [c.describe() for c in national.conversions],
        "uncertainty": demand_baseline.uncertainty(national, totals, driver, compositions),
    }
    return baseline, tables, note


def origin_shares_from_issuances(dos: pd.DataFrame) -> pd.DataFrame:
    """Origin shares per visa class over the latest fiscal year with all 12 months of issuances."""
    dos = dos.assign(fiscal_year=fiscal_years(dos["month"]))
    months = dos.groupby("fiscal_year")["month"].nunique()
    year = int(months[months == 12].index.max())
    use = dos[dos["fiscal_year"] == year].groupby(["visa_class", "nationality"], as_index=False)["issuances"].sum()
    use["share"] = use["issuances"] / use.groupby("visa_class")["issuances"].transform("sum")
    use["origin"] = np.where(use["share"] >= MIN_ORIGIN_SHARE, use["nationality"], OTHER_ORIGINS)
    out = use.groupby(["visa_class", "origin"], as_index=False)["share"].sum()
    out["fiscal_year"] = year
    return out


def _aewr(aewr: pd.DataFrame) -> pd.DataFrame:
    latest = aewr.sort_values("effective_date").groupby(["state_abbr", "aewr_year"], as_index=False).last()
    return pd.DataFrame(
        {
            "state": latest["state_abbr"],
            "year": latest["aewr_year"].astype(int),
            "aewr_usd_hour": latest["aewr_hourly_usd"].astype(float),
        }
    )


def _h2a_state_shares(panel_state: pd.DataFrame, complete: set[int]) -> pd.DataFrame:
    """Where H-2A worker-months were, over the latest complete H-2A fiscal year."""
    rows = panel_state[panel_state["visa_class"] == "H-2A"]
    fy = fiscal_years(rows["month"])
    year = max(y for y in complete if (fy == y).any())
    by_state = rows[fy == year].groupby("worksite_state")["certified_worker_months"].sum()
    return pd.DataFrame({"state": by_state.index, "share": (by_state / by_state.sum()).to_numpy(), "fiscal_year": year})


def _recent_complete(cases: pd.DataFrame, complete: dict[str, set[int]]) -> pd.DataFrame:
    keep = np.zeros(len(cases), dtype=bool)
    for visa_class, years in complete.items():
        recent = sorted(years)[-FILING_YEARS:]
        keep |= ((cases["visa_class"] == visa_class) & cases["fiscal_year"].isin(recent)).to_numpy()
    return cases[keep & cases["status"].isin(CERTIFIED_STATUSES).to_numpy()]


def _sector_terms(cases: pd.DataFrame, complete: dict[str, set[int]]) -> pd.DataFrame:
    """Typical contract weeks (workers-weighted mean) and offered wage (median, USD/hour) by sector and class."""
    use = _recent_complete(cases, complete).dropna(subset=["need_start", "need_end", "sector"])
    weeks = ((use["need_end"] - use["need_start"]).dt.days + 1) / 7.0
    use = use.assign(weeks=weeks.clip(lower=1, upper=52), workers=use["workers_certified"].astype(float))
    grouped = use.groupby(["sector", "visa_class"])
    terms = pd.DataFrame(
        {
            "contract_weeks": grouped.apply(
                lambda g: np.average(g["weeks"], weights=g["workers"]), include_groups=False
            ),
            "wage_usd_hour": grouped["wage_hourly"].median(),
        }
    ).reset_index()
    class_wage = use.groupby("visa_class")["wage_hourly"].median()
    terms["wage_usd_hour"] = terms["wage_usd_hour"].fillna(terms["visa_class"].map(class_wage))
    return terms


def _processing_cases(cases: pd.DataFrame, complete: dict[str, set[int]]) -> pd.DataFrame:
    """Cases of complete fiscal years with received, decision and need-start dates: processing days and slack
    (days), grouped by equal values (column `cases` counts them), sorted as `processing.delay_table` reads them."""
    full = np.zeros(len(cases), dtype=bool)
    for visa_class, years in complete.items():
        full |= ((cases["visa_class"] == visa_class) & cases["fiscal_year"].isin(years)).to_numpy()
    use = cases[full].dropna(subset=["received_date", "decision_date", "need_start"])
    days = (use["decision_date"] - use["received_date"]).dt.days.astype(float)
    slack = (use["need_start"] - use["decision_date"]).dt.days.astype(float)
    workers = use["workers_certified"].fillna(use["workers_requested"]).astype(float)
    out = pd.DataFrame(
        {
            "fiscal_year": use["fiscal_year"].astype(int),
            "visa_class": use["visa_class"].astype(str),
            "processing_days": days,
            "slack_days": slack,
            "workers": workers,
        }
    )
    out = out[(out["processing_days"] >= 0) & (out["processing_days"] <= 365) & (out["workers"] > 0)]
    return (
        out.assign(cases=1)
        .groupby(["fiscal_year", "visa_class", "processing_days", "slack_days"], as_index=False, sort=True)[
            ["workers", "cases"]
        ]
        .sum()
    )
