"""Job-order snapshot and January-peak list loaders: real files and refused layouts."""

import json
import shutil

import pandas as pd
import pytest

from labormatch.errors import SourceError
from labormatch.sources import job_orders


def test_real_files(raw_dir):
    orders = job_orders.load_job_orders_2026_01_15(raw_dir)
    assert orders.groupby("visa_class")["positions"].sum().to_dict() == {"H-2A": 177965, "H-2B": 54107}
    assert len(orders) == 13557
    peak = job_orders.load_jan_peak_fy2024(raw_dir)
    assert len(peak) == 8817 and peak["randomization_group"].value_counts()["A"] == 2215


def test_a_job_order_file_without_positions_is_refused(tmp_path):
    path = tmp_path / job_orders.JOB_ORDERS_2026_01_15
    path.parent.mkdir(parents=True)
    pd.DataFrame({"case_number": ["H-1"], "visa_class": ["H-2B"]}).to_parquet(path)
    with pytest.raises(SourceError, match="missing required columns"):
        job_orders.load_job_orders_2026_01_15(tmp_path)


def test_a_randomization_list_with_bad_groups_is_refused(tmp_path, raw_dir):
    path = tmp_path / job_orders.JAN_PEAK_FY2024
    path.parent.mkdir(parents=True)
    frame = pd.read_csv(raw_dir / job_orders.JAN_PEAK_FY2024, dtype=str).head(20)
    frame.loc[3, "Randomization Group"] = "group 7"
    frame.to_csv(path, index=False)
    with pytest.raises(SourceError, match="Randomization Group"):
        job_orders.load_jan_peak_fy2024(tmp_path)
    shutil.rmtree(path.parent)
    with pytest.raises(SourceError, match="file not found"):
        job_orders.load_jan_peak_fy2024(tmp_path)


def test_the_newest_fetched_picture_wins_and_keeps_the_feeds_fields(tmp_path):
    folder = tmp_path / job_orders.FETCHED_JOB_ORDERS
    folder.mkdir(parents=True)
    assert job_orders.newest_job_orders_file(tmp_path) == job_orders.JOB_ORDERS_2026_01_15  # nothing fetched yet
    record = {
        "case_number": "H-300-1",
        "visa_class": "H-2A",
        "total_positions": "7",
        "begin_date": "2027-03-01",
        "end_date": "2027-06-30",
        "worksite_state": "Georgia",
        "job_title": "Farmworker",
    }
    (folder / "job_orders_2026-11-30.json").write_text(json.dumps([record]))
    (folder / "job_orders_2026-12-02.json").write_text(json.dumps({"value": [record | {"total_positions": 9}]}))
    (folder / "notes.json").write_text("{}")  # not a picture: ignored
    assert job_orders.newest_job_orders_file(tmp_path) == f"{job_orders.FETCHED_JOB_ORDERS}/job_orders_2026-12-02.json"
    orders = job_orders.load_newest_job_orders(tmp_path)
    assert orders[["positions", "worksite_state", "job_title"]].values.tolist() == [[9, "GA", "Farmworker"]]
    assert orders["as_of"].tolist() == [pd.Timestamp("2026-12-02")] and orders["wage_offered"].isna().all()


def test_a_fetched_picture_without_positions_is_refused_by_name(tmp_path):
    path = tmp_path / "job_orders_2026-12-02.json"
    path.write_text(json.dumps([{"case_number": "H-300-1", "visa_class": "H-2A"}]))
    with pytest.raises(SourceError, match="total_positions"):
        job_orders.load_fetched_job_orders(path)
