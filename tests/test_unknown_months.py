"""Unknown stays unknown along the chain, and stale series stay out of what is called current (issue #13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labormatch import control_totals, indicators, panel
from labormatch.forecast import sectors

UNKNOWN = (pd.Timestamp("2018-10-01"), pd.Timestamp("2020-09-01"))  # FY2019 (no file) and FY2020 (needs FY2019)


@pytest.fixture(scope="module")
def h2_panel():
    """Agriculture H-2A, 300 workers every March-August 2015-2022; no disclosure file for FY2019."""
    spread = pd.DataFrame(
        [
            {
                "case_id": f"A{year}",
                "visa_class": "H-2A",
                "status": "certified",
                "workers_certified": 300,
                "need_start": pd.Timestamp(f"{year}-03-01"),
                "need_end": pd.Timestamp(f"{year}-08-31"),
                "sector": "agriculture",
                "worksite_state": "GA",
            }
            for year in range(2015, 2023)
        ]
    )
    spread["workers_certified"] = spread["workers_certified"].astype("Int32")
    rows, _ = panel.worker_months(spread)
    coverage = pd.DataFrame(
        [("H-2A", year, "none" if year == 2019 else "complete", "f") for year in range(2014, 2023)],
        columns=panel.COVERAGE_COLUMNS,
    )
    employment = pd.DataFrame(
        {"series_id": "CES1", "date": pd.date_range("2014-01-01", "2022-12-01", freq="MS"), "value": 1000.0}
    )
    table = panel.build_panel(
        employment.assign(vintage="v", source_file="f"),
        pd.DataFrame(columns=panel.SECTOR_SERIES_COLUMNS),
        rows,
        coverage,
    )
    ces = pd.DataFrame(
        {
            "sector": "agriculture",
            "month": employment["date"],
            "series": "employment",
            "value": 1000.0,
            "unit": "thousands",
            "seasonal": "SA",
            "source": "CES1",
            "proxy_of": "",
        }
    )
    return pd.concat([table, ces], ignore_index=True), coverage


def in_unknown(months):
    return (months >= UNKNOWN[0]) & (months <= UNKNOWN[1])


def test_a_missing_fiscal_year_stays_missing_from_panel_to_demand_totals(h2_panel):
    table, _coverage = h2_panel
    h2a = table[table["series"] == "h2a_certified_worker_months"].set_index("month")["value"]
    assert h2a[in_unknown(h2a.index)].isna().all() and len(h2a[in_unknown(h2a.index)]) == 24
    assert h2a[pd.Timestamp("2018-05-01")] == pytest.approx(300.0) and h2a[pd.Timestamp("2018-09-01")] == 0.0

    forecast_input = sectors.shortage_series(table, ("h2a_certified_worker_months",), restart=False)
    gap = forecast_input[in_unknown(forecast_input["date"])]
    assert len(gap) == 24 and gap["value"].isna().all()  # NaN months, never 0, never a straight line

    out = indicators.compute_indicators(table)
    h2 = out[out["indicator"].str.startswith("h2_")]
    # A 12-month total needs all 12 months: none ends inside the unknown span or within 11 months after it.
    blind = (h2["month"] >= UNKNOWN[0]) & (h2["month"] < UNKNOWN[1] + pd.DateOffset(months=12))
    assert not blind.any() and len(h2)
    assert (h2.loc[h2["indicator"] == "h2_worker_months_per_1000", "value"] > 0).all()

    # The demand model's calibration reads national totals: a fiscal year without a disclosure file has no total
    # (unknown), never 0.
    cases = pd.DataFrame(
        [
            {
                "visa_class": "H-2A",
                "fiscal_year": year,
                "status": "certified",
                "workers_certified": 300,
                "workers_requested": 320,
                "partial_year": False,
                "source_file": f"H-2A_FY{year}.xlsx",
            }
            for year in range(2015, 2023)
            if year != 2019
        ]
    )
    totals = control_totals.from_case_files(cases)
    certified = totals[totals["measure"] == "positions_certified"].set_index("fiscal_year")["value"]
    assert 2019 not in certified.index and (certified == 300).all() and len(certified) == 7


def catalogue_of(table, as_of):
    return panel.series_catalogue(table, pd.DataFrame(columns=["series_id", "vintage", "source_file"]), as_of)


def test_a_stale_series_is_absent_from_the_current_ranking():
    months = pd.date_range("2016-01-01", "2026-04-01", freq="MS")
    rng = np.random.default_rng(7)
    frames = []
    for k, sector in enumerate(["construction", "information", "government"]):
        end = pd.Timestamp("2022-08-01") if sector == "government" else months[-1]
        use = months[months <= end]
        frames.append(
            pd.DataFrame(
                {
                    "sector": sector,
                    "month": use,
                    "series": "openings_rate",
                    "value": 3 + k + rng.normal(0, 0.1, len(use)),
                    "unit": "percent",
                    "seasonal": "SA",
                    "source": "test",
                    "proxy_of": "",
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    as_of = pd.Timestamp("2026-12-01")
    catalogue = catalogue_of(table, as_of)
    assert catalogue.set_index("sector")["stale"].to_dict() == {
        "construction": False,
        "government": True,
        "information": False,
    }
    ranking = indicators.current_ranking(table, catalogue, as_of)
    assert set(ranking["sector"]) == {"construction", "information"}
    assert set(ranking["month"]) == {pd.Timestamp("2026-04-01")}
    with pytest.raises(indicators.LabormatchError, match="no current ranking"):
        indicators.current_ranking(table, catalogue, pd.Timestamp("2028-01-01"))


def test_proxy_levels_are_not_combined_with_the_sectors_own_employment():
    months = pd.date_range("2024-01-01", periods=12, freq="MS")

    def rows(series, value, proxy=""):
        return pd.DataFrame(
            {
                "sector": "arts_entertainment_recreation",
                "month": months,
                "series": series,
                "value": value,
                "unit": "",
                "seasonal": "SA",
                "source": "t",
                "proxy_of": proxy,
            }
        )

    leisure = "JOLTS leisure and hospitality (700000)"
    table = pd.concat(
        [
            rows("openings", 1500.0, leisure),
            rows("hires", 1000.0, leisure),
            rows("employment", 2500.0),
            rows("openings_rate", 5.0, leisure),
        ],
        ignore_index=True,
    )
    out = indicators.compute_indicators(table)
    assert set(out["indicator"]) == {"openings_rate"}  # the supersector's rate stands in; its levels do not
