"""Recent vintages in raw/recent: spot checks from PROVENANCE_recent.md and independent re-counts."""

import csv
from statistics import mean

import pandas as pd
import pytest

from labormatch.errors import SourceError
from labormatch.sources import recent
from labormatch.sources.bls import OBS_COLUMNS


@pytest.mark.parametrize(
    "fred, bls_id",
    [
        ("JTSJOL", "JTS000000000000000JOL"),
        ("JTS2300JOL", "JTS230000000000000JOL"),
        ("JTS540099JOL", "JTS540099000000000JOL"),
        ("JTU110099JOL", "JTU110099000000000JOL"),
    ],
)
def test_fred_jolts_names_map_to_bls_ids(fred, bls_id):
    assert recent.fred_jolts_to_bls(fred) == bls_id


def test_fred_name_that_is_not_jolts_is_refused():
    with pytest.raises(ValueError, match="UNRATE"):
        recent.fred_jolts_to_bls("UNRATE")


def test_unknown_sector_label_is_refused(tmp_path):
    path = tmp_path / recent.JOLTS_RATES_10
    path.parent.mkdir(parents=True)
    path.write_text('"Year","month","hires","openings","layoffs","quits","sector"\n2009,"Jan",5.6,0.6,6,1.3,"Mining"\n')
    with pytest.raises(SourceError, match=r"unknown sector labels \['Mining'\]"):
        recent.load_jolts_rates_10(tmp_path)


def value(batch, series_id, month, vintage=None):
    obs = batch.obs[(batch.obs["series_id"] == series_id) & (batch.obs["date"] == pd.Timestamp(month))]
    if vintage:
        obs = obs[obs["vintage"] == vintage]
    assert len(obs) == 1, obs
    return obs["value"].iloc[0]


@pytest.mark.raw
def test_jolts_hires_match_bls_table2(raw_dir):
    table2 = recent.load_jolts_table2(raw_dir)
    assert value(table2, "JTS000000000000000HIL", "2025-04-01") == 5391
    assert value(table2, "JTS230000000000000HIL", "2025-04-01") == 349
    assert value(table2, "JTS700000000000000HIL", "2026-01-01") == 1081
    assert set(table2.obs["vintage"]) == {"2026-06"}
    assert "JTS000000NE0000000HIL" in set(table2.obs["series_id"])  # Northeast region
    lowmason = recent.load_jolts_hires_seps(raw_dir)
    assert value(lowmason, "JTS000000000000000HIL", "2025-04-01") == 5391
    assert value(lowmason, "JTS000000000000000HIL", "2026-02-01") == 4849  # still preliminary in that vintage
    assert lowmason.obs["date"].max() == pd.Timestamp("2026-02-01")


@pytest.mark.raw
def test_jolts_openings_tables_carry_release_vintages(raw_dir):
    table1 = recent.load_jolts_table1(raw_dir)
    assert value(table1, "JTS230000000000000JOL", "2025-03-01", vintage="2026-05") == 278
    assert value(table1, "JTS000000000000000JOL", "2026-03-01", vintage="2026-05") == 6866
    assert value(table1, "JTS000000000000000JOL", "2026-03-01", vintage="2026-06") == 6887
    fred = recent.load_jolts_openings_fred(raw_dir)
    assert value(fred, "JTS230000000000000JOL", "2025-03-01") == 251  # pre-benchmark vintage (provenance)
    assert fred.obs["series_id"].nunique() == 16


@pytest.mark.raw
def test_cps_rates_match_table_a14(raw_dir):
    monthly = recent.load_cps_2024(raw_dir)
    assert value(monthly, "LNU04032231", "2023-12-01") == 4.4
    assert value(monthly, "LNU04032231", "2024-02-01") == 7.0
    assert value(monthly, "LNU04032241", "2024-12-01") == 5.4
    published = recent.load_cps_published(raw_dir)
    assert value(published, "LNU04035109", "2024-12-01") == 8.8
    assert value(published, "LNU03035109", "2024-12-01") == 139
    assert value(published, "LNU04032231", "2026-05-01") == 4.1
    vintages = published.obs.drop_duplicates(["date", "vintage"]).set_index("date")["vintage"]
    assert vintages[pd.Timestamp("2023-12-01")] == "2025-01" and vintages[pd.Timestamp("2026-05-01")] == "2026-06"


