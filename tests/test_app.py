"""Logic tests of the web app with Streamlit's AppTest (no browser): pages render, the form drives the model."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
from app_testing import APP, app, column_formats  # noqa: F401  (fixture)
from app_testing import click as _click
from app_testing import open_page as _open
from streamlit.testing.v1 import AppTest

from app_pages import assumptions_form, common, results
from labormatch import snapshot
from labormatch.assumptions import LEGACY_ORIGIN_NOTICE
from labormatch.crosswalk import sector_labels
from labormatch.errors import LabormatchError
from labormatch.forecast.models import MODEL_NAMES, model_label
from labormatch.panel import STALE_MONTHS
from labormatch.series_names import series_name

PAGES = [
    "app_pages/overview.py",
    "app_pages/forecasts.py",
    "app_pages/program_design.py",
    "app_pages/scenarios.py",
    "app_pages/export.py",
    "app_pages/data.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_error(app, page):
    _open(app, page)
    assert not app.error, [e.value for e in app.error]
    assert app.title, f"{page} has no title"


def _metric(app: AppTest, key: str) -> float:
    label = results.metric_label(key)
    matches = [m for m in app.metric if m.label == label]
    assert matches, f"no metric labelled {label!r}"
    return _number(matches[0].value)


def _number(text: str) -> float:
    """A metric's value as a number: "1,234", or money as "$13.3 billion"."""
    amount, _, scale = text.removeprefix("$").replace(",", "").partition(" ")
    return float(amount) * {"": 1, "million": 1e6, "billion": 1e9}[scale]


def _number_input(app: AppTest, field: str):
    """The field's input in the form's current generation (a reset starts a new one)."""
    generation = app.session_state.get(assumptions_form.GENERATION, 0)
    return app.number_input(key=assumptions_form.widget_key(field, generation))


def test_changing_the_h2b_cap_moves_unmet_demand(app):
    _open(app, "app_pages/program_design.py")
    before = _metric(app, "h2b_unmet")
    assert before > 0, "with the statutory cap, H-2B demand exceeds the numbers (unmet > 0)"
    _number_input(app, "h2b_cap").set_value(500_000)
    _click(app, "Apply assumptions")
    assert not app.exception
    after = _metric(app, "h2b_unmet")
    assert after < before


def test_each_origin_table_says_which_class_it_covers_and_the_shares_it_falls_back_to(app):
    """One table per visa class: each note names its class and that class's State Department shares."""
    _open(app, "app_pages/program_design.py")
    inputs = common.model_inputs().origin_shares
    for visa_class in ("H-2A", "H-2B"):
        (note,) = [c.value for c in app.caption if f"Empty = {visa_class} visas issued by the State" in c.value]
        assert note.startswith(f"Shares typed here apply to {visa_class} workers only.")
        mexico = inputs[(inputs["visa_class"] == visa_class) & (inputs["origin"] == "Mexico")]["share"].iloc[0]
        assert f"Mexico {mexico:.1%}" in note
        other = "H-2B" if visa_class == "H-2A" else "H-2A"
        assert other not in note


def test_the_page_says_when_the_form_holds_edits_not_yet_applied(app):
    """Issue 15, finding 8: the warning shows as soon as a field differs from the applied assumptions (not only
    after a failed Apply), and goes once they are applied."""
    _open(app, "app_pages/program_design.py")
    assert not [w for w in app.warning if "not applied" in w.value], "an untouched form holds no edits"
    _number_input(app, "h2b_cap").set_value(90_000)
    app.run()
    assert len([w for w in app.warning if "not applied" in w.value]) == 1, "by the Apply button"
    _click(app, "Apply assumptions")
    assert not [w for w in app.warning if "not applied" in w.value]
    _number_input(app, "h2b_cap").set_value(None)  # back to the rule's cap: differs from the applied 90,000
    app.run()
    assert [w for w in app.warning if "not applied" in w.value]


