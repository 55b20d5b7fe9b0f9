"""The vectorised matcher over demand draws against the point matcher, draw by draw (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from labormatch.assumptions import Assumptions
from labormatch.fiscal import fiscal_months
from labormatch.matcher import allocate_h2b, build_pools, returning_pool
from labormatch.matcher_draws import allocate_h2b_draws, cap_reached_days
from labormatch.rules import load_rules

SECTORS = ["construction", "food_manufacturing", "professional_business_services"]
MIX = {"Mexico": 0.7, "Guatemala": 0.2, "Haiti": 0.1}
DRAWS = 4
draw_arrays = st.lists(st.floats(0, 60_000, allow_nan=False), min_size=36 * DRAWS, max_size=36 * DRAWS).map(
    lambda xs: np.array(xs).reshape(DRAWS, 3, 12)
)
settings_ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scenarios = st.fixed_dictionaries(
    {
        "fiscal_year": st.sampled_from([2021, 2022, 2023, 2024]),
        "supplemental": st.booleans(),
        "cap_multiplier": st.floats(0, 3),
        "first_half_share": st.none() | st.floats(0, 1),
        "return_rate": st.floats(0, 1),
        "pilot_carveouts": st.lists(
            st.fixed_dictionaries(
                {
                    "sector": st.sampled_from([*SECTORS, "agriculture"]),
                    "numbers": st.integers(0, 20_000),
                    "inside_cap": st.booleans(),
                }
            ),
            max_size=2,
            unique_by=lambda c: (c["sector"], c["inside_cap"]),
        ),
    }
)


def run_both(demand, overrides):
    assumptions = Assumptions(**overrides)
    rules = load_rules()
    inside = sum(c.numbers for c in assumptions.pilot_carveouts if c.inside_cap)
    assume(inside <= assumptions.annual_cap())  # more reserved than the cap is an error (tested in test_matcher)
    fy = assumptions.fiscal_year
    months, pool_returning = fiscal_months(fy), returning_pool(assumptions, rules)
    drawn = allocate_h2b_draws(demand, SECTORS, months, build_pools(assumptions, rules), pool_returning, MIX)
    points = []
    for matrix in demand:
        pools = build_pools(assumptions, rules)
        allocated, rows = allocate_h2b(matrix, SECTORS, months, pools, pool_returning, MIX)
        points.append((allocated, rows, pools))
    return drawn, points


@settings_
@given(demand=draw_arrays, overrides=scenarios)
def test_each_draw_is_allocated_exactly_as_the_point_matcher_allocates_it(demand, overrides):
    drawn, points = run_both(demand, overrides)
    for d, (allocated, rows, pools) in enumerate(points):
        np.testing.assert_array_equal(drawn.allocated[d], allocated)  # bit for bit
        np.testing.assert_array_equal(drawn.used[d], [p.used for p in pools])
        np.testing.assert_array_equal(drawn.sizes[d], [p.size for p in pools])  # statutory_h2 with its carry-in
        for k, (half, tranche) in enumerate(drawn.steps):
            mine = [r for r in rows if r["half"] == half and r["tranche"] == tranche]
            assert np.isclose(drawn.given[d, k], sum(r["allocated"] for r in mine), rtol=1e-12, atol=1e-6)
            assert np.isclose(drawn.after[d, k], sum(r["unmet"] for r in mine), rtol=1e-12, atol=1e-6)


def test_the_pools_passed_in_are_left_as_they_were():
    assumptions = Assumptions(fiscal_year=2024)
    rules = load_rules()
    pools = build_pools(assumptions, rules)
    sizes = [(p.size, p.used, p.carried_in) for p in pools]
    allocate_h2b_draws(
        np.full((2, 3, 12), 9_000.0), SECTORS, fiscal_months(2024), pools, returning_pool(assumptions, rules), MIX
    )
    assert [(p.size, p.used, p.carried_in) for p in pools] == sizes


@settings_
@given(demand=draw_arrays, low=st.floats(0, 3), extra=st.floats(0, 3), supplemental=st.booleans())
def test_more_cap_numbers_never_raise_unmet_demand_in_any_draw(demand, low, extra, supplemental):
    small, _ = run_both(demand, {"fiscal_year": 2023, "cap_multiplier": low, "supplemental": supplemental})
    large, _ = run_both(demand, {"fiscal_year": 2023, "cap_multiplier": low + extra, "supplemental": supplemental})
    unmet_small = (demand - small.allocated).sum(axis=(1, 2))
    unmet_large = (demand - large.allocated).sum(axis=(1, 2))
    assert (unmet_large <= unmet_small + 1e-6).all()


def test_cap_reached_day_per_draw_by_hand():
    # H2 profile: 50% certified by day -90, 90% by -88, all by -60; numbers 33,000; no lag, no lever.
    profile = pd.DataFrame({"half": ["H2"] * 3, "day_offset": [-90, -88, -60], "cum_share": [0.5, 0.9, 1.0]})
    demand = {"H1": np.zeros(4), "H2": np.array([100_000.0, 50_000.0, 34_000.0, 20_000.0])}
    numbers = {"H1": np.full(4, 33_000.0), "H2": np.full(4, 33_000.0)}
    days = cap_reached_days(2024, numbers, demand, profile, None, 0.0)
    # 100,000 x 0.5 >= 33,000 on day -90; 50,000 x 0.9 on -88; 34,000 x 1.0 on -60; 20,000 never
    np.testing.assert_array_equal(days["H2"], [-90.0, -88.0, -60.0, np.nan])
    assert np.isnan(days["H1"]).all()
