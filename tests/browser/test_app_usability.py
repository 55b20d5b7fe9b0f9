"""Issue 15 in a real browser: a designer can set every assumption, staff see what changed, and no page speaks in
internal ids. Screenshots of every page (and each Program design section) go to tests/artifacts/ at 1400x1000."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app_pages import results
from labormatch.assumptions import Assumptions
from labormatch.crosswalk import sector_ids
from labormatch.forecast.models import MODEL_NAMES, model_label
from labormatch.series_names import SERIES_NAMES
from tests.browser import page_ids
from tests.browser.app_server import free_port, isolated_env, start_streamlit, stop_process
from tests.browser.conftest import require_chromium
from tests.browser.streamlit_page import RUN_TIMEOUT_MS, click_until_shown, idle, open_page, settled
from tests.browser.test_journeys import (
    _apply,
    _compare_only,
    _label,
    _save,
    _set_cap,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = ("", "forecasts", "program_design", "scenarios", "export", "data")


def _editor(page: Page, field: str):
    """The data editor of an assumption field (its container carries the widget key, in any form generation)."""
    return page.locator(f".stElementContainer[class*='-{field} '] [data-testid=stDataFrame]")


TYPIST_MS = 80  # between keystrokes: a fast typist
GLANCE_MS = 150  # between a click and a key, or a word and Tab (a key pressed the instant before is lost)


ROW_ATTEMPTS = 3


def _fill_table(page: Page, field: str, rows: list[tuple[str, str]]) -> None:
    """Type (key, value) rows into the empty two-column table of `field` at a fast typist's pace, never waiting for
    the page: a click on the trailing row adds a row, a second click selects its first cell, typing opens it, Tab
    commits and moves to the value, Enter commits that. A committed cell reruns nothing (the table's edits go to
    the server with the next rerun), so no rerun can close a cell being typed. On a loaded machine the grid can
    still miss the first keys typed the instant its editor opens (measured: 55 of 60 cells typed with no delay
    stay, 60 of 60 at a typist's pace); a row that did not take is typed again, and every typed row must stay."""
    editor = _editor(page, field)
    settled(page)  # an expander just opened, or the page just ran: the grid sits where it will stay
    for number, (key, value) in enumerate(rows, start=1):
        for _ in range(ROW_ATTEMPTS):
            editor.scroll_into_view_if_needed()
            box = editor.bounding_box()
            first_cell = (box["x"] + 60, box["y"] + 35 * number + 17)  # after the row marker; rows 35 px apart
            page.keyboard.press("Escape")
            page.mouse.click(*first_cell)  # adds the row
            page.wait_for_timeout(GLANCE_MS)
            page.mouse.click(*first_cell)  # selects its first cell
            for keys in (key, "Tab", value, "Enter"):
                page.wait_for_timeout(GLANCE_MS)
                if keys in ("Tab", "Enter"):
                    page.keyboard.press(keys)
                else:
                    page.keyboard.type(keys, delay=TYPIST_MS)
            page.wait_for_timeout(GLANCE_MS)
            cells = editor.locator("td").all_inner_texts()[2 * (number - 1) : 2 * number]
            if cells[:1] == [key] and len(cells) == 2 and re.fullmatch(rf"{re.escape(value)}0*", cells[1]):
                break
    typed = [text for key, value in rows for text in (key, re.compile(rf"^{re.escape(value)}0*$"))]  # 0.6 as 0.600
    expect(editor.locator("td")).to_have_text(typed)  # the grid's accessible table: the cells it draws


def _apply_changes(page: Page, changed: int) -> None:
    """Apply the form and wait for the results of `changed` assumptions that differ from the defaults (a click
    elsewhere before the run ends would cancel it, and the apply with it)."""
    _apply(page)
    plural = "" if changed == 1 else "s"
    expect(page.get_by_text(f"What differs from the defaults ({changed} assumption{plural})")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    idle(page)


def _open_group(page: Page, group: str) -> None:
    page.get_by_test_id("stExpander").locator("summary").get_by_text(group, exact=True).click()


def _section(page: Page, name: str) -> None:
    page.locator(".st-key-result_section").get_by_text(name, exact=True).click()
    idle(page)


def test_a_designer_types_origin_countries_and_the_quotas_split_by_them(page: Page, app_url, screenshot):
    open_page(page, app_url, "program_design")
    _open_group(page, "Circular migration")
    for field in ("h2a_origin_shares", "h2b_origin_shares"):  # one table per visa class
        _fill_table(page, field, [("Mexico", "0.6"), ("Guatemala", "0.4")])
    screenshot("issue15_origin_table_filled")
    _apply_changes(page, 2)
    expect(page.get_by_test_id("stAlert").filter(has_text="not valid")).to_have_count(0)
    _section(page, "Quotas by origin and season")
    split = page.get_by_text(re.compile("Quotas over all seasons by origin"))
    expect(split).to_contain_text("Mexico", timeout=RUN_TIMEOUT_MS)
    expect(split).to_contain_text("(60.0%)")
    expect(split).to_contain_text("Guatemala")
    expect(split).to_contain_text("(40.0%)")
    screenshot("issue15_quotas_by_typed_origins")


def test_reset_then_one_change_leaves_every_other_field_at_its_default(page: Page, app_url, screenshot):
    open_page(page, app_url, "program_design")
    _set_cap(page, 90_000)
    _apply_changes(page, 1)
    page.get_by_role("button", name="Reset to defaults").click()
    expect(page.get_by_text("What differs from the defaults (0 assumptions)")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    idle(page)
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


#: A delta that rounds to nothing: "+0 vs", "-$0.0 million vs", "+0.0 pp vs".
ZERO_DELTA = re.compile(r"[+-]\$?0(\.0)?( pp| million| billion)? vs")


def _zero_deltas(page: Page) -> list[str]:
    deltas = page.get_by_test_id("stMetricDelta").all_inner_texts()
    assert deltas, "the change moved some figures"
    return [d for d in deltas if ZERO_DELTA.search(d)]


def test_unchanged_figures_show_no_zero_delta(page: Page, app_url):
    open_page(page, app_url, "program_design")
    _set_cap(page, 70_000)
    _apply_changes(page, 1)
    assert not _zero_deltas(page)


FOOD = "Food processing (incl. seafood, meat)"  # data/sectors.csv label of food_manufacturing


def test_a_pilot_carveout_shows_no_zero_delta(page: Page, app_url, screenshot):
    """Finding 3: after a pilot carve-out, unchanged figures showed "+0 vs defaults" in red. A carve-out of 5,000
    numbers for food processing typed into the table (inside the cap, the table's default) moves the H-2B figures
    by half and leaves others, such as the H-2A workers, where they were: no "+0" or "-0" under any metric."""
    open_page(page, app_url, "program_design")
    editor = _editor(page, "pilot_carveouts")
    editor.scroll_into_view_if_needed()
    settled(page)
    box = editor.bounding_box()
    first_cell = (box["x"] + 60, box["y"] + 35 + 17)  # the trailing row: after the row marker, under the header
    page.mouse.click(*first_cell)  # adds a row
    page.wait_for_timeout(GLANCE_MS)
    page.mouse.click(*first_cell)  # selects its sector cell
    page.wait_for_timeout(GLANCE_MS)
    page.keyboard.type("Food processing", delay=TYPIST_MS)  # opens the sector list, filtered
    page.wait_for_timeout(GLANCE_MS)
    page.keyboard.press("Enter")  # picks the one sector it shows
    page.wait_for_timeout(GLANCE_MS)
    page.mouse.click(box["x"] + box["width"] * 0.65, first_cell[1])  # the numbers cell (after a 47% sector column)
    page.wait_for_timeout(GLANCE_MS)
    page.keyboard.type("5000", delay=TYPIST_MS)
    page.wait_for_timeout(GLANCE_MS)
    page.keyboard.press("Enter")
    page.wait_for_timeout(GLANCE_MS)
    expect(editor.locator("td").nth(0)).to_have_text(FOOD)
    expect(editor.locator("td").nth(1)).to_have_text(re.compile(r"^5,?000$"))
    screenshot("issue15_pilot_carveout_typed")
    _apply_changes(page, 1)
    expect(page.get_by_test_id("stAlert").filter(has_text="not valid")).to_have_count(0)
    assert not _zero_deltas(page)
    screenshot("issue15_pilot_carveout_deltas")


def test_an_error_names_the_field_by_its_label_and_marks_it(page: Page, app_url, screenshot):
    open_page(page, app_url, "program_design")
    _set_cap(page, 20_000_000)
    _apply(page)
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="Some assumptions are not valid")).to_contain_text(_label("h2b_cap"))
    marked = page.locator(".stElementContainer[class*='-h2b_cap ']").locator("xpath=..").get_by_test_id("stAlert")
    expect(marked).to_contain_text("allowed 0 to 10,000,000")
    expect(alerts.filter(has_text="not applied").first).to_be_visible()
    assert "h2b_cap" not in page.get_by_test_id("stMain").inner_text()
    screenshot("issue15_error_marked")


def test_deleting_asks_first_and_the_comparison_lists_the_assumptions_that_differ(page: Page, app_url, screenshot):
    open_page(page, app_url, "scenarios")
    _save(page, "zz-defaults")
    page.get_by_role("link", name="Program design").click()
    idle(page)
    _set_cap(page, 80_000)
    _apply_changes(page, 1)
    page.get_by_role("link", name="Scenarios").click()
    idle(page)
    _save(page, "zz-cap-80000")
    idle(page)
    differing = page.get_by_test_id("stTable").filter(has_text="Assumption")
    expect(differing).to_contain_text(_label("h2b_cap"), timeout=RUN_TIMEOUT_MS)
    # (the first two saved names are compared: these, or another journey's, which also differ by the cap alone)
    assert differing.get_by_role("row").count() == 2, "a header and the one assumption that differs"
    screenshot("issue15_compare_differences")
    page.get_by_role("button", name=re.compile(r"^Delete '")).click()
    idle(page)
    expect(page.get_by_text(re.compile(r"Delete '.*' and its 1 version\?"))).to_be_visible()
    screenshot("issue15_delete_asks_first")
    page.get_by_role("button", name="Cancel").click()
    idle(page)
    expect(page.get_by_text(re.compile("Deleted '"))).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()  # still listed (the confirmed delete: test_app.py)


def _internal_names() -> set[str]:
    """Sector ids, series ids and assumption field names with an underscore or a colon, and the forecast models'
    short names."""
    from app_pages import common

    names = {name for name in [*sector_ids(), *Assumptions.model_fields, *SERIES_NAMES] if "_" in name}
    names |= set(common.shortage_catalogue()["series_id"])
    return names | _short_model_names()


def _short_model_names() -> set[str]:
    """The forecast models' short names that no model label uses as a word (`ets`, `combo`, `sarimax`, `theta`, ...;
    not `naive`, which "Seasonal naive" says)."""
    words = set(re.findall(r"[a-z]+", " ".join(model_label(name) for name in MODEL_NAMES)))
    return {name for name in MODEL_NAMES if name not in words}


#: Material icons are drawn from their names (`keyboard_arrow_down` in an expander's summary): hidden while the
#: text is read, they are not words a user reads.
HIDE_ICONS = "[data-testid=stIconMaterial] { display: none !important; }"


def _page_text(page: Page) -> str:
    """The page's readable text: main area and sidebar without the names of icons, the cells the data grids show
    (drawn on a canvas, they are in the page's text only through the grid's accessible table) and the choices the
    select boxes show."""
    cells = page.get_by_test_id("stMain").locator("[data-testid=stDataFrame] td").all_inner_texts()
    # a select box shows its choice as an input's value, which is not in the page's text
    cells += page.locator("[data-testid=stSelectbox] input").evaluate_all("inputs => inputs.map(i => i.value)")
    style = page.add_style_tag(content=HIDE_ICONS)
    try:
        text = [page.get_by_test_id("stMain").inner_text(), page.get_by_test_id("stSidebar").inner_text()]
    finally:
        style.evaluate("style => style.remove()")
    return "\n".join([*text, *cells])


def _open_expanders(page: Page) -> None:
    """Open every closed expander of the main area, so the tables behind the charts are drawn and read."""
    closed = page.get_by_test_id("stMain").get_by_test_id("stExpander").locator("details:not([open]) > summary")
    for _ in range(closed.count()):  # each click opens one: the first closed one is always the next
        closed.first.click(timeout=5_000)
        idle(page)
    settled(page)


#: Money as the app writes it is "$13.3 billion"; "13,295,498,611 USD" was the old form.
RAW_MONEY = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)? ?USD")


