"""Fiscal years to the planning horizon (FY2031): the default year, years with no published supplemental rule,
carrying a past year's tranches, and FY2027 / FY2031 scenarios end to end from the CLI and the web app."""

from __future__ import annotations

import datetime as dt

import pytest
from app_testing import (
    app,  # noqa: F401  (fixture)
    click,
    open_page,
)
from example_inputs import demand_inputs
from typer.testing import CliRunner

from app_pages import assumptions_form, common, results
from labormatch import snapshot
from labormatch.assumptions import Assumptions
from labormatch.cli import app as cli_app
from labormatch.errors import SnapshotError
from labormatch.fiscal import default_fiscal_year
from labormatch.matcher import build_pools
from labormatch.rules import load_rules


def _supplemental(pools) -> dict[str, tuple[dt.date, dt.date, float]]:
    return {p.tranche: (p.window_start, p.window_end, p.size) for p in pools if p.kind == "supplemental"}


def test_a_year_without_a_published_rule_runs_on_the_statutory_cap_only():
    pools = build_pools(Assumptions(fiscal_year=2028), load_rules())
    assert [(p.tranche, p.window_start, p.window_end, p.size) for p in pools] == [
        ("statutory_h1", dt.date(2027, 10, 1), dt.date(2028, 3, 31), 33_000.0),
        ("statutory_h2", dt.date(2028, 4, 1), dt.date(2028, 9, 30), 33_000.0),
    ]


def test_carrying_fy2026_tranches_to_fy2028_moves_their_windows_two_years():
    own = _supplemental(build_pools(Assumptions(fiscal_year=2026), load_rules()))
    carried = _supplemental(build_pools(Assumptions(fiscal_year=2028, supplemental_rules_fy=2026), load_rules()))
    assert carried == {
        "fy2026_h1_returning": (dt.date(2028, 1, 30), dt.date(2028, 3, 31), 18_490.0),
        "fy2026_april_returning": (dt.date(2028, 4, 1), dt.date(2028, 4, 30), 27_736.0),
        "fy2026_may_sep_open": (dt.date(2028, 5, 1), dt.date(2028, 9, 30), 18_490.0),
    }
    assert {k: (s.replace(year=s.year + 2), e.replace(year=e.year + 2), n) for k, (s, e, n) in own.items()} == carried


def test_default_fiscal_year_is_the_one_containing_the_as_of_month():
    assert default_fiscal_year(dt.date(2026, 9, 1)) == 2026
    assert default_fiscal_year(dt.date(2026, 10, 1)) == default_fiscal_year(dt.date(2026, 11, 1)) == 2027


def test_the_data_years_a_result_rests_on_are_named():
    """Synthetic inputs: OFLC processing cases of FY2023-FY2024, AEWR of 2025; complete H-2B files FY2016-FY2019."""
    import dataclasses

    from report_fixtures import synthetic_result

    from labormatch.result_basis import basis_lines, data_years

    result = synthetic_result(fiscal_year=2027)
    result = dataclasses.replace(
        result, data_vintage={**result.data_vintage, "complete_fiscal_years": {"H-2B": [2016, 2017, 2018, 2019]}}
    )
    assert data_years(result) == (
        "FY2027 uses the latest data for processing times and late starts: OFLC H-2A FY2024, H-2B FY2024; cap "
        "timing: OFLC H-2B certification dates through FY2019; AEWR: state rates of 2025 (each state's latest up to "
        "the fiscal year)."
    )
    assert basis_lines(result)[0].startswith("No published supplemental rule for FY2027")


def test_cli_scenario_run_says_which_rule_applies_and_refuses_fy2032(tmp_path, monkeypatch):
    """On hand-made inputs (FY2023-FY2024 demand): a past year's tranches carried, and a year past the horizon."""
    from labormatch import model_inputs

    monkeypatch.setattr(model_inputs, "load_inputs", lambda data=None, forecast=True: demand_inputs())
    carried = tmp_path / "carried.yaml"
    carried.write_text("title: Carried\nassumptions:\n  fiscal_year: 2024\n  supplemental_rules_fy: 2026\n")
    run = CliRunner().invoke(cli_app, ["scenario", "run", "--config", str(carried)])
    assert run.exit_code == 0, run.output
    assert (
        "FY2026 tranches carried to FY2024 by your choice (64,716 numbers, windows moved 2 years earlier)."
        in run.output
    )
    late = tmp_path / "late.yaml"
    late.write_text("title: Too late\nassumptions:\n  fiscal_year: 2032\n")
    run = CliRunner().invoke(cli_app, ["scenario", "run", "--config", str(late)])
    assert run.exit_code == 1 and "Traceback" not in run.output
    assert "fiscal_year: fiscal year 2032 is outside FY2017-FY2031" in run.output