def test_bad_assumption_shows_an_error_naming_the_field(app):
    _open(app, "app_pages/program_design.py")
    _number_input(app, "h2b_cap").set_value(-5)
    _click(app, "Apply assumptions")
    assert not app.exception
    messages = [e.value for e in app.error]
    label = assumptions_form.labels()["h2b_cap"]
    problem = f"{label}: Input should be greater than or equal to 0"
    # named by its label (not `h2b_cap`) above the form, and again under the field itself
    assert messages[0].startswith("Some assumptions are not valid:") and problem in messages[0], messages
    assert len(messages) == 2 and messages[1].startswith(problem), messages
    assert not any("h2b_cap" in m for m in messages), messages
    assert any("not applied" in w.value for w in app.warning), "the form holds edits that were not applied"


def _headline_delta(app: AppTest, figure_label: str, scenario: str) -> float:
    (table,) = [t.value for t in app.table if "figure" in t.value]
    row = table[table["figure"] == figure_label]
    assert len(row) == 1, f"no row {figure_label!r} in {list(table['figure'])}"
    return float(str(row[f"Δ {scenario}"].iloc[0]).replace(",", ""))


def test_save_two_scenarios_and_compare_them(app):
    _open(app, "app_pages/scenarios.py")
    for name, cap in [("statutory", None), ("doubled", 132_000)]:
        if cap is not None:
            _open(app, "app_pages/program_design.py")
            _number_input(app, "h2b_cap").set_value(cap)
            _click(app, "Apply assumptions")
            _open(app, "app_pages/scenarios.py")
        app.text_input(key="save_name").set_value(name)
        _click(app, "Save current assumptions")
        assert [s.value for s in app.success] == [f"Saved {name!r} as version 1."]
    assert app.multiselect(key="compare_names").value == ["doubled", "statutory"]
    app.selectbox(key="compare_baseline").set_value("statutory").run()
    assert not app.exception
    assert _headline_delta(app, "H-2B cap (after overrides) (workers)", "doubled") == 66_000
    assert _headline_delta(app, "H-2B demand unmet (workers)", "doubled") < 0
    # the assumptions that differ come first, by label, the baseline's value first: only the cap was changed
    differing = app.table[0].value
    assert list(differing.index) == [assumptions_form.labels()["h2b_cap"]]
    assert list(differing.loc[assumptions_form.labels()["h2b_cap"]]) == [
        "default (from the data or the rule)",
        "132,000",
    ]


def test_a_shipped_example_loads_into_the_form_and_saves_under_its_name(app):
    from labormatch.scenario import load_example

    _open(app, "app_pages/scenarios.py")
    examples = app.selectbox(key="example_name")
    assert examples.options[0] == "Statutory H-2B cap doubled (132,000), no supplemental rule"  # its title
    assert not [title for title in examples.options if "_" in title], "listed by title, not by file name"
    examples.set_value("cap_doubled")
    _click(app, "Load the example into Program design")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.text_input(key="save_name").value == "cap_doubled"
    _click(app, "Save current assumptions")
    assert [s.value for s in app.success] == ["Saved 'cap_doubled' as version 1."]
    _open(app, "app_pages/program_design.py")
    assert _number_input(app, "cap_multiplier").value == load_example("cap_doubled").assumptions.cap_multiplier == 2.0


def test_export_builds_a_workbook_that_opens(app):
    _open(app, "app_pages/export.py")
    _click(app, "Build the Excel report")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.download_button, "no download button after building"
    workbook = openpyxl.load_workbook(io.BytesIO(app.session_state["export_workbook"][1]))
    assert {"Summary", "Assumptions", "Data sources"} <= set(workbook.sheetnames)


