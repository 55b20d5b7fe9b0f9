"""Circular-migration quotas: origin mix, stock-flow by hand, wages carried home."""

import pandas as pd
import pytest

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.circular import growth_warning, origin_mix, quotas, stock_flow

DOS = pd.DataFrame(
    {
        "visa_class": ["H-2B"] * 4,
        "origin": ["Mexico", "Guatemala", "Honduras", "Jamaica"],
        "share": [0.7, 0.1, 0.1, 0.1],
    }
)


def test_stock_flow_by_hand():
    # need 1,000; return 0.8, overstay 0.05: season 2 returning = 1,000 x 0.95 x 0.8 = 760, new = 240,
    # non-returning = 1,000 - 760 = 240; overstays = 1,000 x 0.05 = 50 each season
    flows = stock_flow([1_000.0], 5, return_rate=0.8, overstay_rate=0.05, growth=0.0)
    assert flows["returning_workers"][:, 0].tolist() == pytest.approx([0, 760, 760, 760, 760])
    assert flows["new_workers"][:, 0].tolist() == pytest.approx([1_000, 240, 240, 240, 240])
    assert flows["non_returning"][1, 0] == pytest.approx(240)
    assert flows["overstays"][0, 0] == pytest.approx(50)


def test_returning_eligible_pool_covers_three_previous_seasons():
    # need 1,000, return 0.5, no overstay. Season 2: home_1 = 1,000 -> eligible 1,000 (500 return).
    # Season 3: home_1 = 1,000, home_2 = 1,000 - 500 = 500 -> 1,500.
    # Season 4: home_1 = 1,000, home_2 = 500, home_3 = 500 -> 2,000; season 5 the same (steady state).
    flows = stock_flow([1_000.0], 5, return_rate=0.5, overstay_rate=0.0, growth=0.0)
    assert flows["returning_eligible"][:, 0].tolist() == pytest.approx([0, 1_000, 1_500, 2_000, 2_000])


@pytest.mark.parametrize(
    "lookback, eligible",
    [
        (1, [0, 1_000, 1_000, 1_000, 1_000]),  # last season's workers only
        (2, [0, 1_000, 1_500, 1_500, 1_500]),  # + those who worked two seasons ago and did not come back
        (4, [0, 1_000, 1_500, 2_000, 2_500]),  # home_4 = home_3 of the season before: 500 from season 5
    ],
)
def test_returning_eligible_pool_follows_the_look_back(lookback, eligible):
    flows = stock_flow([1_000.0], 5, return_rate=0.5, overstay_rate=0.0, growth=0.0, lookback=lookback)
    assert flows["returning_eligible"][:, 0].tolist() == pytest.approx(eligible)
    # the look-back widens who may return, not who does: the flows themselves do not change
    base = stock_flow([1_000.0], 5, return_rate=0.5, overstay_rate=0.0, growth=0.0)
    assert flows["returning_workers"].tolist() == base["returning_workers"].tolist()


def test_growth_in_need_is_met_by_new_entrants():
    # need grows 10%: season 2 need 1,100, returning min(1,100, 1,000 x 1.0) = 1,000, new 100
    flows = stock_flow([1_000.0], 5, return_rate=1.0, overstay_rate=0.0, growth=0.1)
    assert flows["new_workers"][1, 0] == pytest.approx(100)


def test_circular_program_restricts_and_rescales_origins():
    mix = origin_mix(DOS, Assumptions(circular_origins=("Mexico", "Guatemala", "Honduras")))
    assert mix["H-2B"] == pytest.approx({"Mexico": 0.7 / 0.9, "Guatemala": 0.1 / 0.9, "Honduras": 0.1 / 0.9})
    user = origin_mix(DOS, Assumptions(h2b_origin_shares={"Mexico": 0.5, "Guatemala": 0.5}))
    assert user["H-2B"] == {"Mexico": 0.5, "Guatemala": 0.5}
    with pytest.raises(AssumptionsError, match="circular_origins"):
        origin_mix(DOS, Assumptions(circular_origins=("Fiji",)))


BOTH = pd.concat(
    [DOS, pd.DataFrame({"visa_class": ["H-2A"] * 2, "origin": ["Mexico", "South Africa"], "share": [0.9, 0.1]})]
)


