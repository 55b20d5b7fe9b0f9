"""The pure run API: contract tables, headline, reproducible hash, JSON round trip."""

import pandas as pd
import pytest
from matcher_inputs import make_inputs

from labormatch.assumptions import Assumptions
from labormatch.model import TABLE_NAMES, ScenarioResult, run_scenario

DEMAND = {
    ("professional_business_services", "H-2B"): {"2023-11": 20_000, "2024-04": 80_000, "2024-06": 5_000},
    ("accommodation_food_services", "H-2B"): {"2024-05": 30_000},
    ("agriculture", "H-2A"): {"2024-03": 2_000, "2024-06": 1_000},
}

COLUMNS = {
    "demand": [
        "sector",
        "visa_class",
        "month",
        "fiscal_year",
        "half",
        "shortage_workers",
        "fillable_share",
        "domestic_offset",
        "wage_factor",
        "demand_workers",
    ],
    "allocation": ["sector", "half", "tranche", "demand", "allocated", "unmet"],
    "h2b_by_sector": ["sector", "half", "demand", "allocated", "unmet"],
    "tranches": [
        "tranche",
        "kind",
        "fiscal_year",
        "half",
        "window_start",
        "window_end",
        "size",
        "carried_in",
        "returning_only",
        "countries",
        "used",
        "remaining",
        "source",
        "sector",
    ],
    "origin_mix": ["visa_class", "origin", "share"],
    "h2a": ["state", "workers", "aewr_usd_hour", "aewr_basis", "weeks", "hours_per_week", "wage_bill_usd"],
    "quotas": [
        "season",
        "fiscal_year",
        "origin",
        "sector",
        "visa_class",
        "total_workers",
        "returning_workers",
        "new_workers",
        "non_returning",
        "overstays",
        "returning_eligible",
        "wages_earned_usd",
        "wages_carried_home_usd",
    ],
    "processing": [
        "fiscal_year",
        "visa_class",
        "cases",
        "workers",
        "median_days",
        "p90_days",
        "share_late",
        "late_worker_months",
        "median_days_lever",
        "share_late_lever",
        "late_worker_months_lever",
    ],
    "cap_timing": ["half", "numbers", "demand", "estimated_cap_reached_date", "observed_cap_reached_date", "basis"],
}


@pytest.fixture(scope="module")
def result():
    return run_scenario(Assumptions(fiscal_year=2024), make_inputs(DEMAND))


def test_tables_follow_the_documented_contract(result):
    assert set(result.tables) == set(TABLE_NAMES)
    for name, columns in COLUMNS.items():
        assert list(result.tables[name].columns) == columns, name


def test_totals_agree_across_tables(result):
    h = result.headline
    by_sector = result.tables["h2b_by_sector"]
    assert h["h2b_demand"] == pytest.approx(135_000)
    assert h["h2b_allocated"] + h["h2b_unmet"] == pytest.approx(135_000)
    assert h["h2b_allocated"] == pytest.approx(result.tables["tranches"]["used"].sum())
    assert h["h2b_allocated"] == pytest.approx(result.tables["allocation"]["allocated"].sum())
    season1 = result.tables["quotas"].query("season == 1")
    assert season1.groupby("visa_class")["total_workers"].sum()["H-2B"] == pytest.approx(h["h2b_allocated"])
    assert season1.groupby("sector")["total_workers"].sum()["accommodation_food_services"] == pytest.approx(
        by_sector.query("sector == 'accommodation_food_services'")["allocated"].sum()
    )
    assert h["h2a_workers"] == pytest.approx(3_000)
    # H-2A wage bill: 3,000 workers x 24 weeks x 39.3 h x state AEWRs (fixture: FL 16, GA 14, WA mean 15)
    assert h["h2a_wage_bill_usd"] == pytest.approx(3_000 * 24 * 39.3 * (0.5 * 16 + 0.25 * 14 + 0.25 * 15))


def test_same_inputs_same_hash_and_json_round_trip(result):
    again = run_scenario(Assumptions(fiscal_year=2024), make_inputs(DEMAND))
    assert again.hash() == result.hash()
    other = run_scenario(Assumptions(fiscal_year=2024, cap_multiplier=2), make_inputs(DEMAND))
    assert other.hash() != result.hash()
    back = ScenarioResult.from_json(result.to_json())
    assert back.hash() == result.hash()
    assert back.assumptions == result.assumptions
    pd.testing.assert_frame_equal(back.tables["allocation"], result.tables["allocation"])


def test_quotas_split_each_visa_class_by_its_own_origin_shares():
    """H-2A all Mexican, H-2B half Guatemalan, half Mexican: season-1 workers are the H-2A demand (3,000 in FY2024,
    all Mexico) and the H-2B workers admitted, halved between the two countries."""
    a = Assumptions(
        fiscal_year=2024, h2a_origin_shares={"Mexico": 1.0}, h2b_origin_shares={"Guatemala": 0.5, "Mexico": 0.5}
    )
    result = run_scenario(a, make_inputs(DEMAND))
    first = result.tables["quotas"].query("season == 1").groupby(["visa_class", "origin"])["total_workers"].sum()
    admitted = result.headline["h2b_allocated"]
    assert admitted > 0
    assert first.to_dict() == pytest.approx(
        {("H-2A", "Mexico"): 3_000, ("H-2B", "Guatemala"): admitted / 2, ("H-2B", "Mexico"): admitted / 2}
    )
    mix = result.tables["origin_mix"].set_index(["visa_class", "origin"])["share"].to_dict()
    assert mix == {("H-2A", "Mexico"): 1.0, ("H-2B", "Guatemala"): 0.5, ("H-2B", "Mexico"): 0.5}


