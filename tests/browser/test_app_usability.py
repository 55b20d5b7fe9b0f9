"""Issue 15 in a real browser: a designer can set every assumption, staff see what changed, and no page speaks in
internal ids. Screenshots of every page (and each Program design section) go to tests/artifacts/ at 1400x1000."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app_pages import results
from labormatch.assumptions import Assumptions
from labormatch.crosswalk import sector_ids
from tests.browser.test_journeys import RUN_TIMEOUT_MS, _apply, _idle, _label, _open, _save, _set_cap

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = ("", "forecasts", "program_design", "scenarios", "export", "data")


def _editor(page: Page, field: str):
    """The data editor of an assumption field (its container carries the widget key, in any form generation)."""
    return page.locator(f".stElementContainer[class*='-{field} '] [data-testid=stDataFrame]")


def _fill_table(page: Page, field: str, rows: list[tuple[str, str]]) -> None:
    """Type (key, value) rows into the empty two-column table of `field`: a click on the trailing row adds a row,
    a double click opens its first cell, Tab commits and moves to the value, Enter opens and then commits it."""
    editor = _editor(page, field)
    editor.scroll_into_view_if_needed()
    for number, (key, value) in enumerate(rows, start=1):
        box = editor.bounding_box()
        first_cell = (box["x"] + 60, box["y"] + 35 * number + 17)  # after the row marker; rows 35 px below the header
        page.mouse.click(*first_cell)
        page.wait_for_timeout(1000)  # the grid grows by the new row
        page.keyboard.press("Escape")
        page.mouse.dblclick(*first_cell)
        page.wait_for_timeout(600)
        for keys in (key, "Tab", "Enter", value, "Enter"):
            if keys in ("Tab", "Enter"):
                page.keyboard.press(keys)
            else:
                page.keyboard.insert_text(keys)
            page.wait_for_timeout(600)
        # the grid's accessible table holds the committed cells: wait for them, not for the clock (loaded machines)
        _wait_for_cell(page, editor, key)


def _wait_for_cell(page: Page, editor, text: str) -> None:
    """Wait until the grid's accessible table (its hidden mirror of the cells) holds a cell reading `text`: typed
    cells commit at the browser's pace, so a loaded machine needs more than the fixed pauses above."""
    for _ in range(RUN_TIMEOUT_MS // 500):
        if f">{text}<" in editor.inner_html():
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the table never showed a cell {text!r}")


def _apply_changes(page: Page, changed: int) -> None:
    """Apply the form and wait for the results of `changed` assumptions that differ from the defaults (a click
    elsewhere before the run ends would cancel it, and the apply with it)."""
    _apply(page)
    plural = "" if changed == 1 else "s"
    expect(page.get_by_text(f"What differs from the defaults ({changed} assumption{plural})")).to_be_visible(
        timeout=RUN_TIMEOUT_MS)
    _idle(page)


def _open_group(page: Page, group: str) -> None:
    page.get_by_test_id("stExpander").locator("summary").get_by_text(group, exact=True).click()


def _section(page: Page, name: str) -> None:
    page.locator(".st-key-result_section").get_by_text(name, exact=True).click()
    _idle(page)


def test_a_designer_types_origin_countries_and_the_quotas_split_by_them(page: Page, app_url, screenshot):
    _open(page, app_url, "program_design")
    _open_group(page, "Circular migration")
    _fill_table(page, "origin_shares", [("Mexico", "0.6"), ("Guatemala", "0.4")])
    screenshot("issue15_origin_table_filled")
    _apply_changes(page, 1)
    expect(page.get_by_test_id("stAlert").filter(has_text="not valid")).to_have_count(0)
    _section(page, "Quotas by origin and season")
    split = page.get_by_text(re.compile("Quotas over all seasons by origin"))
    expect(split).to_contain_text("Mexico", timeout=RUN_TIMEOUT_MS)
    expect(split).to_contain_text("(60.0%)")
    expect(split).to_contain_text("Guatemala")
    expect(split).to_contain_text("(40.0%)")
    screenshot("issue15_quotas_by_typed_origins")


def test_reset_then_one_change_leaves_every_other_field_at_its_default(page: Page, app_url, screenshot):
    _open(page, app_url, "program_design")
    _set_cap(page, 90_000)
    _apply_changes(page, 1)
    page.get_by_role("button", name="Reset to defaults").click()
    expect(page.get_by_text("What differs from the defaults (0 assumptions)")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    _idle(page)
    expect(page.get_by_label(_label("h2b_cap"), exact=True)).to_have_value("")  # empty = the rule's cap
    _open_group(page, "Demand")
    share = page.get_by_label(_label("fillable_share"), exact=True)
    share.fill("0.5")
    share.press("Tab")
    _apply_changes(page, 1)
    expect(page.get_by_label(_label("h2b_cap"), exact=True)).to_have_value("")
    differs = page.get_by_test_id("stExpander").filter(has_text="What differs from the defaults (1 assumption)")
    expect(differs).to_be_visible(timeout=RUN_TIMEOUT_MS)
    differs.locator("summary").click()
    expect(differs.get_by_test_id("stTable")).to_contain_text(_label("fillable_share"))
    expect(differs.get_by_test_id("stTable")).not_to_contain_text(_label("h2b_cap"))
    screenshot("issue15_reset_then_one_change")


def test_unchanged_figures_show_no_zero_delta(page: Page, app_url):
    _open(page, app_url, "program_design")
    _set_cap(page, 70_000)
    _apply_changes(page, 1)
    deltas = page.get_by_test_id("stMetricDelta").all_inner_texts()
    assert deltas, "the cap moved some figures"
    assert not [d for d in deltas if re.search(r"[+-]\$?0(\.0)?( pp| million| billion)? vs", d)], deltas


def test_an_error_names_the_field_by_its_label_and_marks_it(page: Page, app_url, screenshot):
    _open(page, app_url, "program_design")
    _set_cap(page, 20_000_000)
    _apply(page)
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="Some assumptions are not valid")).to_contain_text(_label("h2b_cap"))
    marked = page.locator(".stElementContainer[class*='-h2b_cap ']").locator("xpath=..").get_by_test_id("stAlert")
    expect(marked).to_contain_text("allowed 0 to 10,000,000")
    expect(alerts.filter(has_text="not applied")).to_be_visible()
    assert "h2b_cap" not in page.get_by_test_id("stMain").inner_text()
    screenshot("issue15_error_marked")


