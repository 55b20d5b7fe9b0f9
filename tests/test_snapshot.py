"""Snapshot: write, check, tamper, load, checksum, and builds that fail without touching the old snapshot."""

import json
import shutil

import pandas as pd
import pytest

import labormatch
from labormatch import snapshot
from labormatch.errors import LabormatchError, SnapshotError


def small_tables():
    return {
        "panel": pd.DataFrame(
            {
                "sector": ["construction"] * 2,
                "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                "series": "openings",
                "value": [300.0, 310.0],
                "unit": "thousands",
                "seasonal": "NSA",
                "source": "JTU230000000000000JOL",
            }
        ),
        "reference/aewr": pd.DataFrame({"state_abbr": ["FL"], "aewr_hourly_usd": [14.77]}),
    }


def write_small(folder, tables=None, info=None):
    return snapshot.write_snapshot(
        folder, tables or small_tables(), {"mapped_share.csv": "a,b\n1,2\n"}, info or {"sources": []}, build_seconds=1.0
    )


def test_written_snapshot_checks_clean_and_loads(tmp_path):
    data = tmp_path / "data"
    written = write_small(data)
    assert snapshot.check(data, raw_dir=tmp_path / "no-raw") == []
    entries = {e["file"]: e for e in written["outputs"]}
    assert entries["panel.parquet"]["rows"] == 2 and entries["panel.parquet"]["date_range"] == [
        "2024-01-01",
        "2024-02-01",
    ]
    assert entries["mapped_share.csv"]["rows"] == 1
    assert snapshot.table_names(data) == ["panel", "reference/aewr"]
    loaded = snapshot.load_table("panel", data)
    expected = small_tables()["panel"]
    text = expected.select_dtypes("object").columns
    pd.testing.assert_frame_equal(loaded, expected.astype({c: pd.StringDtype("pyarrow") for c in text}))
    loaded.loc[0, "value"] = -1  # callers get a copy, never the cached frame
    assert snapshot.load_table("panel", data).loc[0, "value"] == 300.0
    assert snapshot.manifest(data)["package_version"] == labormatch.__version__
    assert not list(tmp_path.glob(".snapshot-build-*"))


def test_damaged_table_is_a_clear_error_pointing_to_the_check(tmp_path):
    data = tmp_path / "data"
    write_small(data)
    (data / "panel.parquet").write_bytes(b"PAR1 damaged")
    with pytest.raises(SnapshotError, match=r"panel\.parquet: cannot read the snapshot table .*labormatch data check"):
        snapshot.load_table("panel", data)


def test_tampered_output_is_named_by_check(tmp_path):
    data = tmp_path / "data"
    write_small(data)
    with open(data / "reference" / "aewr.parquet", "ab") as handle:
        handle.write(b"\0")
    (data / "mapped_share.csv").unlink()
    problems = snapshot.check(data, raw_dir=tmp_path / "no-raw")
    assert any(p.startswith("reference/aewr.parquet:") and "bytes" in p for p in problems)
    assert "mapped_share.csv: missing" in problems and len(problems) == 2


def test_same_size_edit_is_caught_by_sha256(tmp_path):
    data = tmp_path / "data"
    write_small(data)
    path = data / "mapped_share.csv"
    path.write_text(path.read_text().replace("1,2", "1,3"))
    assert snapshot.check(data, raw_dir=tmp_path / "no-raw") == [
        "mapped_share.csv: sha256 differs from the manifest (file changed after the build)"
    ]


def test_changed_source_and_version_mismatch_are_problems(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "bls_cps").mkdir(parents=True)
    source = raw / "bls_cps" / "x.csv"
    source.write_text("date,value\n2020-01-01,1\n")
    data = tmp_path / "data"
    write_small(
        data,
        info={
            "sources": [
                {
                    "path": "bls_cps/x.csv",
                    "sha256": snapshot.sha256_file(source),
                    "bytes": source.stat().st_size,
                    "vintage": "2023-12",
                }
            ]
        },
    )
    assert snapshot.check(data, raw_dir=raw) == []
    source.write_text("date,value\n2020-01-01,2\n")
    monkeypatch.setattr(labormatch, "__version__", "9.9.9")
    problems = snapshot.check(data, raw_dir=raw)
    assert any("bls_cps/x.csv: changed since the build" in p for p in problems)
    assert any("installed is 9.9.9" in p for p in problems)


