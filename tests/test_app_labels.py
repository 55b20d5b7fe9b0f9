"""The app speaks in labels and units, not in the code's names (issue 15): known answers for the helpers."""

from __future__ import annotations

import pandas as pd
import pytest

from app_pages import assumptions_form, results
from labormatch.assumptions import Assumptions, AssumptionsError, PilotCarveout
from labormatch.compare import assumption_differences
from labormatch.units import money

FOOD = "Food processing (incl. seafood, meat)"  # data/sectors.csv label of food_manufacturing


def test_tables_offer_sector_labels_and_hand_ids_to_the_model():
    carveouts = pd.DataFrame({"sector": [FOOD], "numbers": [5000], "inside_cap": [False]})
    shares = pd.DataFrame({"sector": [FOOD], "share": [0.4]})
    mapping = assumptions_form.to_mapping({"pilot_carveouts": carveouts, "fillable_share_by_sector": shares})
    assert mapping == {
        "pilot_carveouts": [{"sector": "food_manufacturing", "numbers": 5000, "inside_cap": False}],
        "fillable_share_by_sector": {"food_manufacturing": 0.4},
    }
    assert Assumptions.from_dict(mapping).pilot_carveouts[0].sector == "food_manufacturing"


def test_an_origin_table_takes_country_names():
    """The empty origin table was numeric: a typed 'Mexico' was lost. Typed text columns keep it."""
    table = pd.DataFrame(
        {"origin": pd.Series(["Mexico", "Guatemala"], dtype="string"), "share": pd.Series([0.6, 0.4], dtype="Float64")}
    )
    mapping = assumptions_form.to_mapping({"h2a_origin_shares": table, "h2b_origin_shares": table})
    shares = {"Mexico": 0.6, "Guatemala": 0.4}
    assert mapping == {"h2a_origin_shares": shares, "h2b_origin_shares": shares}


@pytest.mark.parametrize(
    ("key", "change", "shown"),
    [
        ("h2b_unmet", 0.0, None),
        ("h2b_unmet", 0.4, None),  # shown whole: "+0" is noise
        ("h2b_unmet", -0.3, None),  # "-0" too
        ("h2b_unmet", -1200.0, "-1,200 vs defaults"),
        ("late_start_share", 0.0004, None),  # +0.0 pp
        ("late_start_share", 0.012, "+1.2 pp vs defaults"),
        ("h2a_wage_bill_usd", 0.3, None),
        ("h2a_wage_bill_usd", 20.0, "+$20 vs defaults"),
        ("h2a_wage_bill_usd", 2.5e8, "+$250.0 million vs defaults"),
        ("h2a_wage_bill_usd", -1.34e9, "-$1.3 billion vs defaults"),
    ],
)
def test_deltas_that_round_to_nothing_are_not_shown(key, change, shown):
    assert results.delta_text(key, change) == shown


def test_money_reads_as_the_workbook_writes_it():
    assert [money(v) for v in (13_295_498_611, 412_460_000, 95_000.4)] == ["$13.3 billion", "$412.5 million", "$95,000"]
    assert results.figure_text("h2a_wage_bill_usd", 13_295_498_611) == "$13.3 billion"


def test_errors_name_fields_by_label_and_say_which_field():
    labels = assumptions_form.labels()
    message = (
        "invalid assumptions:\n- h2b_cap: Input should be less than or equal to 10000000\n"
        "- circular_origins: none of the countries has a positive share in h2b_origin_shares"
    )
    text, by_field = assumptions_form.readable_error(message)
    assert text.splitlines() == [
        "Some assumptions are not valid:",
        f"- {labels['h2b_cap']}: Input should be less than or equal to 10000000",
        f"- {labels['circular_origins']}: none of the countries has a positive share in {labels['h2b_origin_shares']}",
    ]
    assert by_field == {
        "h2b_cap": f"{labels['h2b_cap']}: Input should be less than or equal to 10000000",
        "circular_origins": text.splitlines()[2].removeprefix("- "),
    }
    assert "_" not in text


def test_invalid_shares_of_one_visa_class_are_named_by_that_table_s_label():
    labels = assumptions_form.labels()
    assert (labels["h2a_origin_shares"], labels["h2b_origin_shares"]) == (
        "H-2A origin shares (share)",
        "H-2B origin shares (share)",
    )
    with pytest.raises(AssumptionsError) as raised:
        Assumptions.from_dict({"h2a_origin_shares": {"Mexico": 1.0}, "h2b_origin_shares": {"Mexico": 0.5}})
    text, by_field = assumptions_form.readable_error(str(raised.value))
    problem = "H-2B origin shares (share): shares sum to 0.500000; they must sum to 1"
    assert text.splitlines() == ["Some assumptions are not valid:", f"  {problem}"]
    assert by_field == {"h2b_origin_shares": problem}