def test_deleting_asks_first_and_the_comparison_lists_the_assumptions_that_differ(page: Page, app_url, screenshot):
    _open(page, app_url, "scenarios")
    _save(page, "zz-defaults")
    page.get_by_role("link", name="Program design").click()
    _idle(page)
    _set_cap(page, 80_000)
    _apply_changes(page, 1)
    page.get_by_role("link", name="Scenarios").click()
    _idle(page)
    _save(page, "zz-cap-80000")
    _idle(page)
    differing = page.get_by_test_id("stTable").filter(has_text="Assumption")
    expect(differing).to_contain_text(_label("h2b_cap"), timeout=RUN_TIMEOUT_MS)
    # (the first two saved names are compared: these, or another journey's, which also differ by the cap alone)
    assert differing.get_by_role("row").count() == 2, "a header and the one assumption that differs"
    screenshot("issue15_compare_differences")
    page.get_by_role("button", name=re.compile(r"^Delete '")).click()
    _idle(page)
    expect(page.get_by_text(re.compile(r"Delete '.*' and its 1 version\?"))).to_be_visible()
    screenshot("issue15_delete_asks_first")
    page.get_by_role("button", name="Cancel").click()
    _idle(page)
    expect(page.get_by_text(re.compile("Deleted '"))).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()  # still listed (the confirmed delete: test_app_qa)


def _settled(page: Page) -> None:
    """Wait until the page's script run has ended and stays ended (a run can start a moment after the page shows)."""
    for _ in range(3):
        page.wait_for_timeout(1000)
        _idle(page)


def _internal_names() -> set[str]:
    """Sector ids, series ids and assumption field names with an underscore or a colon."""
    from app_pages import common

    names = {name for name in [*sector_ids(), *Assumptions.model_fields, *common.SERIES_NAMES] if "_" in name}
    names |= set(common.shortage_catalogue()["series_id"])
    return names


def _page_text(page: Page) -> str:
    return page.get_by_test_id("stMain").inner_text() + "\n" + page.get_by_test_id("stSidebar").inner_text()


def test_no_page_speaks_in_internal_ids_and_every_page_is_photographed(page: Page, app_url, screenshot):
    """Every page's readable text (tables drawn as text, captions, labels, messages), and each Program design
    section: no sector id, series id or field name such as `food_manufacturing` or `h2b_cap`."""
    names = _internal_names()

    def ids_in(text: str) -> set[str]:  # whole names only (not a file name such as `h2a_sizing.csv` or a URL)
        return {n for n in names if re.search(rf"(?<![\w/.]){re.escape(n)}(?![\w.])", text)}

    found = {}
    for path in PAGES:
        _open(page, app_url, path)
        _settled(page)
        if path == "program_design":
            for section in results.SECTIONS:
                _section(page, section)
                _settled(page)
                found[f"program_design / {section}"] = ids_in(_page_text(page))
                screenshot(f"page_program_design_{re.sub(r'[^a-z0-9]+', '_', section.lower())}")
            continue
        found[path or "overview"] = ids_in(_page_text(page))
        screenshot(f"page_{path or 'overview'}")
    assert not {page_name: ids for page_name, ids in found.items() if ids}