def test_no_page_speaks_in_internal_ids_and_every_page_is_photographed(page: Page, app_url, screenshot):
    """Every page's readable text (captions, labels, messages, static tables, the cells of every data grid with the
    expanders open), and each Program design section: no sector id, series id or field name such as
    `food_manufacturing` or `h2b_cap`, and no snake_case word at all (tranche, measure and column ids such as
    `statutory_h1`, `share_late`, `beats_seasonal_naive`; file names are sources, not ids); money never as a raw
    USD figure; the glossary in every sidebar; no static table cut off on the right."""
    names = _internal_names()

    def ids_in(text: str) -> set[str]:  # named ids and any snake_case word, outside file names and web addresses
        return page_ids.ids_in(text, names)

    found, money, glossary, cut = {}, {}, set(), {}
    for path in PAGES:
        open_page(page, app_url, path)
        settled(page)
        screenshot(f"page_{path or 'overview'}")
        _open_expanders(page)
        if path == "program_design":
            for section in results.SECTIONS:
                _section(page, section)
                settled(page)
                screenshot(f"page_program_design_{re.sub(r'[^a-z0-9]+', '_', section.lower())}")
                _open_expanders(page)
                text = _page_text(page)
                found[f"program_design / {section}"] = ids_in(text)
                money[f"program_design / {section}"] = RAW_MONEY.findall(text)
            continue
        cut[path or "overview"] = (
            page.get_by_test_id("stMain")
            .get_by_test_id("stTable")
            .locator("table")
            .evaluate_all(
                """tables => tables.filter(t => t.parentElement.clientWidth > 0
                  && t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.innerText.slice(0, 60))"""
            )
        )
        text = _page_text(page)
        found[path or "overview"] = ids_in(text)
        money[path or "overview"] = RAW_MONEY.findall(text)
        if "Glossary" not in page.get_by_test_id("stSidebar").inner_text():
            glossary.add(path or "overview")
    spoken = {page_name: sorted(ids) for page_name, ids in found.items() if ids}
    assert not spoken, "\n".join(f"{name}: {ids}" for name, ids in spoken.items())
    assert not {page_name: figures for page_name, figures in money.items() if figures}
    assert not glossary, "pages without the glossary in their sidebar"
    assert not {page_name: tables for page_name, tables in cut.items() if tables}, "static tables cut on the right"