@pytest.mark.raw
def test_qcew_agriculture_range_and_suppressed_cells(raw_dir):
    qcew = recent.load_qcew_2024(raw_dir)
    ag = qcew.obs[qcew.obs["series_id"] == "ENUUS00010511"].set_index("date")["value"]
    assert len(ag) == 12 and 1.09e6 < ag.min() < 1.11e6 and 1.36e6 < ag.max() < 1.38e6  # provenance: 1.10-1.37 M
    assert (qcew.obs["value"] > 0).all()
    with open(raw_dir / recent.QCEW_2024, newline="") as handle:
        zeros = sum(1 for row in csv.DictReader(handle) if row["employment"] == "0")
    assert zeros > 0 and len(qcew.obs) == 151_392 - zeros


@pytest.mark.raw
def test_indeed_monthly_means_match_a_direct_count(raw_dir):
    monthly = recent.load_indeed(raw_dir).set_index(["month", "geography", "indeed_sector", "seasonal"])
    with open(raw_dir / recent.INDEED_STATE, newline="") as handle:
        daily = [
            float(r["indeed_job_postings_index"])
            for r in csv.DictReader(handle)
            if r["state"] == "tx" and r["date"].startswith("2023-07")
        ]
    got = monthly.loc[(pd.Timestamp("2023-07-01"), "TX", "total", "SA")]
    assert got["days"] == len(daily) == 31 and got["index"] == pytest.approx(mean(daily))
    assert monthly.index.get_level_values("month").max() == pd.Timestamp("2026-08-01")


@pytest.mark.raw
def test_published_h2_figures_and_trailing_means(raw_dir):
    figures = recent.load_h2_published(raw_dir)
    fy24 = figures[
        (figures["program"] == "H-2A")
        & (figures["fiscal_year"] == 2024)
        & (figures["geography"] == "US")
        & (figures["measure"] == "positions_certified")
    ]
    assert fy24["value"].tolist() == [384900.0]
    assert figures["source"].str.len().gt(10).all()
    trailing = recent.load_jolts_trailing_means(raw_dir)
    assert set(trailing["measure"]) == {"hires", "openings", "layoffs", "quits"}


@pytest.mark.raw
def test_leisure_hospitality_rates_run_to_2026_08(raw_dir):
    batch = recent.load_jolts_rates_leisure(raw_dir)
    assert list(batch.obs.columns) == OBS_COLUMNS
    spans = batch.obs.groupby("series_id")["date"].agg(["min", "max", "size"])
    assert spans.loc["JTS700000000000000JOR"].tolist() == [pd.Timestamp("2017-01-01"), pd.Timestamp("2026-08-01"), 116]
    assert spans.loc["JTS700000000000000LDR", "min"] == pd.Timestamp("2019-11-01")
    assert len(batch.obs) == 430
    assert value(batch, "JTS700000000000000JOR", "2026-08-01") == 4.7
    assert value(batch, "JTS700000000000000HIR", "2026-02-01") == 5.4  # lowmason's earlier vintage: 5.3
    meta = batch.meta.set_index("series_id").loc["JTS700000000000000QUR"]
    assert (meta["measure"], meta["ratelevel"], meta["seasonal"], meta["unit"]) == ("quits", "rate", "SA", "percent")


def test_leisure_rates_refuse_annual_averages_and_other_series(tmp_path):
    path = tmp_path / recent.JOLTS_RATES_LEISURE
    path.parent.mkdir(parents=True)
    path.write_text("series_id,year,period,value\nJTS700000000000000JOR,2026,M13,4.7\n")
    with pytest.raises(SourceError, match=r"not a month \(M01..M12\)"):
        recent.load_jolts_rates_leisure(tmp_path)
    path.write_text("series_id,year,period,value\nJTS230000000000000JOR,2026,M08,4.7\n")
    with pytest.raises(SourceError, match="JTS230000000000000JOR"):
        recent.load_jolts_rates_leisure(tmp_path)