def test_a_scenario_written_with_one_table_for_both_classes_runs_as_before():
    """A legacy `origin_shares` gives the run (and hash) of the same table typed for each class."""
    legacy = Assumptions.from_dict({"fiscal_year": 2024, "origin_shares": {"Mexico": 0.75, "Guatemala": 0.25}})
    shares = {"Mexico": 0.75, "Guatemala": 0.25}
    per_class = Assumptions(fiscal_year=2024, h2a_origin_shares=shares, h2b_origin_shares=shares)
    result = run_scenario(legacy, make_inputs(DEMAND))
    assert result.hash() == run_scenario(per_class, make_inputs(DEMAND)).hash()
    first = result.tables["quotas"].query("season == 1").groupby(["visa_class", "origin"])["total_workers"].sum()
    assert first[("H-2A", "Guatemala")] == pytest.approx(3_000 * 0.25)


def test_origin_mix_is_the_mix_used_even_when_no_h2b_worker_is_admitted():
    """The table holds the shares the allocation and quotas used, not shares recovered from admitted workers."""
    zero = run_scenario(Assumptions(fiscal_year=2024, cap_multiplier=0, supplemental=False), make_inputs(DEMAND))
    assert zero.headline["h2b_allocated"] == 0
    assert "H-2B" not in set(zero.tables["quotas"]["visa_class"])
    mix = zero.tables["origin_mix"].set_index(["visa_class", "origin"])["share"]
    assert mix["H-2B"].to_dict() == pytest.approx({"Guatemala": 0.1, "Honduras": 0.1, "Jamaica": 0.1, "Mexico": 0.7})
    # circular origins restrict and rescale the mix: Mexico 0.7 / 0.8, Guatemala 0.1 / 0.8
    circular = run_scenario(
        Assumptions(fiscal_year=2024, circular_origins=("Mexico", "Guatemala")), make_inputs(DEMAND)
    )
    mix = circular.tables["origin_mix"]
    assert mix.query("visa_class == 'H-2B'").set_index("origin")["share"].to_dict() == pytest.approx(
        {"Guatemala": 0.125, "Mexico": 0.875}
    )
    assert mix.query("visa_class == 'H-2A'").set_index("origin")["share"].to_dict() == pytest.approx({"Mexico": 1.0})
    first = circular.tables["quotas"].query("season == 1 and visa_class == 'H-2B'")
    by_origin = first.groupby("origin")["total_workers"].sum() / first["total_workers"].sum()
    assert by_origin.to_dict() == pytest.approx({"Guatemala": 0.125, "Mexico": 0.875})


def test_doubling_the_cap_lowers_unmet(result):
    doubled = run_scenario(Assumptions(fiscal_year=2024, cap_multiplier=2), make_inputs(DEMAND))
    assert doubled.headline["h2b_unmet"] < result.headline["h2b_unmet"]
    assert doubled.headline["h2b_statutory_cap"] == 132_000


# --- inputs from the snapshot -----------------------------------------------------------------------------


from labormatch import snapshot  # noqa: E402
from labormatch.errors import SnapshotError  # noqa: E402
from labormatch.model import DEMAND_TABLES  # noqa: E402
from labormatch.model_inputs import load_inputs, origin_shares_from_issuances  # noqa: E402


def test_origin_shares_use_the_latest_full_fiscal_year_and_group_small_origins():
    months = pd.date_range("2022-10-01", "2023-09-01", freq="MS")
    rows = [
        {"month": m, "nationality": n, "visa_class": "H-2B", "issuances": k}
        for m in months
        for n, k in (("Mexico", 90), ("Guatemala", 9.6), ("Peru", 0.4))
    ]
    rows.append({"month": pd.Timestamp("2023-10-01"), "nationality": "Peru", "visa_class": "H-2B", "issuances": 500})
    shares = origin_shares_from_issuances(pd.DataFrame(rows)).set_index("origin")["share"]
    # FY2024 has one month only, so FY2023 is used; Peru 0.4% < 0.5% goes to "All other nationalities"
    assert shares.to_dict() == pytest.approx({"All other nationalities": 0.004, "Guatemala": 0.096, "Mexico": 0.9})


@pytest.fixture(scope="module")
def snapshot_inputs():
    try:
        snapshot.manifest()
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")
    return load_inputs()


