"""Shared AppTest helpers for the web-app logic tests: the `app` fixture, opening a page, clicking a button."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT_S = 120
APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    """The app with its own scenario store and reports folder; the first page already run."""
    monkeypatch.setenv("LABORMATCH_STORE", f"sqlite:///{tmp_path / 'scenarios.sqlite'}")
    monkeypatch.setenv("LABORMATCH_REPORTS", str(tmp_path / "reports"))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def open_page(app: AppTest, page: str) -> AppTest:
    """Switch to `page` and run it; fail on an exception."""
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def click(app: AppTest, label: str) -> AppTest:
    """Click the first button labelled `label` and run the script."""
    buttons = [b for b in app.button if b.label == label]
    assert buttons, f"no button labelled {label!r}"
    return buttons[0].click().run()


def column_formats(frame) -> dict:
    """A shown dataframe's number/date format per column (Streamlit's column config)."""
    return {name: spec.get("type_config", {}).get("format") for name, spec in json.loads(frame.proto.columns).items()}