def test_an_earlier_saved_version_is_exported_with_its_own_assumptions(app):
    _open(app, "app_pages/scenarios.py")
    for cap in (None, 132_000):
        if cap is not None:
            _open(app, "app_pages/program_design.py")
            _number_input(app, "h2b_cap").set_value(cap)
            _click(app, "Apply assumptions")
            _open(app, "app_pages/scenarios.py")
        app.text_input(key="save_name").set_value("plan")
        _click(app, "Save current assumptions")
    _open(app, "app_pages/export.py")
    app.radio(key="export_kind").set_value("One saved scenario").run()
    app.selectbox(key="export_name").set_value("plan").run()
    versions = app.selectbox(key="export_version_plan")
    assert [label.split(",")[0] for label in versions.options] == ["version 2", "version 1"]
    first, second = common.store().history("plan")
    versions.set_value(first).run()
    _click(app, "Build the Excel report")
    assert not app.exception and not app.error, [e.value for e in app.error]
    (file_name, (result_hash,)), _ = app.session_state["export_workbook"]
    assert file_name == "labormatch_plan_1.xlsx"
    assert result_hash == first.result_hash != second.result_hash


def test_bad_upload_shows_an_error_and_changes_nothing(app):
    checksum = snapshot.data_checksum()
    _open(app, "app_pages/data.py")
    damaged = ("H-2B_Disclosure_Data_FY2030.xlsx", b"PK\x03\x04 truncated download", "application/octet-stream")
    app.file_uploader(key="data_upload").set_value(damaged).run()
    assert not app.exception
    messages = [e.value for e in app.error]
    assert any(m.startswith("H-2B_Disclosure_Data_FY2030.xlsx: cannot be read") for m in messages), messages
    assert snapshot.data_checksum() == checksum
    _open(app, "app_pages/overview.py")
    assert not app.error


@pytest.mark.raw
def test_valid_oflc_upload_is_summarised_against_the_snapshot(app, raw_dir):
    _open(app, "app_pages/data.py")
    path = raw_dir / "oflc" / "H-2B_FY2000.csv"
    app.file_uploader(key="data_upload").set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    (message,) = [s.value for s in app.success]
    assert message.startswith("H-2B FY2000: 4,906 cases, 88,328 workers certified")
    summary = app.dataframe[-1].value.set_index("status")
    assert (summary["cases"] == summary["cases_in_snapshot"]).all()


def test_make_app_server_is_served_with_its_start_up_hook():
    """`streamlit run streamlit_server.py` must find the `st.App` (else the cache-filling hook never runs)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(APP.with_name("streamlit_server.py"))
    assert found.is_asgi_app and found.import_string == "streamlit_server:app"
    assert not discover_asgi_app(APP).is_asgi_app, "streamlit_app.py must stay a plain Streamlit script"


def test_warm_up_fills_every_cache_the_pages_read(monkeypatch):
    """After the start-up hook's warm-up, the pages read forecasts and model inputs without computing them."""
    common._forecasts.clear()
    common.model_inputs.clear()
    lines = []
    common.warm_up(lines.append)
    assert [line.split(" ready in ")[0] for line in lines] == [
        "labormatch: imports",
        "labormatch: composite shortage index",
        "labormatch: sector forecasts (fitted once, then read from the disk cache)",
        "labormatch: demand model inputs",
    ]

    def recomputed(*args, **kwargs):
        raise AssertionError("computed again after the warm-up")

    monkeypatch.setattr("labormatch.forecast.sectors.sector_forecasts_with_track_record", recomputed)
    monkeypatch.setattr("labormatch.model_inputs.load_inputs", recomputed)
    forecast, backtest, history = common.forecasts()
    assert set(forecast["series_id"]) == set(backtest["series_id"])
    assert set(forecast["series_id"]) < set(history["series_id"])  # stale series: history only
    assert not forecast["stale"].any()
    assert not common.model_inputs().baseline_demand.empty


