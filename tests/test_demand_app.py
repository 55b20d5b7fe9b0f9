"""The Forecasts page's demand track record section (web-app logic test)."""

from app_testing import app, open_page  # noqa: F401  (the fixture)


def test_forecasts_page_shows_the_demand_backtest(app):
    open_page(app, "app_pages/forecasts.py")
    assert "Demand track record" in [h.value for h in app.header]
    labels = [m.label for m in app.metric]
    assert "H-2A model MAPE (percent)" in labels and "H-2A outcomes inside the 80% interval" in labels
    inside = next(m for m in app.metric if m.label == "H-2A outcomes inside the 80% interval")
    assert inside.value.endswith("of 7")
    assert any("H-2A published through FY2025" in c.value for c in app.caption)


def test_a_missing_fiscal_year_leaves_the_chart_line_open():
    import pandas as pd

    from app_pages.demand_track_record import national_chart
    from labormatch.demand_baseline import with_gaps

    national = pd.DataFrame(
        {
            "visa_class": "H-2B",
            "fiscal_year": [2004, 2005, 2008, 2009],
            "median": 1.0,
            "kind": ["observed", "observed", "observed", "forecast"],
            "lo80": 1.0,
            "hi80": 1.0,
            "lo95": 1.0,
            "hi95": 1.0,
        }
    )
    table = with_gaps(national)
    assert table.loc[table["kind"] == "unknown", "fiscal_year"].tolist() == [2006, 2007]
    assert table.loc[table["kind"] == "unknown", "median"].isna().all()
    known = table[table["kind"] == "observed"]
    assert known["segment"].tolist() == [0, 0, 2]  # FY2008 starts a new line after the two unknown years
    history = national_chart(table).to_dict()["spec"]["layer"][2]["encoding"]
    assert history["detail"]["field"] == "segment"
