"""Waiting on a Streamlit page in a browser test: script runs that end, and clicks that take effect."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

LOAD_TIMEOUT_MS = 120_000  # a page's first load, with its data (a cold, shared 2-core machine)
RUN_TIMEOUT_MS = 60_000  # one script run after an input or a click
CLICK_ATTEMPTS = 3


def idle(page: Page) -> None:
    """Wait until the script run finished (Streamlit's status widget stops showing 'running')."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=RUN_TIMEOUT_MS,
    )


def settled(page: Page) -> None:
    """Wait until the page's script run has ended and stays ended (a run can start a moment after the page shows)."""
    for _ in range(3):
        page.wait_for_timeout(1000)
        idle(page)


def click_until_shown(page: Page, button: Locator, shown: Locator) -> None:
    """Click `button` until `shown` appears. A click that lands just as a script run starts can be dropped by
    Streamlit (the page then stays as it was, idle); it is clicked again only then, never while a run is going."""
    for _ in range(CLICK_ATTEMPTS):
        settled(page)
        button.click()
        try:
            expect(shown).to_be_visible(timeout=RUN_TIMEOUT_MS // CLICK_ATTEMPTS)
            return
        except AssertionError:
            idle(page)
            if shown.is_visible():
                return
    raise AssertionError(f"{CLICK_ATTEMPTS} clicks on {button} did not show {shown}")


def open_page(page: Page, app_url: str, path: str = "") -> None:
    """Open a page of the app at 1400x1000 and wait until its first script run has ended and stays ended."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    page.get_by_test_id("stMainBlockContainer").get_by_role("heading").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    settled(page)
