"""Issue #13 in a real browser: every forecast series says where its data end, and agriculture's H-2A line
breaks where no disclosure file exists instead of falling to zero."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from labormatch.forecast.sectors import snapshot_catalogue
from labormatch.series_names import series_name, series_title
from tests.browser.streamlit_page import LOAD_TIMEOUT_MS, RUN_TIMEOUT_MS, idle, open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Rows of the first two static tables (current series, stale series); later tables are the backtest scores and
#: the demand track record.
_TABLE_ROWS = """() => [...document.querySelectorAll('[data-testid=stTable]')].slice(0, 2)
    .flatMap(table => [...table.querySelectorAll('tr')]).filter(row => row.querySelector('td'))
    .map(row => [...row.querySelectorAll('th, td')].map(cell => cell.innerText.trim()))"""


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)


def test_every_forecast_series_shows_its_data_end(page: Page, app_url, screenshot):
    open_page(page, app_url, "forecasts")
    expect(page.get_by_test_id("stTable").nth(1)).to_be_visible(timeout=LOAD_TIMEOUT_MS)  # current, stale
    catalogue = snapshot_catalogue()
    # static tables fill in the browser after the script run ends: wait until every series has its row
    page.wait_for_function(f"() => ({_TABLE_ROWS})().length >= {len(catalogue)}", timeout=LOAD_TIMEOUT_MS)
    rows = page.evaluate(_TABLE_ROWS)
    shown = {cells[0]: cells for cells in rows}  # by the series' title (sector, series and adjustment in words)
    for entry in catalogue.itertuples():
        cells = shown[series_title(entry.series_id)]
        assert f"data through {entry.last_month:%Y-%m}" in cells and entry.unit in cells, cells
        assert not entry.proxy_of or cells[3].endswith(f"proxy: {entry.proxy_of}"), cells
    assert len(rows) == len(catalogue)
    screenshot("series_currency_forecasts")


def test_agricultures_h2a_line_breaks_at_the_missing_disclosure_files(page: Page, app_url, screenshot):
    open_page(page, app_url, "forecasts")
    _choose(page, "Sector", "Agriculture (crops, animals, support)")
    _choose(page, "Series", f"{series_name('h2a_certified_worker_months')} (stale)")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("data through 2017-09", timeout=RUN_TIMEOUT_MS)
    expect(main).to_contain_text("Break in the line: no value from 2017-10 to 2023-01")
    expect(main).to_contain_text(
        "no disclosure file for FY2019–FY2020, FY2023; partial files only for FY2018, FY2021–FY2022"
    )
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    # stale: history only, no forecast scores (the metrics left are the national demand model's track record)
    for label in page.get_by_test_id("stMetricLabel").all_inner_texts():
        assert label.startswith(("H-2A ", "H-2B ")), label
    screenshot("series_currency_agriculture_h2a")


def test_overview_lists_stale_series_apart(page: Page, app_url, screenshot):
    open_page(page, app_url, "")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Stale series", timeout=LOAD_TIMEOUT_MS)
    expect(main).to_contain_text("proxy: JOLTS leisure and hospitality (700000); data to Dec 2025")
    screenshot("series_currency_overview")
