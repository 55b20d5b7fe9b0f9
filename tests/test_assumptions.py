"""The validated assumptions model: defaults from the rules, declared metadata, and errors naming the field."""

import json

import pytest
from pydantic import ValidationError

from labormatch.assumptions import Assumptions, AssumptionsError


def test_defaults_come_from_the_rules():
    a = Assumptions()
    assert a.annual_cap() == 66_000
    assert a.half_caps() == (33_000, 33_000)


def test_cap_override_multiplier_and_split():
    a = Assumptions(h2b_cap=50_000, cap_multiplier=2.0, first_half_share=0.25)
    assert a.annual_cap() == 100_000
    assert a.half_caps() == (25_000, 75_000)


@pytest.mark.parametrize(
    "bad, field, detail",
    [
        ({"h2b_cap": -5}, "h2b_cap", "allowed 0 to 10,000,000 workers per fiscal year"),
        ({"fillable_share": 1.5}, "fillable_share", "allowed 0 to 1 share"),
        ({"return_rate": -0.1}, "return_rate", "allowed 0 to 1 share"),
        ({"seasons": 3}, "seasons", "allowed 5 to 20"),
        ({"h2b_origin_shares": {"Mexico": 0.5, "Guatemala": 0.4}}, "h2b_origin_shares", "sum to 0.900000"),
        ({"h2a_origin_shares": {"Mexico": 1.2, "Guatemala": -0.2}}, "h2a_origin_shares", "between 0 and 1"),
        ({"h2a_origin_shares": {}}, "h2a_origin_shares", "must name at least one origin country"),
        (
            {"origin_shares": {"Mexico": 0.5, "Guatemala": 0.4}},
            "origin_shares (one table for both visa classes)",
            "sum to 0.900000",
        ),
        (
            {"h2a_origin_shares": {"Mexico": 1.0}, "circular_origins": ["Guatemala"]},
            "circular_origins",
            "none of the countries has a positive share in h2a_origin_shares",
        ),
        ({"fillable_share_by_sector": {"seafood": 0.5}}, "fillable_share_by_sector", "unknown sector 'seafood'"),
        (
            {"pilot_carveouts": [{"sector": "seafood", "numbers": 10}]},
            "pilot_carveouts, row 1, sector",
            "unknown sector",
        ),
        (
            {"pilot_carveouts": [{"sector": "food_manufacturing", "numbers": -1}]},
            "pilot_carveouts, row 1, numbers",
            "allowed 0 to 1,000,000 workers",
        ),
        ({"fiscal_year": 2010}, "fiscal_year", "fiscal year 2010 is outside FY2017-FY2031"),
        ({"fiscal_year": 2032}, "fiscal_year", "fiscal year 2032 is outside FY2017-FY2031"),
        (
            {"supplemental_rules_fy": 2030},
            "supplemental_rules_fy",
            "no published supplemental rule for fiscal year 2030; rules are published for FY2017-FY2026",
        ),
        ({"cap_size": 1}, "unknown assumption", "cap_size; known fields: fiscal_year"),
    ],
)
def test_bad_values_name_the_field_and_the_allowed_range(bad, field, detail):
    with pytest.raises(AssumptionsError) as err:
        Assumptions.from_dict(bad)
    assert f"{field}: " in str(err.value)
    assert detail in str(err.value)


def test_model_validate_gives_the_same_clear_error():
    with pytest.raises(AssumptionsError, match=r"overstay_rate: .*allowed 0 to 1 share"):
        Assumptions.model_validate({"overstay_rate": 2})


def test_not_a_mapping_is_refused():
    with pytest.raises(AssumptionsError, match="expected a mapping"):
        Assumptions.from_dict(["fiscal_year", 2024])


