"""How the app shows figures (AppTest, no browser): units named once, whole workers, rounded scores and money,
months without a time, charts on their own scales with legends inside the page, and the notes a figure needs."""

from __future__ import annotations

import colorsys
import json

import pandas as pd
import pytest
from app_testing import (
    app,  # noqa: F401  (fixture)
    column_formats,
)
from app_testing import click as _click
from app_testing import open_page as _open
from streamlit.testing.v1 import AppTest

from app_pages import assumptions_form, charts, common, results
from labormatch.crosswalk import sector_labels
from labormatch.forecast.models import MODEL_NAMES, model_label
from labormatch.series_names import series_name
from tests.browser.page_ids import snake_case_ids_in


def _result_chart(app: AppTest, section: str) -> dict:
    app.session_state["result_section"] = section
    app.run()
    assert not app.exception
    (chart,) = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    return chart


def test_a_label_that_already_names_its_unit_does_not_repeat_it():
    """The form read 'Fiscal year (fiscal year)' and 'Seasons (seasons)'."""
    labels = assumptions_form.labels()
    assert (labels["fiscal_year"], labels["seasons"]) == ("Fiscal year", "Seasons")
    assert labels["h2b_cap"] == "H-2B cap (workers per fiscal year)"
    # a label that names a quantity measured as a share still states the unit
    assert (labels["fillable_share"], labels["first_half_share"]) == (
        "Fillable share (share)",
        "First-half share (share)",
    )
    assert labels["supplemental_rules_fy"] == "Supplemental rules of FY (fiscal year)"


@pytest.mark.parametrize("section", ["H-2B by sector and half", "Demand by sector and half"])
def test_faceted_result_charts_keep_their_legend_inside_the_page(app, section):
    """A right-hand legend beside a fixed-width faceted chart ran past the page's column ('allocat' cut short)."""
    _open(app, "app_pages/program_design.py")
    legend = _result_chart(app, section)["encoding"]["color"].get("legend") or {}
    assert legend.get("orient") in {"top", "bottom"}, legend


def test_h2b_demand_is_drawn_on_its_own_scale_beside_h2a(app):
    """H-2A agriculture (about 300,000 workers a half) set the shared axis, so every H-2B bar was a sliver."""
    _open(app, "app_pages/program_design.py")
    chart = _result_chart(app, "Demand by sector and half")
    assert chart["resolve"]["scale"]["x"] == "independent"


def test_quota_tooltips_show_whole_workers(app):
    """The quota chart's tooltip showed the model's fractional workers (e.g. 12339.376235)."""
    _open(app, "app_pages/program_design.py")
    tooltip = {t["field"]: t for t in _result_chart(app, "Quotas by origin and season")["encoding"]["tooltip"]}
    workers = [tooltip[c] for c in ("total_workers", "returning_workers", "new_workers", "non_returning", "overstays")]
    assert all(t.get("format") == ",.0f" for t in workers), workers
    assert tooltip["fiscal_year"]["type"] == "ordinal", "a quantitative year shows as 2,025"


def _reddish(colour: str) -> bool:
    """Whether a "#rrggbb" colour reads as red, orange or brown: a hue within 30 degrees of red, not grey."""
    hue, _, saturation = colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    return saturation > 0.25 and (hue < 30 / 360 or hue > 330 / 360)


def test_origin_countries_never_take_the_red_of_unmet_demand():
    """The quota chart used Vega's default palette, in which El Salvador (the third origin) was red: the colour of
    unmet demand on the next tab. Origins get their own palette, with no red, orange or brown in it."""
    origins = ["All other nationalities", "El Salvador", "Guatemala", "Honduras", "Jamaica", "Mexico"]
    table = pd.DataFrame(
        {"season": 1, "fiscal_year": 2026, "origin": origins, **{column: 100.0 for column in results.WORKER_COLUMNS}}
    )
    scale = results.quota_chart(table).to_dict(validate=False)["encoding"]["color"]["scale"]
    assert scale == {"range": list(charts.ORIGIN_COLOURS)}, "one palette, declared in charts.py, and no scheme"
    assert len(set(charts.ORIGIN_COLOURS)) >= len(origins) + 4, "distinct colours beyond the default ten origins"
    assert _reddish(charts.UNMET) and _reddish("#d95f02"), "the test tells red and orange apart from the rest"
    assert not [colour for colour in charts.ORIGIN_COLOURS if _reddish(colour)]


