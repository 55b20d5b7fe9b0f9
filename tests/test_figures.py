"""Headline figures declared once (`labormatch.figures`) and one formatter per unit (`labormatch.units`)."""

from __future__ import annotations

import dataclasses

import pytest
from report_fixtures import synthetic_result

from labormatch.errors import LabormatchError
from labormatch.figures import BY_KEY, HEADLINE_FIGURES, figure, in_order, value
from labormatch.report.headline import reading
from labormatch.units import format_value, money


@pytest.mark.parametrize(
    ("number", "unit", "options", "text"),
    [
        (30693.4268, "workers", {}, "30,693"),
        (-1200.0, "workers", {"delta": True}, "-1,200"),
        (1200.0, "worker-months", {"delta": True}, "+1,200"),
        (4321.5, "worker-seasons", {}, "4,322"),
        (0.12345, "share", {}, "12.3%"),
        (0.012, "share", {"delta": True}, "+1.2 pp"),
        (-0.012, "share", {"delta": True}, "-1.2 pp"),
        (13_295_498_611.0, "USD", {}, "$13.3 billion"),
        (412_460_000.0, "USD", {}, "$412.5 million"),
        (95_000.4, "USD", {}, "$95,000"),
        (2.5e8, "USD", {"delta": True}, "+$250.0 million"),
        (-1.34e9, "USD", {"delta": True}, "-$1.3 billion"),
        (13_295_498_611.0, "USD", {"compact": True}, "13,295.5m"),
        (1.5e6, "USD", {"compact": True, "delta": True}, "+1.5m"),
        (1234.5678, "", {}, "1,235"),
        # a change that rounds to nothing has no sign
        (0.0, "workers", {"delta": True}, "0"),
        (-0.4, "worker-months", {"delta": True}, "0"),
        (-0.0004, "share", {"delta": True}, "0.0 pp"),
        (0.3, "USD", {"delta": True}, "$0"),
        (-0.3, "USD", {"delta": True}, "$0"),
        (-4e3, "USD", {"compact": True, "delta": True}, "0.0m"),
        (-0.2, "workers", {}, "0"),
        (0.0123456, "", {}, "0.01235"),
        (float("nan"), "workers", {}, "n/a"),
        (None, "share", {}, "n/a"),
    ],
)
def test_one_formatter_per_unit(number, unit, options, text):
    assert format_value(number, unit, **options) == text


def test_money_is_the_usd_formatter():
    assert money(-2.5e8) == format_value(-2.5e8, "USD") == "-$250.0 million"


def test_each_figure_is_declared_once_with_a_unit_and_a_direction():
    keys = [f.key for f in HEADLINE_FIGURES]
    assert len(keys) == len(set(keys)) == len(BY_KEY)
    assert {f.better for f in HEADLINE_FIGURES} <= {"higher", "lower", "neither"}
    assert (figure("h2b_unmet").better, figure("h2b_unmet_h1").better) == ("lower", "lower")
    # the row label leans on the row above; the standalone label does not
    assert figure("h2b_unmet_h1").standalone_label == "H-2B demand unmet, Oct-Mar starts"
    assert figure("h2b_unmet_lo80").label == "  H-2B demand unmet, 80% low"  # interval ends follow their figure
    assert (figure("new_workers").unit, figure("h2a_wage_bill_usd").text(1.5e6)) == ("worker-seasons", "$1.5 million")


def test_declared_figures_come_first_then_the_ones_the_model_added():
    order = [f.key for f in in_order({"extra_figure": 1.0, "h2b_unmet": 2.0, "h2b_demand": 3.0})]
    assert order == ["h2b_demand", "h2b_unmet", "extra_figure"]


def test_a_renamed_or_missing_figure_fails_loudly_instead_of_reading_zero():
    with pytest.raises(LabormatchError, match="no headline figure is declared as 'h2b_unmet_total'"):
        value({"h2b_unmet": 5.0}, "h2b_unmet_total")
    with pytest.raises(LabormatchError, match="has no headline figure 'h2b_unmet'"):
        value({"h2b_unmet_total": 5.0}, "h2b_unmet")
    assert value({"h2b_unmet": 5.0}, "h2b_unmet") == 5.0


def test_the_workbook_reading_refuses_a_result_whose_figure_was_renamed():
    base = synthetic_result()
    assert reading(base)[0].startswith("In FY2025, employers would seek about ")
    renamed = {("h2b_unmet_total" if key == "h2b_unmet" else key): v for key, v in base.headline.items()}
    with pytest.raises(LabormatchError, match="'h2b_unmet'"):
        reading(dataclasses.replace(base, headline=renamed))