def test_round_trip_and_immutability():
    a = Assumptions(
        fiscal_year=2024,
        h2a_origin_shares={"Mexico": 1.0},
        h2b_origin_shares={"Mexico": 0.8, "Guatemala": 0.2},
        circular_origins=("Mexico",),
        pilot_carveouts=[{"sector": "food_manufacturing", "numbers": 5000, "inside_cap": False}],
    )
    assert Assumptions.from_dict(a.to_dict()) == a
    with pytest.raises(ValidationError, match="frozen"):
        a.fiscal_year = 2020


def test_a_file_written_before_per_class_shares_runs_its_one_table_for_both_classes():
    legacy = Assumptions.from_dict({"origin_shares": {"Mexico": 0.6, "Guatemala": 0.4}})
    assert legacy == Assumptions(
        h2a_origin_shares={"Mexico": 0.6, "Guatemala": 0.4}, h2b_origin_shares={"Mexico": 0.6, "Guatemala": 0.4}
    )
    assert (legacy.origin_shares_of("H-2A"), legacy.origin_shares_of("H-2B")) == (
        {"Mexico": 0.6, "Guatemala": 0.4},
    ) * 2
    # every older saved version holds `origin_shares: null`: the DOS default, beside a per-class table typed later
    edited = Assumptions.from_dict({"origin_shares": None, "h2b_origin_shares": {"Mexico": 1.0}})
    assert (edited.h2a_origin_shares, edited.h2b_origin_shares) == (None, {"Mexico": 1.0})


def test_the_one_table_for_both_classes_and_a_class_of_its_own_together_are_refused():
    with pytest.raises(AssumptionsError, match=r"origin_shares .*cannot be combined with h2b_origin_shares"):
        Assumptions.from_dict({"origin_shares": {"Mexico": 1.0}, "h2b_origin_shares": {"Guatemala": 1.0}})


@pytest.mark.parametrize("legacy", [None, {"Mexico": 0.6, "Guatemala": 0.4}])
def test_results_hash_the_assumptions_a_version_saved_before_per_class_shares_was_hashed_with(legacy):
    """Before per-class shares, a result hashed `to_dict()` with every field and one `origin_shares` entry: a saved
    document loaded now gives that same mapping back, so a re-run reproduces the saved hash."""
    saved_then = {
        **{k: v for k, v in Assumptions().to_dict().items() if k not in ("h2a_origin_shares", "h2b_origin_shares")},
        "fiscal_year": 2024,
        "origin_shares": legacy,
    }
    assert Assumptions.from_dict(saved_then).hash_dict() == saved_then
    # classes with shares of their own are hashed as such (and differ from either one table for both)
    split = Assumptions(fiscal_year=2024, h2a_origin_shares={"Mexico": 1.0}, h2b_origin_shares=legacy)
    assert "origin_shares" not in split.hash_dict()
    assert (split.hash_dict()["h2a_origin_shares"], split.hash_dict()["h2b_origin_shares"]) == ({"Mexico": 1.0}, legacy)


def test_every_field_is_declared_for_the_form_and_the_report():
    rows = Assumptions.describe()
    assert {r["name"] for r in rows} == set(Assumptions.model_fields)
    for row in rows:
        assert row["unit"] and row["source"] and row["group"] and row["label"] and row["description"], row
    by_name = {r["name"]: r for r in rows}
    assert (by_name["return_rate"]["minimum"], by_name["return_rate"]["maximum"]) == (0.0, 1.0)
    assert "49.3%" in by_name["return_rate"]["source"]


def test_fiscal_year_fields_state_their_ranges():
    """A scenario may choose any year to the planning horizon; a carried rule must be a published one."""
    rows = {row["name"]: row for row in Assumptions.describe()}
    assert (rows["fiscal_year"]["minimum"], rows["fiscal_year"]["maximum"]) == (2017, 2031)
    assert (rows["supplemental_rules_fy"]["minimum"], rows["supplemental_rules_fy"]["maximum"]) == (2017, 2026)