def _overflowing_grids(page: Page) -> list[list[int]]:
    """[content width, visible width] of every data grid on the page whose columns run past its right edge."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]')]
        .map(grid => grid.querySelector('.dvn-scroller')).filter(s => s && s.clientWidth > 0)
        .map(s => [s.scrollWidth, s.clientWidth]).filter(([content, visible]) => content > visible + 1)""")


def test_no_grid_runs_past_the_page(page: Page, app_url):
    """Wide grids: the tables behind the Overview's charts and the national-demand chart scrolled past the page's
    edge at 1400 pixels. Every data grid of Overview, Forecasts and Program design, expanders open, fits."""
    wide = {}
    for path in ("", "forecasts", "program_design"):
        open_page(page, app_url, path)
        settled(page)
        _open_expanders(page)
        wide[path or "overview"] = _overflowing_grids(page)
    assert not {name: grids for name, grids in wide.items() if grids}, "[content width, visible width] per grid"


def test_the_pilot_carveout_table_shows_every_column(page: Page, app_url, screenshot):
    """Finding 5: the inside-the-cap column was off-screen (the sector list offers labels: the AppTest
    test_tables_offer_sector_labels_and_hand_ids_to_the_model)."""
    open_page(page, app_url, "program_design")
    editor = _editor(page, "pilot_carveouts")
    editor.scroll_into_view_if_needed()
    assert editor.evaluate("""grid => { const s = grid.querySelector('.dvn-scroller');
        return s.scrollWidth <= s.clientWidth + 1 }"""), "a column runs off the table"
    # the grid's accessible table lists the columns drawn inside its width
    expect(editor.locator("th")).to_have_text(["Sector", "Numbers reserved (workers)", "Inside the cap (else on top)"])
    screenshot("issue15_pilot_carveouts")


