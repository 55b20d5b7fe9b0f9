"""The snapshot's sector shortage series and `sector_forecasts`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labormatch.forecast import sectors
from labormatch.forecast.engine import FORECAST_COLUMNS


def panel_rows(sector, series, seasonal, months, value=1.0):
    return pd.DataFrame({"sector": sector, "series": series, "seasonal": seasonal, "month": months,
                         "value": value, "unit": "", "source": "test"})


def test_shortage_series_picks_versions_fills_counts_and_derives_unfilled():
    early = pd.date_range("1999-01-01", "2021-12-01", freq="MS")
    later = pd.date_range("2000-01-01", "2023-12-01", freq="MS")
    h2_months = pd.date_range("2015-01-01", "2015-12-01", freq="MS").delete([3, 4])
    panel = pd.concat([
        panel_rows("construction", "openings", "NSA", early, 300.0),
        panel_rows("construction", "openings", "SA", later, 310.0),  # runs later: chosen
        panel_rows("construction", "hires", "SA", later, 250.0),
        panel_rows("construction", "employment", "NSA", early, 7000.0),
        panel_rows("construction", "employment", "SA", early, 7100.0),  # tie: NSA chosen
        panel_rows("construction", "h2b_certified_worker_months", "NSA", h2_months, 40.0),
    ], ignore_index=True)
    out = sectors.shortage_series(panel).set_index("series_id")
    assert set(out.index) == {"construction:openings:SA", "construction:hires:SA", "construction:employment:NSA",
                              "construction:unfilled_openings:SA", "construction:h2b_certified_worker_months:NSA"}
    assert out.loc["construction:employment:NSA", "date"].min() == pd.Timestamp("2000-01-01")
    h2 = out.loc["construction:h2b_certified_worker_months:NSA"]
    assert len(h2) == 12 and (h2["value"] == 0).sum() == 2
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
    assert list(first.columns) == FORECAST_COLUMNS
    assert first["sector"].nunique() >= 12 and (first.groupby("series_id").size() == 3).all()
    assert (first["lo95"] <= first["mean"]).all() and (first["mean"] <= first["hi95"]).all()
    monkeypatch.setattr("labormatch.forecast.engine.fit_series", lambda *a: pytest.fail("refitted a cached series"))
    second = sectors.sector_forecasts(horizon=3, series=("h2b_certified_worker_months",), n_jobs=1)
    pd.testing.assert_frame_equal(first, second)