def test_forecast_tables_show_scores_and_values_rounded(app):
    """The backtest table showed MASE to four decimals and more (0.5858, 3.195); the chart's table raw floats. The
    scores are a static table now (a wide grid cut its last columns off), with units in the titles."""
    _open(app, "app_pages/forecasts.py")
    chart_table = app.dataframe[0]
    scores = next(t.value for t in app.table if "MASE (ratio)" in t.value)
    assert list(scores.columns)[:5] == [
        "Sector",
        "Series",
        "Chosen model",
        "MASE (ratio)",
        "Seasonal-naive MASE (ratio)",
    ], "scores were off-screen"
    assert "sMAPE (percent)" in scores, "the backtest table names its units"
    for column in ("MASE (ratio)", "Seasonal-naive MASE (ratio)", "80% band coverage (share)"):
        assert scores[column].str.fullmatch(r"\d+\.\d\d|").all(), scores[column]
    assert set(scores["Beats seasonal naive"]) <= {"yes", "no"}
    chart_formats = column_formats(chart_table)
    assert chart_formats.get("mean") == chart_formats.get("lo95") == "%,.1f"
    assert chart_formats.get("date") == "YYYY-MM"
    history = chart_table.value[chart_table.value["kind"] == "history"]
    assert not history.empty and "series_id" not in chart_table.value, "history rows showed None as their series"


def test_comparison_tables_show_whole_workers_and_shares_to_three_decimals():
    """The comparison's tables showed the model's fractional figures (30693.426760 workers, share 0.010038)."""
    from app_pages import comparison
    from labormatch import compare
    from labormatch.assumptions import Assumptions

    results = {
        "base": common.scenario_result(Assumptions()),
        "doubled": common.scenario_result(Assumptions(cap_multiplier=2.0)),
    }
    tables = compare.compare(results, "base")
    by_sector = comparison._detail_table(tables["by_sector"], "by_sector").to_string(delimiter="|").splitlines()
    header, first = by_sector[0].split("|"), dict(zip(by_sector[0].split("|"), by_sector[1].split("|")))
    assert header == ["Sector", "Measure", "base", "doubled", "Δ doubled"]  # words, sectors by label
    assert first["Sector"] in sector_labels().values()
    expected = compare.wide(tables["by_sector"]).iloc[0]
    assert first["base"] == f"{expected['base']:,.0f}" and first["Δ doubled"] == f"{expected['Δ doubled']:,.0f}"
    late = comparison._detail_table(tables["late_starts"], "late_starts").to_string(delimiter="|").splitlines()
    share_rows = [
        dict(zip(late[0].split("|"), line.split("|"))) for line in late[1:] if "|Share starting late|" in line
    ]
    wide_late = compare.wide(tables["late_starts"])
    share = wide_late[wide_late["measure"] == "share_late"].iloc[0]["base"]
    assert share_rows and share_rows[0]["base"] == f"{share:,.3f}"


def test_comparison_detail_tables_show_no_ids():
    """The tranche table showed `statutory_h1` and `statutory_h2` on the Scenarios page (found by CI's page scan)."""
    from app_pages import comparison
    from labormatch import compare
    from labormatch.assumptions import Assumptions

    results = {
        "base": common.scenario_result(Assumptions()),
        "doubled": common.scenario_result(Assumptions(cap_multiplier=2.0)),
    }
    tables = compare.compare(results, "base")
    tranches = compare.wide(tables["h2b_by_tranche"]).astype(str).to_numpy().ravel()
    assert "statutory_h1" in tranches, "the model's table names its tranches by id"
    for name in comparison.DETAIL_TABLES:
        shown = comparison._detail_table(tables[name], name).to_string(delimiter="|")
        assert not snake_case_ids_in(shown), (name, snake_case_ids_in(shown))
    shown = comparison._detail_table(tables["h2b_by_tranche"], "h2b_by_tranche").to_string(delimiter="|")
    assert "statutory H1" in shown and "statutory H2" in shown


