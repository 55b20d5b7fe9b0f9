"""`labormatch data update` against a local HTTP server on 127.0.0.1 (tests/update_server.py): what it plans,
what it adds, and that every failure leaves the raw folder and the snapshot byte-identical with one line.

The snapshot build is replaced here by a small stand-in that runs the real OFLC loader (fast); the full
rebuild is exercised in test_update_rebuild.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import update_server as srv
from typer.testing import CliRunner

from labormatch import panel as panel_mod
from labormatch import snapshot
from labormatch.cli import app
from labormatch.sources import job_orders
from labormatch.sources.oflc import load_oflc_dir
from labormatch.update import UpdateError, apply, fetch, plan
from labormatch.update.catalog import load_sources

TODAY = date(2026, 12, 2)
JOLTS_IDS = [f"JTS{code:06d}000000000JOL" for code in range(100000, 100120)]  # 120 series: 3 API requests


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch):
    """Every request the update makes goes to 127.0.0.1: anything else fails the test."""
    import urllib.parse
    import urllib.request

    real = urllib.request.urlopen

    def guarded(request, *args, **kwargs):
        host = urllib.parse.urlsplit(request.full_url).hostname
        assert host == "127.0.0.1", f"a test tried to reach {request.full_url}"
        return real(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


def test_only_the_fetch_module_can_reach_the_network():
    package = Path(__file__).resolve().parents[1] / "labormatch"
    users = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if any(
            word in p.read_text()
            for word in (
                "import urllib",
                "from urllib",
                "import requests",
                "import httpx",
                "import socket",
                "import http.client",
            )
        )
    )
    assert users == ["update/fetch.py"]


@pytest.fixture(scope="module")
def server():
    state, httpd = srv.start()
    yield state
    httpd.shutdown()


@pytest.fixture
def setup(server, tmp_path, monkeypatch):
    """A raw folder with one OFLC file (H-2A FY2024), a snapshot whose 120 JOLTS series end 2026-08, the
    mirror pointed at the local server, a key, fast timeouts."""
    server.routes.clear()
    server.log.clear()
    raw, data = tmp_path / "raw", tmp_path / "data"
    (raw / "oflc").mkdir(parents=True)
    (raw / "oflc" / "H-2A_Disclosure_Data_FY2024.xlsx").write_bytes(srv.h2a_workbook(2024))
    meta = pd.DataFrame(
        {"series_id": JOLTS_IDS, "survey": "JOLTS", "sector": "construction", "last_month": pd.Timestamp("2026-08-01")}
    )
    series = pd.DataFrame({"series_id": JOLTS_IDS, "date": pd.Timestamp("2026-08-01"), "value": 1.0})
    snapshot.write_snapshot(data, {"bls_series_meta": meta, "bls_series": series}, {}, {"sources": []}, 0.1)
    monkeypatch.setenv("LABORMATCH_UPDATE_MIRROR", server.url)
    monkeypatch.setenv("BLS_API_KEY", "test-key")
    monkeypatch.setenv("LABORMATCH_RAW", str(raw))
    monkeypatch.setenv("LABORMATCH_DATA", str(data))
    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(fetch, "RETRIES", 1)
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0.01)
    return raw, data


def files(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def serve_oflc(server, names: list[str], served: dict[str, srv.Route] | None = None) -> None:
    server.routes[srv.OFLC_PAGE] = srv.Route(srv.oflc_page(names), "text/html")
    for name in names:
        year = int(name.split("_FY")[1][:4])
        server.routes[srv.OFLC_FILES + name] = srv.Route(srv.h2a_workbook(year), srv.XLSX)
    server.routes.update({srv.OFLC_FILES + name: route for name, route in (served or {}).items()})


def coverage_build(raw, out, progress=None):
    """Stand-in for `snapshot.build`: the real OFLC loader and coverage table, written as a snapshot."""
    cases, _ = load_oflc_dir(Path(raw) / "oflc")
    return snapshot.write_snapshot(Path(out), {"h2_coverage": panel_mod.h2_coverage(cases)}, {}, {"sources": []}, 0.1)


def test_dry_run_lists_newer_oflc_releases_and_api_batches_and_changes_nothing(server, setup):
    raw, data = setup
    serve_oflc(
        server,
        [
            "H-2A_Disclosure_Data_FY2019.xlsx",
            "H-2A_Disclosure_Data_FY2024.xlsx",
            "H-2A_Disclosure_Data_FY2025_Q4.xlsx",
            "H-2A_Disclosure_Data_FY2025.xlsx",
            "H-2A_Disclosure_Data_FY2026_Q1.xlsx",
            "H-2B_Disclosure_Data_FY2026_Q1.xlsx",
        ],
    )
    before = files(raw, data)
    result = apply.run(raw=raw, data=data, dry_run=True, today=TODAY)
    oflc = [i.target for i in result.planned if i.source == "oflc"]
    # FY2019 is older than the folder's newest H-2A year, FY2024 is present, FY2025_Q4 is superseded by
    # the full-year file; H-2B has no file in the folder, so its FY2026 Q1 is new
    assert oflc == [
        "oflc/H-2A_Disclosure_Data_FY2025.xlsx",
        "oflc/H-2A_Disclosure_Data_FY2026_Q1.xlsx",
        "oflc/H-2B_Disclosure_Data_FY2026_Q1.xlsx",
    ]
    api = [i.body for i in result.planned if i.source == "bls_api"]
    assert [len(b["seriesid"]) for b in api] == [50, 50, 20]  # API v2: at most 50 series a request
    assert {(b["startyear"], b["endyear"]) for b in api} == {("2026", "2026")}
    assert [i.target for i in result.planned if i.source == "seasonaljobs"] == [
        "recent/h2/seasonaljobs/job_orders_2026-12-02.json"
    ]
    assert any(n.startswith("dos_issuances: not fetched") for n in result.notes)
    assert files(raw, data) == before
    assert [(m, p) for m, p, _ in server.log] == [("GET", srv.OFLC_PAGE)]  # only the list of files was read


def test_api_requests_stay_within_20_years_and_need_the_key(setup, monkeypatch):
    _raw, data = setup
    meta = pd.DataFrame(
        {
            "series_id": ["CEU0000000001", "JTS000000000000000JOL"],
            "survey": ["CES", "JOLTS"],
            "sector": "construction",
            "last_month": pd.to_datetime(["2003-05-01", "2026-10-01"]),
        }
    )
    snapshot.write_snapshot(data, {"bls_series_meta": meta}, {}, {"sources": []}, 0.1)
    source = load_sources()["bls_api"]
    items = plan.bls_api_items(source, data, TODAY)
    # JOLTS through 2026-10 is current on 2026-12-02 (two-month release lag); CES from 2003 takes two windows
    assert [(i.body["seriesid"], i.body["startyear"], i.body["endyear"]) for i in items] == [
        (["CEU0000000001"], "2003", "2022"),
        (["CEU0000000001"], "2023", "2026"),
    ]
    monkeypatch.delenv("BLS_API_KEY")
    with pytest.raises(UpdateError, match="BLS_API_KEY"):
        plan.bls_api_items(source, data, TODAY)
    assert plan.latest_release_month(date(2027, 1, 9), 2) == pd.Timestamp("2026-11-01")


def test_update_adds_checked_oflc_files_then_a_second_update_fetches_nothing(server, setup):
    raw, data = setup
    serve_oflc(server, ["H-2A_Disclosure_Data_FY2024.xlsx", "H-2A_Disclosure_Data_FY2025.xlsx"])
    result = apply.run("oflc", raw, data, today=TODAY, build=coverage_build)
    assert result.added == ["oflc/H-2A_Disclosure_Data_FY2025.xlsx"] and result.rebuilt
    assert "  H-2A FY2025: absent -> complete" in result.summary
    coverage = snapshot.load_table("h2_coverage", data)
    assert set(coverage["fiscal_year"].astype(int)) == {2024, 2025}
    record = json.loads((raw / apply.DOWNLOADS).read_text())["oflc/H-2A_Disclosure_Data_FY2025.xlsx"]
    served = (raw / "oflc" / "H-2A_Disclosure_Data_FY2025.xlsx").read_bytes()
    assert record["address"] == server.url + srv.OFLC_FILES + "H-2A_Disclosure_Data_FY2025.xlsx"
    assert record["sha256"] == snapshot.sha256_file(raw / "oflc" / "H-2A_Disclosure_Data_FY2025.xlsx")
    assert record["bytes"] == len(served) and record["downloaded_at"].endswith("Z")
    assert snapshot.check(data, raw) == []
    server.log.clear()
    before = files(raw, data)
    again = apply.run("oflc", raw, data, today=TODAY, build=coverage_build)
    assert again.added == [] and files(raw, data) == before
    assert [p for _, p, _ in server.log] == [srv.OFLC_PAGE]  # the list of files only, no download


BAD_FILES = {
    "404": (None, "not found (HTTP 404)"),
    "timeout": (srv.Route(srv.h2a_workbook(2025), srv.XLSX, mode="slow"), "timed out after 0.5 s"),
    "html": (
        srv.Route(b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html"),
        "HTML page instead of the data file",
    ),
    "truncated": (srv.Route(srv.h2a_workbook(2025), srv.XLSX, mode="truncate"), "truncated download"),
    "unknown layout": (
        srv.Route(srv.h2a_workbook(2025, ["CASE_ID", "STATUS", "WORKERS"] + ["X"] * 12), srv.XLSX),
        "unknown layout: the header matches no known OFLC disclosure layout (columns: CASE_ID, STATUS",
    ),
}


@pytest.mark.parametrize("problem", list(BAD_FILES))
def test_a_bad_download_changes_nothing_and_says_so_in_one_line(server, setup, problem):
    raw, data = setup
    route, message = BAD_FILES[problem]
    name = "H-2A_Disclosure_Data_FY2025.xlsx"
    serve_oflc(server, [name])
    if route is None:
        del server.routes[srv.OFLC_FILES + name]
    else:
        server.routes[srv.OFLC_FILES + name] = route
    before = files(raw, data)
    result = CliRunner().invoke(app, ["data", "update", "--source", "oflc"])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if "update failed" in line]
    assert len(failed) == 1 and message in failed[0], result.stderr
    assert failed[0].startswith("update failed, raw folder and snapshot unchanged: http://127.0.0.1")
    assert files(raw, data) == before
    assert not list(raw.parent.glob(".labormatch-update-*"))  # the temporary folder is gone


def test_bls_request_not_processed_is_quoted_in_one_line(server, setup):
    raw, data = setup
    message = "daily threshold for total number of requests allocated to the user has been reached."
    server.routes[srv.BLS_API] = srv.Route(
        content_type="application/json", api={"status": "REQUEST_NOT_PROCESSED", "message": [message]}
    )
    before = files(raw, data)
    result = CliRunner().invoke(app, ["data", "update", "--source", "bls_api"])
    failed = [line for line in result.stderr.splitlines() if "update failed" in line]
    assert result.exit_code == 1 and len(failed) == 1
    assert f"BLS API request failed with status REQUEST_NOT_PROCESSED: {message}" in failed[0]
    assert files(raw, data) == before


def test_missing_api_key_stops_before_any_request(server, setup, monkeypatch):
    _raw, _data = setup
    monkeypatch.delenv("BLS_API_KEY")
    result = CliRunner().invoke(app, ["data", "update", "--source", "bls_api"])
    assert result.exit_code == 1 and "the BLS API key is missing: set BLS_API_KEY" in result.stderr
    assert server.log == []


def test_api_update_writes_the_responses_and_hands_them_to_the_build(server, setup):
    raw, data = setup
    server.routes[srv.BLS_API] = srv.Route(content_type="application/json", api={"last_month": (2026, 10)})
    seen = {}

    def build(raw_dir, out, progress=None):
        from labormatch.sources.bls import load_updates

        batch, read = load_updates(Path(raw_dir))
        seen.update(read=read, last=batch.obs.groupby("series_id")["date"].max())
        return snapshot.write_snapshot(Path(out), {"bls_series": batch.obs}, {}, {"sources": []}, 0.1)

    result = apply.run("bls_api", raw, data, today=TODAY, build=build)
    assert seen["read"] == [f"bls_updates/bls_api_2026-12-02_0{n}.json" for n in (1, 2, 3)]
    assert (seen["last"] == pd.Timestamp("2026-10-01")).all() and len(seen["last"]) == 120
    assert "BLS series with new months: 120" in result.summary
    assert f"  {JOLTS_IDS[0]}: data through 2026-08 -> 2026-10 (+2 months)" in result.summary
    # 2026-08 was 1.0 in the old snapshot, 108 in the response: a revision in each series
    assert "revised values (same series and month, new value): 120 in 120 series" in result.summary
    posted = [body for method, _, body in server.log if method == "POST"]
    assert len(posted) == 3 and all(b["registrationkey"] == "test-key" for b in posted)


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), snapshot.SnapshotError("bad table")])
def test_a_failed_or_interrupted_rebuild_puts_the_raw_folder_back(server, setup, interruption):
    raw, data = setup
    serve_oflc(server, ["H-2A_Disclosure_Data_FY2025.xlsx"])
    (raw / apply.DOWNLOADS).write_text("{}")  # replaced during the update, then restored

    def build(raw_dir, out, progress=None):
        assert (Path(raw_dir) / "oflc" / "H-2A_Disclosure_Data_FY2025.xlsx").is_file()
        raise interruption

    before = files(raw, data)
    with pytest.raises((KeyboardInterrupt, UpdateError)):
        apply.run("oflc", raw, data, today=TODAY, build=build)
    assert files(raw, data) == before
    assert not list(data.parent.glob(".snapshot-update-*"))


def flat_routes(series_lines: str) -> dict[str, srv.Route]:
    data = (
        "series_id                     \tyear\tperiod\t       value\tfootnote_codes\n"
        + "".join(f"{sid}\t2026\tM{m:02d}\t{200 + m}\t\n" for sid in JOLTS_IDS[:2] for m in (9, 10))
        + f"{JOLTS_IDS[0]}\t2026\tM13\t200\t\n"
    )
    base = srv.BLS_FLAT + "jt/"
    return {
        base + "jt.data.1.AllItems": srv.Route(data.encode(), "text/plain"),
        base + "jt.series": srv.Route(series_lines.encode(), "text/plain"),
        base + "jt.industry": srv.Route(b"industry_code\tindustry_text\n100000\tTest industry\n", "text/plain"),
    }


def test_flat_files_are_checked_together_and_join_bls_updates(server, setup):
    raw, data = setup
    server.routes.update(flat_routes("series_id\tindustry_code\n" + "".join(f"{s}\t100000\n" for s in JOLTS_IDS)))
    result = apply.run("bls_flat", raw, data, today=TODAY, build=coverage_build_none)
    assert result.added == ["bls_updates/jt.data.1.AllItems", "bls_updates/jt.series", "bls_updates/jt.industry"]
    assert (raw / "bls_updates" / "jt.data.1.AllItems").read_bytes() == server.routes[
        srv.BLS_FLAT + "jt/jt.data.1.AllItems"
    ].body


def coverage_build_none(raw, out, progress=None):
    return snapshot.write_snapshot(Path(out), {"empty": pd.DataFrame({"a": [1]})}, {}, {"sources": []}, 0.1)


def test_flat_data_naming_undescribed_series_changes_nothing(server, setup):
    raw, data = setup
    server.routes.update(flat_routes(f"series_id\tindustry_code\n{JOLTS_IDS[0]}\t100000\n"))
    before = files(raw, data)
    with pytest.raises(UpdateError, match=r"1 series not described in jt.series"):
        apply.run("bls_flat", raw, data, today=TODAY, build=coverage_build_none)
    assert files(raw, data) == before


def job_orders_build(raw, out, progress=None):
    """Stand-in for `snapshot.build`: the real job-order loader's newest picture, written as a snapshot."""
    return snapshot.write_snapshot(
        Path(out), {"reference/job_orders": job_orders.load_newest_job_orders(raw)}, {}, {"sources": []}, 0.1
    )


