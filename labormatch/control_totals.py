"""National H-2A / H-2B demand figures in every published measure, with when each became public, and the one
measure the demand model works in: OFLC positions certified, by fiscal year of decision.

`build(tables, cases)` returns the control-totals table, one row per figure:
    visa_class, fiscal_year, period ("FY"; "month" with `month` set; "FY Q1-Q2" etc. for part-year counts;
    "January window" for the H-2B Jan 1-3 filing window of April starts), month (first of month, NaT for
    non-monthly rows), measure (see MEASURES), value, unit, source, kind ("published": a national figure
    published as such; "case_files": summed from OFLC case-level disclosure files; "monthly_sum": summed from
    State Department monthly reports), published (date the figure was public), published_basis (how that
    date is known: the page's own date, or the lag rule in rules/publication_lag/), verified (text),
    partial (True when the figure covers part of the period), note.

Other measures become positions certified only through `conversion`: the geometric-mean ratio over the fiscal
years where both measures exist, reported with those years.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from labormatch.errors import LabormatchError
from labormatch.fiscal import fiscal_year_start, fiscal_years
from labormatch.rules import load_rules
from labormatch.sources.oflc_layouts import CERTIFIED_STATUSES

CERTIFIED = "positions_certified"
MEASURES = (
    "positions_requested",
    CERTIFIED,
    "beneficiaries_approved",
    "new_workers_cap_count",
    "visas_issued",
    "january_window_positions",
    "january_window_applications",
)
UNITS = {
    "positions_requested": "positions",
    CERTIFIED: "positions",
    "beneficiaries_approved": "beneficiaries",
    "new_workers_cap_count": "beneficiaries",
    "visas_issued": "visas",
    "january_window_positions": "positions",
    "january_window_applications": "applications",
}
KIND_RANK = {"published": 0, "case_files": 1, "monthly_sum": 2}
COLUMNS = [
    "visa_class",
    "fiscal_year",
    "period",
    "month",
    "measure",
    "value",
    "unit",
    "source",
    "kind",
    "published",
    "published_basis",
    "verified",
    "partial",
    "note",
]
JANUARY_WINDOWS_FILE = Path(__file__).resolve().parent / "published" / "january_windows.yaml"
# measure names in the published-figures file -> control-total measures
PUBLISHED_MEASURES = {
    "positions_certified": CERTIFIED,
    "positions_requested": "positions_requested",
    "visas_issued_dos": "visas_issued",
}
APPROXIMATE = re.compile(r"round|around|about|approx|almost|over ", re.IGNORECASE)
PAGE_DATE = re.compile(r"\(([A-Z][a-z]{2}) (\d{1,2}), (\d{4})")
# A conversion ratio uses the latest 5 fiscal years where both measures exist: the H-2A ratio of positions
# certified to visas issued drifted from 1.52 (FY2005) to 1.25 (FY2022), so older years would bias it.
CONVERSION_YEARS = 5


@lru_cache(maxsize=1)
def january_windows() -> list[dict]:
    """The January-window figures with no staged file (`published/january_windows.yaml`)."""
    with open(JANUARY_WINDOWS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["january_windows"]


def lag_months(kind: str) -> int:
    """Months after a figure's period before it is taken as public (`rules/publication_lag/<kind>.yaml`)."""
    return load_rules().publication_lag(kind)


def _lag_file(kind: str) -> str:
    return f"rules/publication_lag/{kind}.yaml"


def annual_published(fiscal_year: int) -> pd.Timestamp:
    """When a fiscal year's national total is taken as public: the fiscal year's end plus the declared lag."""
    after = pd.Timestamp(fiscal_year_start(fiscal_year + 1))
    return after + pd.DateOffset(months=lag_months("annual_total")) - pd.Timedelta(days=1)


def _page_date(source: str) -> pd.Timestamp | None:
    match = PAGE_DATE.search(source)
    return pd.to_datetime(" ".join(match.groups()), format="%b %d %Y") if match else None


