"""BLS loaders: official API v2 JSON and flat files (hand-written samples), and the staged files."""

import json

import pandas as pd
import pytest

from labormatch.errors import SourceError
from labormatch.sources import bls

API_OK = {
    "status": "REQUEST_SUCCEEDED",
    "responseTime": 41,
    "message": [],
    "Results": {
        "series": [
            {
                "seriesID": "JTU230000000000000JOL",
                "data": [
                    {"year": "2024", "period": "M13", "periodName": "Annual", "value": "300", "footnotes": [{}]},
                    {
                        "year": "2024",
                        "period": "M02",
                        "periodName": "February",
                        "latest": "true",
                        "value": "310",
                        "footnotes": [{"code": "P", "text": "preliminary"}],
                    },
                    {"year": "2024", "period": "M01", "periodName": "January", "value": "290", "footnotes": [{}]},
                ],
            },
            {
                "seriesID": "LNU04032231",
                "data": [
                    {"year": "2023", "period": "M12", "periodName": "December", "value": "4.4", "footnotes": [{}]},
                    {
                        "year": "2023",
                        "period": "M11",
                        "periodName": "November",
                        "value": "-",
                        "footnotes": [{"code": "-", "text": "Data not available."}],
                    },
                ],
            },
        ]
    },
}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_api_json_keeps_monthly_values_and_drops_annual_and_missing(tmp_path):
    batch = bls.read_api_json(write(tmp_path, "resp.json", json.dumps(API_OK)), vintage="2024-03")
    obs = batch.obs.set_index(["series_id", "date"])["value"]
    assert obs.to_dict() == {
        ("JTU230000000000000JOL", pd.Timestamp("2024-01-01")): 290.0,
        ("JTU230000000000000JOL", pd.Timestamp("2024-02-01")): 310.0,
        ("LNU04032231", pd.Timestamp("2023-12-01")): 4.4,
    }
    assert set(batch.obs["vintage"]) == {"2024-03"} and set(batch.obs["source_file"]) == {"resp.json"}
    meta = batch.meta.set_index("series_id")
    assert meta.loc[
        "JTU230000000000000JOL", ["survey", "measure", "industry_code", "seasonal", "ratelevel"]
    ].tolist() == ["JOLTS", "openings", "230000", "NSA", "level"]
    assert meta.loc["LNU04032231", ["survey", "measure", "unit"]].tolist() == ["CPS", "unemployment_rate", "percent"]


def test_api_json_failed_request_quotes_bls_message(tmp_path):
    failed = {
        "status": "REQUEST_NOT_PROCESSED",
        "responseTime": 0,
        "Results": {},
        "message": [
            "Request could not be serviced, as the daily threshold for total number of requests "
            "allocated to the user has been reached."
        ],
    }
    path = write(tmp_path, "failed.json", json.dumps(failed))
    with pytest.raises(SourceError, match=r"REQUEST_NOT_PROCESSED.*daily threshold") as err:
        bls.read_api_json(path, vintage="2024-03")
    assert "failed.json" in str(err.value)


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            '{"status": "REQUEST_SUCCEEDED", "Results": {"series": [{"seriesID": "LNU04032231", "da',
            "not a BLS API JSON",
        ),
        ('{"Results": {}}', "no 'status'"),
        (
            '{"status": "REQUEST_SUCCEEDED", "message": ["Series does not exist for Series XYZ"], '
            '"Results": {"series": []}}',
            "no series.*does not exist",
        ),
        ('{"status": "REQUEST_SUCCEEDED", "Results": {"series": [{"data": []}]}}', "lacks 'seriesID'"),
    ],
)
def test_api_json_malformed_responses_are_refused(tmp_path, text, problem):
    with pytest.raises(SourceError, match=problem):
        bls.read_api_json(write(tmp_path, "bad.json", text), vintage="2024-03")