def test_warm_up_stops_at_a_broken_snapshot_and_leaves_the_error_to_the_pages(monkeypatch):
    def broken():
        raise LabormatchError("snapshot file data/panel.parquet is missing")

    monkeypatch.setattr(common, "composite", broken)
    lines = []
    common.warm_up(lines.append)
    assert lines[-1] == (
        "labormatch: composite shortage index failed (snapshot file data/panel.parquet is missing); "
        "the pages will show the error"
    )
    assert len(lines) == 2


def test_forecasts_page_states_the_engines_choice_rule(app):
    from labormatch.forecast import ForecastConfig

    config = ForecastConfig()
    _open(app, "app_pages/forecasts.py")
    rule = app.caption[0].value
    assert f"more than {config.combo_margin:.0%} lower" in rule and f"({config.origins} origins" in rule
    assert "lowest" not in rule, "the engine does not simply take the lowest MASE"
    assert "Every model trains on all months." in rule and "--windows average" in rule
    (chosen,) = [m for m in app.markdown if m.value.startswith("**Chosen model:** ")]
    label = chosen.value.removeprefix("**Chosen model:** ")
    assert label in {model_label(name) for name in MODEL_NAMES}, "the model by its label, not its short name"
    assert chosen.proto.help, "the chosen model is not explained"
    if label == model_label("combo"):
        assert label == "Equal-weight combination of ETS, SARIMAX and Theta"
        assert chosen.proto.help.startswith("Equal-weight forecast combination")


def _upload(app: AppTest, kind: str, name: str, content: bytes) -> AppTest:
    app.radio(key="upload_kind").set_value(kind).run()
    app.file_uploader(key="data_upload").set_value((name, content, "application/octet-stream")).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_bls_response_without_monthly_values_is_rejected_with_a_message(app):
    """BLS answers REQUEST_SUCCEEDED with an empty `data` list for a series and year it has no values for."""
    no_data = json.dumps(
        {
            "status": "REQUEST_SUCCEEDED",
            "message": ["No Data Available for Series LNU04032230 Year: 2031"],
            "Results": {"series": [{"seriesID": "LNU04032230", "data": []}]},
        }
    ).encode()
    _open(app, "app_pages/data.py")
    _upload(app, "BLS API v2 JSON", "bls_2031.json", no_data)
    assert [e.value for e in app.error] == [
        "bls_2031.json: holds no monthly values (M01-M12): nothing to compare with the snapshot"
    ]
    only_annual = b"series_id\tyear\tperiod\tvalue\tfootnote_codes\nLNU04032230\t2023\tM13\t4.1\t\n"
    _upload(app, "BLS flat data file (e.g. jt.data.1.AllItems)", "ln.data.annual", only_annual)
    assert [e.value for e in app.error] == [
        "ln.data.annual: holds no monthly values (M01-M12): nothing to compare with the snapshot"
    ]


def test_saving_without_a_name_says_so_instead_of_a_traceback(app):
    _open(app, "app_pages/scenarios.py")
    _click(app, "Save current assumptions")
    assert not app.exception, [e.value for e in app.exception]
    assert [e.value for e in app.error] == [
        "scenario name '' is not allowed: use 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit"
    ]


@pytest.mark.parametrize(
    ("field", "table", "problem"),
    [
        # a new row in an empty table holds None, not NaN: this was a TypeError traceback
        (
            "fillable_share_by_sector",
            {"sector": ["construction"], "share": [None]},
            "fillable_share_by_sector: row 1 (construction) has no share",
        ),
        # a share without an origin was saved as an origin named 'None'
        (
            "h2b_origin_shares",
            {"origin": ["Mexico", None], "share": [0.5, 0.5]},
            "h2b_origin_shares: row 2 has a share but no origin",
        ),
        (
            "h2b_origin_shares",
            {"origin": ["Mexico", " "], "share": [0.5, 0.5]},
            "h2b_origin_shares: row 2 has a share but no origin",
        ),
        # a repeated origin was merged into one row, then reported as shares summing to 0.5
        (
            "h2a_origin_shares",
            {"origin": ["Mexico", "Mexico"], "share": [0.5, 0.5]},
            "h2a_origin_shares: Mexico is in more than one row",
        ),
    ],
)
def test_a_half_filled_or_repeated_table_row_is_named_in_the_error(field, table, problem):
    from labormatch.assumptions import AssumptionsError

    with pytest.raises(AssumptionsError) as raised:
        assumptions_form.to_mapping({field: pd.DataFrame(table)})
    assert str(raised.value).splitlines() == ["invalid assumptions:", problem]