def test_job_orders_are_checked_kept_once_a_day_and_rebuild_the_snapshot_with_the_newest_picture(server, setup):
    raw, data = setup
    orders = {
        "value": [
            {
                "case_number": "H-400-26001",
                "visa_class": "H-2B",
                "total_positions": 12,
                "begin_date": "2027-04-01",
                "end_date": "2027-10-31",
                "worksite_state": "TX",
            }
        ]
    }
    server.routes[srv.SEASONALJOBS] = srv.Route(json.dumps(orders).encode(), "application/json")
    result = apply.run("seasonaljobs", raw, data, today=TODAY, build=job_orders_build)
    assert result.added == ["recent/h2/seasonaljobs/job_orders_2026-12-02.json"] and result.rebuilt
    shown = snapshot.load_table("reference/job_orders", data)
    assert shown[["case_number", "positions", "worksite_state"]].values.tolist() == [["H-400-26001", 12, "TX"]]
    assert shown["as_of"].tolist() == [pd.Timestamp("2026-12-02")] and shown["job_title"].isna().all()
    assert apply.run("seasonaljobs", raw, data, today=TODAY, build=job_orders_build).planned == []
    server.routes[srv.SEASONALJOBS] = srv.Route(json.dumps({"value": [{"case": 1}]}).encode(), "application/json")
    before = files(raw, data)
    with pytest.raises(UpdateError, match=r"unknown layout: job orders lack \['case_number'"):
        apply.run("seasonaljobs", raw, data, today=date(2026, 12, 3), build=job_orders_build)
    assert files(raw, data) == before


