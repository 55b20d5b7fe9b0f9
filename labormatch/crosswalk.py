"""Industry crosswalk: OFLC case codes (NAICS, SOC, DOT, job title) -> the 14 fixed analysis sectors.

The tables are data files in `data/` (documented in `data/crosswalk/README.md`):
`sectors.csv` (the sectors and their labor-market series), `crosswalk/naics_sector.csv`,
`crosswalk/soc_sector.csv`, `crosswalk/dot_sector.csv` and `crosswalk/title_sector.csv`.
A case takes its sector from the first of these that maps it: NAICS, else SOC, else DOT, else job title.
Code rules match by longest prefix; a rule with a visa class applies to that class only and wins over a
general rule of the same length. Title rules are regular expressions tried in file order.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pandas as pd

from labormatch.errors import LabormatchError
from labormatch.paths import PROJECT_DIR
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

CROSSWALK_DIR = PROJECT_DIR / "data" / "crosswalk"
SECTORS_FILE = PROJECT_DIR / "data" / "sectors.csv"
_DOT_CODE = re.compile(r"^\d{3}\.?\d{3}-?\d{3}$")
# DOT-style codes starting 999 in H-2B FY2010-2012 carry a SOC code: 999.392-021 -> 39-2021.
_DOT_WRAPPED_SOC = "999"


def load_sectors() -> pd.DataFrame:
    """`data/sectors.csv`: sector, label, NAICS prefixes, JOLTS/CES/CPS series, H-2 eligibility (bool),
    unauthorized_share (fraction of the sector's workers, blank where no published estimate) and its source."""
    return _sectors().copy()


def sector_labels() -> dict[str, str]:
    """Sector id -> readable label (`data/sectors.csv`)."""
    sectors = _sectors()
    return dict(zip(sectors["sector"], sectors["label"], strict=True))


@lru_cache(maxsize=1)
def _sectors() -> pd.DataFrame:
    table = pd.read_csv(SECTORS_FILE, dtype={"jolts_industry_code": "string", "naics_prefixes": "string"})
    table["unauthorized_share"] = table["unauthorized_share"].astype("float64")
    return table


def _read_rules(name: str, key: str) -> pd.DataFrame:
    path = CROSSWALK_DIR / name
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = set(table["sector"]) - set(_sectors()["sector"])
    if unknown:
        raise LabormatchError(f"{path}: sector ids not in data/sectors.csv: {sorted(unknown)}")
    if key != "pattern":
        table["digits"] = table[key].str.replace(r"\D", "", regex=True)
    return table


@cache
def _rules(name: str, key: str) -> pd.DataFrame:
    return _read_rules(name, key)


def _digits(codes: pd.Series) -> pd.Series:
    return codes.astype("string").str.replace(r"\.0+$", "", regex=True).str.replace(r"\D", "", regex=True)


def _prefix_lookup(digits: pd.Series, visa: pd.Series, rules: pd.DataFrame) -> pd.Series:
    """Sector of the longest matching prefix rule for each (code digits, visa class); <NA> where none."""
    table = list(zip(rules["digits"], rules["visa_class"], rules["sector"], strict=False))

    def best(code: str, visa_class: str):
        hits = [(len(p), v != "", s) for p, v, s in table if code.startswith(p) and v in ("", visa_class)]
        return max(hits)[2] if hits and code else None

    return _map_pairs(digits, visa, best)


def _title_lookup(titles: pd.Series, visa: pd.Series) -> pd.Series:
    """Sector of the first title rule (regular expression, file order) that matches; <NA> where none."""
    rules = _rules("title_sector.csv", "pattern")
    table = [
        (re.compile(p, re.IGNORECASE), v, s)
        for p, v, s in zip(rules["pattern"], rules["visa_class"], rules["sector"], strict=False)
    ]

    def first(title: str, visa_class: str):
        return next((s for rx, v, s in table if v in ("", visa_class) and rx.search(title)), None)

    return _map_pairs(titles.astype("string").str.strip(), visa, first)


def _map_pairs(values: pd.Series, visa: pd.Series, rule) -> pd.Series:
    """Apply rule(value, visa_class) once per distinct pair and map the result back onto the rows."""
    pairs = pd.DataFrame({"value": values.fillna("").astype(str), "visa": visa.fillna("").astype(str)})
    distinct = pairs.drop_duplicates()
    distinct = distinct.assign(sector=[rule(v, c) for v, c in zip(distinct["value"], distinct["visa"], strict=False)])
    merged = pairs.merge(distinct, on=["value", "visa"], how="left")
    return pd.Series(merged["sector"].to_numpy(), index=values.index, dtype="string")


def assign_sector(cases: pd.DataFrame) -> pd.Series:
    """Analysis sector id per case: NAICS prefix, else SOC, else DOT, else job title; <NA> if unmapped."""
    visa = cases["visa_class"].astype("string")
    sector = _prefix_lookup(_digits(cases["naics"]), visa, _rules("naics_sector.csv", "naics_prefix"))
    occupation = cases["soc"].astype("string").str.strip()
    is_dot = occupation.str.match(_DOT_CODE).fillna(False)
    dot_digits = _digits(occupation.where(is_dot))
    wrapped = dot_digits.str.startswith(_DOT_WRAPPED_SOC).fillna(False)
    soc_digits = _digits(occupation.where(~is_dot)).str[:6].where(~wrapped, dot_digits.str[3:])
    lookups = [
        lambda rows: _prefix_lookup(soc_digits[rows], visa[rows], _rules("soc_sector.csv", "soc_prefix")),
        lambda rows: _prefix_lookup(
            dot_digits.where(~wrapped)[rows], visa[rows], _rules("dot_sector.csv", "dot_prefix")
        ),
    ]
    if "job_title" in cases:
        lookups.append(lambda rows: _title_lookup(cases["job_title"][rows], visa[rows]))
    for lookup in lookups:
        rows = sector.isna()
        if rows.any():
            sector[rows] = lookup(rows)
    return sector.rename("sector")


def mapped_share(cases: pd.DataFrame) -> pd.DataFrame:
    """Share of certified positions that map to a sector, by visa class and fiscal year.

    Columns: visa_class, fiscal_year, workers_certified, mapped_workers_certified, mapped_share (0-1).
    Uses `cases["sector"]` when present, else assigns it.
    """
    sector = cases["sector"] if "sector" in cases else assign_sector(cases)
    certified = cases["status"].isin(CERTIFIED_STATUSES)
    workers = cases["workers_certified"].where(certified, 0).fillna(0).astype("int64")
    frame = pd.DataFrame(
        {
            "visa_class": cases["visa_class"],
            "fiscal_year": cases["fiscal_year"],
            "workers_certified": workers,
            "mapped_workers_certified": workers.where(sector.notna(), 0),
        }
    )
    out = (
        frame.groupby(["visa_class", "fiscal_year"], observed=True)[["workers_certified", "mapped_workers_certified"]]
        .sum()
        .reset_index()
    )
    certified = out["workers_certified"].where(out["workers_certified"] > 0)
    out["mapped_share"] = (out["mapped_workers_certified"] / certified).round(4)
    return out


def sector_ids() -> list[str]:
    """The fixed analysis sector ids, in table order."""
    return load_sectors()["sector"].tolist()
