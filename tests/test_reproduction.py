"""The one hash re-check (`labormatch.reproduction`) the store, the CLI and the app share: known answers."""

from __future__ import annotations

import pandas as pd

from labormatch.model import ScenarioResult
from labormatch.reproduction import HashCheck, check_hash, check_saved, short_hash
from labormatch.scenario import Scenario
from labormatch.store import Store

VINTAGE = {"snapshot": "test"}


def _result(cap_multiplier: float, vintage: dict = VINTAGE) -> ScenarioResult:
    scenario = Scenario(title="t", assumptions={"fiscal_year": 2024, "cap_multiplier": cap_multiplier})
    table = pd.DataFrame({"cap": [66_000 * cap_multiplier]})
    return ScenarioResult(scenario.assumptions, vintage, {"cap": table}, {"cap": float(table["cap"].iloc[0])})


def test_short_hash_is_the_first_twelve_hex_digits():
    assert short_hash("0123456789abcdef" * 4) == "0123456789ab"


def test_a_rerun_with_the_same_result_reproduces_the_recorded_hash():
    recorded = _result(1.0).hash()
    checked = check_hash(recorded, _result(1.0))
    assert (checked.reproduced, checked.vintage_changed, checked.verdict()) == (True, None, "reproduced")


def test_a_different_result_is_reported_with_the_new_hash_and_whether_the_data_changed():
    now = _result(2.0, {"snapshot": "newer"})
    checked = check_hash(_result(1.0).hash(), now, VINTAGE)
    assert (checked.reproduced, checked.vintage_changed) == (False, True)
    assert checked.verdict() == f"differs: re-run gives {now.hash()[:12]} (data vintage changed since it was saved)"
    same_data = check_hash(_result(1.0).hash(), _result(2.0), VINTAGE)
    assert same_data.verdict() == f"differs: re-run gives {_result(2.0).hash()[:12]}"


def test_a_saved_version_is_checked_against_its_saved_hash_and_vintage(tmp_path):
    scenario = Scenario(title="t", assumptions={"fiscal_year": 2024, "cap_multiplier": 1.0})
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        saved = store.save_result("plan", scenario, _result(1.0))
    assert check_saved(saved, _result(1.0)) == HashCheck(saved.result_hash, saved.result_hash, vintage_changed=False)
    assert not check_saved(saved, _result(1.5)).reproduced
