"""The browser test's rule for an internal id in a page's text (tests/browser/page_ids.py): known cases."""

from __future__ import annotations

import pytest

from tests.browser.page_ids import ids_in, named_ids_in, snake_case_ids_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The cap is set by h2b_cap.", {"h2b_cap"}),  # a sentence's full stop after the id
        ("beats_seasonal_naive: 3 of 12", {"beats_seasonal_naive"}),
        ("tranche statutory_h1, measure share_late", {"statutory_h1", "share_late"}),
        ("accommodation_food_services:employment:SA", {"accommodation_food_services"}),
        ("(food_manufacturing)", {"food_manufacturing"}),
        ("Source: oflc_h2a_fy2024.xlsx, data through 2024-09", set()),  # a file name is a source
        ("written to reports/h2a_sizing.csv.", set()),  # a path, at a sentence's end
        ("https://www.dol.gov/agencies/eta/foreign_labor/performance", set()),
        ("monthly PDF tables into h2_reference/ (not published)", set()),  # a folder
        ("State Department (via chapmanjacobd/us_visa_statistics)", set()),  # a repository
        ("issuances (via chapmanjacobd/\u200bus_visa_statistics)", set()),  # split to wrap in a table
        ("labormatch data update --source bls_api (or --source bls_flat)", set()),  # a command as typed
        ("update with bls_api", {"bls_api"}),  # the same word outside a command is an id
        ("positions_certified = 1.250 x visas_issued", {"positions_certified", "visas_issued"}),
        ("Food processing (incl. seafood, meat): 12,000 workers", set()),
        ("H-2B cap (workers per fiscal year)", set()),
        ("FY2024 H1 Oct-Mar", set()),
    ],
)
def test_snake_case_words_are_ids_file_names_and_addresses_are_not(text, found):
    assert snake_case_ids_in(text) == found


def test_named_ids_are_whole_words_and_a_full_stop_ends_them():
    names = {"ets", "food_manufacturing", "x:employment:SA"}
    assert named_ids_in("The model is ets.", names) == {"ets"}
    assert named_ids_in("Tickets and sets and ets_2", names) == set()
    assert named_ids_in("Series x:employment:SA. Next", names) == {"x:employment:SA"}
    assert named_ids_in("see forecasts/ets.csv", names) == set()
    assert ids_in("ets and h2b_cap", names) == {"ets", "h2b_cap"}
