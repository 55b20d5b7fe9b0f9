"""The snapshot's sector shortage series and `sector_forecasts`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labormatch.forecast import sectors
from labormatch.forecast.engine import FORECAST_COLUMNS


def panel_rows(sector, series, seasonal, months, value=1.0):
    return pd.DataFrame(
        {
            "sector": sector,
            "series": series,
            "seasonal": seasonal,
            "month": months,
            "value": value,
            "unit": "",
            "source": "test",
        }
    )


def test_shortage_series_picks_versions_keeps_unknown_months_and_derives_unfilled():
    early = pd.date_range("1999-01-01", "2021-12-01", freq="MS")
    later = pd.date_range("2000-01-01", "2023-12-01", freq="MS")
    h2_months = pd.date_range("2015-01-01", "2015-12-01", freq="MS").delete([3, 4])
    panel = pd.concat(
        [
            panel_rows("construction", "openings", "NSA", early, 300.0),
            panel_rows("construction", "openings", "SA", later, 310.0),  # runs later: chosen
            panel_rows("construction", "hires", "SA", later, 250.0),
            panel_rows("construction", "employment", "NSA", early, 7000.0),
            panel_rows("construction", "employment", "SA", early, 7100.0),  # tie: NSA chosen
            panel_rows("construction", "h2b_certified_worker_months", "NSA", h2_months, 40.0),
        ],
        ignore_index=True,
    )
    out = sectors.shortage_series(panel).set_index("series_id")
    assert set(out.index) == {
        "construction:openings:SA",
        "construction:hires:SA",
        "construction:employment:NSA",
        "construction:unfilled_openings:SA",
        "construction:h2b_certified_worker_months:NSA",
    }
    assert out.loc["construction:employment:NSA", "date"].min() == pd.Timestamp("2000-01-01")
    h2 = out.loc["construction:h2b_certified_worker_months:NSA"]  # months the panel lacks are unknown, not 0
    assert len(h2) == 12 and h2["value"].isna().sum() == 2 and (h2["value"] == 0).sum() == 0
    assert np.allclose(out.loc["construction:unfilled_openings:SA", "value"], 60.0)


def test_unknown_series_is_refused():
    from labormatch.errors import LabormatchError

    with pytest.raises(LabormatchError, match="vacancies"):
        sectors.snapshot_series(("vacancies",))


def test_sector_forecasts_from_the_snapshot_are_cached(tmp_path, monkeypatch):
    from labormatch import snapshot
    from labormatch.errors import SnapshotError

    try:
        snapshot.load_table("panel")
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")
    monkeypatch.setenv("LABORMATCH_CACHE", str(tmp_path))
    first = sectors.sector_forecasts(horizon=3, series=("h2b_certified_worker_months",), n_jobs=1)
    assert list(first.columns) == FORECAST_COLUMNS + sectors.ANNOTATION_COLUMNS
    assert first["sector"].nunique() >= 12 and (first.groupby("series_id").size() == 3).all()
    assert (first["lo95"] <= first["mean"]).all() and (first["mean"] <= first["hi95"]).all()
    monkeypatch.setattr("labormatch.forecast.engine.fit_series", lambda *a: pytest.fail("refitted a cached series"))
    second = sectors.sector_forecasts(horizon=3, series=("h2b_certified_worker_months",), n_jobs=1)
    pd.testing.assert_frame_equal(first, second)


def test_a_37_month_gap_is_not_bridged_the_series_restarts_after_it():
    before = pd.date_range("2015-01-01", "2022-08-01", freq="MS")
    after = pd.date_range("2025-10-01", "2026-04-01", freq="MS")  # 37 months missing: 2022-09..2025-09
    rows = pd.concat(
        [
            panel_rows("information", "openings", "SA", before, 100.0),
            panel_rows("information", "openings", "SA", after, 50.0),
        ],
        ignore_index=True,
    )
    rows.loc[rows["month"] == "2016-03-01", "value"] = np.nan  # a one-month hole inside the run stays a hole
    full = sectors.shortage_series(rows, ("openings",), restart=False)
    assert len(full) == len(pd.date_range("2015-01-01", "2026-04-01", freq="MS"))
    gap = full[(full["date"] > "2022-08-01") & (full["date"] < "2025-10-01")]
    assert len(gap) == 37 and gap["value"].isna().all()  # NaN, never a fill
    restarted = sectors.shortage_series(rows, ("openings",))
    assert restarted["date"].min() == pd.Timestamp("2025-10-01") and (restarted["value"] == 50.0).all()
    catalogue = sectors.shortage_catalogue(rows, pd.Timestamp("2026-12-01"), ("openings",)).iloc[0]
    assert (catalogue["restart_month"], catalogue["last_month"], catalogue["stale"]) == (
        pd.Timestamp("2025-10-01"),
        pd.Timestamp("2026-04-01"),
        False,
    )


def test_a_fresher_version_too_short_after_its_gap_does_not_replace_a_contiguous_one():
    nsa = panel_rows("information", "openings", "NSA", pd.date_range("2000-12-01", "2025-12-01", freq="MS"), 90.0)
    sa = pd.concat(
        [
            panel_rows("information", "openings", "SA", pd.date_range("2000-12-01", "2022-08-01", freq="MS")),
            panel_rows("information", "openings", "SA", pd.date_range("2025-12-01", "2026-04-01", freq="MS")),
        ]
    )
    out = sectors.shortage_series(pd.concat([nsa, sa], ignore_index=True), ("openings",))
    assert set(out["series_id"]) == {"information:openings:NSA"}


def test_stale_series_are_flagged_against_the_as_of_month():
    rows = pd.concat(
        [
            panel_rows("government", "hires", "NSA", pd.date_range("2000-12-01", "2022-08-01", freq="MS")),
            panel_rows("construction", "hires", "SA", pd.date_range("2000-12-01", "2025-12-01", freq="MS")),
        ],
        ignore_index=True,
    )
    catalogue = sectors.shortage_catalogue(rows, pd.Timestamp("2026-12-01"), ("hires",)).set_index("series_id")
    assert catalogue.loc["government:hires:NSA", "stale"]  # 52 months before the as-of month
    assert not catalogue.loc["construction:hires:SA", "stale"]  # exactly 12 months before: still current
