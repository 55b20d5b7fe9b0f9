"""Reference tables: typed loads of the real files checked against figures in the provenance notes."""

import pandas as pd
import pytest

from labormatch.errors import SourceError
from labormatch.sources import reference


def fiscal_year(months: pd.Series) -> pd.Series:
    return months.dt.year + (months.dt.month >= 10)


@pytest.mark.raw
def test_dos_issuances_fiscal_year_sums_match_provenance(raw_dir):
    dos = reference.load_dos_issuances(raw_dir)
    sums = dos.groupby([fiscal_year(dos["month"]), "visa_class"])["issuances"].sum()
    assert (sums[(2023, "H-2A")], sums[(2024, "H-2A")], sums[(2023, "H-2B")]) == (311_217, 315_953, 132_034)
    assert str(dos["issuances"].dtype) == "Int32"


@pytest.mark.raw
def test_caps_aewr_and_epi_tables(raw_dir):
    tables = reference.load_reference_tables(raw_dir)
    epi = tables["epi_h2a_national"].set_index("fiscal_year")
    assert epi.loc[2017, "h2a_positions_certified_dol"] == 200_049
    assert epi.loc[2022, "h2a_visas_issued_dos"] == 298_336
    caps = tables["h2b_cap_supplemental"].set_index("fiscal_year")
    assert caps.loc[2023, "supplemental_max"] == 64_716 and (caps["statutory_cap"] == 66_000).all()
    reached = tables["h2b_cap_reached_dates"].set_index(["fiscal_year", "cap_period"])
    assert reached.loc[(2025, "second_half"), "final_receipt_date"] == pd.Timestamp("2025-03-05")
    aewr = tables["aewr"]
    fls_2023 = aewr[(aewr["aewr_year"] == 2023) & (aewr["fls_region"] != "")]
    # domain notes: the 2023 AEWRs of the 49 FLS states ranged $13.67-$18.65, mean $16.13
    assert fls_2023["state_abbr"].nunique() == 49
    assert (fls_2023["aewr_hourly_usd"].min(), fls_2023["aewr_hourly_usd"].max()) == (13.67, 18.65)
    assert round(fls_2023["aewr_hourly_usd"].mean(), 2) == 16.13
    assert tables["trla_tx_h2a_2021"]["month"].dt.year.eq(2021).all()
    assert set(tables) >= {
        "dos_issuances",
        "h2b_cap_supplemental",
        "h2b_cap_reached_dates",
        "aewr",
        "epi_h2a_national",
        "epi_h2b_national",
        "h2_published_figures",
        "jolts_rates_trailing3mo",
    }


@pytest.mark.parametrize(
    "relative, text, load, problem",
    [
        (
            reference.EPI_H2A,
            "fiscal_year,h2a_positions_certified_dol,source\n2017,200049,EPI\n",
            reference.load_epi_h2a_national,
            r"epi_h2a_national_fy2005_2022.csv: missing required columns "
            r"\['h2a_visas_issued_dos', 'h2a_petition_beneficiaries_approved_uscis'\]",
        ),
        (
            reference.H2B_CAP_REACHED,
            "fiscal_year,cap_period,final_receipt_date,date_precision,source\n2025,second_half,March 5th,day,X\n",
            reference.load_h2b_cap_reached_dates,
            "h2b_cap_reached_dates.csv: column 'final_receipt_date'.*'March 5th'",
        ),
        (reference.AEWR, "", reference.load_aewr, "aewr_h2a_by_state_2019_2025_partial.csv: cannot be read"),
        (
            reference.AEWR,
            "state,state_abbr,aewr_year,effective_date,aewr_hourly_usd,source\nFlorida,FL,2023,2023-01-01,-1,X\n",
            reference.load_aewr,
            "aewr_hourly_usd.*not a positive number",
        ),
    ],
)
def test_bad_reference_files_are_refused_naming_file_and_problem(tmp_path, relative, text, load, problem):
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(SourceError, match=problem):
        load(tmp_path)