def test_oflc_releases_more_complete_than_the_folder_are_new_whatever_their_file_name(tmp_path):
    oflc = tmp_path / "oflc"
    (oflc / "partial_history").mkdir(parents=True)
    for name in ["H2A_FY2019.xlsx", "partial_history/H2A_Disclosure_Data_FY2021_Q1.xlsx", "H-2A_FY2018.xlsx"]:
        (oflc / name).write_bytes(b"x")
    page = srv.oflc_page(
        [
            "H-2A_Disclosure_Data_FY2017.xlsx",
            "H-2A_Disclosure_Data_FY19.xlsx",
            "H-2A_Disclosure_Data_FY2020.xlsx",
            "H-2A_Disclosure_Data_FY2021_Q1.xlsx",
            "H-2A_Disclosure_Data_FY2021_Q4.xlsx",
            "H-2A_Selected_Statistics_FY2021.xlsx",
            "H-2A_Addendum_A_Disclosure_Data_FY2021_Q2.xlsx",
        ]
    ).decode()
    items = plan.oflc_items(load_sources()["oflc"], tmp_path, page)
    # FY2017 precedes the folder's first H-2A year; FY19 and FY2021_Q1 are held under other names; Q4 is the
    # year's full release; the statistics workbook is not a disclosure file
    assert [i.target for i in items] == [
        "oflc/H-2A_Addendum_A_Disclosure_Data_FY2021_Q2.xlsx",
        "oflc/H-2A_Disclosure_Data_FY2020.xlsx",
        "oflc/H-2A_Disclosure_Data_FY2021_Q4.xlsx",
    ]


