"""Processing time: delay distribution, late starts and the faster-processing lever, by hand."""

import numpy as np
import pandas as pd
import pytest

from labormatch.processing import DAYS_PER_MONTH, apply_lever, delay_table, scenario_lateness

CASES = pd.DataFrame(
    {
        "fiscal_year": [2023] * 4,
        "visa_class": ["H-2B"] * 4,
        "workers": [10.0, 20.0, 30.0, 40.0],
        "processing_days": [30.0, 60.0, 90.0, 120.0],
        "slack_days": [20.0, -10.0, -30.0, 5.0],
    }
)


def test_lever_cuts_days_then_percent():
    days, slack = apply_lever(np.array([30.0, 60.0]), np.array([0.0, -10.0]), 20, 50)
    # max(0, 30 - 20) x 0.5 = 5 (25 days gained); max(0, 60 - 20) x 0.5 = 20 (40 gained)
    assert days.tolist() == [5.0, 20.0]
    assert slack.tolist() == [25.0, 30.0]


def test_delay_table_by_hand():
    row = delay_table(CASES, 0, 0).iloc[0]
    # lower quantiles over 4 cases: median = 2nd smallest (60), p90 = first with >= 3.6 cases at or below (120)
    assert row["median_days"] == 60 and row["p90_days"] == 120
    # late: 20 + 30 of 100 workers; lost = (20 x 10 + 30 x 30) / 30.44
    assert row["share_late"] == pytest.approx(0.5)
    assert row["late_worker_months"] == pytest.approx(1_100 / DAYS_PER_MONTH)
    faster = delay_table(CASES, 15, 0).iloc[0]
    # 15 days faster: slack -10 -> 5 (on time), -30 -> -15
    assert faster["share_late_lever"] == pytest.approx(0.3)
    assert faster["late_worker_months_lever"] == pytest.approx(30 * 15 / DAYS_PER_MONTH)
    assert faster["median_days_lever"] == 45


def test_grouped_rows_weight_the_quantiles_by_case_count():
    grouped = pd.DataFrame(
        {
            "fiscal_year": 2023,
            "visa_class": "H-2A",
            "workers": [5.0, 5.0],
            "processing_days": [10.0, 50.0],
            "slack_days": [1.0, 1.0],
            "cases": [1, 3],
        }
    )
    row = delay_table(grouped, 0, 0).iloc[0]
    assert row["cases"] == 4 and row["median_days"] == 50


def test_scenario_lateness_scales_the_latest_year_to_scenario_workers():
    table = delay_table(pd.concat([CASES, CASES.assign(fiscal_year=2020, slack_days=100.0)]), 15, 0)
    out = scenario_lateness(table, {"H-2B": 1_000.0})
    assert out["late_start_share"] == pytest.approx(0.5)
    assert out["late_worker_months"] == pytest.approx(1_000 * 1_100 / DAYS_PER_MONTH / 100)
    assert out["late_worker_months_saved"] == pytest.approx(1_000 * (1_100 - 450) / DAYS_PER_MONTH / 100)
