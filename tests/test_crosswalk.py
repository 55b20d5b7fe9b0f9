"""Industry crosswalk: known codes map to the documented sector, tables use only the fixed sector ids,
and at least 95% of certified positions map in every fiscal year and visa class of the real files."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from labormatch import crosswalk
from labormatch.paths import PROJECT_DIR
from tests.oflc_real import loaded

ARCHITECTURE = PROJECT_DIR / "docs" / "ARCHITECTURE.md"


def _fixed_sector_ids() -> list[str]:
    """Sector ids from the table in docs/ARCHITECTURE.md (the contract every module shares)."""
    text = ARCHITECTURE.read_text()
    section = text.split("## Analysis sectors", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def _cases(rows):
    frame = pd.DataFrame(rows, columns=["visa_class", "naics", "soc", "job_title"])
    return frame.astype("string")


def test_sector_table_is_the_fixed_list():
    fixed = _fixed_sector_ids()
    sectors = crosswalk.load_sectors()
    assert len(fixed) == 14 and sectors["sector"].tolist() == fixed
    assert sectors["h2a_eligible"].tolist() == [s == "agriculture" for s in fixed]
    shares = sectors.dropna(subset=["unauthorized_share"])
    assert shares["unauthorized_share"].between(0, 1).all()
    assert shares["unauthorized_share_source"].str.contains("pewresearch.org").all()
    assert sectors.loc[sectors["unauthorized_share"].isna(), "unauthorized_share_source"].isna().all()


@pytest.mark.parametrize("name", ["naics_sector.csv", "soc_sector.csv", "dot_sector.csv", "title_sector.csv"])
def test_rule_tables_use_fixed_ids_and_say_why(name):
    table = pd.read_csv(crosswalk.CROSSWALK_DIR / name, dtype=str, keep_default_na=False)
    assert set(table["sector"]) <= set(_fixed_sector_ids())
    assert (table["rule"].str.len() > 5).all()
    assert set(table["visa_class"]) <= {"", "H-2A", "H-2B"}


@pytest.mark.parametrize(
    ("visa", "naics", "soc", "title", "sector"),
    [
        ("H-2B", "561730", None, None, "professional_business_services"),  # landscaping services
        ("H-2B", "115310", None, None, "forestry_logging_mining"),  # 1153 beats 115
        ("H-2B", "115115", None, None, "agriculture"),
        ("H-2B", "311710", None, None, "food_manufacturing"),  # seafood preparation
        ("H-2B", "336612", None, None, "other_manufacturing"),
        ("H-2B", "713110", None, None, "arts_entertainment_recreation"),
        ("H-2B", "721110", None, None, "accommodation_food_services"),
        ("H-2B", "1121.0", None, None, "agriculture"),  # spreadsheet float, 4 digits
        ("H-2A", "813910", None, None, "agriculture"),  # grower association filing for farms
        ("H-2B", "813910", None, None, "other_services"),
        ("H-2A", None, "45-2092.00", None, "agriculture"),
        ("H-2B", None, "37-3011", None, "professional_business_services"),
        ("H-2B", None, "373011", None, "professional_business_services"),
        ("H-2B", None, "45-4011", None, "forestry_logging_mining"),
        ("H-2B", None, "51-3022", None, "food_manufacturing"),
        ("H-2B", None, "39-3091", None, "arts_entertainment_recreation"),
        ("H-2B", None, "37-2012", None, "accommodation_food_services"),
        ("H-2B", None, "47-2061", None, "construction"),
        ("H-2B", None, "53-3032", None, "trade_transport_utilities"),
        ("H-2A", None, "53-3032", None, "agriculture"),  # H-2A truck drivers haul produce
        ("H-2B", None, "408.687-014", None, "professional_business_services"),  # DOT laborer, landscape
        ("H-2B", None, "452.687-010", None, "forestry_logging_mining"),  # DOT forest worker
        ("H-2B", None, "525.687-126", None, "food_manufacturing"),  # DOT crab meat processor
        ("H-2B", None, "323.687-014", None, "accommodation_food_services"),  # DOT cleaner, housekeeping
        ("H-2B", None, "999.392-021", None, "arts_entertainment_recreation"),  # DOT-wrapped SOC 39-2021
        ("H-2B", None, None, "LABORER, LANDSCAPE", "professional_business_services"),
        ("H-2B", None, None, "Crab Meat Processor", "food_manufacturing"),
        ("H-2A", None, None, "SHEEP HERDER", "agriculture"),
        ("H-2B", "561730", "35-2014", "COOK", "professional_business_services"),  # NAICS first
    ],
)
def test_known_codes(visa, naics, soc, title, sector):
    assert crosswalk.assign_sector(_cases([[visa, naics, soc, title]])).iloc[0] == sector


def test_unmapped_is_missing():
    result = crosswalk.assign_sector(_cases([["H-2B", None, "11-1021", "General Manager"], ["H-2B", None, None, None]]))
    assert result.isna().all()


def test_mapped_share_arithmetic():
    cases = _cases(
        [
            ["H-2B", "561730", None, None],
            ["H-2B", None, None, "GENERAL MANAGER"],
            ["H-2B", "721110", None, None],
            ["H-2A", None, None, "Farmworker"],
        ]
    )
    cases["fiscal_year"] = pd.array([2019, 2019, 2019, 2019], dtype="Int16")
    cases["status"] = ["certified", "certified", "denied", "partially certified"]
    cases["workers_certified"] = pd.array([30, 10, 5, 4], dtype="Int32")
    share = crosswalk.mapped_share(cases).set_index("visa_class")
    assert share.loc["H-2B", "workers_certified"] == 40  # the denied case does not count
    assert share.loc["H-2B", "mapped_workers_certified"] == 30
    assert share.loc["H-2B", "mapped_share"] == 0.75
    assert share.loc["H-2A", "mapped_share"] == 1.0


@pytest.mark.raw
@pytest.mark.slow
def test_real_files_map_at_least_95_percent(raw_dir):
    cases, _ = loaded(raw_dir / "oflc")
    share = crosswalk.mapped_share(cases)
    assert len(share) == 35  # every visa class x fiscal year staged
    low = share[share["mapped_share"] < 0.95]
    assert low.empty, low.to_string()
    sectors = crosswalk.assign_sector(cases)
    assert set(sectors.dropna()) <= set(_fixed_sector_ids())
