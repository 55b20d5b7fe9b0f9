"""User journeys in a real browser (Debian Chromium driven by Playwright) against `streamlit run`.

Each journey writes screenshots to tests/artifacts/. Labels are taken from the same declarations the
app draws them from, so a renamed field cannot silently skip a step.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from app_pages import assumptions_form, charts, results
from labormatch.assumptions import LEGACY_ORIGIN_NOTICE
from tests.browser.streamlit_page import LOAD_TIMEOUT_MS, RUN_TIMEOUT_MS, idle, open_page, settled

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _label(field: str) -> str:
    return assumptions_form.labels()[field]


def _metric_value(page: Page, key: str) -> float:
    metric = page.get_by_test_id("stMetric").filter(has_text=results.metric_label(key))
    text = metric.get_by_test_id("stMetricValue").inner_text(timeout=LOAD_TIMEOUT_MS)
    return float(text.replace(",", ""))


def _apply(page: Page) -> None:
    page.get_by_role("button", name="Apply assumptions").click()
    idle(page)


def _apply_until_changed(page: Page, key: str) -> None:
    """Apply the form and wait until the metric `key` shows a new value: a click can return before its
    script run starts, and leaving the page then would cancel the run."""
    value = page.get_by_test_id("stMetric").filter(has_text=results.metric_label(key)).get_by_test_id("stMetricValue")
    before = value.inner_text(timeout=LOAD_TIMEOUT_MS)
    _apply(page)
    expect(value).not_to_have_text(before, timeout=RUN_TIMEOUT_MS)
    idle(page)


def _set_cap(page: Page, workers: int) -> None:
    box = page.get_by_label(_label("h2b_cap"), exact=True)
    box.fill(str(workers))
    box.press("Tab")


def test_designer_changes_h2b_cap_and_unmet_moves(page: Page, app_url, screenshot):
    open_page(page, app_url, "program_design")
    before = _metric_value(page, "h2b_unmet")
    screenshot("designer_1_defaults")
    _set_cap(page, 400_000)
    _apply_until_changed(page, "h2b_unmet")
    after = _metric_value(page, "h2b_unmet")
    screenshot("designer_2_cap_400000")
    assert after < before
    # Metrics with a delta are taller: each row of metrics still starts at one height.
    tops = page.get_by_test_id("stMetric").evaluate_all("metrics => metrics.map(m => m.getBoundingClientRect().top)")
    per_row = len(tops) // len(set(tops))
    assert per_row == charts.METRIC_COLUMNS and len(set(tops)) * per_row == len(tops), tops


def _save(page: Page, name: str) -> None:
    page.get_by_label("Scenario name (letters, digits, _ . -)").fill(name)
    page.get_by_label("Title (one line, shown in lists)").fill(f"{name} (browser test)")
    page.get_by_role("button", name="Save current assumptions").click()
    expect(page.get_by_text(f"Saved '{name}' as version 1.")).to_be_visible(timeout=RUN_TIMEOUT_MS)


def _compare_only(page: Page, wanted: list[str], baseline: str) -> None:
    """Compare exactly `wanted` against `baseline` (other tests on this server save scenarios too): add the missing
    ones first (the page refills a choice of fewer than two), then remove the others, then pick the baseline."""
    settled(page)
    box = page.get_by_role("combobox", name="Scenarios to compare")
    for name in wanted:
        if page.get_by_role("button", name=f"Remove {name}", exact=True).count() == 0:
            box.click()
            box.fill(name)
            page.keyboard.press("Enter")
            settled(page)
    page.keyboard.press("Escape")
    chosen = page.get_by_role("group", name="Selected values").get_by_role("button")
    for label in chosen.evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))"):
        if label and label.removeprefix("Remove ") not in wanted:
            page.get_by_role("button", name=label, exact=True).click()
            idle(page)
    settled(page)
    if page.get_by_text(f"change against the baseline, {baseline})").count() == 0:
        choice = page.get_by_role("combobox", name="Baseline (deltas are against it)")
        choice.click()
        choice.fill(baseline)
        page.keyboard.press("Enter")
        settled(page)


def test_agency_staff_save_two_scenarios_and_compare(page: Page, app_url, screenshot):
    open_page(page, app_url, "program_design")
    _set_cap(page, 66_000)
    _apply(page)
    page.get_by_role("link", name="Scenarios").click()
    idle(page)
    _save(page, "statutory-cap")
    page.get_by_role("link", name="Program design").click()
    idle(page)
    _set_cap(page, 132_000)
    _apply_until_changed(page, "h2b_cap_total")
    page.get_by_role("link", name="Scenarios").click()
    idle(page)
    _save(page, "doubled-cap")
    idle(page)
    _compare_only(page, ["doubled-cap", "statutory-cap"], baseline="doubled-cap")
    table = page.get_by_test_id("stTable").filter(has_text="Δ statutory-cap")  # the headline figures
    expect(table).to_contain_text("Δ statutory-cap", timeout=RUN_TIMEOUT_MS)
    cap_row = table.get_by_role("row").filter(has_text="H-2B cap (after overrides) (workers)")
    expect(cap_row).to_contain_text("132,000")
    expect(cap_row).to_contain_text("66,000")
    expect(cap_row).to_contain_text("-66,000")
    idle(page)
    screenshot("agency_compare")


def test_economist_downloads_the_workbook_and_it_opens(page: Page, app_url, screenshot, tmp_path):
    open_page(page, app_url, "export")
    page.get_by_role("button", name="Build the Excel report").click()
    idle(page)
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download_info:
        page.get_by_role("button", name=re.compile("Download the Excel report")).click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    screenshot("economist_export")
    workbook = openpyxl.load_workbook(target)
    assert target.suffix == ".xlsx"
    assert {"Summary", "Assumptions", "Allocation model", "Data sources"} <= set(workbook.sheetnames)


def test_bad_upload_shows_an_error_and_the_app_keeps_working(page: Page, app_url, screenshot, tmp_path):
    open_page(page, app_url, "data")
    bad = tmp_path / "H-2B_Disclosure_Data_FY2030.csv"
    bad.write_text("this,is,not\nan,OFLC,file\n")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    error = page.get_by_test_id("stAlertContentError").filter(has_text="H-2B_Disclosure_Data_FY2030.csv")
    expect(error).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(error).to_contain_text("unknown layout")
    expect(page.get_by_text("rejected; the snapshot is unchanged")).to_be_visible()
    screenshot("bad_upload_1_error")
    page.get_by_role("link", name="Overview").click()
    idle(page)
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot("bad_upload_2_app_still_works")


def test_an_older_scenario_file_opens_with_a_notice(page: Page, app_url, screenshot, tmp_path):
    """A file with one origin-shares table for both visa classes (the format before per-class tables) opens, the
    page says the table went to both classes, and Program design then differs from the defaults in both tables."""
    older = tmp_path / "older_origins.yaml"
    older.write_text("title: Older origin table\nassumptions:\n  origin_shares: {Mexico: 0.6, Guatemala: 0.4}\n")
    open_page(page, app_url, "scenarios")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(older))
    notice = page.get_by_test_id("stAlertContentInfo").filter(has_text="applied to both H-2A and H-2B")
    expect(notice).to_contain_text(LEGACY_ORIGIN_NOTICE, timeout=RUN_TIMEOUT_MS)  # after the icon's name
    expect(page.get_by_text("Opened 'Older origin table'")).to_be_visible()
    idle(page)
    screenshot("older_file_notice")
    page.get_by_role("link", name="Program design").click()
    idle(page)
    differing = page.get_by_text("What differs from the defaults (2 assumptions)")
    expect(differing).to_be_visible(timeout=RUN_TIMEOUT_MS)


_CUT_LABELS = """() => [...document.querySelectorAll('[data-testid=stMetricLabel] [data-testid=stMarkdownContainer]')]
    .filter(label => label.scrollWidth > label.clientWidth).map(label => label.innerText)"""


# Forecasts: 4 backtest scores (the chosen model is a line of text: as a metric its label was cut), then 3
# track-record figures per visa class of the national demand model
@pytest.mark.parametrize(("path", "metrics"), [("program_design", len(results.METRICS)), ("forecasts", 4 + 3 * 2)])
def test_metric_labels_show_in_full_with_their_units(page: Page, app_url, screenshot, path, metrics):
    """A metric label too wide for its column ends in '…' and loses its unit, e.g. '80% band coverage (sh…'."""
    open_page(page, app_url, path)
    expect(page.get_by_test_id("stMetricLabel")).to_have_count(metrics, timeout=LOAD_TIMEOUT_MS)
    idle(page)
    screenshot(f"metrics_{path}")
    assert page.evaluate(_CUT_LABELS) == []
