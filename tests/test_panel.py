"""Splicing across vintages, worker-month spreading and the sector panel."""

from pathlib import Path

import pandas as pd
import pytest

from labormatch import panel
from labormatch.errors import SourceError

SECTOR_SERIES = Path(__file__).resolve().parents[1] / "data" / "sector_series.csv"


def obs(series_id, months, values, vintage, source="f.csv"):
    return pd.DataFrame(
        {
            "series_id": series_id,
            "date": pd.to_datetime(months),
            "value": values,
            "vintage": vintage,
            "source_file": source,
        }
    )


def test_splice_latest_vintage_wins_and_records_level_shift():
    old = obs("S1", ["2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01"], [100.0, 110.0, 120.0, 130.0], "2022-05")
    new = obs("S1", ["2022-03-01", "2022-04-01", "2022-05-01"], [126.0, 136.5, 140.0], "2022-06")
    series, splices = panel.splice(pd.concat([new, old]))  # input order must not matter
    got = series.set_index("date")[["value", "vintage"]]
    assert got["value"].tolist() == [100.0, 110.0, 126.0, 136.5, 140.0]
    assert got["vintage"].tolist() == ["2022-05", "2022-05", "2022-06", "2022-06", "2022-06"]
    row = splices.iloc[0]
    assert len(splices) == 1 and (row["vintage_from"], row["vintage_to"]) == ("2022-05", "2022-06")
    assert row["splice_month"] == pd.Timestamp("2022-03-01") and row["overlap_months"] == 2
    assert row["level_ratio"] == pytest.approx((126 + 136.5) / (120 + 130))  # 1.05
    assert row["mean_difference"] == pytest.approx(((126 - 120) + (136.5 - 130)) / 2)


def test_splice_without_overlap_records_the_gap_and_single_vintages_are_not_splices():
    old = obs("S1", ["2022-01-01"], [1.0], "2022-02")
    new = obs("S1", ["2022-06-01"], [2.0], "2022-07")
    only = obs("S2", ["2022-01-01", "2022-02-01"], [5.0, 6.0], "2022-03")
    series, splices = panel.splice(pd.concat([old, new, only]))
    assert len(series) == 4
    assert splices[["series_id", "vintage_from", "vintage_to", "overlap_months"]].values.tolist() == [
        ["S1", "2022-02", "2022-07", 0]
    ]
    assert pd.isna(splices["level_ratio"].iloc[0])


def test_splice_three_vintages_compares_each_with_the_value_it_replaces():
    a = obs("S", ["2020-01-01", "2020-02-01"], [10.0, 10.0], "2020-03")
    b = obs("S", ["2020-02-01", "2020-03-01"], [20.0, 20.0], "2020-04")
    c = obs("S", ["2020-02-01", "2020-03-01"], [40.0, 30.0], "2020-05")
    series, splices = panel.splice(pd.concat([a, b, c]))
    assert series["value"].tolist() == [10.0, 40.0, 30.0]
    assert splices["level_ratio"].tolist() == [2.0, 70 / 40]
    assert splices["vintage_from"].tolist() == ["2020-03", "2020-04"]


