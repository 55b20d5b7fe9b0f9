"""How series are shown: their names in words, their monthly history, the proxies behind a sector's rank."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labormatch.forecast.sectors import monthly_history
from labormatch.indicators import ranking_proxies
from labormatch.series_names import series_name, series_title


def test_ranking_proxies_name_the_current_proxy_rates_a_rank_rests_on():
    ranked = pd.DataFrame(
        {
            "sector": ["accommodation_food_services", "construction"],
            "score_quits_rate": [0.5, 0.2],
            "score_openings_rate": [np.nan, 0.1],
        }
    )
    catalogue = pd.DataFrame(
        {
            "sector": ["accommodation_food_services"] * 3 + ["construction"],
            "series": ["quits_rate", "openings_rate", "quits_rate", "quits_rate"],
            "proxy_of": [
                "JOLTS leisure and hospitality (700000)",
                "JOLTS leisure (unused: no score)",
                "stale proxy",
                "",
            ],
            "stale": [False, False, True, False],
        }
    )
    assert ranking_proxies(ranked, catalogue) == {
        "accommodation_food_services": "JOLTS leisure and hospitality (700000)"
    }


def test_monthly_history_fills_unknown_months_with_nan_and_falls_back_to_the_forecast_history():
    panel = pd.DataFrame(
        {
            "sector": "construction",
            "series": "openings",
            "seasonal": "SA",
            "month": pd.to_datetime(["1999-12-01", "2024-01-01", "2024-03-01"]),
            "value": [5.0, 1.0, 3.0],
        }
    )
    out = monthly_history(panel, pd.DataFrame(columns=["series_id", "date", "value"]), "construction:openings:SA")
    assert list(out["date"].dt.strftime("%Y-%m")) == ["2024-01", "2024-02", "2024-03"]  # before 2000 left out
    assert out["value"].tolist()[0::2] == [1.0, 3.0] and np.isnan(out["value"].iloc[1])
    derived = pd.DataFrame(
        {"series_id": "construction:unfilled_openings:SA", "date": pd.to_datetime(["2024-01-01"]), "value": [7.0]}
    )
    assert monthly_history(panel, derived, "construction:unfilled_openings:SA")["value"].tolist() == [7.0]


def test_series_are_named_in_words():
    assert series_name("openings") == "Job openings"
    assert series_name("some_new_series") == "Some new series"
    assert series_title("construction:quits_rate:NSA") == "Construction: Quits rate, not seasonally adjusted"
