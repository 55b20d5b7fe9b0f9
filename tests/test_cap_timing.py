"""Cap-reached dates: certification profile, filing-lag calibration and its error, on hand-made cases and the
embedded snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from labormatch import cap_timing, demand, snapshot
from labormatch.errors import SnapshotError
from labormatch.rules import load_rules


def hand_cases() -> pd.DataFrame:
    """Four FY2019 H-2B cases: three April starts and one October start decided in OFLC's FY2018."""
    return pd.DataFrame(
        {
            "visa_class": ["H-2B", "H-2B", "H-2B", "H-2B", "H-2A"],
            "fiscal_year": [2019, 2019, 2019, 2018, 2019],
            "status": ["certified", "partially certified", "denied", "certified", "certified"],
            "decision_date": pd.to_datetime(["2019-02-20", "2019-03-01", "2019-02-01", "2018-09-15", "2019-01-01"]),
            "need_start": pd.to_datetime(["2019-04-01", "2019-04-15", "2019-04-01", "2018-10-01", "2019-04-01"]),
            "workers_certified": [20_000, 20_000, 0, 5, 100],
        }
    )


def test_cap_years_need_the_previous_oflc_year_too():
    # a first-half start of FY2015 can be decided in OFLC's FY2014 file
    assert cap_timing.cap_years({2013, 2014, 2015, 2019}) == [2014, 2015]


def test_certification_profile_counts_certified_positions_by_decision_day():
    profile = cap_timing.certification_profile(hand_cases(), [2019]).set_index(["half", "day_offset"])
    # Apr 1 2019 half start: Feb 20 is day -40 (20,000 of 40,000), Mar 1 day -31; the denied case is left out
    assert profile.loc[("H2", -40), "cum_share"] == pytest.approx(0.5)
    assert profile.loc[("H2", -31), "cum_share"] == pytest.approx(1.0)
    # the Oct 1 2018 start is FY2019's first half although OFLC filed it under FY2018: Sep 15 is day -16
    assert profile.loc[("H1", -16), "cum_share"] == pytest.approx(1.0)
    assert len(profile) == 3


def test_filing_lag_calibration_by_hand():
    observed = pd.DataFrame(
        {
            "fiscal_year": [2019, 2019, 2020],
            "cap_period": ["second_half", "full_year", "second_half"],
            "final_receipt_date": pd.to_datetime(["2019-03-10", "2019-06-01", "2020-03-01"]),
        }
    )
    table = cap_timing.filing_lag_calibration(hand_cases(), observed, [2019], load_rules())
    # 33,000 second-half numbers: 20,000 by Feb 20, 40,000 by Mar 1 -> reached Mar 1; published Mar 10 -> 9 days.
    # The full-year row and FY2020 (no cases) are left out.
    assert table.to_dict("records") == [
        {
            "fiscal_year": 2019,
            "half": "H2",
            "observed_date": pd.Timestamp("2019-03-10"),
            "certified_reached_date": pd.Timestamp("2019-03-01"),
            "lag_days": 9.0,
        }
    ]


def test_filing_lag_is_fitted_on_the_april_rush_and_checked_on_the_first_half():
    calibration = pd.DataFrame(
        {
            "fiscal_year": [2014, 2015, 2016, 2018, 2017, 2018],
            "half": ["H1", "H1", "H1", "H1", "H2", "H2"],
            "lag_days": [56.0, 35.0, 49.0, 8.0, 17.0, 6.0],
        }
    )
    lag, note = cap_timing.filing_lag(calibration, "H2")
    # median of the second-half lags 17 and 6 = 11.5; leaving one out misses by 11 each time
    assert lag == 11.5 and "FY2017 H2, FY2018 H2" in note and "mean absolute error 11 days" in note
    lag, note = cap_timing.filing_lag(calibration, "H1")
    # the same lag for the first half, checked there: 11.5 - mean(56, 35, 49, 8) = 11.5 - 37 = -25.5 -> "-26"
    assert lag == 11.5 and "off by -26 days on average" in note
    # only first-half rows: they are all there is; no rows at all: no lag
    first_only = calibration[calibration["half"] == "H1"]
    assert cap_timing.filing_lag(first_only, "H1")[0] == 42.0
    assert cap_timing.filing_lag(None, "H1") == (0.0, "no filing lag (no published cap date to calibrate on)")


def test_calibration_on_the_snapshot_uses_every_published_date_with_cases():
    try:
        cases = snapshot.load_table("oflc_cases")
        observed = snapshot.load_table("reference/h2b_cap_reached_dates")
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")
    years = cap_timing.cap_years(demand.complete_fiscal_years(cases)["H-2B"])
    table = cap_timing.filing_lag_calibration(cases, observed, years, load_rules())
    halves = observed[observed["cap_period"].isin(["first_half", "second_half"])]
    assert len(table) == int(halves["fiscal_year"].isin(years).sum()) >= 6
    # USCIS receives a petition only after OFLC certified it: the lag is never negative
    assert (table["lag_days"] >= 0).all()
    # the April rush files within weeks of certification
    assert table.loc[table["half"] == "H2", "lag_days"].between(0, 30).all()
