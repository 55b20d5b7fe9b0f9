"""`labormatch data update` end to end: the real snapshot build on a small raw folder (the staged BLS and
reference files, one generated OFLC workbook), served new files from a local 127.0.0.1 server."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
import update_server as srv
from test_update import TODAY, files, serve_oflc

from labormatch import snapshot
from labormatch.update import apply, fetch


def _mirror(source, target, skip=()):
    """`target` with `source`'s folders as real folders and its files as symlinks: the update writes new files
    into `target`'s own folders, never through a link into the shared raw folder."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if relative.parts[0] in skip:
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).symlink_to(path)


@pytest.mark.raw
@pytest.mark.slow
def test_update_rebuilds_the_snapshot_with_the_new_files_and_months_then_finds_nothing_new(
    raw_dir, tmp_path, monkeypatch
):
    state, httpd = srv.start()
    try:
        raw, data = tmp_path / "raw", tmp_path / "data"
        raw.mkdir()
        _mirror(raw_dir, raw, skip={"oflc"})
        (raw / "oflc").mkdir()
        (raw / "oflc" / "H-2A_Disclosure_Data_FY2024.xlsx").write_bytes(srv.h2a_workbook(2024))
        data.mkdir()
        for name in ("sector_series.csv", "sectors.csv", "crosswalk"):
            source = snapshot.paths.PROJECT_DIR / "data" / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, data / name)
        snapshot.build(raw, data)
        monkeypatch.setenv("LABORMATCH_UPDATE_MIRROR", state.url)
        monkeypatch.setenv("BLS_API_KEY", "test-key")
        monkeypatch.setattr(fetch, "RETRIES", 0)
        serve_oflc(state, ["H-2A_Disclosure_Data_FY2024.xlsx", "H-2A_Disclosure_Data_FY2025.xlsx"])
        state.routes[srv.BLS_API] = srv.Route(content_type="application/json", api={"last_month": (2026, 11)})
        orders = {
            "value": [
                {
                    "case_number": "H-400-1",
                    "visa_class": "H-2B",
                    "total_positions": 3,
                    "begin_date": "2027-04-01",
                    "end_date": "2027-09-30",
                    "worksite_state": "TX",
                }
            ]
        }
        state.routes[srv.SEASONALJOBS] = srv.Route(json.dumps(orders).encode(), "application/json")

        result = apply.run(raw=raw, data=data, today=TODAY)

        assert result.rebuilt and "oflc/H-2A_Disclosure_Data_FY2025.xlsx" in result.added
        requests = [body for method, _, body in state.log if method == "POST"]
        assert requests and all(len(b["seriesid"]) <= 50 for b in requests)
        assert snapshot.check(data, raw) == []
        series = snapshot.load_table("bls_series", data).set_index(["series_id", "date"])
        latest = series.loc[("JTS230000000000000JOL", pd.Timestamp("2026-11-01"))]
        assert latest["value"] == 111.0 and latest["source_file"].startswith("bls_updates/bls_api_2026-12-02_")
        coverage = snapshot.load_table("h2_coverage", data).set_index(["visa_class", "fiscal_year"])["disclosure"]
        assert coverage[("H-2A", 2025)] == "complete"
        panel = snapshot.load_table("panel", data).set_index(["sector", "series", "seasonal", "month"])["value"]
        # 10 + 20 + 30 workers certified for April-June 2025 (crop farmworkers -> agriculture)
        assert panel[("agriculture", "h2a_certified_worker_months", "NSA", pd.Timestamp("2025-05-01"))] == 60.0
        entry = next(
            s for s in snapshot.manifest(data)["sources"] if s["path"] == "oflc/H-2A_Disclosure_Data_FY2025.xlsx"
        )
        assert entry["address"].endswith("/H-2A_Disclosure_Data_FY2025.xlsx") and entry["downloaded_at"]
        assert any(line.startswith("BLS series with new months: ") for line in result.summary)
        assert "  H-2A FY2025: absent -> complete" in result.summary
        assert any(line.startswith("headline demand") for line in result.summary), result.summary
        orders_now = snapshot.load_table("reference/job_orders", data)
        assert orders_now[["case_number", "positions"]].values.tolist() == [["H-400-1", 3]]
        assert orders_now["as_of"].unique().tolist() == [pd.Timestamp("2026-12-02")]

        assert not (raw_dir / "recent" / "h2" / "seasonaljobs").exists(), "the update wrote into the shared raw folder"
        state.log.clear()
        before = files(raw, data)
        again = apply.run(raw=raw, data=data, today=TODAY)
        assert again.planned == [] and files(raw, data) == before
        assert [p for _, p, _ in state.log] == [srv.OFLC_PAGE]
    finally:
        httpd.shutdown()