def test_checksum_follows_table_contents(tmp_path):
    data = tmp_path / "data"
    first = write_small(data)["data_checksum"]
    assert snapshot.data_checksum(data) == first
    tables = small_tables()
    tables["panel"].loc[1, "value"] = 311.0
    second = write_small(data, tables)["data_checksum"]
    assert second != first and snapshot.data_checksum(data) == second
    assert snapshot.load_table("panel", data).loc[1, "value"] == 311.0  # cache keyed on the new file


def test_missing_snapshot_gives_clear_errors(tmp_path):
    with pytest.raises(SnapshotError, match=r"no data snapshot in .*run `labormatch data build`"):
        snapshot.load_table("panel", tmp_path)
    assert "manifest.json not found" in snapshot.check(tmp_path)[0]
    write_small(tmp_path)
    with pytest.raises(SnapshotError, match=r"no table 'nope'.*tables: panel, reference/aewr"):
        snapshot.load_table("nope", tmp_path)


def snapshot_bytes(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_write_leaves_the_old_snapshot_untouched(tmp_path):
    data = tmp_path / "data"
    write_small(data)
    before = snapshot_bytes(data)
    tables = small_tables()
    tables["zz_bad"] = pd.DataFrame({"mixed": [object(), 1]})  # pyarrow cannot store this column
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's own error type; only the untouched snapshot matters
        write_small(data, tables)
    assert snapshot_bytes(data) == before
    assert not list(tmp_path.glob(".snapshot-build-*"))


def test_failed_build_from_bad_raw_files_leaves_the_old_snapshot_untouched(tmp_path):
    data = tmp_path / "data"
    write_small(data)
    shutil.copy(snapshot.paths.PROJECT_DIR / "data" / "sector_series.csv", data / "sector_series.csv")
    before = snapshot_bytes(data)
    raw = tmp_path / "raw"
    (raw / "bls_jolts").mkdir(parents=True)
    (raw / "bls_jolts" / "jolts_national_industry_monthly_2000-12_2022-08.csv").write_text("")
    with pytest.raises(LabormatchError, match=r"jolts_national_industry_monthly_2000-12_2022-08.csv"):
        snapshot.build(raw, data)
    assert snapshot_bytes(data) == before
    with pytest.raises(SnapshotError, match="raw data folder not found"):
        snapshot.build(tmp_path / "nowhere", data)


def test_committed_snapshot_matches_its_manifest():
    folder = snapshot.paths.data_dir()
    if not (folder / snapshot.MANIFEST).is_file():
        pytest.skip(f"no snapshot built in {folder}")
    assert snapshot.check(folder) == []
    manifest = snapshot.manifest(folder)
    files = {e["file"] for e in manifest["outputs"]}
    assert {
        "bls_series.parquet",
        "bls_series_meta.parquet",
        "panel.parquet",
        "panel_state.parquet",
        "oflc_cases.parquet",
        "load_report.json",
        "mapped_share.csv",
    } <= files
    assert json.loads((folder / "load_report.json").read_text())  # OFLC load report present and non-empty


def fake_oflc(raw, progress=None):
    """Two hand-made certified cases standing in for the OFLC files (read by the real loader in its own tests)."""
    cases = pd.DataFrame(
        {  # FY2020 and FY2021 complete: months of FY2021 are known (they need both years)
            "case_id": ["H-300-0", "H-300-1", "H-400-0", "H-400-2"],
            "visa_class": ["H-2A", "H-2A", "H-2B", "H-2B"],
            "fiscal_year": pd.array([2020, 2021, 2020, 2021], "Int16"),
            "source_file": ["fake.xlsx"] * 4,
            "partial_year": [False] * 4,
            "status": ["certified"] * 4,
            "workers_requested": pd.array([5, 10, 2, 4], "Int32"),
            "workers_certified": pd.array([5, 10, 2, 4], "Int32"),
            "need_start": pd.to_datetime(["2020-05-01", "2021-01-16", "2020-05-01", "2021-04-01"]),
            "need_end": pd.to_datetime(["2020-05-31", "2021-03-15", "2020-05-31", "2021-04-30"]),
            "worksite_state": ["FL", "FL", "TX", "TX"],
            "sector": ["agriculture", "agriculture", "construction", "construction"],
        }
    )
    share = pd.DataFrame(
        {
            "visa_class": ["H-2A"],
            "fiscal_year": [2021],
            "workers_certified": [10],
            "mapped_workers_certified": [10],
            "mapped_share": [1.0],
        }
    )
    return {"cases": cases, "report": {"files": [{"file": "fake.xlsx"}]}, "mapped_share": share}


@pytest.mark.raw
@pytest.mark.slow
def test_build_with_an_api_update_then_check(raw_dir, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for child in raw_dir.iterdir():
        (raw / child.name).symlink_to(child)
    (raw / "bls_updates").mkdir()
    (raw / "bls_updates" / "construction.json").write_text(
        json.dumps(
            {
                "status": "REQUEST_SUCCEEDED",
                "message": [],
                "Results": {
                    "series": [
                        {
                            "seriesID": "JTS230000000000000JOL",
                            "data": [
                                {
                                    "year": "2026",
                                    "period": "M06",
                                    "value": "240",
                                    "footnotes": [{"code": "P", "text": "preliminary"}],
                                },
                                {"year": "2026", "period": "M04", "value": "260", "footnotes": [{}]},
                            ],
                        }
                    ]
                },
            }
        )
    )
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(snapshot.paths.PROJECT_DIR / "data" / "sector_series.csv", data / "sector_series.csv")
    monkeypatch.setattr(snapshot, "collect_oflc", fake_oflc)
    steps = []
    built = snapshot.build(raw, data, progress=steps.append)
    assert len(steps) == 6 and snapshot.check(data, raw) == []
    series = snapshot.load_table("bls_series", data).set_index(["series_id", "date"])
    latest = series.loc[("JTS230000000000000JOL", pd.Timestamp("2026-06-01"))]
    assert (latest["value"], latest["vintage"], latest["source_file"]) == (
        240.0,
        "2026-07",
        "bls_updates/construction.json",
    )
    splice = [s for s in built["splices"] if s["series_id"] == "JTS230000000000000JOL" and s["vintage_to"] == "2026-07"]
    assert splice == [
        {
            "series_id": "JTS230000000000000JOL",
            "vintage_from": "2026-06",
            "vintage_to": "2026-07",
            "splice_month": "2026-04-01",
            "overlap_months": 1,
            "level_ratio": round(260 / 259, 6),
            "mean_difference": 1.0,
        }
    ]  # BLS Table 1, Apr-2026 release: 259
    assert "bls_updates/construction.json" in {s["path"] for s in built["sources"]}
    panel = snapshot.load_table("panel", data).set_index(["sector", "series", "seasonal", "month"])["value"]
    assert panel[("agriculture", "h2a_certified_worker_months", "NSA", pd.Timestamp("2021-02-01"))] == 10.0
    assert panel[("construction", "h2b_certified_worker_months", "NSA", pd.Timestamp("2021-04-01"))] == 4.0
    assert panel[("construction", "openings", "SA", pd.Timestamp("2026-06-01"))] == 240.0
    state = snapshot.load_table("panel_state", data)
    assert state["certified_worker_months"].sum() == pytest.approx(5 + 10 * 16 / 31 + 10 + 10 * 15 / 31 + 2 + 4)


def test_panel_last_months_by_sector_and_series():
    table = pd.DataFrame(
        {
            "sector": ["construction"] * 4,
            "series": ["openings"] * 4,
            "seasonal": ["SA", "SA", "NSA", "NSA"],
            "value": [1.0, 2.0, 3.0, float("nan")],
            "month": pd.to_datetime(["2026-03-01", "2026-04-01", "2022-08-01", "2022-09-01"]),
        }
    )
    # the NSA row of 2022-09 has no value (unknown): it is not a data end
    assert snapshot.panel_last_months(table) == {
        "construction": {"openings (NSA)": "2022-08", "openings (SA)": "2026-04"}
    }


def test_as_of_month_falls_back_to_built_at_and_refuses_a_manifest_without_either(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"outputs": [], "built_at": "2026-12-02T17:00:00Z"}))
    assert snapshot.as_of_month(tmp_path) == pd.Timestamp("2026-12-01")
    (tmp_path / "manifest.json").write_text(json.dumps({"outputs": [], "as_of_month": "2027-01"}))
    assert snapshot.as_of_month(tmp_path) == pd.Timestamp("2027-01-01")
    (tmp_path / "manifest.json").write_text(json.dumps({"outputs": []}))
    with pytest.raises(SnapshotError, match="no as-of month"):
        snapshot.as_of_month(tmp_path)
