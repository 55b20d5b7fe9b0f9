"""The validated assumptions model: defaults from the rules, declared metadata, and errors naming the field."""

import pytest

from labormatch.assumptions import Assumptions, AssumptionsError


def test_defaults_come_from_the_rules():
    a = Assumptions()
    assert a.annual_cap() == 66_000
    assert a.half_caps() == (33_000, 33_000)


def test_cap_override_multiplier_and_split():
    a = Assumptions(h2b_cap=50_000, cap_multiplier=2.0, first_half_share=0.25)
    assert a.annual_cap() == 100_000
    assert a.half_caps() == (25_000, 75_000)


@pytest.mark.parametrize("bad, field, detail", [
    ({"h2b_cap": -5}, "h2b_cap", "allowed 0 to 10,000,000 workers per fiscal year"),
    ({"fillable_share": 1.5}, "fillable_share", "allowed 0 to 1 share"),
    ({"return_rate": -0.1}, "return_rate", "allowed 0 to 1 share"),
    ({"seasons": 3}, "seasons", "allowed 5 to 20"),
    ({"origin_shares": {"Mexico": 0.5, "Guatemala": 0.4}}, "origin_shares", "sum to 0.900000"),
    ({"origin_shares": {"Mexico": 1.2, "Guatemala": -0.2}}, "origin_shares", "between 0 and 1"),
    ({"fillable_share_by_sector": {"seafood": 0.5}}, "fillable_share_by_sector", "unknown sector 'seafood'"),
    ({"pilot_carveouts": [{"sector": "seafood", "numbers": 10}]}, "pilot_carveouts, row 1, sector", "unknown sector"),
    ({"pilot_carveouts": [{"sector": "food_manufacturing", "numbers": -1}]}, "pilot_carveouts, row 1, numbers", "allowed 0 to 1,000,000 workers"),
    ({"fiscal_year": 2010}, "fiscal_year", "unknown fiscal year 2010"),
    ({"supplemental_rules_fy": 2030}, "supplemental_rules_fy", "FY2017-FY2026"),
    ({"cap_size": 1}, "unknown assumption", "cap_size; known fields: fiscal_year"),
])
def test_bad_values_name_the_field_and_the_allowed_range(bad, field, detail):
    with pytest.raises(AssumptionsError) as err:
        Assumptions.from_dict(bad)
    assert f"{field}: " in str(err.value)
    assert detail in str(err.value)


def test_model_validate_gives_the_same_clear_error():
    with pytest.raises(AssumptionsError, match="overstay_rate: .*allowed 0 to 1 share"):
        Assumptions.model_validate({"overstay_rate": 2})


def test_not_a_mapping_is_refused():
    with pytest.raises(AssumptionsError, match="expected a mapping"):
        Assumptions.from_dict(["fiscal_year", 2024])


def test_round_trip_and_immutability():
    a = Assumptions(fiscal_year=2024, origin_shares={"Mexico": 0.8, "Guatemala": 0.2}, circular_origins=("Mexico",),
                    pilot_carveouts=[{"sector": "food_manufacturing", "numbers": 5000, "inside_cap": False}])
    assert Assumptions.from_dict(a.to_dict()) == a
    with pytest.raises(Exception):
        a.fiscal_year = 2020


def test_every_field_is_declared_for_the_form_and_the_report():
    rows = Assumptions.describe()
    assert {r["name"] for r in rows} == set(Assumptions.model_fields)
    for row in rows:
        assert row["unit"] and row["source"] and row["group"] and row["label"] and row["description"], row
    by_name = {r["name"]: r for r in rows}
    assert (by_name["return_rate"]["minimum"], by_name["return_rate"]["maximum"]) == (0.0, 1.0)
    assert "49.3%" in by_name["return_rate"]["source"]


def test_rule_year_fields_state_the_years_the_rules_cover():
    from labormatch.rules import load_rules

    years = load_rules().fiscal_years
    rows = {row["name"]: row for row in Assumptions.describe()}
    for name in ("fiscal_year", "supplemental_rules_fy"):
        assert (rows[name]["minimum"], rows[name]["maximum"]) == (years[0], years[-1])
