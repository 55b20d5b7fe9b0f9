"""Demand draws (`demand_draws`) and the intervals they give (`demand_intervals`, via `run_scenario`)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from example_inputs import demand_inputs

from labormatch.assumptions import Assumptions
from labormatch.demand_draws import DemandDrawsError, covariance_factor, draw_factors, drawn_matrix
from labormatch.demand_intervals import HEADLINE_ROWS, selection_probability
from labormatch.demand_uncertainty import DemandUncertainty
from labormatch.model import run_scenario

SECTORS = ["accommodation_food_services", "food_manufacturing", "professional_business_services"]
CLASSES = ("H-2A", "H-2B")


def uncertainty(log_sd=0.2, corr=0.5, share_sd=0.1, years=(2024, 2025)) -> DemandUncertainty:
    """Hand-made spreads: the same log_sd for both classes and years; sector share errors independent."""
    national = pd.DataFrame(
        [{"visa_class": v, "fiscal_year": y, "log_sd": log_sd, "basis": "test"} for v in CLASSES for y in years]
    )
    share_cov = pd.DataFrame(
        [{"visa_class": v, "sector_a": s, "sector_b": s, "cov": share_sd**2} for v in CLASSES for s in SECTORS]
    )
    return DemandUncertainty(
        national,
        pd.DataFrame([[1.0, corr], [corr, 1.0]], index=CLASSES, columns=CLASSES),
        share_cov,
        "hand-made test spreads",
    )


def test_a_positive_definite_covariance_gets_its_cholesky_factor():
    cov = np.array([[4.0, 2.0], [2.0, 3.0]])
    factor = covariance_factor(cov)
    np.testing.assert_allclose(factor, np.linalg.cholesky(cov))


def test_a_covariance_that_is_not_positive_definite_is_clipped_to_the_nearest_semi_definite_one():
    cov = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]])  # eigenvalues 1.9, 1.9, -0.8
    factor = covariance_factor(cov)
    values, vectors = np.linalg.eigh(cov)
    np.testing.assert_allclose(factor @ factor.T, vectors @ np.diag(np.clip(values, 0, None)) @ vectors.T, atol=1e-12)
    assert (covariance_factor(np.zeros((2, 2))) == 0).all()


def test_an_asymmetric_covariance_is_refused():
    with pytest.raises(DemandDrawsError, match="not symmetric"):
        covariance_factor(np.array([[1.0, 0.5], [0.1, 1.0]]))


def test_draws_follow_the_declared_spreads_and_correlations():
    drawn = draw_factors(uncertainty(log_sd=0.2, corr=0.8, share_sd=0.0), 2024, SECTORS, CLASSES, 20_000).factors
    logs = {v: np.log(drawn[v]) for v in CLASSES}
    # no share error: one national shock per draw, the same for every sector of the class
    np.testing.assert_allclose(logs["H-2B"][:, 0], logs["H-2B"][:, 2])
    assert logs["H-2B"][:, 0].std() == pytest.approx(0.2, rel=0.03)
    assert np.corrcoef(logs["H-2A"][:, 0], logs["H-2B"][:, 0])[0, 1] == pytest.approx(0.8, abs=0.02)
    shares = draw_factors(uncertainty(log_sd=0.0, share_sd=0.1), 2024, SECTORS, CLASSES, 20_000).factors["H-2B"]
    assert np.log(shares).std(axis=0) == pytest.approx([0.1] * 3, rel=0.03)
    assert abs(np.corrcoef(np.log(shares).T)[0, 1]) < 0.03  # independent sectors, as declared


def test_zero_spreads_give_factors_of_exactly_one_and_the_point_matrix_back():
    factors = draw_factors(uncertainty(log_sd=0.0, share_sd=0.0), 2024, SECTORS, CLASSES, 50).factors
    assert all((f == 1.0).all() for f in factors.values())
    point = np.arange(36, dtype=float).reshape(3, 12) * 1234.567
    drawn = drawn_matrix(point, factors["H-2B"])
    assert drawn.shape == (50, 3, 12) and (drawn == point).all()


def test_a_missing_fiscal_year_is_named():
    with pytest.raises(DemandDrawsError, match="H-2A, H-2B in FY2026"):
        draw_factors(uncertainty(), 2026, SECTORS, CLASSES, 10)


@pytest.fixture(scope="module")
def point():
    return run_scenario(Assumptions(fiscal_year=2024), demand_inputs())


def test_zero_variance_draws_reproduce_the_point_run_exactly(point):
    zero = replace(demand_inputs(), demand_uncertainty=uncertainty(log_sd=0.0, share_sd=0.0))
    result = run_scenario(Assumptions(fiscal_year=2024), zero)
    intervals = result.tables["intervals"]
    assert len(intervals) and (intervals["n_draws"] == 1000).all()
    for column in ("point", "median", "lo80", "hi80", "lo95", "hi95"):
        np.testing.assert_array_equal(intervals[column], intervals["point"])
    assert result.headline["h2b_h2_selection_probability"] == point.headline["h2b_h2_selection_probability"]
    for key, (measure, half, tranche) in HEADLINE_ROWS.items():
        row = intervals[
            (intervals["measure"] == measure) & (intervals["half"] == half) & (intervals["tranche"] == tranche)
        ].iloc[0]
        assert row["point"] == pytest.approx(point.headline[key], rel=1e-12, abs=1e-9), key
        assert result.headline[f"{key}_lo80"] == result.headline[f"{key}_hi80"] == row["point"]
    by_tranche = point.tables["allocation"].groupby(["half", "tranche"], sort=False)["allocated"].sum()
    used = intervals[(intervals["measure"] == "h2b_used") & (intervals["tranche"] != "all")]
    np.testing.assert_allclose(used["point"], by_tranche.to_numpy(), rtol=1e-12)
    dates = result.tables["cap_reached_intervals"].set_index("half")
    observed = point.tables["cap_timing"].set_index("half")["estimated_cap_reached_date"]
    for half in ("H1", "H2"):
        assert (
            dates.loc[half, ["point", "median", "lo80", "hi95"]].isna().all()
            if pd.isna(observed[half])
            else (dates.loc[half, ["point", "median", "lo80", "hi95"]] == observed[half]).all()
        )
    # the point tables themselves are untouched by the draws
    assert {k: v for k, v in result.headline.items() if not k.endswith(("_lo80", "_hi80"))} == point.headline


@pytest.fixture(scope="module")
def uncertain():
    inputs = replace(demand_inputs(), demand_uncertainty=uncertainty(log_sd=0.25, share_sd=0.1))
    return run_scenario(Assumptions(fiscal_year=2024), inputs), inputs


def test_80_percent_intervals_lie_inside_95_percent_intervals(uncertain):
    intervals = uncertain[0].tables["intervals"]
    assert (intervals["lo95"] <= intervals["lo80"]).all() and (intervals["lo80"] <= intervals["median"]).all()
    assert (intervals["median"] <= intervals["hi80"]).all() and (intervals["hi80"] <= intervals["hi95"]).all()
    demand = intervals[(intervals["measure"] == "h2b_demand") & (intervals["half"] == "all")].iloc[0]
    assert demand["lo95"] < demand["lo80"] < demand["point"] < demand["hi80"] < demand["hi95"]  # a real spread
    dates = uncertain[0].tables["cap_reached_intervals"]
    # dates: a draw that never reaches the cap counts as later than any date (an empty quantile)
    assert dates["lo95"].notna().all() and (dates["lo95"] <= dates["lo80"]).all()
    assert (dates["hi80"].isna() <= dates["hi95"].isna()).all()
    later = dates.dropna(subset=["hi95"])
    assert (later["hi80"] <= later["hi95"]).all()


def test_the_fixed_seed_makes_the_result_hash_reproducible(uncertain):
    result, inputs = uncertain
    again = run_scenario(Assumptions(fiscal_year=2024), inputs)
    assert again.hash() == result.hash()
    assert (result.tables["intervals"]["seed"] == result.tables["intervals"]["seed"].iloc[0]).all()
    fewer = run_scenario(Assumptions(fiscal_year=2024, demand_draws=500), inputs)
    assert fewer.hash() != result.hash() and (fewer.tables["intervals"]["n_draws"] == 500).all()


def test_the_intervals_survive_a_json_round_trip(uncertain):
    from labormatch.model import ScenarioResult

    result = uncertain[0]
    back = ScenarioResult.from_json(result.to_json())
    assert back.hash() == result.hash()


def test_lottery_odds_equal_numbers_over_positions_filed_by_hand():
    # 33,000 second-half numbers against 132,000 positions filed: one position in four is selected
    assert selection_probability(np.array([33_000.0]), np.array([132_000.0]))[0] == 0.25
    # more numbers than positions: every petition is selected; nothing filed: certain too
    np.testing.assert_array_equal(
        selection_probability(np.array([33_000.0, 33_000.0]), np.array([20_000.0, 0.0])), [1.0, 1.0]
    )


def test_lottery_odds_in_a_scenario_by_hand(point):
    # FY2024 statutory cap only; April demand 3,000 + 3,000 + 1,000 = 7,000 positions; the first half's demand
    # (6 x 7,000 = 42,000) uses all 33,000 first-half numbers, so nothing is carried in: 33,000 / 7,000 > 1.
    result = run_scenario(Assumptions(fiscal_year=2024, supplemental=False), demand_inputs(scale=10))
    # x10: 70,000 April positions, first-half demand 420,000 uses every first-half number: 33,000 / 70,000
    assert result.headline["h2b_h2_selection_probability"] == pytest.approx(33_000 / 70_000)
    assert point.headline["h2b_h2_selection_probability"] == 1.0


def test_without_demand_uncertainty_there_are_no_intervals(point):
    assert point.tables["intervals"].empty and point.tables["cap_reached_intervals"].empty
    assert not any(key.endswith("_lo80") for key in point.headline)
    missing_year = replace(demand_inputs(), demand_uncertainty=uncertainty(years=(2030,)))
    assert run_scenario(Assumptions(fiscal_year=2024), missing_year).tables["intervals"].empty


def test_the_h2b_shares_alone_set_what_a_country_set_aside_serves_in_every_draw(uncertain):
    """FY2022 tranches carry a set-aside for nationals of Central America and Haiti: H-2B shares with none of them
    leave it unused in the point run and in every draw; H-2A shares leave the H-2B allocation and intervals as
    they were."""
    inputs = uncertain[1]
    base = {"fiscal_year": 2024, "supplemental_rules_fy": 2022, "demand_draws": 200}
    default = run_scenario(Assumptions(**base), inputs)
    h2a_only = run_scenario(Assumptions(**base, h2a_origin_shares={"Guatemala": 1.0}), inputs)
    mexico = run_scenario(Assumptions(**base, h2b_origin_shares={"Mexico": 1.0}), inputs)
    setaside = "fy2022_h2_central_america_haiti"

    def used(result):
        intervals = result.tables["intervals"]
        return intervals[(intervals["measure"] == "h2b_used") & (intervals["tranche"] == setaside)].iloc[0]

    assert used(default)["point"] > 0
    pd.testing.assert_frame_equal(h2a_only.tables["allocation"], default.tables["allocation"])
    h2b_rows = h2a_only.tables["intervals"]["measure"].str.startswith("h2b")
    pd.testing.assert_frame_equal(h2a_only.tables["intervals"][h2b_rows], default.tables["intervals"][h2b_rows])
    assert (used(mexico)[["point", "lo95", "hi95"]] == 0).all()