@pytest.mark.slow
def test_real_inputs_give_a_consistent_fy2024_run(snapshot_inputs):
    result = run_scenario(Assumptions(fiscal_year=2024), snapshot_inputs)
    h = result.headline
    assert h["h2b_allocated"] <= h["h2b_cap_total"] + 1e-6
    assert h["h2b_allocated"] + h["h2b_unmet"] == pytest.approx(h["h2b_demand"])
    assert all(len(result.tables[name]) for name in DEMAND_TABLES)
    # nothing is scaled after the fact: a published year's baseline sums to the published total exactly
    baseline = snapshot_inputs.baseline_demand
    h2a_2024 = baseline[(baseline["visa_class"] == "H-2A") & (baseline["fiscal_year"] == 2024)]
    assert h2a_2024["shortage_workers"].sum() == pytest.approx(384900.0)
    assert (h2a_2024["shortage_workers"] == h2a_2024["national_total"] * h2a_2024["share"]).all()
    shares = snapshot_inputs.origin_shares.groupby("visa_class")["share"].sum()
    assert shares.to_numpy() == pytest.approx([1.0, 1.0])
    assert "Mexico" in set(snapshot_inputs.origin_shares["origin"])
    # the second-half cap date lands within three weeks of USCIS's published date (FY2024: Mar 7, 2024);
    # dating it from OFLC receipt plus the median processing time gave Feb 9, four weeks early
    h2 = result.tables["cap_timing"].set_index("half").loc["H2"]
    assert h2["observed_cap_reached_date"] == pd.Timestamp("2024-03-07")
    assert abs((h2["estimated_cap_reached_date"] - h2["observed_cap_reached_date"]).days) <= 21


# --- command line ---------------------------------------------------------------------------------------

from typer.testing import CliRunner  # noqa: E402

from labormatch import model_inputs  # noqa: E402
from labormatch.cli import app  # noqa: E402


def test_scenario_run_writes_a_result_that_reads_back(tmp_path, monkeypatch):
    monkeypatch.setattr(model_inputs, "load_inputs", lambda data=None, forecast=True: make_inputs(DEMAND))
    config = tmp_path / "pilot.yaml"
    config.write_text("title: Pilot\nauthor: test\nassumptions:\n  fiscal_year: 2024\n  cap_multiplier: 2\n")
    out = tmp_path / "result.json"
    run = CliRunner().invoke(app, ["scenario", "run", "--config", str(config), "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "h2b_unmet" in run.output and "result hash" in run.output
    result = ScenarioResult.from_json(out.read_text())
    assert result.assumptions.cap_multiplier == 2
    assert result.hash() == run_scenario(Assumptions(fiscal_year=2024, cap_multiplier=2), make_inputs(DEMAND)).hash()


def test_scenario_run_names_the_bad_field(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("title: Bad\nassumptions:\n  fiscal_year: 2024\n  return_rate: 1.5\n")
    run = CliRunner().invoke(app, ["scenario", "run", "--config", str(config)])
    assert run.exit_code == 1
    assert "return_rate" in run.output and "allowed 0 to 1 share" in run.output


def test_scenario_run_refuses_an_out_folder_that_does_not_exist_before_running(tmp_path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("inputs prepared although --out cannot be written")

    monkeypatch.setattr(model_inputs, "load_inputs", never)
    config = tmp_path / "ok.yaml"
    config.write_text("title: Ok\nassumptions:\n  fiscal_year: 2024\n")
    run = CliRunner().invoke(
        app, ["scenario", "run", "--config", str(config), "--out", str(tmp_path / "no" / "r.json")]
    )
    assert run.exit_code == 1 and "does not exist" in run.output and "Traceback" not in run.output


def test_processing_cases_by_hand():
    from labormatch.model_inputs import _processing_cases

    cases = pd.DataFrame(
        {
            "visa_class": ["H-2B", "H-2B", "H-2B", "H-2B"],
            "fiscal_year": [2019, 2019, 2019, 2018],
            "received_date": pd.to_datetime(["2019-01-02", "2019-01-02", "2019-02-01", "2018-01-02"]),
            "decision_date": pd.to_datetime(["2019-02-11", "2019-02-11", "2019-04-11", "2018-02-01"]),
            "need_start": pd.to_datetime(["2019-04-01", "2019-04-01", "2019-04-01", "2018-04-01"]),
            "workers_requested": [10, 30, 60, 5],
            "workers_certified": [10, 30, 50, 5],
        }
    )
    processing = _processing_cases(cases, {"H-2B": {2019}}).set_index("processing_days")
    # FY2019 only (FY2018 is not complete); the two equal cases are one row with cases = 2 and 40 workers
    assert processing.loc[40.0, "cases"] == 2 and processing.loc[40.0, "workers"] == 40
    assert processing.loc[69.0, "slack_days"] == -10  # decided Apr 11 for an Apr 1 start


def test_scenario_run_warns_about_runaway_need_growth(tmp_path):
    config = tmp_path / "runaway.yaml"
    config.write_text(
        "title: Runaway\nassumptions:\n  fiscal_year: 2024\n  need_growth_per_season: 1.0\n  seasons: 20\n"
    )
    run = CliRunner().invoke(app, ["scenario", "run", "--config", str(config), "--no-forecast"])
    assert run.exit_code == 0, run.output
    assert (
        "warning: Need growth of 100% a season over 20 seasons makes the last season's need 524,288 times" in run.output
    )