def test_overview_tables_fit_the_page_with_figures_rounded(app):
    """The Overview's tables showed '2024-12-01 00:00:00' for a month and raw floats (index 0.9574, -0.1179...), and
    ran past the page's edge: both are static tables whose long labels wrap, the ranking with a row per sector and
    indicator (not a column per indicator)."""
    composite = next(t.value for t in app.table if "Indicator score (z-score)" in t.value)
    assert list(composite) == ["Rank", "Sector", "Composite index (z-score)", "Indicator", "Indicator score (z-score)"]
    for column in ("Composite index (z-score)", "Indicator score (z-score)"):
        assert composite[column].str.fullmatch(r"-?\d+\.\d\d").all(), "only the indicators a sector has, rounded"
    assert not composite["Indicator"].str.contains("_|score").any(), "indicators by name"
    outlook = next(t.value for t in app.table if "Change (percent)" in t.value)
    assert list(outlook)[:5] == ["Sector", "Series", "Unit", "Source", "Model"]
    assert outlook["Change (percent)"].str.fullmatch(r"[+-]\d+\.\d").all()
    assert outlook["Last 12 months' mean"].str.fullmatch(r"[\d,]+\.\d").all()
    units = dict(zip(outlook["Series"], outlook["Unit"]))
    assert units[series_name("openings")] == common.series_unit("openings") != "", (
        "the means are in the series' own unit"
    )
    assert set(outlook["Model"]) <= {model_label(name) for name in MODEL_NAMES}, "models by their labels"


def test_pilot_carveout_columns_are_typed_with_their_unit_and_default(app):
    """The empty carve-out table had text columns: 'numbers' took any text and 'inside_cap' was no checkbox (a new
    row's blank cell silently became inside the cap)."""
    _open(app, "app_pages/program_design.py")
    (editor,) = [e for e in app.data_editor if e.key == assumptions_form.widget_key("pilot_carveouts")]
    columns = json.loads(editor.proto.columns)
    assert columns["numbers"]["type_config"]["type"] == "number"
    assert columns["numbers"]["label"] == "Numbers reserved (workers)"
    assert columns["inside_cap"]["label"] == "Inside the cap (else on top)"
    # sectors offered by their labels, not ids such as 'food_manufacturing'
    assert "Food processing (incl. seafood, meat)" in columns["sector"]["type_config"]["options"]
    assert not [o for o in columns["sector"]["type_config"]["options"] if "_" in o]
    assert (columns["numbers"]["type_config"].get("min_value"), columns["numbers"]["type_config"].get("max_value")) == (
        0,
        1_000_000,
    )
    assert columns["inside_cap"]["type_config"]["type"] == "checkbox"
    assert columns["inside_cap"]["default"] is True
    assert columns["inside_cap"]["help"].startswith("True: taken out of the statutory cap")


def test_data_page_tables_show_sizes_with_separators_and_date_ranges_as_text(app):
    """Sizes read '6641286' (bytes) and '846207' (rows), and a table without dates showed 'None' as its range."""
    _open(app, "app_pages/data.py")
    sources, outputs = app.dataframe[0], app.dataframe[1]
    assert column_formats(sources)["bytes"] == "%,.0f"
    assert column_formats(outputs)["bytes"] == column_formats(outputs)["rows"] == "%,.0f"
    ranges = dict(zip(outputs.value["file"], outputs.value["date_range"]))
    assert ranges["bls_series.parquet"] == "1939-01-01 to 2026-08-01"  # leisure and hospitality JOLTS rates to 2026-08
    assert all(isinstance(text, str) for text in ranges.values()), ranges


def test_the_wage_floor_elasticity_says_it_needs_a_wage_floor_change(app):
    """Changing the elasticity alone moved nothing (demand x 1.0 ^ elasticity), with no word why."""
    _open(app, "app_pages/program_design.py")
    notes = [c.value for c in app.caption if "wage-floor change" in c.value and "elasticity" in c.value]
    assert notes == ["Acts only with a wage-floor change other than 0: demand x (1 + change/100) ^ elasticity."]


def test_runaway_need_growth_is_flagged_on_program_design(app):
    """100% need growth a season over 20 seasons multiplies the need 2^19 times: the page says so."""
    _open(app, "app_pages/program_design.py")
    app.number_input(key=assumptions_form.widget_key("need_growth_per_season")).set_value(1.0)
    app.number_input(key=assumptions_form.widget_key("seasons")).set_value(20)
    _click(app, "Apply assumptions")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("524,288 times the first's" in w.value for w in app.warning), [w.value for w in app.warning]
    _click(app, "Reset to defaults")
    assert not any("compounding" in w.value for w in app.warning)