def test_result_tables_fit_the_page_and_the_demand_chart_is_compact(page: Page, app_url, screenshot):
    """Finding 6: tables were cut off on the right (tranche "used", cap-timing "basis"); the demand-by-sector chart
    was about 2,400 pixels tall."""
    open_page(page, app_url, "program_design")
    for section in results.SECTIONS:
        _section(page, section)
        settled(page)
        assert not _overflowing_grids(page), section
        for table in page.get_by_test_id("stMain").get_by_test_id("stTable").locator("table").all():
            assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1"), f"{section}: a table is cut"
        if section == "Demand by sector and half":
            chart = page.get_by_test_id("stVegaLiteChart").first
            chart.scroll_into_view_if_needed()
            assert chart.bounding_box()["height"] <= 700, "the demand chart fits in one screen"
            screenshot("issue15_demand_by_sector_compact")


def test_the_page_says_when_the_form_holds_edits_not_yet_applied(page: Page, app_url, screenshot):
    """Finding 8: the warning shows as soon as a field differs from the applied assumptions, not only after a
    failed Apply; it goes once the edits are applied."""
    open_page(page, app_url, "program_design")
    pending = page.get_by_test_id("stAlert").filter(has_text="The form holds edits that are not applied")
    expect(pending).to_have_count(0)
    _set_cap(page, 75_000)
    idle(page)
    expect(pending).to_have_count(1, timeout=RUN_TIMEOUT_MS)  # by the Apply button
    screenshot("issue15_edits_not_applied")
    _apply_changes(page, 1)
    expect(pending).to_have_count(0)


