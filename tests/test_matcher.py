"""H-2B allocation by half and tranche, worked by hand; H-2A wage bill; cap timing."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from matcher_inputs import make_inputs

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.h2a_wages import h2a_wage_bill
from labormatch.matcher import covered_share, returning_pool
from labormatch.model import run_scenario
from labormatch.rules import load_rules

PBS, FOOD = "professional_business_services", "food_manufacturing"


def tranche(result, name):
    return result.tables["tranches"].set_index("tranche").loc[name]


def test_unused_first_half_numbers_move_to_the_second_half():
    # first-half need 20,000 against 33,000: 33,000 - 20,000 = 13,000 move to the second half (46,000 there)
    inputs = make_inputs({(PBS, "H-2B"): {"2023-11": 20_000, "2023-04": 0, "2024-04": 60_000}})
    result = run_scenario(Assumptions(fiscal_year=2024, supplemental=False), inputs)
    h2 = tranche(result, "statutory_h2")
    assert h2["carried_in"] == 13_000
    assert h2["size"] == 46_000
    # second half: 60,000 April starts - 46,000 = 14,000 unmet; nothing unmet in the first half
    assert result.headline["h2b_unmet_h1"] == 0
    assert result.headline["h2b_unmet_h2"] == pytest.approx(14_000)


def test_april_window_2023_against_cap_and_fy2023_tranches_by_hand():
    """FY2023: 40,000 January starts and the 142,796 positions of the Jan 2023 filing window (April starts).

    Origin shares: Guatemala 0.1 + Honduras 0.1 = 0.2 eligible for the Central America/Haiti set-aside.
    Returning pool = 0.493 x max(FY2020 66,000; FY2021 88,000; FY2022 121,000) = 59,653.
    First half:  statutory 33,000 -> 7,000 left; set-aside 7,000 x 0.2 = 1,400 -> 5,600 left;
                 H1 returning tranche (18,216) takes 5,600 -> 0 unmet (12,616 of it unused, lost).
    Second half: statutory 33,000 (nothing carried) -> 142,796 - 33,000 = 109,796 left;
                 set-aside has 20,000 - 1,400 = 18,600 left, eligible 109,796 x 0.2 = 21,959.2 -> takes 18,600
                 -> 91,196 left; early-H2 returning (Apr 1 - May 14) 16,500 -> 74,696 left;
                 late-H2 returning (May 15 -) covers no April start -> 0.  Unmet = 74,696.
    """
    inputs = make_inputs({(PBS, "H-2B"): {"2023-01": 40_000, "2023-04": 142_796}})
    result = run_scenario(Assumptions(fiscal_year=2023), inputs)
    assert returning_pool(Assumptions(fiscal_year=2023), load_rules()) == pytest.approx(59_653)
    assert result.headline["h2b_unmet_h1"] == pytest.approx(0)
    assert result.headline["h2b_unmet_h2"] == pytest.approx(74_696)
    assert result.headline["h2b_allocated"] == pytest.approx(33_000 + 1_400 + 5_600 + 33_000 + 18_600 + 16_500)
    assert tranche(result, "fy2023_central_america_haiti")["used"] == pytest.approx(20_000)
    assert tranche(result, "fy2023_h1_returning")["remaining"] == pytest.approx(12_616)
    assert tranche(result, "fy2023_h2_late_returning")["used"] == 0
    assert tranche(result, "statutory_h2")["carried_in"] == 0


def test_shortage_rationed_pro_rata_between_sectors():
    # first half fully used (33,000 November starts); April: 60,000 + 20,000 against 33,000 ->
    # each sector gets 33,000 x its share of April demand
    inputs = make_inputs({(PBS, "H-2B"): {"2023-11": 33_000, "2024-04": 60_000}, (FOOD, "H-2B"): {"2024-04": 20_000}})
    by = run_scenario(Assumptions(fiscal_year=2024, supplemental=False), inputs).tables["h2b_by_sector"]
    got = by[by["half"] == "H2"].set_index("sector")["allocated"]
    assert got[PBS] == pytest.approx(33_000 * 0.75)
    assert got[FOOD] == pytest.approx(33_000 * 0.25)


def test_earlier_start_months_are_served_first():
    # first half fully used; 30,000 April + 10,000 May starts against 33,000: April is filled, May gets 3,000
    inputs = make_inputs({(PBS, "H-2B"): {"2023-11": 33_000, "2024-04": 30_000}, (FOOD, "H-2B"): {"2024-05": 10_000}})
    by = run_scenario(Assumptions(fiscal_year=2024, supplemental=False), inputs).tables["h2b_by_sector"]
    got = by[by["half"] == "H2"].set_index("sector")["unmet"]
    assert got[PBS] == pytest.approx(0) and got[FOOD] == pytest.approx(7_000)


def test_pilot_carveout_inside_and_outside_the_cap():
    demand = {(PBS, "H-2B"): {"2024-04": 60_000}, (FOOD, "H-2B"): {"2024-04": 12_000}}
    inputs = make_inputs(demand)
    inside = run_scenario(
        Assumptions(
            fiscal_year=2024,
            supplemental=False,
            pilot_carveouts=[{"sector": FOOD, "numbers": 10_000, "inside_cap": True}],
        ),
        inputs,
    )
    # inside: 10,000 taken from the 66,000 cap, 5,000 per half: H2 statutory 33,000 - 5,000 + 33,000 unused H1
    assert tranche(inside, "statutory_h2")["size"] == pytest.approx(28_000 + 28_000)
    assert inside.headline["h2b_allocated"] == pytest.approx(10_000 + 56_000)
    outside = run_scenario(
        Assumptions(
            fiscal_year=2024,
            supplemental=False,
            pilot_carveouts=[{"sector": FOOD, "numbers": 10_000, "inside_cap": False}],
        ),
        inputs,
    )
    assert outside.headline["h2b_allocated"] == pytest.approx(72_000)  # 10,000 + min(62,000, 66,000)
    assert outside.headline["h2b_cap_total"] == 76_000
    with pytest.raises(AssumptionsError, match="pilot_carveouts: 70000 numbers"):
        run_scenario(
            Assumptions(fiscal_year=2024, pilot_carveouts=[{"sector": FOOD, "numbers": 70_000, "inside_cap": True}]),
            inputs,
        )
    with pytest.raises(AssumptionsError, match=f"pilot_carveouts: .* tranche pilot_{FOOD}_inside_cap"):
        run_scenario(
            Assumptions(
                fiscal_year=2024,
                pilot_carveouts=[{"sector": FOOD, "numbers": 1_000}, {"sector": FOOD, "numbers": 2_000}],
            ),
            inputs,
        )


def test_carveout_tranches_name_their_sector():
    inputs = make_inputs({(PBS, "H-2B"): {"2024-04": 60_000}, (FOOD, "H-2B"): {"2024-04": 12_000}})
    result = run_scenario(
        Assumptions(
            fiscal_year=2024,
            pilot_carveouts=[
                {"sector": FOOD, "numbers": 3_000, "inside_cap": False},
                {"sector": PBS, "numbers": 1_000},
            ],
        ),
        inputs,
    )
    table = result.tables["tranches"].set_index("tranche")
    assert table.loc[f"pilot_{FOOD}_outside_cap", "sector"] == FOOD
    assert table.loc[f"pilot_{PBS}_inside_cap", "sector"] == PBS
    assert table.loc[table["kind"] != "carveout", "sector"].isna().all()


def test_supplemental_rules_of_another_year_move_to_the_chosen_year():
    inputs = make_inputs({(PBS, "H-2B"): {"2021-04": 100_000}}, first_month="2020-10-01")
    result = run_scenario(Assumptions(fiscal_year=2021, supplemental_rules_fy=2024), inputs)
    early = tranche(result, "fy2024_h2_early_returning")
    assert (early["window_start"], early["window_end"]) == (pd.Timestamp("2021-04-01"), pd.Timestamp("2021-05-14"))


def test_covered_share_counts_days_in_the_window():
    assert covered_share(dt.date(2023, 5, 1), dt.date(2023, 4, 1), dt.date(2023, 5, 14)) == pytest.approx(14 / 31)
    assert covered_share(dt.date(2023, 6, 1), dt.date(2023, 4, 1), dt.date(2023, 5, 14)) == 0


def test_h2a_wage_bill_at_the_state_aewr():
    shares = pd.DataFrame({"state": ["FL", "WA"], "share": [0.75, 0.25]})
    aewr = pd.DataFrame({"state": ["FL", "FL", "GA"], "year": [2022, 2023, 2023], "aewr_usd_hour": [12.0, 14.0, 18.0]})
    bill = h2a_wage_bill(1_000, 2023, shares, aewr, 24, 39.3).set_index("state")
    # FL: 750 x 24 x 39.3 x 14.00 = 9,903,600; WA has no rate: mean of 2023 rates (14 + 18) / 2 = 16
    assert bill.loc["FL", "wage_bill_usd"] == pytest.approx(9_903_600)
    assert bill.loc["WA", "aewr_usd_hour"] == 16 and bill.loc["WA", "aewr_basis"] == "mean of listed states 2023"
    assert bill.loc["FL", "aewr_basis"] == "state 2023"
    # a year past the table uses each state's latest rate: FL 2023 for FY2025
    later = h2a_wage_bill(1_000, 2025, shares, aewr, 24, 39.3).set_index("state")
    assert later.loc["FL", "aewr_usd_hour"] == 14.0


def test_cap_timing_from_the_filing_profile():
    inputs = make_inputs({(PBS, "H-2B"): {"2023-01": 40_000, "2023-04": 142_796}})
    timing = run_scenario(Assumptions(fiscal_year=2023), inputs).tables["cap_timing"].set_index("half")
    # no calibration: no filing lag. H2: 142,796 x 0.5 >= 33,000 on day -90 -> Jan 1 2023
    assert timing.loc["H2", "estimated_cap_reached_date"] == pd.Timestamp("2023-01-01")
    assert timing.loc["H2", "observed_cap_reached_date"] == pd.Timestamp("2023-02-27")
    # H1: 40,000 x 0.6 < 33,000 <= 40,000 x 1.0 first on day -30 -> Sep 1 2022
    assert timing.loc["H1", "estimated_cap_reached_date"] == pd.Timestamp("2022-09-01")
    assert timing["basis"].str.contains("no filing lag").all()


def test_cap_timing_adds_the_filing_lag_and_subtracts_faster_processing():
    calibration = pd.DataFrame({"fiscal_year": [2017, 2018], "half": ["H2", "H2"], "lag_days": [17.0, 6.0]})
    inputs = dataclasses.replace(make_inputs({(PBS, "H-2B"): {"2023-04": 142_796}}), cap_calibration=calibration)
    timing = run_scenario(Assumptions(fiscal_year=2023, processing_days_faster=10), inputs).tables["cap_timing"]
    h2 = timing.set_index("half").loc["H2"]
    # Jan 1 (day -90) + median lag 11.5 (rounds to 12 with the day) - 10 days saved: the FY2023 H-2B median is
    # the lower median of 20 and 60 days = 20, cut by 10 = 10
    assert h2["estimated_cap_reached_date"] == pd.Timestamp("2023-01-03")
    assert "FY2017 H2, FY2018 H2" in h2["basis"] and "saves 10 days" in h2["basis"]
