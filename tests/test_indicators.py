"""Shortage indicators and the composite index: hand-computed cases and the real snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labormatch import indicators as ind
from labormatch.errors import LabormatchError

MONTHS = pd.date_range("2020-01-01", periods=24, freq="MS")


def rows(sector, series, values, seasonal="SA", months=MONTHS):
    values = np.broadcast_to(np.asarray(values, dtype=float), (len(months),))
    return pd.DataFrame(
        {
            "sector": sector,
            "month": months,
            "series": series,
            "value": values,
            "unit": "",
            "seasonal": seasonal,
            "source": "test",
        }
    )


@pytest.fixture
def panel():
    h2_values = [10.0] * 5 + [0.0] + [10.0] * 18  # the panel states a known month without certifications as 0
    return pd.concat(
        [
            rows("construction", "openings", 100.0),
            rows("construction", "hires", 80.0),
            rows("construction", "employment", 1000.0),
            rows("construction", "openings_rate", 4.0),
            rows("construction", "quits_rate", 2.0),
            rows("construction", "unemployment_rate", [4.0, 6.0] * 12, seasonal="NSA"),
            rows("construction", "avg_hourly_earnings", [20.0] * 12 + [21.0] * 12),
            rows("construction", "h2b_certified_worker_months", h2_values, seasonal="NSA"),
            rows("agriculture", "unemployment_rate", 8.0, seasonal="NSA"),
            rows("agriculture", "h2a_certified_worker_months", [5.0] * 12 + [6.0] * 12, seasonal="NSA"),
        ],
        ignore_index=True,
    )


def value(table, sector, indicator, month):
    hit = table[(table["sector"] == sector) & (table["indicator"] == indicator) & (table["month"] == month)]
    assert len(hit) == 1, (sector, indicator, month)
    return hit["value"].iloc[0]


def test_indicators_hand_computed(panel):
    out = ind.compute_indicators(panel)
    assert list(out.columns) == ind.INDICATOR_COLUMNS
    m = MONTHS[11]
    assert value(out, "construction", "unfilled_openings", m) == 20.0
    assert value(out, "construction", "unfilled_openings_rate", m) == pytest.approx(2.0)
    # NSA unemployment 4/6 alternating -> trailing 12-month mean 5; unemployed = 1000 * 5 / 95
    assert value(out, "construction", "unemployment_rate", m) == pytest.approx(5.0)
    assert value(out, "construction", "openings_per_unemployed", m) == pytest.approx(100 / (1000 * 5 / 95))
    assert value(out, "construction", "openings_rate", m) == 4.0
    assert value(out, "construction", "wage_growth", MONTHS[12]) == pytest.approx(5.0)
    # 11 months of 10 worker-months in the year to Dec 2020 (May: 0) over 1,000 thousand employees
    assert value(out, "construction", "h2_worker_months_per_1000", m) == pytest.approx(110 / 1000)
    assert value(out, "agriculture", "h2_worker_months_growth", MONTHS[23]) == pytest.approx(20.0)
    assert value(out, "agriculture", "unemployment_rate", m) == pytest.approx(8.0)
    assert not ((out["month"] < MONTHS[11]) & (out["indicator"] == "unemployment_rate")).any()
    assert set(out[out["sector"] == "agriculture"]["indicator"]) == {"unemployment_rate", "h2_worker_months_growth"}


def test_missing_panel_column_is_refused(panel):
    with pytest.raises(LabormatchError, match="seasonal"):
        ind.compute_indicators(panel.drop(columns="seasonal"))


def indicator_table(values: dict[str, list[float]], sectors=("a", "b", "c")) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"sector": s, "month": MONTHS[0], "indicator": name, "value": v, "unit": ""}
            for name, vals in values.items()
            for s, v in zip(sectors, vals)
        ]
    )


def test_composite_zscores_direction_and_rank():
    table = indicator_table({"openings_rate": [1.0, 2.0, 3.0], "unemployment_rate": [6.0, 4.0, 2.0]})
    out = ind.composite_index(table).set_index("sector")
    z = np.sqrt(1.5)  # population z-score of 3 equally spaced values
    assert out.loc["c", "score_openings_rate"] == pytest.approx(z)
    assert out.loc["c", "score_unemployment_rate"] == pytest.approx(z)  # low unemployment = tight
    assert out.loc["a", "index"] == pytest.approx(-z)
    assert list(out["rank"].loc[["c", "b", "a"]]) == [1, 2, 3]


def test_weights_change_the_ranking():
    table = indicator_table({"openings_rate": [3.0, 2.0, 1.0], "quits_rate": [1.0, 3.0, 2.0]})
    equal = ind.composite_index(table).set_index("sector")
    assert equal.loc["b", "rank"] == 1  # (0 + z) / 2 beats (z - z) / 2
    tilted = ind.composite_index(table, weights={"openings_rate": 3.0, "quits_rate": 1.0}).set_index("sector")
    assert tilted.loc["a", "rank"] == 1
    only = ind.composite_index(table, weights={"openings_rate": 1.0}, min_indicators=1).set_index("sector")
    assert list(only["rank"].loc[["a", "b", "c"]]) == [1, 2, 3]
    assert "score_quits_rate" not in only.columns


def test_percentile_method_and_minimum_indicator_count():
    table = indicator_table({"openings_rate": [1.0, 2.0, 3.0], "quits_rate": [1.0, 2.0, np.nan]})
    out = ind.composite_index(table.dropna(), method="percentile").set_index("sector")
    assert out.loc["c", "score_openings_rate"] == pytest.approx(0.5)
    assert np.isnan(out.loc["c", "index"])  # only one indicator for c
    assert out.loc["c", "n_indicators"] == 1


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"vacancy_duration": 1.0}, "unknown indicator"),
        ({"openings_rate": -1.0}, "non-negative"),
        ({"openings_rate": 0.0}, "above zero"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(LabormatchError, match=message):
        ind.composite_index(indicator_table({"openings_rate": [1.0, 2.0, 3.0]}), weights=weights)


def test_bad_method_is_refused():
    with pytest.raises(LabormatchError, match="method"):
        ind.composite_index(indicator_table({"openings_rate": [1.0, 2.0, 3.0]}), method="mean")


def test_default_weights_are_documented_and_cited():
    weights = ind.load_default_weights()
    assert set(weights) == {
        "openings_rate",
        "openings_per_unemployed",
        "unfilled_openings_rate",
        "quits_rate",
        "wage_growth",
        "unemployment_rate",
        "h2_worker_months_per_1000",
        "h2_worker_months_growth",
    }
    for name, spec in weights.items():
        assert spec["weight"] >= 0 and spec["direction"] in (1, -1), name
        assert len(spec["rationale"]) > 40 and spec["unit"], name


def test_real_snapshot_indicators_and_ranking():
    from labormatch import snapshot
    from labormatch.errors import SnapshotError

    try:
        panel = snapshot.load_table("panel")
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")
    out = ind.compute_indicators(panel)
    sa = panel[
        (panel["sector"] == "construction")
        & (panel["series"] == "openings_rate")
        & (panel["seasonal"] == "SA")
        & (panel["month"] == "2022-03-01")
    ]["value"].iloc[0]
    assert value(out, "construction", "openings_rate", pd.Timestamp("2022-03-01")) == sa
    agriculture = set(out[out["sector"] == "agriculture"]["indicator"])
    assert {"unemployment_rate", "h2_worker_months_growth"} <= agriculture
    ranking = ind.sector_ranking(ind.composite_index(out), "2017-06-01")
    assert len(ranking) >= 12 and "agriculture" in set(ranking["sector"])
    # No complete H-2A disclosure file after FY2017: agriculture's H-2 indicators stop, never fall to zero.
    h2 = out[(out["sector"] == "agriculture") & out["indicator"].str.startswith("h2_")]
    assert h2["month"].max() <= pd.Timestamp("2017-09-01")
    assert "agriculture" not in set(ind.sector_ranking(ind.composite_index(out), "2022-06-01")["sector"])
    assert list(ranking["rank"]) == sorted(ranking["rank"])


def test_default_ranking_month_is_the_latest_with_three_quarters_of_the_sectors():
    # 4 sectors ranked in 2024-01 and 2024-02, 3 in 2024-03 (ceil(0.75 * 4) = 3), 2 in 2024-04.
    rows = [
        (sector, month, float(score))
        for month, sectors in [
            ("2024-01-01", "abcd"),
            ("2024-02-01", "abcd"),
            ("2024-03-01", "abc"),
            ("2024-04-01", "ab"),
        ]
        for score, sector in enumerate(sectors)
    ]
    index = pd.DataFrame(rows, columns=["sector", "month", "index"]).assign(month=lambda t: pd.to_datetime(t["month"]))
    index["rank"] = index.groupby("month")["index"].rank(ascending=False, method="min").astype(int)
    ranking = ind.sector_ranking(index)
    assert set(ranking["month"]) == {pd.Timestamp("2024-03-01")}
    assert list(ranking["sector"]) == ["c", "b", "a"]