def test_forecasts_state_one_rule_for_beating_naive(page: Page, app_url):
    """Finding 9: the page said 'below seasonal naive's MASE', the workbook 'MASE below 1'."""
    open_page(page, app_url, "forecasts")
    settled(page)
    text = page.get_by_test_id("stMain").inner_text()
    assert "beats naive when its backtest MASE is below seasonal naive's MASE on the same backtest" in text
    assert "below 1 beats" not in text


def test_the_server_says_ready_and_where_to_open_last(tmp_path):
    """Finding 10: `make app` printed setuptools warnings, and the app's 'preparing the data' line came after
    Streamlit's address; the start-up now ends on the address to open, after the data are ready."""
    require_chromium()
    log = tmp_path / "server.log"
    port = free_port()
    proc = start_streamlit(port, isolated_env(tmp_path), log)
    try:
        deadline = time.monotonic() + 300
        while "labormatch: ready" not in log.read_text() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
        lines = [line for line in log.read_text().splitlines() if line.strip()]
    finally:
        stop_process(proc)
    ours = [line for line in lines if line.startswith("labormatch:")]
    assert ours and ours[-1] == f"labormatch: ready, open http://localhost:{port}", lines
    assert ours[1].startswith("labormatch: preparing the app's data, wait for 'ready'"), ours
    assert not [line for line in lines if "setuptools" in line or "Traceback" in line], lines


def _metric_text(page: Page, key: str) -> str:
    """The value a headline metric shows, found by its whole label."""
    label = page.get_by_test_id("stMetricLabel").get_by_text(results.metric_label(key), exact=True)
    return page.get_by_test_id("stMetric").filter(has=label).get_by_test_id("stMetricValue").inner_text()


def _numbers_say(page: Page):
    return page.get_by_test_id("stExpander").filter(has_text="What the numbers say")


def _assert_the_sentences_carry_the_metrics(page: Page) -> None:
    """The plain-language sentences name the figures the metrics above them show, each with its unit."""
    shown = {key: _metric_text(page, key) for key in ("h2b_demand", "h2b_cap_total", "h2b_unmet", "h2a_workers")}
    say = _numbers_say(page)
    expect(say).to_contain_text(f"about {shown['h2b_demand']} H-2B workers against {shown['h2b_cap_total']} numbers")
    expect(say).to_contain_text(re.compile(rf"{re.escape(shown['h2b_unmet'])} \(\d+%\) of demand would go unmet"))
    expect(say).to_contain_text(f"about {shown['h2a_workers']} farm workers")
    expect(say).to_contain_text(re.compile(rf"wage bill of {re.escape(_metric_text(page, 'h2a_wage_bill_usd'))}"))