def test_filled_table_rows_become_the_mapping():
    table = pd.DataFrame({"origin": ["Mexico ", "Jamaica", None], "share": [0.75, 0.25, None]})
    assert assumptions_form.to_mapping({"h2b_origin_shares": table}) == {
        "h2b_origin_shares": {"Mexico": 0.75, "Jamaica": 0.25}
    }
    empty = pd.DataFrame({"origin": [], "share": []})
    assert assumptions_form.to_mapping({"h2a_origin_shares": empty, "fillable_share_by_sector": empty}) == {
        "h2a_origin_shares": None,
        "fillable_share_by_sector": {},
    }


def test_assumptions_the_model_rejects_do_not_replace_the_current_ones(app):
    """A circular origin with no H-2A workers passes field validation but the model rejects it: the error is shown
    and the results, saving and export keep working on the assumptions applied before."""
    _open(app, "app_pages/program_design.py")
    _number_input(app, "h2b_cap").set_value(100_000)
    _click(app, "Apply assumptions")
    applied = app.session_state[common.CURRENT]
    app.text_input(key=assumptions_form.widget_key("circular_origins")).set_value("Narnia")
    _click(app, "Apply assumptions")
    assert not app.exception
    problem = f"{assumptions_form.labels()['circular_origins']}: none of Narnia has H-2A workers in the origin shares"
    assert [e.value for e in app.error] == [problem, problem], "above the form and under the field"
    assert app.session_state[common.CURRENT] == applied
    assert _metric(app, "h2b_cap_total") > 0, "the results of the applied assumptions stay on the page"
    assert app.text_input(key=assumptions_form.widget_key("circular_origins")).value == "Narnia", "the edit is kept"

    _open(app, "app_pages/scenarios.py")
    narnia = b"title: Narnia\nassumptions:\n  circular_origins: [Narnia]\n"
    app.file_uploader(key="scenario_upload").set_value(("narnia.yaml", narnia, "application/x-yaml")).run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        f"{assumptions_form.labels()['circular_origins']}: none of Narnia has H-2A workers in the origin shares"
    ]
    assert app.session_state[common.CURRENT] == applied


@pytest.mark.parametrize(
    ("field", "value", "moved"),
    [
        ("processing_days_faster", 30.0, "late_worker_months_saved"),  # the processing lever moved no metric before
        ("processing_pct_faster", 50.0, "late_worker_months_saved"),
        ("first_half_share", 0.9, "h2b_unmet_h1"),  # the half split moved no metric before
        ("carried_home_share", 0.9, "wages_carried_home_usd"),  # nor did the share carried home
    ],
)
def test_each_lever_moves_a_headline_metric(app, field, value, moved):
    _open(app, "app_pages/program_design.py")
    before = _metric(app, moved)
    _number_input(app, field).set_value(value)
    _click(app, "Apply assumptions")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _metric(app, moved) != before


