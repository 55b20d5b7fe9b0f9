"""Properties of the allocation and the stock-flow model that must hold for any demand (hypothesis)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labormatch.assumptions import Assumptions
from labormatch.circular import stock_flow
from labormatch.fiscal import fiscal_months
from labormatch.matcher import allocate_h2b, build_pools, returning_pool
from labormatch.rules import load_rules

SECTORS = ["construction", "food_manufacturing", "professional_business_services"]
FY = 2023
demand_matrices = st.lists(st.floats(0, 60_000, allow_nan=False), min_size=36, max_size=36).map(
    lambda xs: np.array(xs).reshape(3, 12)
)
settings_ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def allocate(demand, **overrides):
    assumptions = Assumptions(fiscal_year=FY, **overrides)
    rules = load_rules()
    pools = build_pools(assumptions, rules)
    allocated, rows = allocate_h2b(
        demand,
        SECTORS,
        fiscal_months(FY),
        pools,
        returning_pool(assumptions, rules),
        {"Mexico": 0.7, "Guatemala": 0.2, "Haiti": 0.1},
    )
    return allocated, rows, pools


@settings_
@given(demand=demand_matrices, supplemental=st.booleans(), multiplier=st.floats(0, 4))
def test_allocations_are_nonnegative_and_within_demand_and_tranches(demand, supplemental, multiplier):
    allocated, rows, pools = allocate(demand, supplemental=supplemental, cap_multiplier=multiplier)
    assert (allocated >= -1e-9).all()
    assert (allocated <= demand + 1e-6).all()
    for pool in pools:
        assert -1e-6 <= pool.used <= pool.size + 1e-6, pool.tranche
    assert all(r["allocated"] >= -1e-9 and r["unmet"] >= -1e-6 for r in rows)
    # totals agree: by tranche rows, by sector x month matrix, and by tranche pools
    assert sum(r["allocated"] for r in rows) == pytest.approx(allocated.sum(), abs=1e-4)
    assert sum(p.used for p in pools) == pytest.approx(allocated.sum(), abs=1e-4)


@settings_
@given(demand=demand_matrices, low=st.floats(0, 3), extra=st.floats(0, 3), supplemental=st.booleans())
def test_raising_the_cap_never_increases_unmet_demand(demand, low, extra, supplemental):
    small, _, _ = allocate(demand, cap_multiplier=low, supplemental=supplemental)
    large, _, _ = allocate(demand, cap_multiplier=low + extra, supplemental=supplemental)
    assert (demand - large).sum() <= (demand - small).sum() + 1e-6


@settings_
@given(
    need=st.lists(st.floats(0, 1e5), min_size=1, max_size=8),
    seasons=st.integers(5, 12),
    return_rate=st.floats(0, 1),
    overstay=st.floats(0, 1),
    growth=st.floats(-0.5, 1),
)
def test_stock_flow_balances(need, seasons, return_rate, overstay, growth):
    flows = stock_flow(np.array(need), seasons, return_rate, overstay, growth)
    assert np.allclose(flows["new_workers"] + flows["returning_workers"], flows["total_workers"])
    assert (flows["new_workers"] >= -1e-9).all() and (flows["returning_workers"] >= 0).all()
    # returning workers never exceed last season's workers who went home
    assert (flows["returning_workers"][1:] <= flows["total_workers"][:-1] * (1 - overstay) + 1e-6).all()


@settings_
@given(need=st.lists(st.floats(0, 1e5), min_size=1, max_size=8), seasons=st.integers(5, 12))
def test_full_return_and_constant_need_means_no_new_entrants_after_season_one(need, seasons):
    flows = stock_flow(np.array(need), seasons, return_rate=1.0, overstay_rate=0.0, growth=0.0)
    assert np.allclose(flows["new_workers"][0], need)
    assert np.allclose(flows["new_workers"][1:], 0.0)


@settings_
@given(
    workers=st.lists(st.floats(0, 50_000), min_size=1, max_size=5),
    weights=st.lists(st.floats(0.01, 1), min_size=8, max_size=8),
    return_rate=st.floats(0, 1),
)
def test_quota_totals_agree_across_origin_sector_and_season(workers, weights, return_rate):
    import pandas as pd

    from labormatch.circular import quotas

    sectors = ["construction", "food_manufacturing", "other_services", "government", "information"][: len(workers)]
    need = pd.DataFrame(
        {
            "sector": sectors,
            "visa_class": "H-2B",
            "workers": workers,
            "weeks": 30.0,
            "hours_per_week": 35.0,
            "wage_usd_hour": 15.0,
        }
    )
    total = sum(weights)
    mix = {"H-2B": {f"origin_{i}": w / total for i, w in enumerate(weights)}}
    table = quotas(need, mix, Assumptions(return_rate=return_rate))
    by_sector = table.groupby(["season", "sector"])["total_workers"].sum().unstack()
    for sector, w in zip(sectors, workers, strict=False):
        assert by_sector[sector].to_numpy() == pytest.approx([w] * 5, abs=1e-6)
    assert table["total_workers"].sum() == pytest.approx(5 * sum(workers), abs=1e-4)
    assert (table["new_workers"] + table["returning_workers"]).to_numpy() == pytest.approx(
        table["total_workers"].to_numpy(), abs=1e-6
    )