def test_cli_dry_run_lists_addresses_and_a_second_update_says_nothing_new(server, setup, monkeypatch):
    _raw, _data = setup
    serve_oflc(server, ["H-2A_Disclosure_Data_FY2024.xlsx", "H-2A_Disclosure_Data_FY2025.xlsx"])
    monkeypatch.setattr(apply.snapshot, "build", coverage_build)
    monkeypatch.setattr(apply, "date", type("FixedDate", (), {"today": staticmethod(lambda: TODAY)}))
    dry = CliRunner().invoke(app, ["data", "update", "--source", "oflc", "--dry-run"])
    address = server.url + srv.OFLC_FILES + "H-2A_Disclosure_Data_FY2025.xlsx"
    assert dry.exit_code == 0 and dry.stdout.splitlines() == [
        "would fetch 1 file(s)",
        f"  {address} -> oflc/H-2A_Disclosure_Data_FY2025.xlsx",
    ]
    first = CliRunner().invoke(app, ["data", "update", "--source", "oflc"])
    assert first.exit_code == 0, first.stderr
    assert "H-2A FY2025: absent -> complete" in first.stdout and "snapshot rebuilt and checked" in first.stdout
    assert "oflc/H-2A_Disclosure_Data_FY2025.xlsx: checked (H-2A FY2025 (h2a_2020), 3 cases)" in first.stderr
    second = CliRunner().invoke(app, ["data", "update", "--source", "oflc"])
    assert second.exit_code == 0 and second.stdout.strip() == "nothing new: raw folder and snapshot unchanged"