@pytest.mark.raw
def test_a_bls_api_upload_is_summarised_by_month(app, raw_dir):
    """A BLS API v2 response built from the real CPS series LNU04032230 (FRED download of BLS data)."""
    observed = pd.read_csv(raw_dir / "bls_cps" / "original" / "LNU04032230.csv", parse_dates=["Date"])
    data = [
        {
            "year": str(d.year),
            "period": f"M{d.month:02d}",
            "periodName": d.strftime("%B"),
            "value": str(v),
            "footnotes": [{}],
        }
        for d, v in zip(observed["Date"], observed["LNU04032230"])
    ]
    response = {
        "status": "REQUEST_SUCCEEDED",
        "message": [],
        "Results": {"series": [{"seriesID": "LNU04032230", "data": data}]},
    }
    _open(app, "app_pages/data.py")
    _upload(app, "BLS API v2 JSON", "cps.json", json.dumps(response).encode())
    assert not app.error, [e.value for e in app.error]
    (message,) = [s.value for s in app.success]
    assert message.startswith(f"cps.json: 1 series, {len(observed):,} monthly values (2000-01 to ")
    row = app.dataframe[-1].value.iloc[0]
    assert (row["first_month"], row["months"]) == ("2000-01", len(observed))
    assert row["last_month"] == f"{observed['Date'].max():%Y-%m}"


def test_a_circular_origin_without_workers_is_named_instead_of_silently_dropped(app):
    _open(app, "app_pages/program_design.py")
    app.text_input(key=assumptions_form.widget_key("circular_origins")).set_value("mexico, Narnia")
    _click(app, "Apply assumptions")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert [w.value for w in app.warning] == [
        "Circular origins left out of the quotas (Narnia: no H-2A or H-2B workers in the origin shares). Check the "
        "spelling against that visa class's origin shares, or give the country a share there."
    ]
    app.text_input(key=assumptions_form.widget_key("circular_origins")).set_value("Mexico, Jamaica")
    _click(app, "Apply assumptions")
    assert not app.warning


def test_opening_an_older_scenario_file_says_its_one_origin_table_went_to_both_classes(app):
    _open(app, "app_pages/scenarios.py")
    older = b"title: Older\nassumptions:\n  origin_shares: {Mexico: 0.6, Guatemala: 0.4}\n"
    app.file_uploader(key="scenario_upload").set_value(("older.yaml", older, "application/x-yaml")).run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert [i.value for i in app.info if "origin-shares" in i.value] == [LEGACY_ORIGIN_NOTICE]
    current = app.session_state[common.CURRENT]
    assert current.h2a_origin_shares == current.h2b_origin_shares == {"Mexico": 0.6, "Guatemala": 0.4}


def test_result_tables_show_whole_workers_and_money_and_rates_to_the_cent(app):
    """The model's workers and USD are fractional (e.g. 73.279967 workers, wage bill 1349176.8197 USD). The table is
    static now (no column cut off), money as the rest of the app writes it ("$1.6 million")."""
    _open(app, "app_pages/program_design.py")
    app.session_state["result_section"] = "H-2A sizing"
    app.run()
    assert not app.exception
    table = app.table[-1].value
    assert list(table.columns) == [
        "State",
        "Workers",
        "AEWR (USD/hour)",
        "AEWR basis",
        "Weeks",
        "Hours per week",
        "Wage bill (USD)",
    ]
    assert table["Workers"].str.fullmatch(r"[\d,]+").all()
    assert table["Wage bill (USD)"].str.fullmatch(r"\$[\d,.]+( million| billion)?").all()
    assert table["AEWR (USD/hour)"].str.fullmatch(r"\d+\.\d\d").all()
    assert table["Hours per week"].str.fullmatch(r"\d+\.\d").all()


def test_overview_sector_labels_keep_their_data_vintage(app):
    """The outlook chart's labels end in '(data to Apr 2026)'; a label limit cut the longest sector's vintage off."""
    _open(app, "app_pages/overview.py")
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    (outlook,) = [spec for spec in specs if '"change_pct"' in json.dumps(spec)]
    axes = [
        layer["encoding"]["y"]["axis"] for layer in outlook.get("layer", [outlook]) if "y" in layer.get("encoding", {})
    ]
    assert axes and all(axis.get("labelLimit", 0) == 0 for axis in axes), axes