def cases(rows):
    columns = [
        "case_id",
        "visa_class",
        "status",
        "workers_certified",
        "need_start",
        "need_end",
        "sector",
        "worksite_state",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["need_start"] = pd.to_datetime(frame["need_start"])
    frame["need_end"] = pd.to_datetime(frame["need_end"])
    frame["workers_certified"] = frame["workers_certified"].astype("Int32")
    return frame


def test_worker_months_are_spread_pro_rata_by_days():
    rows, report = panel.worker_months(
        cases(
            [
                ("A", "H-2A", "certified", 10, "2023-01-16", "2023-03-15", "agriculture", "FL"),
                ("B", "H-2B", "partially certified", 3, "2024-02-01", "2024-02-29", "construction", "TX"),
            ]
        )
    )
    got = rows.set_index(["case_id", "month"])["worker_months"]
    assert got[("A", pd.Timestamp("2023-01-01"))] == pytest.approx(10 * 16 / 31)  # Jan 16-31
    assert got[("A", pd.Timestamp("2023-02-01"))] == pytest.approx(10.0)  # all 28 days
    assert got[("A", pd.Timestamp("2023-03-01"))] == pytest.approx(10 * 15 / 31)  # Mar 1-15
    assert got[("B", pd.Timestamp("2024-02-01"))] == pytest.approx(3.0)  # leap February, every day
    assert len(rows) == 4 and report["worker_months"] == pytest.approx(10 * 16 / 31 + 10 + 10 * 15 / 31 + 3)


def test_worker_months_leave_out_uncertified_and_impossible_dates_and_count_them():
    rows, report = panel.worker_months(
        cases(
            [
                ("ok", "H-2A", "certified", 5, "2023-05-01", "2023-05-31", "agriculture", "GA"),
                ("denied", "H-2A", "denied", 0, "2023-05-01", "2023-05-31", "agriculture", "GA"),
                ("nodates", "H-2A", "certified", 4, None, "2023-05-31", "agriculture", "GA"),
                ("reversed", "H-2B", "certified", 2, "2023-06-01", "2023-05-01", "construction", "GA"),
                ("typo", "H-2B", "certified", 7, "2023-01-01", "2106-01-01", "construction", "GA"),
            ]
        )
    )
    assert rows["case_id"].unique().tolist() == ["ok"] and rows["worker_months"].sum() == pytest.approx(5.0)
    assert report["cases_certified"] == 4 and report["cases_spread"] == 1
    assert (
        report["cases_missing_need_dates"],
        report["cases_need_end_before_start"],
        report[f"cases_need_over_{panel.MAX_NEED_DAYS}_days"],
    ) == (1, 1, 1)
    assert report["workers_not_spread"] == 13


def test_panel_and_state_panel_from_hand_made_inputs():
    sector_series = pd.DataFrame(
        {
            "sector": ["construction", "agriculture", "agriculture"],
            "survey": ["JOLTS", "QCEW", "CPS"],
            "code": ["230000", "111;112", "LNU04035109"],
            "note": "",
        }
    )
    series = pd.concat(
        [
            obs("JTU230000000000000JOL", ["2022-01-01"], [300.0], "v"),
            obs("JTS230000000000000QUR", ["2022-01-01"], [2.5], "v"),
            obs("ENUUS000105111", ["2024-01-01", "2024-02-01"], [400_000.0, 410_000.0], "v"),
            obs("ENUUS000105112", ["2024-01-01"], [600_000.0], "v"),  # February missing: no partial sum
            obs("LNU04035109", ["2023-11-01"], [9.1], "v"),
        ]
    )
    spread, _ = panel.worker_months(
        cases(
            [
                ("A", "H-2A", "certified", 10, "2023-01-16", "2023-03-15", "agriculture", "FL"),
                ("B", "H-2A", "certified", 2, "2023-02-01", "2023-02-28", "agriculture", "GA"),
                ("C", "H-2B", "certified", 1, "2023-02-01", "2023-02-28", None, "GA"),
            ]
        )
    )
    table = panel.build_panel(series, sector_series, spread)
    assert list(table.columns) == panel.PANEL_COLUMNS
    got = table.set_index(["sector", "series", "seasonal", "month"])
    assert got.loc[("construction", "openings", "NSA", pd.Timestamp("2022-01-01")), "value"] == 300.0
    assert got.loc[("construction", "quits_rate", "SA", pd.Timestamp("2022-01-01")), "unit"] == "percent"
    employment = got.loc[("agriculture", "employment", "NSA")]
    assert employment["value"].tolist() == [1000.0] and employment["unit"].tolist() == ["thousands"]
    assert employment["source"].tolist() == ["ENUUS000105111+ENUUS000105112"]
    h2a = got.loc[("agriculture", "h2a_certified_worker_months", "NSA")]["value"]
    assert h2a[pd.Timestamp("2023-02-01")] == pytest.approx(12.0)
    assert "h2b_certified_worker_months" not in set(table["series"])  # the H-2B case has no sector
    state = panel.build_panel_state(spread).set_index(["worksite_state", "month"])["certified_worker_months"]
    assert state[("GA", pd.Timestamp("2023-02-01"))] == pytest.approx(2.0)
    assert state[("FL", pd.Timestamp("2023-02-01"))] == pytest.approx(10.0)


def test_series_meta_states_last_month_and_last_unbroken_run():
    meta = pd.DataFrame(
        [
            {
                "series_id": "S",
                "survey": "JOLTS",
                "measure": "hires",
                "industry_code": "230000",
                "industry_name": "Construction",
                "ratelevel": "level",
                "seasonal": "SA",
                "unit": "thousands",
                "area": "US",
            }
        ]
    )
    series = obs("S", ["2022-01-01", "2022-02-01", "2022-05-01", "2022-06-01"], [1.0, 2.0, 3.0, 4.0], "v")
    out = panel.series_meta(meta, series, pd.DataFrame(columns=panel.SECTOR_SERIES_COLUMNS)).iloc[0]
    assert (out["first_month"], out["last_month"], out["contiguous_since"]) == (
        pd.Timestamp("2022-01-01"),
        pd.Timestamp("2022-06-01"),
        pd.Timestamp("2022-05-01"),
    )
    assert (out["months"], out["missing_months"], out["sector"]) == (4, 2, "")


def test_sector_series_file_covers_every_sector_and_refuses_unknown_ones(tmp_path):
    table = panel.load_sector_series(SECTOR_SERIES)
    assert table["sector"].nunique() == 14
    assert set(table.loc[table["sector"] == "agriculture", "survey"]) == {"CPS", "QCEW"}
    bad = tmp_path / "sector_series.csv"
    bad.write_text("sector,survey,code,note\nfishing,JOLTS,110099,x\n")
    with pytest.raises(SourceError, match="not analysis sectors: \\['fishing'\\]"):
        panel.load_sector_series(bad, sectors=["agriculture"])


@pytest.mark.raw
def test_real_series_carry_the_84_nsa_jolts_levels(raw_dir):
    from labormatch.snapshot import collect_series

    collected = collect_series(raw_dir, panel.load_sector_series(SECTOR_SERIES))
    meta = collected["bls_series_meta"]
    nsa = meta[
        (meta["survey"] == "JOLTS")
        & (meta["seasonal"] == "NSA")
        & (meta["ratelevel"] == "level")
        & meta["measure"].isin(["openings", "hires", "quits"])
        & (meta["area"] == "US")
    ]
    assert len(nsa) == 84 and nsa["industry_code"].nunique() == 28
    assert (nsa["last_month"] >= pd.Timestamp("2022-08-01")).all()
    series = collected["bls_series"].set_index(["series_id", "date"])["value"]
    assert series[("JTS000000000000000HIL", pd.Timestamp("2025-04-01"))] == 5391  # BLS Table 2, Apr-2026 release
    assert series[("LNU04032231", pd.Timestamp("2023-12-01"))] == 4.4
    assert not collected["bls_series"].duplicated(["series_id", "date"]).any()
    splices = collected["splices"].set_index(["series_id", "vintage_to"])
    hires = splices.loc[("JTS230000000000000HIL", "2026-06")]
    assert hires["vintage_from"] == "2026-04" and hires["overlap_months"] == 3


def test_sector_series_agrees_with_the_sector_table():
    """data/sector_series.csv (machine-readable series per sector) must name the same JOLTS industry,
    CES series and first CPS series as the hints in data/sectors.csv."""
    sectors_path = SECTOR_SERIES.parent / "sectors.csv"
    if not sectors_path.is_file():
        pytest.skip("data/sectors.csv not present")
    sectors = pd.read_csv(sectors_path, dtype=str, keep_default_na=False).set_index("sector")
    table = panel.load_sector_series(SECTOR_SERIES, sectors=list(sectors.index))
    codes = table.pivot(index="sector", columns="survey", values="code").fillna("")
    for sector, row in sectors.iterrows():
        assert codes.loc[sector, "JOLTS"] == row["jolts_industry_code"], sector
        assert (f"CES{codes.loc[sector, 'CES']}01" if codes.loc[sector, "CES"] else "") == row["ces_series_hint"], (
            sector
        )
        assert codes.loc[sector, "CPS"] == row["cps_series_hint"].split(" ")[0].rstrip(";"), sector


def coverage_rows(visa_class, statuses):
    return pd.DataFrame(
        [(visa_class, year, status, "f") for year, status in statuses.items()], columns=panel.COVERAGE_COLUMNS
    )


def test_a_missing_fiscal_year_is_unknown_in_the_panel_not_zero():
    # One H-2A case a year, each certified for Feb-Mar; FY2019 has no disclosure file.
    spread, _ = panel.worker_months(
        cases(
            [
                (f"A{year}", "H-2A", "certified", 10, f"{year}-02-01", f"{year}-03-31", "agriculture", "FL")
                for year in (2017, 2018, 2020, 2021)
            ]
        )
    )
    coverage = coverage_rows(
        "H-2A", {2016: "complete", 2017: "complete", 2018: "complete", 2019: "none", 2020: "complete", 2021: "complete"}
    )
    table = panel.build_panel(
        pd.DataFrame(columns=["series_id", "date", "value"]),
        pd.DataFrame(columns=panel.SECTOR_SERIES_COLUMNS),
        spread,
        coverage,
    )
    h2a = table.set_index("month")["value"]
    assert h2a[pd.Timestamp("2017-02-01")] == 10.0 and h2a[pd.Timestamp("2017-06-01")] == 0.0  # known: none certified
    # FY2019 (Oct 2018-Sep 2019) and FY2020 (which holds FY2019 decisions too) are unknown: NaN, never 0.
    unknown = h2a[pd.Timestamp("2018-10-01") : pd.Timestamp("2020-09-01")]
    assert len(unknown) == 24 and unknown.isna().all()
    assert h2a[pd.Timestamp("2021-02-01")] == 10.0  # FY2020 and FY2021 complete again
    assert panel.missing_fiscal_years(coverage, "H-2A") == "no disclosure file for FY2019"


def test_h2_coverage_marks_partial_and_absent_years():
    frame = pd.DataFrame(
        {
            "visa_class": ["H-2A", "H-2A", "H-2A"],
            "fiscal_year": [2017, 2018, 2021],
            "partial_year": [False, True, True],
            "source_file": ["a.xlsx", "b.xlsx", "c.xlsx"],
        }
    )
    coverage = panel.h2_coverage(frame)
    assert coverage["disclosure"].tolist() == ["complete", "partial", "none", "none", "partial"]
    assert panel.missing_fiscal_years(coverage, "H-2A") == (
        "no disclosure file for FY2019–FY2020; partial files only for FY2018, FY2021"
    )


def test_a_stale_sector_series_is_replaced_by_its_supersectors_labelled_as_a_proxy():
    sector_series = pd.DataFrame(
        [
            (
                "accommodation_food_services",
                "JOLTS",
                "720000",
                "",
                "700000",
                "JOLTS leisure and hospitality (700000)",
                "",
            )
        ],
        columns=panel.SECTOR_SERIES_COLUMNS,
    )
    old = pd.date_range("2000-12-01", "2022-08-01", freq="MS")
    new = pd.date_range("2000-12-01", "2025-12-01", freq="MS")
    series = pd.concat(
        [
            obs("JTS720000000000000JOL", old, 1000.0, "2022-10"),
            obs("JTU720000000000000JOL", old, 1100.0, "2022-10"),
            obs("JTS700000000000000JOL", new, 1300.0, "2026-02", "fred.csv"),
        ]
    )
    as_of = pd.Timestamp("2026-12-01")
    table = panel.build_panel(series, sector_series, None, as_of=as_of)
    sa = table[(table["series"] == "openings") & (table["seasonal"] == "SA")]
    assert set(sa["source"]) == {"JTS700000000000000JOL"} and sa["month"].max() == pd.Timestamp("2025-12-01")
    assert set(sa["proxy_of"]) == {"JOLTS leisure and hospitality (700000)"}
    nsa = table[(table["series"] == "openings") & (table["seasonal"] == "NSA")]  # no current supersector NSA: own kept
    assert set(nsa["source"]) == {"JTU720000000000000JOL"} and set(nsa["proxy_of"]) == {""}
    catalogue = panel.series_catalogue(table, series, as_of).set_index(["series", "seasonal"])
    assert catalogue.loc[("openings", "SA"), "proxy_of"] == "JOLTS leisure and hospitality (700000)"
    assert not catalogue.loc[("openings", "SA"), "stale"] and catalogue.loc[("openings", "NSA"), "stale"]
    assert catalogue.loc[("openings", "SA"), "vintage"] == "2026-02"
    assert catalogue.loc[("openings", "SA"), "source_file"] == "fred.csv"