def _rows(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = {"month": pd.NaT, "partial": False, "note": "", "verified": ""}.get(column, "")
    return frame[COLUMNS]


def _rule(fiscal_year) -> str:
    return f"rule: FY{fiscal_year} end + {lag_months('annual_total')} months ({_lag_file('annual_total')})"


def from_epi(h2a: pd.DataFrame, h2b: pd.DataFrame) -> pd.DataFrame:
    """EPI's national series (DOL positions certified, DOS visas, USCIS beneficiaries / new H-2B workers)."""
    parts = []
    for visa_class, frame, columns in (
        (
            "H-2A",
            h2a,
            {
                "h2a_positions_certified_dol": CERTIFIED,
                "h2a_visas_issued_dos": "visas_issued",
                "h2a_petition_beneficiaries_approved_uscis": "beneficiaries_approved",
            },
        ),
        ("H-2B", h2b, {"h2b_visas_issued_dos": "visas_issued", "new_h2b_workers_uscis": "beneficiaries_approved"}),
    ):
        for column, measure in columns.items():
            use = frame.dropna(subset=[column])
            years = use["fiscal_year"].astype(int)
            parts.append(
                _rows(
                    visa_class=visa_class,
                    fiscal_year=years.to_numpy(),
                    period="FY",
                    measure=measure,
                    value=use[column].astype(float).to_numpy(),
                    unit=UNITS[measure],
                    source=use["source"].to_numpy(),
                    kind="published",
                    published=[annual_published(y) for y in years],
                    published_basis=[_rule(y) for y in years],
                    verified="transcribed (EPI chart)",
                    note="new H-2B workers approved (USCIS), extensions excluded"
                    if column == "new_h2b_workers_uscis"
                    else "",
                )
            )
    return pd.concat(parts, ignore_index=True)


def from_published(published: pd.DataFrame) -> pd.DataFrame:
    """National rows of the transcribed published-figures file in a demand measure, plus the FY2023 H-2A total
    the FY2024 page implies (FY2024 total minus the stated change)."""
    use = published[(published["geography"] == "US") & published["measure"].isin(list(PUBLISHED_MEASURES))]
    years = use["fiscal_year"].astype(int).to_numpy()
    dates = [_page_date(s) for s in use["source"]]
    periods = use["period"].astype(str).to_numpy()
    out = _rows(
        visa_class=use["program"].to_numpy(),
        fiscal_year=years,
        period=periods,
        measure=use["measure"].map(PUBLISHED_MEASURES).to_numpy(),
        value=use["value"].astype(float).to_numpy(),
        unit=use["unit"].to_numpy(),
        source=use["source"].to_numpy(),
        kind="published",
        published=[d if d is not None else annual_published(y) for d, y in zip(dates, years, strict=False)],
        published_basis=["page date" if d is not None else _rule(y) for d, y in zip(dates, years, strict=False)],
        verified="transcribed (page)",
        partial=periods != "FY",
        note=use["note"].fillna("").astype(str).to_numpy(),
    )
    change = published[
        (published["geography"] == "US")
        & (published["period"] == "FY")
        & (published["measure"] == "positions_certified_change_vs_prior_fy")
    ]
    derived = []
    for _, row in change.iterrows():
        level = out[
            (out["visa_class"] == row["program"])
            & (out["fiscal_year"] == row["fiscal_year"])
            & (out["measure"] == CERTIFIED)
            & (out["period"] == "FY")
        ]
        earlier = out[
            (out["visa_class"] == row["program"])
            & (out["fiscal_year"] == row["fiscal_year"] - 1)
            & (out["measure"] == CERTIFIED)
            & (out["period"] == "FY")
        ]
        if len(level) and earlier.empty:
            first = level.iloc[0]
            derived.append(
                first.to_dict()
                | {
                    "fiscal_year": int(row["fiscal_year"]) - 1,
                    "value": float(first["value"]) - float(row["value"]),
                    "source": row["source"],
                    "note": f"derived: FY{int(row['fiscal_year'])} total minus the stated change "
                    f"({row['value']:,.0f}; {row['note'] or 'as stated'})",
                }
            )
    return pd.concat([out, pd.DataFrame(derived, columns=COLUMNS)], ignore_index=True) if derived else out


def from_issuances(dos: pd.DataFrame) -> pd.DataFrame:
    """State Department issuances, national: one row per month and one per fiscal year (partial when a month
    is missing from the staged reports)."""
    monthly = dos.groupby(["visa_class", "month"], as_index=False)["issuances"].sum()
    monthly["fiscal_year"] = fiscal_years(monthly["month"])
    lag = lag_months("monthly_issuances")
    monthly["published"] = monthly["month"] + pd.DateOffset(months=lag + 1) - pd.Timedelta(days=1)
    source = (
        "US State Department monthly nonimmigrant visa issuances by nationality (via chapmanjacobd/us_visa_statistics)"
    )
    basis = f"rule: month end + {lag} months ({_lag_file('monthly_issuances')})"
    months = _rows(
        visa_class=monthly["visa_class"].to_numpy(),
        fiscal_year=monthly["fiscal_year"].to_numpy(),
        period="month",
        month=monthly["month"].to_numpy(),
        measure="visas_issued",
        value=monthly["issuances"].astype(float).to_numpy(),
        unit="visas",
        source=source,
        kind="monthly_sum",
        published=monthly["published"].to_numpy(),
        published_basis=basis,
        verified="staged report",
    )
    years = monthly.groupby(["visa_class", "fiscal_year"], as_index=False).agg(
        value=("issuances", "sum"), months=("month", "nunique"), published=("published", "max")
    )
    years = _rows(
        visa_class=years["visa_class"].to_numpy(),
        fiscal_year=years["fiscal_year"].to_numpy(),
        period="FY",
        measure="visas_issued",
        value=years["value"].astype(float).to_numpy(),
        unit="visas",
        source=source,
        kind="monthly_sum",
        published=years["published"].to_numpy(),
        published_basis=basis,
        verified="staged report",
        partial=(years["months"] < 12).to_numpy(),
        note=[f"sum of {m} monthly reports" + ("" if m == 12 else " (partial year)") for m in years["months"]],
    )
    return pd.concat([months, years], ignore_index=True)


def from_case_files(cases: pd.DataFrame) -> pd.DataFrame:
    """The OFLC disclosure files' own totals by visa class and fiscal year of decision: positions requested
    (all cases) and certified (certified statuses); partial-year files are marked partial; a year whose files
    give no count for a measure has no row for it."""
    certified = cases["status"].isin(CERTIFIED_STATUSES)
    frame = cases.assign(
        certified=cases["workers_certified"].where(certified, 0).astype(float),
        requested=cases["workers_requested"].astype(float),
    )
    totals = frame.groupby(["visa_class", "fiscal_year"], as_index=False).agg(
        positions_certified=("certified", lambda v: v.sum(min_count=1)),
        positions_requested=("requested", lambda v: v.sum(min_count=1)),
        partial=("partial_year", "any"),
        files=("source_file", lambda s: "; ".join(sorted(set(map(str, s))))),
    )
    parts = []
    for measure in (CERTIFIED, "positions_requested"):
        known = totals.dropna(subset=[measure])  # a file without the column is unknown, not 0
        years = known["fiscal_year"].astype(int)
        parts.append(
            _rows(
                visa_class=known["visa_class"].astype(str).to_numpy(),
                fiscal_year=years.to_numpy(),
                period="FY",
                measure=measure,
                value=known[measure].to_numpy(),
                unit="positions",
                source=("DOL OFLC disclosure file(s): " + known["files"]).to_numpy(),
                kind="case_files",
                published=[annual_published(y) for y in years],
                published_basis=[_rule(y) for y in years],
                verified="case-level file",
                partial=known["partial"].astype(bool).to_numpy(),
                note=np.where(known["partial"].astype(bool), "partial-year file: not a fiscal-year total", ""),
            )
        )
    return pd.concat(parts, ignore_index=True)


def from_windows(facts: pd.DataFrame, jan_peak: pd.DataFrame) -> pd.DataFrame:
    """H-2B January filing windows (April 1 starts): positions requested and applications."""
    lag = lag_months("january_window")
    rows = []
    for _, fact in facts[facts["item"].str.contains("filing window", case=False)].iterrows():
        year = int(re.search(r"(20\d\d)", fact["item"]).group(1))
        measure = "january_window_positions" if fact["unit"] == "positions" else "january_window_applications"
        rows.append(
            {
                "fiscal_year": year,
                "measure": measure,
                "value": float(fact["value"]),
                "source": fact["source"],
                "verified": fact["verified"],
            }
        )
    rows += [
        {
            "fiscal_year": int(w["fiscal_year"]),
            "measure": w["measure"],
            "value": float(w["value"]),
            "source": w["source"],
            "verified": w["verified"],
        }
        for w in january_windows()
    ]
    rows.append(
        {
            "fiscal_year": 2024,
            "measure": "january_window_applications",
            "value": float(len(jan_peak)),
            "source": "DOL OFLC, FY2024 H-2B January peak randomization list (public-facing report)",
            "verified": "yes (count of the list's rows)",
        }
    )
    frame = pd.DataFrame(rows)
    published = [pd.Timestamp(f"{y}-01-01") + pd.DateOffset(months=lag) for y in frame["fiscal_year"]]
    return _rows(
        visa_class="H-2B",
        fiscal_year=frame["fiscal_year"].to_numpy(),
        period="January window",
        month=[pd.Timestamp(f"{y}-01-01") for y in frame["fiscal_year"]],
        measure=frame["measure"].to_numpy(),
        value=frame["value"].to_numpy(),
        unit=frame["measure"].map(UNITS).to_numpy(),
        source=frame["source"].to_numpy(),
        kind="published",
        published=published,
        published_basis=f"rule: window month + {lag} month ({_lag_file('january_window')})",
        verified=frame["verified"].to_numpy(),
        note="Jan 1-3 filing window for April 1 starts",
    )


def from_cap_count(facts: pd.DataFrame) -> pd.DataFrame:
    """USCIS cap counts (beneficiaries counted against a half-year cap, as of a date)."""
    use = facts[facts["item"].str.contains("cap: beneficiaries approved", case=False)]
    as_of = pd.to_datetime(use["date_or_period"].str.extract(r"(\d{4}-\d{2}-\d{2})")[0])
    years = use["item"].str.extract(r"FY(\d{4})")[0].astype(int)
    return _rows(
        visa_class="H-2B",
        fiscal_year=years.to_numpy(),
        period="FY H1",
        measure="new_workers_cap_count",
        value=use["value"].astype(float).to_numpy(),
        unit="beneficiaries",
        source=use["source"].to_numpy(),
        kind="published",
        published=as_of.to_numpy(),
        published_basis="as of (count date)",
        verified=use["verified"].to_numpy(),
        partial=True,
        note="first-half cap count as of the date",
    )


def build(tables: Mapping[str, pd.DataFrame], cases: pd.DataFrame) -> pd.DataFrame:
    """The control-totals table (columns in the module docstring) from the snapshot's reference tables
    (`epi_h2a_national`, `epi_h2b_national`, `h2_published_figures`, `dos_issuances`, `h2b_fy2026_facts`,
    `h2b_jan_peak_fy2024`) and the OFLC cases."""
    facts = tables["h2b_fy2026_facts"]
    out = pd.concat(
        [
            from_epi(tables["epi_h2a_national"], tables["epi_h2b_national"]),
            from_published(tables["h2_published_figures"]),
            from_issuances(tables["dos_issuances"]),
            from_case_files(cases),
            from_windows(facts, tables["h2b_jan_peak_fy2024"]),
            from_cap_count(facts),
        ],
        ignore_index=True,
    )
    out["fiscal_year"] = out["fiscal_year"].astype(int)
    out["published"] = pd.to_datetime(out["published"])
    out["month"] = pd.to_datetime(out["month"])
    out["partial"] = out["partial"].astype(bool)
    return out.sort_values(["visa_class", "measure", "fiscal_year", "period", "month"], ignore_index=True)


def available(totals: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Rows public on or before `as_of` (all rows when None)."""
    return totals if as_of is None else totals[totals["published"] <= pd.Timestamp(as_of)]


def annual(totals: pd.DataFrame, visa_class: str, measure: str, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One full-fiscal-year figure per year in `measure`, public by `as_of`: fiscal_year, value, source, kind,
    published. Where sources disagree, a figure published as a national total wins over a summed one, and an
    exact figure over a rounded one."""
    use = available(totals, as_of)
    use = use[
        (use["visa_class"] == visa_class) & (use["measure"] == measure) & (use["period"] == "FY") & ~use["partial"]
    ]
    rank = use["kind"].map(KIND_RANK) * 2 + use["note"].str.contains(APPROXIMATE).astype(int)
    use = use.assign(rank=rank.to_numpy()).sort_values(["fiscal_year", "rank"], kind="stable")
    first = use.drop_duplicates("fiscal_year")
    return first[["fiscal_year", "value", "source", "kind", "published"]].reset_index(drop=True)


def _in_words(measure: str) -> str:
    """A measure as a sentence says it: `visas_issued` -> "visas issued" (`labormatch.compare.measure_words` is the
    comparison tables' own wording)."""
    return measure.replace("_", " ")


@dataclass(frozen=True)
class Conversion:
    """target = ratio x source measure; ratio is the geometric mean of target/source over `years` (the latest
    fiscal years where both exist); log_sd is the standard deviation of the log ratio over those years (0 with one)."""

    visa_class: str
    from_measure: str
    to_measure: str
    ratio: float
    log_sd: float
    years: tuple[int, ...]

    def describe(self) -> str:
        """The conversion in words: "positions certified = 1.250 x visas issued (geometric mean over ...)"."""
        span = ", ".join(f"FY{y}" for y in self.years)
        return (
            f"{_in_words(self.to_measure)} = {self.ratio:.3f} x {_in_words(self.from_measure)} "
            f"(geometric mean over {span}; log sd {self.log_sd:.3f})"
        )


def conversion(
    totals: pd.DataFrame,
    visa_class: str,
    from_measure: str,
    to_measure: str = CERTIFIED,
    as_of: pd.Timestamp | None = None,
) -> Conversion:
    """The ratio between two measures estimated only on the fiscal years where both have a full-year figure
    public by `as_of` (the latest CONVERSION_YEARS of them)."""
    target = annual(totals, visa_class, to_measure, as_of).set_index("fiscal_year")["value"]
    source = annual(totals, visa_class, from_measure, as_of).set_index("fiscal_year")["value"]
    years = sorted(set(target.index) & set(source.index))[-CONVERSION_YEARS:]
    if not years:
        raise LabormatchError(f"control totals: no fiscal year has both {visa_class} {from_measure} and {to_measure}")
    logs = np.log(target.loc[years].to_numpy(float) / source.loc[years].to_numpy(float))
    return Conversion(
        visa_class,
        from_measure,
        to_measure,
        float(np.exp(logs.mean())),
        float(logs.std(ddof=1)) if len(logs) > 1 else 0.0,
        tuple(int(y) for y in years),
    )


def certified_series(
    totals: pd.DataFrame,
    visa_class: str,
    as_of: pd.Timestamp | None = None,
    fill_from: tuple[str, ...] = ("visas_issued",),
) -> tuple[pd.DataFrame, list[Conversion]]:
    """Annual positions certified of a visa class as public by `as_of`: observed where a certified figure
    exists, else converted from the first measure of `fill_from` that has the year (only after the last
    observed year or inside gaps). Columns: fiscal_year, value, basis ("observed" or the conversion text),
    log_sd (0 for observed years, the conversion's log sd for converted ones), source, published."""
    observed = annual(totals, visa_class, CERTIFIED, as_of).assign(basis="observed", log_sd=0.0)
    parts, used = [observed], []
    have = set(observed["fiscal_year"])
    for measure in fill_from:
        other = annual(totals, visa_class, measure, as_of)
        fill = other[~other["fiscal_year"].isin(have) & (other["fiscal_year"] > min(have, default=0))]
        if fill.empty:
            continue
        ratio = conversion(totals, visa_class, measure, CERTIFIED, as_of)
        used.append(ratio)
        parts.append(fill.assign(value=fill["value"] * ratio.ratio, basis=ratio.describe(), log_sd=ratio.log_sd))
        have |= set(fill["fiscal_year"])
    series = pd.concat(parts, ignore_index=True).sort_values("fiscal_year", ignore_index=True)
    return series[["fiscal_year", "value", "basis", "log_sd", "source", "published"]], used