def test_the_assumptions_that_differ_are_listed_by_label_with_readable_values():
    labels = assumptions_form.labels()
    changed = Assumptions(
        h2b_cap=90_000,
        pilot_carveouts=(PilotCarveout(sector="food_manufacturing", numbers=5000),),
        fillable_share_by_sector={"food_manufacturing": 0.4},
    )
    table = assumption_differences({"mine": changed, "default": Assumptions()})
    assert list(table.columns) == ["assumption", "mine", "default"]
    rows = table.set_index("assumption")
    assert sorted(rows.index) == sorted(labels[f] for f in ("h2b_cap", "pilot_carveouts", "fillable_share_by_sector"))
    assert list(rows.loc[labels["h2b_cap"]]) == ["90,000", "default (from the data or the rule)"]
    assert rows.loc[labels["pilot_carveouts"], "mine"] == f"{FOOD}: 5,000 workers inside the cap"
    assert rows.loc[labels["fillable_share_by_sector"], "mine"] == f"{FOOD} 0.4"
    assert assumption_differences({"a": Assumptions(), "b": Assumptions()}).empty


def test_half_and_interval_names_are_declared_once_in_the_package():
    """Half names live in labormatch.fiscal, interval measure names beside the figures (labormatch.figures); the
    pages, their charts and the workbook use those, with the text they always rendered."""
    from app_pages import charts
    from labormatch import figures, fiscal
    from labormatch.report import demand_trace, headline, intervals_sheet, plain_tables

    assert results.HALF_NAMES == {"H1": "Oct-Mar starts", "H2": "Apr-Sep starts", "all": "fiscal year"}
    assert intervals_sheet.HALF_NAMES == {"H1": "Oct-Mar", "H2": "Apr-Sep", "all": "fiscal year"}
    assert fiscal.HALF_ORDINAL_NAMES == {"H1": "first-half (Oct-Mar)", "H2": "second-half (Apr-Sep)"}
    assert list(charts.HALF_COLOURS) == ["Oct-Mar starts", "Apr-Sep starts"]
    assert figures.figure("h2b_unmet_h2").label == "  unmet, Apr-Sep starts"
    assert figures.figure("h2b_unmet_h1").standalone_label == "H-2B demand unmet, Oct-Mar starts"
    assert figures.INTERVAL_MEASURES["h2b_unmet"] == figures.figure("h2b_unmet").standalone_label == "H-2B demand unmet"
    assert figures.INTERVAL_MEASURES["h2b_used"] == figures.figure("h2b_allocated").standalone_label
    assert figures.INTERVAL_MEASURES["h2b_used"] == "H-2B numbers used"
    assert figures.INTERVAL_MEASURES["h2b_h2_selection_probability"] == "H-2B lottery odds, January window"
    # no copies of their own
    assert intervals_sheet.BAND_MEASURES is figures.BAND_MEASURES
    assert not {"BAND_MEASURES", "MEASURE_NAMES"} & set(vars(results))
    assert "HALF_NAMES" not in vars(headline)
    # the workbook's column titles, with the text they always rendered
    assert [demand_trace._half_header(h) for h in fiscal.HALVES] == ["H1 Oct-Mar (workers)", "H2 Apr-Sep (workers)"]
    assert plain_tables.HALF_LEGEND == "H1 Oct-Mar, H2 Apr-Sep"


def test_a_headline_metric_the_result_lacks_fails_loudly():
    """A renamed or missing headline figure is an error naming it (as `figures.value`), not a metric left out."""
    from types import SimpleNamespace

    from labormatch.errors import LabormatchError

    renamed = {("h2b_unmet_first_half" if key == "h2b_unmet_h1" else key): 1.0 for key in results.METRICS}
    with pytest.raises(LabormatchError, match="no headline figure 'h2b_unmet_h1'"):
        results.headline(SimpleNamespace(headline=renamed), None)


def test_only_the_fiscal_calendar_spells_the_halves_months():
    """'Oct-Mar' and 'Apr-Sep' are written in labormatch/fiscal.py; every displayed text takes them from there
    (docstrings and comments may describe them)."""
    import ast
    import pathlib

    from labormatch import fiscal

    root = pathlib.Path(__file__).resolve().parents[1]
    found = []
    for path in sorted([*(root / "labormatch").rglob("*.py"), *(root / "app_pages").rglob("*.py")]):
        name = str(path.relative_to(root))
        if name == "labormatch/fiscal.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bodies = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, bodies) and n.body and isinstance(n.body[0], ast.Expr)
        }
        found += [
            f"{name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and any(months in node.value for months in fiscal.HALF_MONTH_NAMES.values())
        ]
    assert not found, f"half months spelled outside labormatch/fiscal.py: {found}"
    assert fiscal.HALF_LEGEND == "H1 Oct-Mar, H2 Apr-Sep"