def test_the_manifest_check_result_stays_while_a_file_is_uploaded(app):
    _open(app, "app_pages/data.py")
    _click(app, "Run the manifest check")
    intact = "Snapshot intact: every file matches the manifest"
    assert [s.label for s in app.status] == [intact]
    _upload(app, "BLS API v2 JSON", "broken.json", b"{")
    assert intact in [s.label for s in app.status], "the check's result was wiped by the upload"


def test_forecasts_page_shows_a_stale_h2a_series_with_its_break_and_no_forecast(app):
    _open(app, "app_pages/forecasts.py")
    app.selectbox(key="forecast_sector").set_value("agriculture").run()
    app.selectbox(key="forecast_series").set_value("h2a_certified_worker_months").run()
    assert not app.exception and not app.error
    text = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert "data through 2017-09" in text and "worker-months" in text and "OFLC disclosure" in text
    assert (
        "Break in the line: no value from 2017-10 to 2023-01 (64 months): no disclosure file for FY2019–FY2020" in text
    )
    assert "no value from 2005-10 to 2006-09 (12 months): no disclosure file for FY2005." in text
    (stale,) = [info.value for info in app.info if "Stale" in info.value]
    assert f"more than {STALE_MONTHS} months before the snapshot's as-of month" in stale, "the rule's own constant"
    # no forecast, so no forecast scores: the only metrics are the national demand model's track record below
    assert all(m.label.startswith(("H-2A ", "H-2B ")) for m in app.metric)


def test_forecasts_page_labels_the_leisure_and_hospitality_proxy(app):
    _open(app, "app_pages/forecasts.py")
    app.selectbox(key="forecast_sector").set_value("accommodation_food_services").run()
    app.selectbox(key="forecast_series").set_value("openings").run()
    line = " ".join(m.value for m in app.markdown)
    assert "proxy: JOLTS leisure and hospitality (700000)" in line and "source JTS700000000000000JOL" in line
    assert "data through 2025-12" in line


