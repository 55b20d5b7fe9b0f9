"""Side-by-side comparison: hand-built results with known sums and differences."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from labormatch.assumptions import Assumptions
from labormatch.compare import compare, wide
from labormatch.errors import LabormatchError
from labormatch.model import ScenarioResult


def _result(
    cap: int, *, tranche: str | None = None, origins: dict[str, tuple[int, int]] | None = None, share_late: float = 0.2
) -> ScenarioResult:
    """A small result: 2 sectors x 2 halves; demand 100/200 per half; allocation limited by `cap` per half."""
    rows = []
    for sector, demand in (("construction", 100), ("food_manufacturing", 200)):
        for half in ("H1", "H2"):
            allocated = min(demand, cap)
            rows.append(
                {"sector": sector, "half": half, "demand": demand, "allocated": allocated, "unmet": demand - allocated}
            )
    by_sector = pd.DataFrame(rows)
    tranches = [
        {"tranche": "statutory_h1", "kind": "statutory", "half": "H1", "size": 2 * cap, "used": 0, "remaining": 0},
        {"tranche": "statutory_h2", "kind": "statutory", "half": "H2", "size": 2 * cap, "used": 0, "remaining": 0},
    ]
    if tranche:
        tranches.append(
            {"tranche": tranche, "kind": "supplemental", "half": "both", "size": 50, "used": 40, "remaining": 10}
        )
    quotas = [
        {
            "season": season,
            "origin": origin,
            "total_workers": new + back,
            "new_workers": new,
            "returning_workers": back,
            "non_returning": new // 2,
        }
        for season in (1, 2)
        for origin, (new, back) in (origins or {"Mexico": (10, 0)}).items()
    ]
    processing = pd.DataFrame(
        {
            "fiscal_year": [2023, 2024, 2024],
            "visa_class": ["H-2B", "H-2B", "H-2A"],
            "share_late": [0.9, share_late, 0.1],
            "late_worker_months": [99.0, 30.0, 5.0],
            "share_late_lever": [0.8, share_late / 2, 0.05],
            "late_worker_months_lever": [90.0, 15.0, 2.5],
        }
    )
    allocated = float(by_sector["allocated"].sum())
    headline = {
        "h2b_statutory_cap": 4.0 * cap,
        "h2b_allocated": allocated,
        "h2b_unmet": float(by_sector["unmet"].sum()),
        "h2a_wage_bill_usd": 1.5e6,
        "extra_figure": 1.0,
    }
    return ScenarioResult(
        Assumptions(),
        {"snapshot": "test"},
        {
            "h2b_by_sector": by_sector,
            "tranches": pd.DataFrame(tranches),
            "quotas": pd.DataFrame(quotas),
            "processing": processing,
        },
        headline,
    )


@pytest.fixture
def tables():
    results = {
        "small": _result(50),
        "base": _result(150, origins={"Mexico": (10, 0), "Guatemala": (4, 2)}),
        "big": _result(250, tranche="fy2024_returning", share_late=0.1),
    }
    return compare(results, baseline="base")


def _value(table, scenario, measure=None, **keys):
    rows = table[table["scenario"] == scenario]
    if measure:
        rows = rows[rows["measure"] == measure] if "measure" in rows else rows[rows["figure"] == measure]
    for key, value in keys.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_headline_side_by_side_with_deltas(tables):
    headline = tables["headline"]
    # baseline first, then the others in the order given
    assert list(dict.fromkeys(headline["scenario"])) == ["base", "small", "big"]
    assert list(dict.fromkeys(headline["figure"])) == [
        "h2b_statutory_cap",
        "h2b_allocated",
        "h2b_unmet",
        "h2a_wage_bill_usd",
        "extra_figure",
    ]
    # base: allocated = 2 halves x (100 + 150); small: 2 x (50 + 50)
    row = _value(headline, "small", "h2b_allocated")
    assert (row["value"], row["baseline_value"], row["delta"]) == (200.0, 500.0, -300.0)
    assert _value(headline, "big", "h2b_unmet")["delta"] == -100.0  # base leaves 2 x 50 unmet, big none
    assert _value(headline, "base", "h2b_statutory_cap")["label"] == "H-2B cap (after overrides)"
    assert _value(headline, "base", "h2a_wage_bill_usd")["unit"] == "USD"


def test_h2b_by_half_and_tranche(tables):
    by_half = tables["h2b_by_half"]
    assert _value(by_half, "small", "unmet", half="H2")["value"] == 50 + 150
    assert _value(by_half, "big", "allocated", half="H1")["delta"] == 300 - 250
    by_tranche = tables["h2b_by_tranche"]
    # a tranche only the "big" scenario has: 0 elsewhere, so the change is its full size
    assert _value(by_tranche, "base", "used", tranche="fy2024_returning")["value"] == 0
    assert _value(by_tranche, "big", "size", tranche="fy2024_returning")["delta"] == 50
    assert _value(by_tranche, "small", "size", tranche="statutory_h1")["delta"] == 100 - 300
    assert len(by_tranche) == 3 * 3 * 3  # 3 tranches x 3 measures x 3 scenarios, no invented combinations


def test_by_sector_deltas(tables):
    by_sector = tables["by_sector"]
    assert _value(by_sector, "small", "allocated", sector="food_manufacturing")["value"] == 100
    assert _value(by_sector, "small", "allocated", sector="food_manufacturing")["delta"] == 100 - 300
    assert _value(by_sector, "big", "unmet", sector="construction")["delta"] == 0


def test_by_origin_sums_seasons_and_fills_absent_origins(tables):
    by_origin = tables["by_origin"]
    assert _value(by_origin, "base", "returning_workers", origin="Guatemala")["value"] == 2 * 2
    guatemala_small = _value(by_origin, "small", "total_workers", origin="Guatemala")
    assert (guatemala_small["value"], guatemala_small["delta"]) == (0, -12)
    quotas = tables["quotas"]
    assert _value(quotas, "base", "new_workers", season=2, origin="Guatemala")["value"] == 4


def test_late_starts_use_the_latest_fiscal_year(tables):
    late = tables["late_starts"]
    assert _value(late, "base", "share_late", visa_class="H-2B")["value"] == 0.2
    assert math.isclose(_value(late, "big", "share_late_lever", visa_class="H-2B")["delta"], 0.05 - 0.1)
    assert _value(late, "big", "late_worker_months", visa_class="H-2A")["value"] == 5.0


def test_wide_puts_scenarios_in_columns(tables):
    table = wide(tables["by_sector"])
    assert list(table.columns) == ["sector", "measure", "base", "small", "big", "Δ small", "Δ big"]
    row = table[(table["sector"] == "construction") & (table["measure"] == "allocated")].iloc[0]
    assert (row["base"], row["small"], row["Δ small"]) == (200, 100, -100)
    headline = wide(tables["headline"], deltas=False)
    assert list(headline["figure"]) == [
        "h2b_statutory_cap",
        "h2b_allocated",
        "h2b_unmet",
        "h2a_wage_bill_usd",
        "extra_figure",
    ]


def test_default_baseline_is_the_first_scenario():
    tables = compare({"a": _result(10), "b": _result(20)})
    assert _value(tables["headline"], "b", "h2b_allocated")["baseline_value"] == 2 * (10 + 10)


def test_only_the_tables_asked_for_are_computed():
    full = compare({"a": _result(10), "b": _result(20)})
    some = compare({"a": _result(10), "b": _result(20)}, only=("by_sector",))
    assert set(some) == {"headline", "by_sector"} and len(full) > 2
    pd.testing.assert_frame_equal(some["by_sector"], full["by_sector"])
    with pytest.raises(LabormatchError, match="no comparison table by_planet; choose from h2b_by_half"):
        compare({"a": _result(10)}, only=("by_planet",))


def test_errors_name_the_problem():
    with pytest.raises(LabormatchError, match="no scenarios"):
        compare({})
    with pytest.raises(LabormatchError, match="baseline 'zzz' is not among the scenarios \\(a\\)"):
        compare({"a": _result(10)}, baseline="zzz")
    broken = _result(10)
    del broken.tables["quotas"]
    with pytest.raises(LabormatchError, match="scenario 'b' has no 'quotas' table"):
        compare({"a": _result(10), "b": broken})