@pytest.fixture(scope="module")
def real_snapshot():
    try:
        snapshot.manifest()
    except SnapshotError as exc:
        pytest.skip(f"no data snapshot: {exc}")


@pytest.mark.slow
def test_fy2027_and_fy2031_run_from_the_cli_on_the_snapshot(real_snapshot, tmp_path):
    """A file without fiscal_year runs the snapshot's year (FY2027 for the snapshot of Nov 2026), on the statutory
    cap; FY2031 with FY2026's tranches carried gets the 64,716 numbers five years later."""
    from labormatch.model import ScenarioResult

    default = tmp_path / "default.yaml"
    default.write_text("title: This year\nassumptions: {}\n")
    carried = tmp_path / "fy2031.yaml"
    carried.write_text(
        "title: FY2031 with FY2026 rules\nassumptions:\n  fiscal_year: 2031\n  supplemental_rules_fy: 2026\n"
    )
    runs = {}
    for path in (default, carried):
        out = tmp_path / f"{path.stem}.json"
        run = CliRunner().invoke(cli_app, ["scenario", "run", "--config", str(path), "--out", str(out)])
        assert run.exit_code == 0, run.output
        runs[path.stem] = (run.output, ScenarioResult.from_json(out.read_text()))
    year = default_fiscal_year()
    output, result = runs["default"]
    assert f"This year (FY{year})" in output
    assert f"No published supplemental rule for FY{year}: statutory cap only" in output
    assert f"FY{year} uses the latest data for processing times" in output
    assert result.headline["h2b_cap_total"] == 66_000 and result.headline["h2b_supplemental_total"] == 0
    assert result.headline["h2b_demand"] > 0 and result.headline["h2a_workers"] > 0
    output, result = runs["fy2031"]
    assert "FY2026 tranches carried to FY2031 by your choice" in output
    h = result.headline
    assert (h["h2b_cap_total"], h["h2b_supplemental_total"]) == (130_716, 64_716)
    assert h["h2b_allocated"] + h["h2b_unmet"] == pytest.approx(h["h2b_demand"]) and h["h2b_demand"] > 0
    demand = result.tables["demand"]
    assert set(demand[demand["fiscal_year"] == 2031]["month"].dt.month) == set(range(1, 13)), "12 months of FY2031"
    tranches = result.tables["tranches"].set_index("tranche")
    assert str(tranches.loc["fy2026_may_sep_open", "window_start"].date()) == "2031-05-01"
    assert result.tables["quotas"]["fiscal_year"].min() == 2031
    assert result.tables["cap_timing"]["estimated_cap_reached_date"].min().year in (2030, 2031)


def _metric(app, key: str) -> float:
    (metric,) = [m for m in app.metric if m.label == results.metric_label(key)]
    return float(metric.value.replace(",", ""))


def test_fy2027_and_fy2031_run_from_the_app(app):
    open_page(app, "app_pages/program_design.py")
    year = default_fiscal_year()
    box = app.selectbox(key=assumptions_form.widget_key("fiscal_year"))
    assert box.value == year and box.options[-1] == "FY2031 (no supplemental rule)"
    assert "FY2026" in box.options and "FY2032" not in " ".join(box.options)
    info = [i.value for i in app.info]
    assert info == [
        f"No published supplemental rule for FY{year}: statutory cap only (to carry a past year's "
        "tranches, choose it under 'Supplemental rules of FY')."
    ]  # the form's words, no field name
    assert any(
        c.value.startswith(f"Default FY{year}: the fiscal year containing the data snapshot's as-of month")
        for c in app.caption
    )
    assert _metric(app, "h2b_cap_total") == 66_000

    box.set_value(2031)
    app.selectbox(key=assumptions_form.widget_key("supplemental_rules_fy")).set_value(2026)
    click(app, "Apply assumptions")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.session_state[common.CURRENT].fiscal_year == 2031
    assert next(i.value for i in app.info).startswith("FY2026 tranches carried to FY2031 by your choice")
    assert _metric(app, "h2b_cap_total") == 130_716, "66,000 statutory + 64,716 carried"
    result = common.scenario_result(app.session_state[common.CURRENT])
    demand = result.tables["demand"]
    assert set(demand[demand["fiscal_year"] == 2031]["month"].dt.month) == set(range(1, 13)), "12 months of FY2031"