def test_ctrl_c_during_a_download_changes_nothing(server, setup):
    raw, data = setup
    serve_oflc(server, ["H-2A_Disclosure_Data_FY2025.xlsx", "H-2A_Disclosure_Data_FY2026_Q1.xlsx"])

    class Interrupting(apply.Reporter):
        def file(self, item):
            if item.target.endswith("FY2026_Q1.xlsx"):

                def stop(received, total):
                    raise KeyboardInterrupt

                return stop
            return None

    before = files(raw, data)
    with pytest.raises(KeyboardInterrupt):
        apply.run("oflc", raw, data, today=TODAY, reporter=Interrupting(), build=coverage_build)
    assert files(raw, data) == before and not list(raw.parent.glob(".labormatch-update-*"))


def test_api_batches_pack_50_series_from_their_earliest_year(setup):
    _raw, data = setup
    months = pd.to_datetime(["2019-03-01"] * 5 + ["2026-08-01"] * 55)
    ids = [f"JTS{code:06d}000000000JOL" for code in range(200000, 200060)]
    meta = pd.DataFrame({"series_id": ids, "survey": "JOLTS", "sector": "construction", "last_month": months})
    snapshot.write_snapshot(data, {"bls_series_meta": meta}, {}, {"sources": []}, 0.1)
    items = plan.bls_api_items(load_sources()["bls_api"], data, TODAY)
    assert [(len(i.body["seriesid"]), i.body["startyear"], i.body["endyear"]) for i in items] == [
        (50, "2019", "2026"),
        (10, "2026", "2026"),
    ]
    assert items[0].body["seriesid"][:5] == ids[:5]


def test_a_refused_request_names_the_key_and_the_contact(server, setup, monkeypatch):
    raw, data = setup
    monkeypatch.setenv("LABORMATCH_UPDATE_CONTACT", "analyst@example.gov")
    server.routes.update(flat_routes("series_id\tindustry_code\n"))
    server.routes[srv.BLS_FLAT + "jt/jt.data.1.AllItems"] = srv.Route(b"", status=403)
    with pytest.raises(
        UpdateError,
        match=r"jt.data.1.AllItems: request refused \(HTTP 403\); check the API key, "
        r"set LABORMATCH_UPDATE_CONTACT",
    ):
        apply.run("bls_flat", raw, data, today=TODAY, build=coverage_build_none)
    assert fetch.user_agent().endswith("(data update; analyst@example.gov)")
