"""Demand sizing: fillable share, domestic offset and wage-floor effect on the calibrated baseline."""

import pandas as pd
import pytest

from labormatch.assumptions import Assumptions, AssumptionsError
from labormatch.demand import size_demand, wage_factor

BASE = pd.DataFrame({"sector": "construction", "visa_class": "H-2B",
                     "month": pd.date_range("2023-10-01", periods=24, freq="MS"), "shortage_workers": 100.0})


def test_demand_formula_by_hand():
    a = Assumptions(fiscal_year=2024, fillable_share=0.5, fillable_share_by_sector={"construction": 0.8},
                    domestic_recruitment_offset=0.25, wage_floor_change_pct=10, wage_floor_elasticity=-1)
    table = size_demand(BASE, a)
    # 100 x 0.8 x (1 - 0.25) x 1.1 ^ -1 = 54.545...
    assert table["demand_workers"].iloc[0] == pytest.approx(100 * 0.8 * 0.75 / 1.1)
    assert len(table) == 24
    assert table["half"].iloc[:6].eq("H1").all() and table["half"].iloc[6:12].eq("H2").all()
    assert table["fiscal_year"].iloc[[0, 11, 12]].tolist() == [2024, 2024, 2025]


def test_wage_factor_is_one_without_a_wage_change():
    assert wage_factor(Assumptions(wage_floor_elasticity=-2)) == 1.0


def test_fiscal_year_outside_the_data_names_the_field():
    with pytest.raises(AssumptionsError, match="fiscal_year: FY2023 needs demand for 2022-10 to 2023-09"):
        size_demand(BASE, Assumptions(fiscal_year=2023))


# --- calibration on a synthetic panel --------------------------------------------------------------------

import numpy as np  # noqa: E402

from labormatch.demand import (baseline_from_worker_months, complete_fiscal_years, cross_validate,  # noqa: E402
                               forecast_worker_months, start_ratios)

MONTHS = pd.date_range("2009-10-01", "2019-09-01", freq="MS")


def synthetic_panel():
    """Two sectors: seasonal worker-months growing 5% a year, and job openings growing alike."""
    rows = []
    t = np.arange(len(MONTHS))
    for sector, level in (("construction", 1_000.0), ("accommodation_food_services", 3_000.0)):
        season = 1 + 0.5 * np.sin(2 * np.pi * (MONTHS.month.to_numpy() - 4) / 12)
        rows.append(pd.DataFrame({"sector": sector, "month": MONTHS, "series": "h2b_certified_worker_months",
                                  "value": level * season * 1.05 ** (t / 12), "seasonal": "NSA"}))
        rows.append(pd.DataFrame({"sector": sector, "month": MONTHS, "series": "openings",
                                  "value": 300 * 1.05 ** (t / 12), "seasonal": "SA"}))
    return pd.concat(rows, ignore_index=True)


def test_complete_years_skip_partial_disclosures():
    cases = pd.DataFrame({"visa_class": ["H-2B"] * 3, "fiscal_year": [2018, 2019, 2019],
                          "partial_year": [False, False, True]})
    assert complete_fiscal_years(cases) == {"H-2B": {2018}}


def test_cross_validation_is_time_ordered_and_per_sector():
    complete = {"H-2B": set(range(2009, 2020))}
    table = cross_validate(synthetic_panel(), complete)
    assert set(table["sector"]) == {"construction", "accommodation_food_services"}
    # FY2010-FY2019; with the lag-12 feature FY2011-FY2019 (9 years); 3 training years -> folds FY2014-FY2019
    assert (table["folds"] == 6).all()
    # a smooth seasonal series with steady growth: the model beats last year's value
    assert (table["wape"] < table["naive_wape"]).all()
    assert (table["wape"] < 0.05).all()
    assert (table["chosen"] == "ridge").all()


def test_forecast_continues_after_the_last_complete_year():
    complete = {"H-2B": set(range(2009, 2020))}
    out = forecast_worker_months(synthetic_panel(), complete, None, pd.Timestamp("2021-09-01"))
    cons = out[out["sector"] == "construction"].set_index("month")
    assert cons.loc["2019-09-01", "observed"] and not cons.loc["2019-10-01", "observed"]
    assert cons.index.max() == pd.Timestamp("2021-09-01")
    # the seasonal shape carries on: July above January in the forecast year
    assert cons.loc["2021-07-01", "worker_months"] > cons.loc["2021-01-01", "worker_months"]
    # a series forecast as seasonal naive repeats its last observed year
    naive = forecast_worker_months(synthetic_panel(), complete, None, pd.Timestamp("2021-09-01"),
                                   naive={("construction", "H-2B")})
    naive = naive[naive["sector"] == "construction"].set_index("month")["worker_months"]
    assert naive["2021-07-01"] == pytest.approx(naive["2019-07-01"])


def test_start_ratios_and_baseline_by_hand():
    wm = pd.DataFrame({"sector": "construction", "visa_class": "H-2B",
                       "month": pd.to_datetime(["2019-04-01", "2018-04-01", "2019-05-01"]),
                       "worker_months": [1_000.0, 500.0, 800.0]})
    cases = pd.DataFrame({"sector": "construction", "visa_class": "H-2B", "status": "certified",
                          "need_start": pd.to_datetime(["2019-04-01", "2019-04-15", "2018-04-02"]),
                          "workers_certified": [300.0, 150.0, 150.0]})
    ratios = start_ratios(cases, wm).set_index("calendar_month")
    # April: (300 + 150 + 150) starts / (1,000 + 500) worker-months = 0.4; May: no starts -> absent
    assert ratios.loc[4, "starts_per_worker_month"] == pytest.approx(0.4)
    base = baseline_from_worker_months(wm, ratios.reset_index())
    assert base["shortage_workers"].tolist() == pytest.approx([400.0, 200.0, 0.0])


def test_indicator_frame_continues_the_latest_version_with_the_forecast():
    from labormatch.demand import indicator_frame, indicators_from_forecast

    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    history = pd.concat([
        pd.DataFrame({"sector": "construction", "series": "openings", "month": months, "value": 100.0,
                      "seasonal": "SA"}),
        # an NSA version that stops earlier is ignored
        pd.DataFrame({"sector": "construction", "series": "openings", "month": months[:12], "value": 999.0,
                      "seasonal": "NSA"}),
    ])
    future = pd.DataFrame({"sector": "construction", "series": "openings", "series_id": "construction:openings:SA",
                           "date": pd.date_range("2022-01-01", periods=12, freq="MS"), "mean": 110.0})
    rows = indicators_from_forecast(future)
    assert set(rows["seasonal"]) == {"SA"}
    frame = indicator_frame(pd.concat([history, rows])).set_index("month")
    # 2022-04 reads the change of 2022-01 (3-month lag): log(110 / 100) against the same month of 2021
    assert frame.loc["2022-04-01", "openings"] == pytest.approx(np.log(1.1))
    assert frame.loc["2021-06-01", "openings"] == pytest.approx(0.0)
