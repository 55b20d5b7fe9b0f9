"""Logic tests of the web app with Streamlit's AppTest (no browser): pages render, the form drives the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import assumptions_form, results

PAGES = [
    "app_pages/overview.py",
    "app_pages/forecasts.py",
    "app_pages/program_design.py",
    "app_pages/scenarios.py",
    "app_pages/export.py",
    "app_pages/data.py",
]
TIMEOUT_S = 120
APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    """The app with its own scenario store and reports folder; the first page already run."""
    monkeypatch.setenv("LABORMATCH_STORE", f"sqlite:///{tmp_path / 'scenarios.sqlite'}")
    monkeypatch.setenv("LABORMATCH_REPORTS", str(tmp_path / "reports"))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def _open(app: AppTest, page: str) -> AppTest:
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_error(app, page):
    _open(app, page)
    assert not app.error, [e.value for e in app.error]
    assert app.title, f"{page} has no title"


def _metric(app: AppTest, key: str) -> float:
    label = results.metric_label(key)
    matches = [m for m in app.metric if m.label == label]
    assert matches, f"no metric labelled {label!r}"
    return float(matches[0].value.replace(",", ""))


def _click(app: AppTest, label: str) -> AppTest:
    buttons = [b for b in app.button if b.label == label]
    assert buttons, f"no button labelled {label!r}"
    return buttons[0].click().run()


def _number_input(app: AppTest, field: str):
    return app.number_input(key=assumptions_form.widget_key(field))


def test_changing_the_h2b_cap_moves_unmet_demand(app):
    _open(app, "app_pages/program_design.py")
    before = _metric(app, "h2b_unmet")
    assert before > 0, "with the statutory cap, H-2B demand exceeds the numbers (unmet > 0)"
    _number_input(app, "h2b_cap").set_value(500_000)
    _click(app, "Apply assumptions")
    assert not app.exception
    after = _metric(app, "h2b_unmet")
    assert after < before


def test_bad_assumption_shows_an_error_naming_the_field(app):
    _open(app, "app_pages/program_design.py")
    _number_input(app, "h2b_cap").set_value(-5)
    _click(app, "Apply assumptions")
    assert not app.exception
    messages = [e.value for e in app.error]
    assert any("h2b_cap" in m for m in messages), messages
