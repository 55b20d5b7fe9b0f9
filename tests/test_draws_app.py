"""The web app shows the intervals of the demand draws (Program design), or says there are none."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from app_testing import app  # noqa: F401  (fixture)
from app_testing import open_page as _open
from test_draws import CLASSES

from app_pages import common
from labormatch import model_inputs
from labormatch.demand_uncertainty import DemandUncertainty


def real_uncertainty(inputs) -> DemandUncertainty:
    """Hand-made spreads over the snapshot's own sectors (test values, not an estimate)."""
    sectors = sorted(set(inputs.baseline_demand["sector"]))
    years = range(2020, 2032)
    national = pd.DataFrame(
        [{"visa_class": v, "fiscal_year": y, "log_sd": 0.15, "basis": "test"} for v in CLASSES for y in years]
    )
    share_cov = pd.DataFrame(
        [{"visa_class": v, "sector_a": s, "sector_b": s, "cov": 0.01} for v in CLASSES for s in sectors]
    )
    return DemandUncertainty(
        national,
        pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=CLASSES, columns=CLASSES),
        share_cov,
        "hand-made test spreads",
    )


@pytest.fixture
def uncertain_app(monkeypatch, app):
    load = model_inputs.load_inputs

    def with_uncertainty(*args, **kwargs):
        inputs = load(*args, **kwargs)
        return replace(inputs, demand_uncertainty=real_uncertainty(inputs))

    monkeypatch.setattr(model_inputs, "load_inputs", with_uncertainty)
    common.model_inputs.clear()
    common._result_for.clear()
    yield app
    common.model_inputs.clear()
    common._result_for.clear()


def test_program_design_shows_each_figure_with_its_intervals(uncertain_app):
    _open(uncertain_app, "app_pages/program_design.py")
    text = "\n".join(m.value for m in uncertain_app.markdown)
    unmet = next(line for line in text.splitlines() if line.startswith("- H-2B demand unmet: "))
    assert "(80%: " in unmet and "; 95%: " in unmet
    assert any(
        "over 1,000 demand draws" in c.value and "hand-made test spreads" in c.value for c in uncertain_app.caption
    )
    metric = next(m for m in uncertain_app.metric if m.label.startswith("H-2B demand unmet"))
    assert metric.help.startswith("80% interval: ")
    uncertain_app.segmented_control(key="result_section").set_value("Intervals").run()
    assert not uncertain_app.exception, [e.value for e in uncertain_app.exception]
    assert uncertain_app.get("arrow_vega_lite_chart") or uncertain_app.get("vega_lite_chart")


def test_without_demand_uncertainty_the_page_says_there_is_no_interval(monkeypatch, app):
    load = model_inputs.load_inputs
    monkeypatch.setattr(
        model_inputs, "load_inputs", lambda *args, **kwargs: replace(load(*args, **kwargs), demand_uncertainty=None)
    )
    common.model_inputs.clear()
    common._result_for.clear()
    _open(app, "app_pages/program_design.py")
    assert any(c.value.startswith("no interval: the demand model gave no uncertainty") for c in app.caption)
    app.segmented_control(key="result_section").set_value("Intervals").run()
    assert any("no interval" in i.value for i in app.info)
    common.model_inputs.clear()
    common._result_for.clear()


def test_program_design_shows_the_demand_models_own_intervals(app):
    common.model_inputs.clear()
    common._result_for.clear()
    _open(app, "app_pages/program_design.py")
    text = "\n".join(m.value for m in app.markdown)
    unmet = next(line for line in text.splitlines() if line.startswith("- H-2B demand unmet: "))
    assert "(80%: " in unmet and "; 95%: " in unmet
    assert not any(c.value.startswith("no interval") for c in app.caption)