def test_what_the_numbers_say_in_words_matches_the_metrics(page: Page, app_url, screenshot):
    """Finding 8: Program design says in plain sentences what the results mean, like the workbook's "What the
    numbers say"; its figures are the metrics shown above it, with units, before and after an applied change."""
    open_page(page, app_url, "program_design")
    say = _numbers_say(page)
    expect(say.locator("details")).to_have_attribute("open", "")  # open from the start
    expect(say.get_by_role("listitem").first).to_be_visible()
    _assert_the_sentences_carry_the_metrics(page)
    before = _metric_text(page, "h2b_cap_total")
    _set_cap(page, 85_000)
    _apply_changes(page, 1)
    assert _metric_text(page, "h2b_cap_total") != before, "the cap moved the numbers available"
    _assert_the_sentences_carry_the_metrics(page)
    say.scroll_into_view_if_needed()
    screenshot("issue15_what_the_numbers_say")


def _choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label`."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    settled(page)


def test_scenarios_page_introduces_itself_hides_the_store_and_deletes_quietly(
    page: Page, app_url, app_log, browser_env, screenshot
):
    """Finding 7: the page showed the store's URL with its file-system path and no introduction; after a delete
    the server's log held a warning with a stack trace about `compare_names` (the deleted scenario was still
    picked for the comparison)."""
    store_file = Path(browser_env["LABORMATCH_STORE"].removeprefix("sqlite:///"))
    open_page(page, app_url, "scenarios")
    expect(page.get_by_test_id("stMain")).to_contain_text("A scenario is a named set of assumptions")
    for name in ("zz-keep", "zz-gone"):
        _save(page, name)
        idle(page)
    _compare_only(page, ["zz-keep", "zz-gone"], baseline="zz-keep")
    _open_expanders(page)
    text = _page_text(page)
    assert "sqlite:" not in text
    assert str(store_file.parent) not in text and store_file.name not in text
    screenshot("issue15_scenarios_intro_no_store")
    logged = app_log.stat().st_size
    _choose(page, "Scenario", "zz-gone")
    click_until_shown(
        page, page.get_by_role("button", name="Delete 'zz-gone'..."), page.get_by_text("Delete 'zz-gone' and its")
    )
    page.get_by_role("button", name="Yes, delete 'zz-gone'").click()
    expect(page.get_by_text("Deleted 'zz-gone'")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    settled(page)
    screenshot("issue15_scenarios_deleted")
    with app_log.open() as log:
        log.seek(logged)
        after = log.read()
    assert "traceback" not in after.lower() and "warning" not in after.lower(), after
    # Streamlit logs a widget's "default value and Session State" warning once per server: read the whole log
    assert "compare_names" not in app_log.read_text()


#: True once the page's first chart starts within 100 px below the caption holding the given text.
_CHART_BELOW_CAPTION = """(words) => {
    const caption = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
        .find(c => c.innerText.includes(words));
    const chart = document.querySelector('[data-testid=stVegaLiteChart]');
    if (!caption || !chart) return false;
    const gap = chart.getBoundingClientRect().top - caption.getBoundingClientRect().bottom;
    return gap >= 0 && gap <= 100;
}"""


def test_the_forecast_chart_names_its_bands_and_dashed_line(page: Page, app_url, screenshot):
    """Finding 6: no legend for the 80%/95% bands and the dashed forecast line. A caption right above the chart
    names each mark."""
    open_page(page, app_url, "forecasts")
    legend = page.get_by_test_id("stCaptionContainer").filter(has_text="Dashed blue line: the forecast")
    expect(legend).to_have_count(1)
    for words in ("Solid dark line: observed months", "80% prediction interval", "95% prediction interval"):
        expect(legend).to_contain_text(words)
    # the chart is drawn by the browser after the script run ends: wait (on a loaded machine) until it is there
    page.wait_for_function(_CHART_BELOW_CAPTION, arg="Dashed blue line: the forecast", timeout=RUN_TIMEOUT_MS)
    chart = page.get_by_test_id("stVegaLiteChart").first
    legend_box, chart_box = legend.bounding_box(), chart.bounding_box()
    assert 0 <= chart_box["y"] - (legend_box["y"] + legend_box["height"]) <= 100, "the legend sits on the chart"
    chart.scroll_into_view_if_needed()
    screenshot("issue15_forecast_band_legend")