@pytest.mark.parametrize(
    "built_at, as_of, expected",
    [
        ("2026-11-23T12:25:42Z", None, 2027),  # the shipped snapshot: November 2026 is in FY2027
        ("2026-09-30T23:59:00Z", None, 2026),  # the last day of FY2026
        ("2026-10-01T00:00:00Z", None, 2027),  # the first day of FY2027
        ("2026-11-23T12:25:42Z", "2025-08", 2025),  # a recorded as-of month (YYYY-MM) wins over the build time
    ],
)
def test_default_fiscal_year_follows_the_snapshots_as_of_month(tmp_path, monkeypatch, built_at, as_of, expected):
    from labormatch.fiscal import default_fiscal_year

    manifest = {"built_at": built_at, "outputs": []} | ({"as_of_month": as_of} if as_of else {})
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert default_fiscal_year(data_dir=tmp_path) == expected
    monkeypatch.setenv("LABORMATCH_DATA", str(tmp_path))
    assert Assumptions().fiscal_year == expected
    assert {r["name"]: r["default"] for r in Assumptions.describe()}["fiscal_year"] == expected
    assert Assumptions(fiscal_year=2030).fiscal_year == 2030, "a chosen year never reads the snapshot"


def test_a_snapshot_past_the_planning_horizon_is_refused_by_name(tmp_path, monkeypatch):
    (tmp_path / "manifest.json").write_text(json.dumps({"as_of_month": "2031-10", "outputs": []}))
    monkeypatch.setenv("LABORMATCH_DATA", str(tmp_path))
    with pytest.raises(AssumptionsError, match="fiscal_year: fiscal year 2032 is outside FY2017-FY2031"):
        Assumptions()


@pytest.mark.parametrize(
    "choice, sentence",
    [
        ({"fiscal_year": 2027}, "No published supplemental rule for FY2027: statutory cap only"),
        ({"fiscal_year": 2026}, "FY2026 published supplemental rule: 64,716 numbers."),
        (
            {"fiscal_year": 2027, "supplemental_rules_fy": 2026},
            "FY2026 tranches carried to FY2027 by your choice (64,716 numbers, windows moved 1 year later).",
        ),
        (
            {"fiscal_year": 2029, "supplemental_rules_fy": 2026},
            "FY2026 tranches carried to FY2029 by your choice (64,716 numbers, windows moved 3 years later). The "
            "returning-worker pool counts FY2027, FY2028 at the statutory cap only (no published rule for them).",
        ),
        (
            {"fiscal_year": 2024, "supplemental_rules_fy": 2026},
            "FY2026 tranches carried to FY2024 by your choice (64,716 numbers, windows moved 2 years earlier).",
        ),
        ({"fiscal_year": 2024, "supplemental": False}, "Supplemental tranches switched off by your choice"),
    ],
)
def test_the_supplemental_rule_applied_is_said_in_words(choice, sentence):
    assert Assumptions(**choice).supplemental_basis().startswith(sentence)


# --- the rule values a scenario runs on, worked out once ----------------------------------------------------


def test_resolve_gives_the_rule_values_in_force():
    resolved = Assumptions(fiscal_year=2024).resolve()
    assert (resolved.statutory_cap, resolved.cap_before_multiplier, resolved.annual_cap) == (66_000, 66_000, 66_000)
    assert resolved.first_half_share == 0.5 and resolved.half_caps == (33_000, 33_000)
    assert resolved.supplemental_rules_fy == 2024 and sum(resolved.supplemental_sizes.values()) == 64_716
    assert (resolved.lookback_years, resolved.lookback_fiscal_years) == (3, (2021, 2022, 2023))
    # FY2021-FY2023: 88,000, 121,000 and 130,716 numbers; the pool is 49.3% of the largest
    assert resolved.recent_max_numbers == 130_716
    assert resolved.returning_pool == pytest.approx(0.493 * 130_716)