def _luminance(colour: str) -> float:
    """Relative luminance (0 black, 1 white) of a '#rrggbb' colour."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_forecast_chart_draws_what_its_caption_says(app):
    """The caption above the band chart is its legend. The chart's own Vega-Lite spec must draw what it says: a solid
    dark line for observed months, a dashed blue line for the forecast mean, a darker band for 80% over a lighter
    one for 95%."""
    _open(app, "app_pages/forecasts.py")
    app.selectbox(key="forecast_sector").set_value("construction").run()
    app.selectbox(key="forecast_series").set_value("openings").run()
    (legend,) = [c.value for c in app.caption if c.value.startswith("Solid dark line: observed months.")]
    for words in ("Dashed blue line: the forecast (mean)", "Dark blue band: 80%", "light blue band: 95%"):
        assert words in legend
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    (chart,) = [spec for spec in specs if any("y2" in layer.get("encoding", {}) for layer in spec.get("layer", []))]
    marks = {layer["encoding"].get("y2", layer["encoding"]["y"])["field"]: layer["mark"] for layer in chart["layer"]}
    assert {marks[f]["type"] for f in ("hi80", "hi95")} == {"area"}
    assert {marks[f]["type"] for f in ("mean", "value")} == {"line"}
    # the 80% band is drawn over the 95% band: what shows is its colour blended over the 95% band's
    band80, band95 = marks["hi80"], marks["hi95"]
    shown80 = band80.get("opacity", 1) * _luminance(band80["color"])
    shown80 += (1 - band80.get("opacity", 1)) * _luminance(band95["color"])
    assert shown80 < _luminance(band95["color"]) - 0.1, "the 80% band is the darker one"
    mean, observed = marks["mean"], marks["value"]
    assert mean.get("strokeDash") and not observed.get("strokeDash"), "the forecast is dashed, the history solid"
    red, _, blue = (int(mean["color"][i : i + 2], 16) for i in (1, 3, 5))
    assert blue > red + 60, "the forecast line is blue"
    assert _luminance(observed["color"]) < 0.2, "the observed line is dark"


def test_overview_heading_leaves_stale_series_out_and_says_which_sectors(app):
    """Tables show sector labels (the ids stay in files); the sources tables are static, current apart from stale."""
    _open(app, "app_pages/overview.py")
    labels = sector_labels()
    (heading,) = [table.value for table in app.table if "Change (percent)" in table.value.columns]
    assert not heading["Sector"].str.startswith(labels["agriculture"]).any()  # H-2A, H-2B, CPS, QCEW all stale
    (proxied,) = [label for label in heading["Sector"] if label.startswith(labels["accommodation_food_services"])]
    assert "proxy: JOLTS leisure and hospitality (700000); data to Dec 2025" in proxied
    assert set(heading["Series"]) == {series_name("openings")}
    data_ends = heading["Sector"].str.extract(r"data to (\w{3} \d{4})\)$")[0]
    assert (pd.to_datetime(data_ends, format="%b %Y") >= "2025-12-01").all()
    (ranked,) = [table.value for table in app.table if "Indicator score (z-score)" in table.value.columns]
    assert not ranked["Sector"].str.startswith(labels["agriculture"]).any()  # nothing current to rank it on
    (label,) = [x for x in ranked["Sector"].unique() if x.startswith(labels["arts_entertainment_recreation"])]
    assert label.endswith("(proxy: JOLTS leisure and hospitality (700000))")
    sources = [table.value for table in app.table if "Vintage" in table.value.columns]
    assert len(sources) == 2
    catalogue = common.catalogue()
    assert len(sources[0]) == (~catalogue["stale"]).sum() and len(sources[1]) == catalogue["stale"].sum()
    assert (sources[0]["Data through"] > sources[1]["Data through"].max()).all(), "current series end later"


def _save_named(app: AppTest, name: str) -> None:
    app.text_input(key="save_name").set_value(name)
    _click(app, "Save current assumptions")
    assert [s.value for s in app.success] == [f"Saved {name!r} as version 1."]


def test_a_saved_scenario_can_be_deleted_and_restored_while_it_is_being_compared(app):
    """Agency staff could save and compare but not delete in the app (only with the CLI)."""
    _open(app, "app_pages/scenarios.py")
    for name in ("alpha", "beta", "gamma"):
        _save_named(app, name)
    app.multiselect(key="compare_names").set_value(["alpha", "beta"]).run()
    app.selectbox(key="load_name").set_value("alpha").run()
    _click(app, "Delete 'alpha'...")
    assert [w.value for w in app.warning if "Delete 'alpha'" in w.value], "deleting asks first"
    assert list(app.dataframe[0].value["name"]) == ["alpha", "beta", "gamma"], "nothing deleted before the answer"
    _click(app, "Yes, delete 'alpha'")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert [s.value for s in app.success] == [
        "Deleted 'alpha'; its versions are kept (restore it under 'Deleted scenarios')."
    ]
    assert list(app.dataframe[0].value["name"]) == ["beta", "gamma"]
    # the deleted scenario leaves the comparison, the next saved one takes its place (two are compared)
    assert app.multiselect(key="compare_names").value == ["beta", "gamma"]
    _click(app, "Restore 'alpha'")
    assert not app.exception and not app.error
    assert [s.value for s in app.success] == ["Restored 'alpha' with all its versions."]
    assert list(app.dataframe[0].value["name"]) == ["alpha", "beta", "gamma"]
    # saving times read as a date and a time, not '2026-11-23 16:51:58.963403+00:00'
    assert column_formats(app.dataframe[0])["last saved (UTC)"] == "YYYY-MM-DD HH:mm:ss"
    assert column_formats(app.dataframe[1])["saved at (UTC)"] == "YYYY-MM-DD HH:mm:ss"