JT_DATA = (
    "series_id                     \tyear\tperiod\t       value\tfootnote_codes\n"
    "JTS230000000000000HIL         \t2023\tM12\t         330\t\n"
    "JTS230000000000000HIL         \t2023\tM13\t         340\t\n"
    "JTS230000000000000HIL         \t2024\tM01\t         351\tP\n"
    "JTS230000000000000HIR         \t2024\tM01\t         4.6\tP\n"
    "JTS230000000000000HIR         \t2024\tM02\t           -\t\n"
)
JT_SERIES = (
    "series_id\tseasonal\tindustry_code\tstate_code\tarea_code\tsizeclass_code\tdataelement_code\tratelevel_code"
    "\tfootnote_codes\tbegin_year\tbegin_period\tend_year\tend_period\n"
    "JTS230000000000000HIL         \tS\t230000\t00\t00000\t00\tHI\tL\t\t2000\tM12\t2024\tM01\n"
    "JTS230000000000000HIR         \tS\t230000\t00\t00000\t00\tHI\tR\t\t2000\tM12\t2024\tM01\n"
)
JT_INDUSTRY = "industry_code\tindustry_text\tdisplay_level\tselectable\tsort_sequence\n230000\tConstruction\t3\tT\t5\n"


def test_flat_files_read_padded_columns_and_drop_annual_rows(tmp_path):
    batch = bls.read_flat_files(
        write(tmp_path, "jt.data.1.AllItems", JT_DATA),
        write(tmp_path, "jt.series", JT_SERIES),
        vintage="2024-03",
        industry_path=write(tmp_path, "jt.industry", JT_INDUSTRY),
    )
    got = batch.obs.set_index(["series_id", "date"])["value"].to_dict()
    assert got == {
        ("JTS230000000000000HIL", pd.Timestamp("2023-12-01")): 330.0,
        ("JTS230000000000000HIL", pd.Timestamp("2024-01-01")): 351.0,
        ("JTS230000000000000HIR", pd.Timestamp("2024-01-01")): 4.6,
    }
    meta = batch.meta.set_index("series_id")
    assert meta.loc["JTS230000000000000HIR", ["industry_name", "measure", "ratelevel", "unit"]].tolist() == [
        "Construction",
        "hires",
        "rate",
        "percent",
    ]


def test_flat_data_with_an_undescribed_series_is_refused(tmp_path):
    series = JT_SERIES.rsplit("\n", 2)[0] + "\n"  # drop the HIR row
    with pytest.raises(SourceError, match=r"1 series not described in jt.series"):
        bls.read_flat_files(
            write(tmp_path, "jt.data.1.AllItems", JT_DATA), write(tmp_path, "jt.series", series), "2024-03"
        )


def test_flat_data_missing_columns_names_them(tmp_path):
    path = write(tmp_path, "jt.data.0.Current", "series_id\tyear\tvalue\nJTS230000000000000HIL\t2024\t1\n")
    with pytest.raises(SourceError, match=r"jt.data.0.Current: missing required columns \['period'\]"):
        bls.read_flat_data(path, "2024-03")


@pytest.mark.parametrize(
    "series_id, expected",
    [
        ("JTU720000000000000QUR", ("JOLTS", "quits", "720000", "rate", "NSA", "percent", "US")),
        ("JTS000000060000000HIL", ("JOLTS", "hires", "000000", "level", "SA", "thousands", "CA")),
        ("CES7072200003", ("CES", "avg_hourly_earnings", "70722000", "level", "SA", "USD per hour", "US")),
        ("CEU3231100001", ("CES", "employment", "32311000", "level", "NSA", "thousands", "US")),
        ("LNS14000000", ("CPS", "unemployment_rate", "000000", "rate", "SA", "percent", "US")),
        ("LNU03032231", ("CPS", "unemployed", "032231", "level", "NSA", "thousands", "US")),
        ("ENUUS00010511", ("QCEW", "employment", "11", "level", "NSA", "persons", "US")),
    ],
)
def test_series_ids_decode_to_survey_measure_and_industry(series_id, expected):
    meta = bls.describe_series_id(series_id)
    fields = ("survey", "measure", "industry_code", "ratelevel", "seasonal", "unit", "area")
    assert tuple(meta[f] for f in fields) == expected