def test_resolve_applies_the_scenario_overrides():
    resolved = Assumptions(
        fiscal_year=2022, h2b_cap=50_001, cap_multiplier=2.0, supplemental=False, return_rate=0.5
    ).resolve()
    assert (resolved.cap_before_multiplier, resolved.annual_cap, resolved.half_caps) == (
        50_001,
        100_002,
        (50_001, 50_001),
    )
    assert resolved.supplemental_rules_fy is None and resolved.supplemental_sizes == {}
    # FY2019-FY2021: the largest numbers are FY2019's 66,000 + 30,000
    assert resolved.returning_pool == pytest.approx(48_000)
    assert resolved.supplemental_basis.startswith("Supplemental tranches switched off")


def test_resolved_round_trips_through_json():
    from labormatch.assumptions import ResolvedRules

    resolved = Assumptions(fiscal_year=2029, supplemental_rules_fy=2025).resolve()
    assert ResolvedRules.from_dict(json.loads(json.dumps(resolved.to_dict()))) == resolved
    assert "FY2027, FY2028 at the statutory cap only" in resolved.supplemental_basis


def test_behavioural_fields_are_declared_by_their_parameter_files():
    from labormatch.rules import load_rules

    described = {row["name"]: row for row in Assumptions.describe()}
    for name in ("return_rate", "overstay_rate", "carried_home_share", "wage_floor_elasticity"):
        parameter = load_rules().behaviour(name)
        row = described[name]
        assert (row["default"], row["unit"], row["source"], row["label"], row["description"]) == (
            parameter.latest(),
            parameter.unit,
            parameter.source(),
            parameter.label,
            parameter.description,
        )
        assert (row["group"], row["minimum"], row["maximum"]) == (
            parameter.form["group"],
            parameter.form["minimum"],
            parameter.form["maximum"],
        )
    # the descriptions quote the statutory numbers from the rules, not typed copies
    assert "(66,000)" in described["h2b_cap"]["description"]
    assert "(33,000 of 66,000)" in described["first_half_share"]["description"]


def test_the_result_carries_the_resolved_values_and_the_report_reads_them():
    """The Assumptions sheet shows the values the run used, never its own copy of a rule: give the result other
    resolved values and the sheet follows them."""
    import dataclasses

    from labormatch.model import ScenarioResult
    from labormatch.report.inputs import input_rows
    from tests.report_fixtures import synthetic_result

    result = synthetic_result(fiscal_year=2025)
    assert result.resolved == result.assumptions.resolve()
    assert ScenarioResult.from_json(result.to_json()).resolved == result.resolved
    other = dataclasses.replace(
        result.resolved, first_half_share=0.6, cap_before_multiplier=70_000, lookback_years=2, recent_max_numbers=99_999
    )
    rows, _ = input_rows(dataclasses.replace(result, resolved=other))
    values = {row.name: row.value for row in rows if row.name}
    assert (values["first_half_share"], values["h2b_cap"], values["recent_max_numbers"]) == (0.6, 70_000, 99_999)
    assert any(row.label == "Largest H-2B numbers of the 2 previous fiscal years" for row in rows)
    # the hash covers assumptions, data and tables: the resolved values follow from them and leave it unchanged
    assert dataclasses.replace(result, resolved=other).hash() == result.hash()


def test_each_field_declares_whether_the_workbook_reads_it():
    from labormatch.report.inputs import input_rows
    from tests.report_fixtures import synthetic_result

    described = {row["name"]: row for row in Assumptions.describe()}
    live = {name for name, row in described.items() if row["live"]}
    assert {"return_rate", "carried_home_share", "wage_floor_elasticity", "h2b_cap", "first_half_share"} <= live
    assert not {"fiscal_year", "seasons", "demand_draws", "h2a_origin_shares", "h2b_origin_shares"} & live
    result = synthetic_result(
        fillable_share_by_sector={"construction": 0.5}, pilot_carveouts=[{"sector": "construction", "numbers": 100}]
    )
    named = {row.name for row in input_rows(result)[0] if row.name}
    scalar = live - {"fillable_share_by_sector", "pilot_carveouts"}
    assert scalar <= named and not (set(described) - live) & named
    assert {"fillable_construction", "carveout_1_numbers"} <= named
