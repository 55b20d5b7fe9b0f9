"""The Forecasts page's demand track record section (web-app logic test)."""

from app_testing import app, open_page  # noqa: F401  (the fixture)


def test_forecasts_page_shows_the_demand_backtest(app):  # noqa: F811
    open_page(app, "app_pages/forecasts.py")
    assert "Demand track record" in [h.value for h in app.header]
    labels = [m.label for m in app.metric]
    assert "H-2A model MAPE (percent)" in labels and "H-2A outcomes inside the 80% interval" in labels
    inside = next(m for m in app.metric if m.label == "H-2A outcomes inside the 80% interval")
    assert inside.value.endswith("of 7")
    assert any("H-2A published through FY2025" in c.value for c in app.caption)
