"""The shipped example scenarios: well-formed, and each produces what the law and its header say.

The runs use small hand-made inputs (tests/example_inputs.py) whose H-2B demand exceeds every cap, so
the cap arithmetic shows in full; the figures checked are statutory and rule numbers, not data.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from example_inputs import demand_inputs

from labormatch import snapshot
from labormatch.errors import SnapshotError
from labormatch.fiscal import fiscal_years
from labormatch.model import run_scenario
from labormatch.model_inputs import origin_shares_from_issuances
from labormatch.rules import load_rules
from labormatch.scenario import example_paths, load_example, load_scenario_file

EXAMPLES = (
    "cap_doubled",
    "circular_mx_gt_hn",
    "fy2024_rules",
    "h2b_central_america",
    "seafood_pilot",
    "statutory_cap",
)
SETASIDE_FY2024 = "fy2024_country_setaside"


@pytest.fixture(scope="module")
def results():
    inputs = demand_inputs()
    return {name: run_scenario(load_example(name).assumptions, inputs) for name in EXAMPLES}


def _tranches(result) -> dict[str, float]:
    return dict(zip(result.tables["tranches"]["tranche"], result.tables["tranches"]["size"], strict=True))


def test_every_example_is_shipped_with_a_header():
    assert tuple(example_paths()) == EXAMPLES
    titles = set()
    for name, path in example_paths().items():
        scenario = load_scenario_file(path)
        assert scenario.author and len(scenario.notes) > 100 and scenario.title not in titles
        titles.add(scenario.title)
        assert scenario.baseline is None or (scenario.baseline in EXAMPLES and scenario.baseline != name)
        assert scenario.assumptions.fiscal_year == 2024


def test_statutory_cap_only(results):
    result = results["statutory_cap"]
    assert _tranches(result) == {"statutory_h1": 33_000, "statutory_h2": 33_000}
    assert result.headline["h2b_supplemental_total"] == 0
    assert result.headline["h2b_allocated"] == 66_000  # demand (84,000) exceeds the cap


def test_fy2024_rules_add_the_supplemental_tranches(results):
    tranches = _tranches(results["fy2024_rules"])
    assert {k: v for k, v in tranches.items() if k.startswith("fy2024")} == {
        "fy2024_h1_returning": 20_716,
        "fy2024_h2_early_returning": 19_000,
        "fy2024_h2_late_returning": 5_000,
        "fy2024_country_setaside": 20_000,
    }
    assert results["fy2024_rules"].headline["h2b_supplemental_total"] == 64_716
    assert results["fy2024_rules"].headline["h2b_cap_total"] == 66_000 + 64_716


def test_cap_doubled(results):
    result = results["cap_doubled"]
    tranches = result.tables["tranches"].set_index("tranche")
    own = tranches["size"] - tranches["carried_in"]
    assert own.to_dict() == {"statutory_h1": 66_000, "statutory_h2": 66_000}
    # first-half demand (6 months x 7,000) leaves numbers unused; the statute moves them to the second half
    assert tranches.loc["statutory_h1", "used"] == 6 * 7_000
    assert tranches.loc["statutory_h2", "carried_in"] == 66_000 - 6 * 7_000
    assert result.headline["h2b_statutory_cap"] == 132_000
    assert result.headline["h2b_unmet"] == 0


def test_seafood_pilot_serves_food_manufacturing_only(results):
    result = results["seafood_pilot"]
    tranches = result.tables["tranches"].set_index("tranche")
    pilot = tranches.loc["pilot_food_manufacturing_outside_cap"]
    assert (pilot["kind"], pilot["size"]) == ("carveout", 5_000)
    assert result.headline["h2b_cap_total"] == 66_000 + 64_716 + 5_000
    allocation = result.tables["allocation"]
    from_pilot = allocation[(allocation["tranche"] == pilot.name) & (allocation["allocated"] > 0)]
    assert set(from_pilot["sector"]) == {"food_manufacturing"}
    assert from_pilot["allocated"].sum() == pilot["used"] > 0


def test_circular_program_draws_on_three_origins_at_80_percent_return(results):
    quotas = results["circular_mx_gt_hn"].tables["quotas"]
    h2b = quotas[quotas["visa_class"] == "H-2B"]
    assert set(h2b["origin"]) == {"Mexico", "Guatemala", "Honduras"}
    assert sorted(quotas["season"].unique()) == [1, 2, 3, 4, 5]
    flows = quotas.sort_values("season").groupby(["origin", "sector", "visa_class"])
    for _, group in flows:
        total, returning = group["total_workers"].to_numpy(), group["returning_workers"].to_numpy()
        assert returning[0] == 0
        assert returning[1:] == pytest.approx([min(t, 0.8 * prev) for t, prev in zip(total[1:], total[:-1])])
    default = results["fy2024_rules"].tables["quotas"]
    assert set(default.loc[default["visa_class"] == "H-2B", "origin"]) > {"Mexico", "Guatemala", "Honduras"}


def test_each_visa_class_runs_on_its_own_origin_table(results):
    """H-2A and H-2B quotas split by the file's two tables; the set-aside countries named in the H-2B table hold
    twice their FY2024 share (2 x (7.2851% + 5.7655% + 5.1125% + 0.5623%) = 37.4508%), so more workers can use
    the 20,000 set-aside numbers than with the default shares."""
    assumptions = load_example("h2b_central_america").assumptions
    quotas = results["h2b_central_america"].tables["quotas"]
    for visa_class in ("H-2A", "H-2B"):
        origins = set(quotas.loc[quotas["visa_class"] == visa_class, "origin"])
        assert origins == set(assumptions.origin_shares_of(visa_class))
    setaside = load_rules().supplemental_tranches(2024)
    countries = next(t.countries for t in setaside if t.tranche == SETASIDE_FY2024)
    named = sum(share for origin, share in assumptions.h2b_origin_shares.items() if origin in countries)
    assert named == pytest.approx(0.374508, abs=2e-6)
    used = {
        name: results[name].tables["tranches"].set_index("tranche").loc[SETASIDE_FY2024, "used"]
        for name in ("fy2024_rules", "h2b_central_america")
    }
    # The set-aside (not exhausted here) serves its countries' share of the same demand left after the statutory
    # numbers: 20% of it with the hand-made default shares (Guatemala 10% + Honduras 10%), 37.4508% with these.
    assert 0 < used["fy2024_rules"] < 20_000
    assert used["h2b_central_america"] / used["fy2024_rules"] == pytest.approx(0.374508 / 0.2, rel=1e-5)


def test_same_scenario_run_twice_gives_the_same_hash(results):
    again = demand_inputs()
    for name in EXAMPLES:
        assert run_scenario(load_example(name).assumptions, again).hash() == results[name].hash()
    hashes = {result.hash() for result in results.values()}
    assert len(hashes) == len(EXAMPLES)


def test_examples_compare_side_by_side(results):
    from labormatch.compare import compare

    tables = compare(results, baseline="statutory_cap")
    headline = tables["headline"].set_index(["figure", "scenario"])
    assert headline.loc[("h2b_cap_total", "fy2024_rules"), "delta"] == 64_716
    assert headline.loc[("h2b_cap_total", "cap_doubled"), "delta"] == 66_000
    assert isinstance(tables["by_origin"], pd.DataFrame) and len(tables["by_origin"])


def test_the_origin_tables_are_the_fy2024_issuances_the_notes_describe():
    """h2b_central_america's tables against the snapshot's State Department issuances: H-2A is the FY2024 mix the
    default computes; H-2B is the FY2024 mix with the set-aside countries listed doubled and Mexico lower by as much
    (each to the 6 decimals written, All other nationalities taking the rounding)."""
    try:
        issuances = snapshot.load_table("reference/dos_issuances")
    except SnapshotError as exc:
        pytest.skip(f"no embedded data snapshot: {exc}")
    shares = origin_shares_from_issuances(issuances[fiscal_years(issuances["month"]) <= 2024])
    assert set(shares["fiscal_year"]) == {2024}
    fy2024 = {v: dict(zip(rows["origin"], rows["share"], strict=True)) for v, rows in shares.groupby("visa_class")}
    assumptions = load_example("h2b_central_america").assumptions
    countries = next(t.countries for t in load_rules().supplemental_tranches(2024) if t.tranche == SETASIDE_FY2024)
    doubled = sum(share for origin, share in fy2024["H-2B"].items() if origin in countries)
    expected_h2b = {
        origin: 2 * share if origin in countries else share - doubled if origin == "Mexico" else share
        for origin, share in fy2024["H-2B"].items()
    }
    for visa_class, expected in (("H-2A", fy2024["H-2A"]), ("H-2B", expected_h2b)):
        written = assumptions.origin_shares_of(visa_class)
        assert set(written) == set(expected)
        assert written == pytest.approx(expected, abs=1e-6)


# ---- expected outputs on the embedded data snapshot ----------------------------------------------------
# Each example has `<name>.expected.csv` beside it: its headline figures on the snapshot named in the
# file's header. After a deliberate model or data change, regenerate them with
#   LABORMATCH_UPDATE_EXPECTED=1 pytest tests/test_examples.py -k expected
# and review the diff like any other change.

UPDATE = os.environ.get("LABORMATCH_UPDATE_EXPECTED") == "1"


@pytest.fixture(scope="module")
def snapshot_results():
    from labormatch.model_inputs import load_inputs

    try:
        inputs = load_inputs()
    except SnapshotError as exc:
        pytest.skip(f"no embedded data snapshot to run the examples on: {exc}")
    return {name: run_scenario(load_example(name).assumptions, inputs) for name in EXAMPLES}


def write_expected(path: Path, result) -> None:
    rows = [{"figure": key, "value": repr(float(value))} for key, value in sorted(result.headline.items())]
    header = (
        f"# headline figures of {path.name.removesuffix('.expected.csv')} on the embedded data snapshot\n"
        f"# data_checksum: {result.data_vintage.get('data_checksum', '')}\n"
    )
    path.write_text(header + pd.DataFrame(rows).to_csv(index=False), encoding="utf-8")


def read_expected(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_expected_output_on_the_snapshot(snapshot_results, name):
    result = snapshot_results[name]
    path = example_paths()[name].with_suffix(".expected.csv")
    if UPDATE:
        write_expected(path, result)
    assert path.is_file(), f"{path.name} missing: run LABORMATCH_UPDATE_EXPECTED=1 pytest tests/test_examples.py"
    expected = read_expected(path)
    got = pd.Series(result.headline, dtype=float).sort_index()
    want = expected.set_index("figure")["value"].astype(float).sort_index()
    assert list(got.index) == list(want.index)
    changed = {k: (want[k], got[k]) for k in want.index if not np.isclose(got[k], want[k], rtol=1e-5, atol=1e-6)}
    assert changed == {}, f"{name}: headline figures changed (expected, now): {changed}"