def test_unknown_series_id_is_refused():
    with pytest.raises(ValueError, match="XYZ123"):
        bls.describe_series_id("XYZ123")


@pytest.mark.raw
def test_staged_jolts_matches_published_records(raw_dir):
    batch = bls.load_jolts_2022(raw_dir)
    obs = batch.obs.set_index(["series_id", "date"])["value"]
    assert obs[("JTS000000000000000JOL", pd.Timestamp("2022-03-01"))] == 11855
    assert obs[("JTS000000000000000QUL", pd.Timestamp("2021-11-01"))] == 4510
    assert obs[("JTS000000000000000JOL", pd.Timestamp("2009-07-01"))] == 2232
    assert len(batch.obs) == 175_653 and batch.obs["series_id"].nunique() == 673
    nsa_levels = batch.meta[
        (batch.meta["seasonal"] == "NSA")
        & (batch.meta["ratelevel"] == "level")
        & batch.meta["measure"].isin(["openings", "hires", "quits"])
    ]
    assert len(nsa_levels) == 84 and nsa_levels["industry_name"].ne("").all()
    # independent check: 2019 construction hires, SA sum vs NSA sum (PROVENANCE_bls.md: 5,010 vs 4,994)
    year = batch.obs[batch.obs["date"].dt.year == 2019].groupby("series_id")["value"].sum()
    assert (year["JTS230000000000000HIL"], year["JTU230000000000000HIL"]) == (5010, 4994)


@pytest.mark.raw
def test_staged_ces_and_cps_series(raw_dir):
    ces = bls.load_ces_nsa(raw_dir)
    assert "CEU0000000001" in set(ces.obs["series_id"]) and "PAYNSA" not in set(ces.obs["series_id"])
    assert ces.obs["series_id"].nunique() == 148 and ces.obs["date"].max() == pd.Timestamp("2019-09-01")
    sa = bls.load_ces_sa(raw_dir)
    assert set(sa.obs["vintage"]) == {"2022-08", "2024-01", "2025-08"}
    food = sa.meta.set_index("series_id").loc["CES3231100001"]
    assert food["industry_name"] == "food manufacturing" and food["measure"] == "employment"
    cps = bls.load_cps_2023(raw_dir)
    rates = cps.obs.set_index(["series_id", "date"])["value"]
    assert rates[("LNU04032231", pd.Timestamp("2000-01-01"))] == 9.7
    assert rates[("LNS14000000", pd.Timestamp("2000-01-01"))] == 4.0  # FRED's UNRATE under its BLS id
    assert cps.meta.set_index("series_id").loc["LNU04035109", "measure"] == "unemployment_rate"


def test_updates_folder_reads_api_and_flat_files_with_vintage_after_last_month(tmp_path):
    folder = tmp_path / bls.UPDATES_DIR
    folder.mkdir()
    write(folder, "openings.json", json.dumps(API_OK))
    write(folder, "jt.data.1.AllItems", JT_DATA)
    write(folder, "jt.series", JT_SERIES)
    write(folder, "jt.industry", JT_INDUSTRY)
    batch, files = bls.load_updates(tmp_path)
    assert files == [
        "bls_updates/openings.json",
        "bls_updates/jt.data.1.AllItems",
        "bls_updates/jt.series",
        "bls_updates/jt.industry",
    ]
    vintages = batch.obs.groupby("source_file")["vintage"].first().to_dict()
    assert vintages == {"bls_updates/openings.json": "2024-03", "bls_updates/jt.data.1.AllItems": "2024-02"}
    assert len(batch.obs) == 6 and batch.obs["date"].dtype == "datetime64[ns]"
    empty, none = bls.load_updates(tmp_path / "elsewhere")
    assert empty.obs.empty and none == []