def test_each_visa_class_runs_on_its_own_shares_or_its_own_default():
    h2b_only = origin_mix(BOTH, Assumptions(h2b_origin_shares={"Guatemala": 0.5, "Mexico": 0.5}))
    assert h2b_only == {"H-2B": {"Guatemala": 0.5, "Mexico": 0.5}, "H-2A": {"Mexico": 0.9, "South Africa": 0.1}}
    h2a_only = origin_mix(BOTH, Assumptions(h2a_origin_shares={"Jamaica": 1.0}))
    assert h2a_only == {
        "H-2B": {"Mexico": 0.7, "Guatemala": 0.1, "Honduras": 0.1, "Jamaica": 0.1},
        "H-2A": {"Jamaica": 1.0},
    }
    # the circular program restricts each class's own shares: H-2B Mexico 0.5 / (0.5 + 0.25) = 2/3; H-2A all Mexico
    a = Assumptions(
        h2a_origin_shares={"Mexico": 0.5, "Jamaica": 0.5},
        h2b_origin_shares={"Mexico": 0.5, "Guatemala": 0.25, "Jamaica": 0.25},
        circular_origins=("Mexico", "Guatemala"),
    )
    mix = origin_mix(BOTH, a)
    assert mix["H-2A"] == {"Mexico": 1.0}
    assert mix["H-2B"] == pytest.approx({"Mexico": 2 / 3, "Guatemala": 1 / 3})


def test_a_circular_program_with_no_workers_of_one_class_names_that_class():
    # Guatemala has H-2B workers by default but none in the H-2A default (Mexico, South Africa)
    with pytest.raises(AssumptionsError, match="none of Guatemala has H-2A workers"):
        origin_mix(BOTH, Assumptions(circular_origins=("Guatemala",)))
    # H-2A shares that include Guatemala make the same program valid
    mix = origin_mix(BOTH, Assumptions(circular_origins=("Guatemala",), h2a_origin_shares={"Guatemala": 1.0}))
    assert mix == {"H-2A": {"Guatemala": 1.0}, "H-2B": {"Guatemala": 1.0}}


def test_quotas_by_origin_sector_season_and_wages():
    need = pd.DataFrame(
        {
            "sector": ["construction", "food_manufacturing"],
            "visa_class": "H-2B",
            "workers": [1_000.0, 500.0],
            "weeks": [20.0, 30.0],
            "hours_per_week": 35.0,
            "wage_usd_hour": [20.0, 15.0],
        }
    )
    a = Assumptions(return_rate=0.8, seasons=6, carried_home_share=0.4)
    table = quotas(need, {"H-2B": {"Mexico": 0.6, "Guatemala": 0.4}}, a)
    assert len(table) == 6 * 2 * 2
    # totals agree across origin, sector and season
    per_season = table.groupby("season")["total_workers"].sum()
    assert per_season.tolist() == pytest.approx([1_500] * 6)
    by_origin = table[table["season"] == 1].groupby("origin")["total_workers"].sum()
    assert by_origin["Mexico"] == pytest.approx(900)
    row = table[(table["season"] == 2) & (table["origin"] == "Guatemala") & (table["sector"] == "construction")].iloc[0]
    # 400 Guatemalan construction workers; returning 400 x 0.8 = 320; wages 400 x 20 x 35 x 20 = 5,600,000
    assert (row["returning_workers"], row["new_workers"]) == pytest.approx((320, 80))
    assert row["wages_earned_usd"] == pytest.approx(5_600_000)
    assert row["wages_carried_home_usd"] == pytest.approx(2_240_000)
    assert row["fiscal_year"] == a.fiscal_year + 1


@pytest.mark.parametrize(
    "growth, seasons, expected",
    [
        (0.0, 20, None),
        (0.25, 5, None),  # 1.25^4 = 2.4 times: plausible, no warning
        (1.0, 20, "makes the last season's need 524,288 times the first's"),  # 2^19
        (-0.5, 5, "makes the last season's need 1/16 of the first's"),  # 0.5^4
        (0.77, 5, None),  # 1.77^4 = 9.8 times: just under the warning
        (0.78, 5, "makes the last season's need 10 times the first's"),  # 1.78^4 = 10.04
    ],
)
def test_growth_warning_names_the_compounded_factor(growth, seasons, expected):
    warning = growth_warning(Assumptions(need_growth_per_season=growth, seasons=seasons))
    if expected is None:
        assert warning is None
    else:
        assert expected in warning and f"over {seasons} seasons" in warning


def test_quotas_count_returning_eligible_over_the_look_back_the_run_resolved():
    """The run passes the resolved look-back (`ResolvedRules.lookback_years`); without it the assumptions are
    resolved: 3 years under the tree (1,000 workers, half return: as in `test_stock_flow_by_hand`), 1 when passed."""
    need = pd.DataFrame(
        {
            "sector": ["construction"],
            "visa_class": "H-2B",
            "workers": [1_000.0],
            "weeks": [20.0],
            "hours_per_week": 35.0,
            "wage_usd_hour": [20.0],
        }
    )
    a = Assumptions(return_rate=0.5, overstay_rate=0.0, seasons=5)
    mix = {"H-2B": {"Mexico": 1.0}}
    assert quotas(need, mix, a)["returning_eligible"].tolist() == pytest.approx([0, 1_000, 1_500, 2_000, 2_000])
    assert quotas(need, mix, a, lookback_years=1)["returning_eligible"].tolist() == pytest.approx(
        [0, 1_000, 1_000, 1_000, 1_000]
    )
