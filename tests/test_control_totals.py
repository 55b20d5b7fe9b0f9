"""Control totals: measure preference, conversions on overlapping years only, publication dates; real files."""

import math

import pandas as pd
import pytest

from labormatch import control_totals as ct
from labormatch.rules import load_rules
from labormatch.sources.reference import load_reference_tables


def rows(visa_class, measure, values: dict, kind="published", published=None, note=""):
    return pd.DataFrame(
        {
            "visa_class": visa_class,
            "fiscal_year": list(values),
            "period": "FY",
            "month": pd.NaT,
            "measure": measure,
            "value": [float(v) for v in values.values()],
            "unit": "",
            "source": f"test {kind}",
            "kind": kind,
            "published": [published or ct.annual_published(y) for y in values],
            "published_basis": "",
            "verified": "",
            "partial": False,
            "note": note,
        }
    )


def test_a_conversion_uses_only_the_years_where_both_measures_exist():
    totals = pd.concat(
        [
            rows("H-2B", ct.CERTIFIED, {2015: 100, 2016: 120, 2017: 150}),
            rows("H-2B", "visas_issued", {2016: 60, 2017: 100, 2018: 90}),
        ],
        ignore_index=True,
    )
    conversion = ct.conversion(totals, "H-2B", "visas_issued")
    # 120/60 = 2 and 150/100 = 1.5 over FY2016-2017; FY2015 and FY2018 have one measure only
    assert conversion.years == (2016, 2017)
    assert conversion.ratio == pytest.approx(math.sqrt(3.0))
    assert conversion.log_sd == pytest.approx(abs(math.log(2.0) - math.log(1.5)) / math.sqrt(2.0))
    assert conversion.describe().startswith(
        "positions certified = 1.732 x visas issued (geometric mean over FY2016, FY2017; log sd"
    )  # measures in words, as the app's and the workbook's readers read them
    series, used = ct.certified_series(totals, "H-2B")
    filled = series.set_index("fiscal_year").loc[2018]
    assert filled["value"] == pytest.approx(90 * math.sqrt(3.0)) and filled["log_sd"] == conversion.log_sd
    assert used == [conversion]


def test_a_conversion_ignores_figures_published_after_the_as_of_date():
    late = rows("H-2B", "visas_issued", {2017: 300}, published=pd.Timestamp("2030-01-01"))
    totals = pd.concat(
        [rows("H-2B", ct.CERTIFIED, {2016: 120, 2017: 150}), rows("H-2B", "visas_issued", {2016: 60}), late],
        ignore_index=True,
    )
    assert ct.conversion(totals, "H-2B", "visas_issued", as_of=pd.Timestamp("2020-01-01")).years == (2016,)
    assert ct.conversion(totals, "H-2B", "visas_issued").years == (2016, 2017)


def test_annual_prefers_published_and_exact_figures():
    totals = pd.concat(
        [
            rows("H-2A", ct.CERTIFIED, {2022: 51607}, kind="case_files"),
            rows("H-2A", ct.CERTIFIED, {2022: 372000}, note="rounded"),
            rows("H-2A", ct.CERTIFIED, {2022: 371619}),
        ],
        ignore_index=True,
    )
    assert ct.annual(totals, "H-2A", ct.CERTIFIED)["value"].tolist() == [371619.0]


def test_a_fiscal_year_total_is_public_three_months_after_the_year_ends():
    assert ct.annual_published(2024) == pd.Timestamp("2024-12-31")


def test_publication_lags_come_from_the_parameter_tree():
    """3 months after a fiscal year, 2 after an issuance month, 1 after the January window; each cited."""
    rules = load_rules()
    assert {kind: ct.lag_months(kind) for kind in ("annual_total", "monthly_issuances", "january_window")} == {
        "annual_total": 3,
        "monthly_issuances": 2,
        "january_window": 1,
    }
    assert "migration.ucdavis.edu" in rules.parameters["publication_lag/annual_total"].source()
    assert ct._rule(2022) == "rule: FY2022 end + 3 months (rules/publication_lag/annual_total.yaml)"
    assert not [row for row in rules.table() if row["parameter"].startswith("publication_lag/")]


def test_real_control_totals(raw_dir):
    from labormatch import snapshot

    tables = load_reference_tables(raw_dir)
    totals = ct.build(tables, snapshot.load_table("oflc_cases"))
    h2a = ct.annual(totals, "H-2A", ct.CERTIFIED).set_index("fiscal_year")["value"]
    assert h2a.loc[2025] == 398258 and h2a.loc[2022] == 371619  # AFBF; EPI exact over the rounded page
    assert h2a.loc[2023] == 384900 - 6000  # implied by the FY2024 page
    dos = totals[(totals["measure"] == "visas_issued") & (totals["kind"] == "monthly_sum") & (totals["period"] == "FY")]
    assert dos.set_index(["visa_class", "fiscal_year"]).loc[("H-2B", 2025), "partial"]
    assert dos.set_index(["visa_class", "fiscal_year"]).loc[("H-2B", 2024), "value"] == 139971
    window = totals[(totals["measure"] == "january_window_positions") & (totals["fiscal_year"] == 2026)].iloc[0]
    assert window["value"] == 162603 and window["verified"] == "UNVERIFIED"
    assert set(totals["measure"]) <= set(ct.MEASURES)


def test_a_case_file_year_without_requested_counts_is_unknown_not_zero():
    cases = pd.DataFrame(
        {
            "visa_class": "H-2B",
            "fiscal_year": [2013, 2013, 2014],
            "status": "certified",
            "workers_certified": [5.0, 7.0, 3.0],
            "workers_requested": [None, None, 4.0],
            "partial_year": False,
            "source_file": ["a.xlsx", "a.xlsx", "b.xlsx"],
        }
    )
    totals = ct.from_case_files(cases)
    requested = totals[totals["measure"] == "positions_requested"].set_index("fiscal_year")["value"]
    assert requested.to_dict() == {2014: 4.0}
    certified = totals[totals["measure"] == ct.CERTIFIED].set_index("fiscal_year")["value"]
    assert certified.to_dict() == {2013: 12.0, 2014: 3.0}
