"""The sector outlook (`labormatch.outlook`, the Overview's chart): hand-computed known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from labormatch.outlook import outlook


def _forecast(series_id: str, sector: str, series: str, mean: float, lo: float, hi: float, stale: bool = False):
    dates = pd.date_range("2026-05-01", periods=24, freq="MS")
    return pd.DataFrame(
        {
            "sector": sector,
            "series": series,
            "series_id": series_id,
            "date": dates,
            "model": "ets",
            "mean": mean,
            "lo80": lo,
            "hi80": hi,
            "stale": stale,
        }
    )


def _history(series_id: str, values: list[float]) -> pd.DataFrame:
    dates = pd.date_range(end="2026-04-01", periods=len(values), freq="MS")
    return pd.DataFrame({"series_id": series_id, "date": dates, "value": values})


def test_next_twelve_forecast_months_against_the_observed_last_twelve():
    forecast = pd.concat(
        [
            _forecast("construction:openings:SA", "construction", "openings", 110.0, 99.0, 121.0),
            _forecast("construction:hires:SA", "construction", "hires", 500.0, 400.0, 600.0),
            _forecast(
                "agriculture:h2a_certified_worker_months:NSA",
                "agriculture",
                "h2a_certified_worker_months",
                90.0,
                80.0,
                100.0,
            ),
        ]
    )
    # openings 2025-02..2026-04: the last month unknown (NaN), so the last observed is 2026-03 and the
    # oldest two (1000, 2025-02 and 03) fall outside the 12 months to it
    openings = _history("construction:openings:SA", [1000.0, 1000.0, *[100.0] * 12, float("nan")])
    history = pd.concat([openings, _history("agriculture:h2a_certified_worker_months:NSA", [100.0] * 12)])
    table = outlook(forecast, history).set_index("sector")
    assert list(table.index) == ["construction", "agriculture"]  # largest change first
    row = table.loc["construction"]
    assert (row["series"], row["last_observed_month"]) == ("openings", pd.Timestamp("2026-03-01"))
    assert row["last_12_months_mean"] == pytest.approx(100.0)
    assert (row["change_pct"], row["change_pct_lo80"], row["change_pct_hi80"]) == pytest.approx((10.0, -1.0, 21.0))
    assert table.loc["agriculture", "change_pct"] == pytest.approx(-10.0)


def test_stale_series_are_left_out():
    forecast = pd.concat(
        [
            _forecast("construction:openings:SA", "construction", "openings", 110.0, 99.0, 121.0, stale=True),
            _forecast("information:openings:SA", "information", "openings", 110.0, 99.0, 121.0),
        ]
    )
    history = pd.concat(
        [_history("construction:openings:SA", [100.0] * 12), _history("information:openings:SA", [100.0] * 12)]
    )
    assert outlook(forecast, history)["sector"].tolist() == ["information"]
    assert outlook(forecast.drop(columns="stale"), history, frozenset({"information:openings:SA"}))[
        "sector"
    ].tolist() == ["construction"]
