"""Headline figures: labels, units and formats, and the plain-language reading generated from them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from labormatch.assumptions import Assumptions
from labormatch.circular import growth_warning
from labormatch.compare import HEADLINE_FIGURES
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.result_basis import data_years


FORMATS = {"workers": style.WORKERS, "USD": style.USD, "share": style.SHARE, "worker-months": style.WORKERS}


@dataclass(frozen=True)
class Figure:
    """A headline figure as shown: key in `ScenarioResult.headline`, label and unit from `labormatch.compare`."""

    key: str
    label: str
    unit: str

    @property
    def number_format(self) -> str:
        return FORMATS.get(self.unit, style.DECIMAL)


HALF_NAMES = {"H1": "first-half (Oct-Mar)", "H2": "second-half (Apr-Sep)"}


#: Totals over seasons count a returning person once per season: worker-seasons, not workers.
WORKER_SEASON_LABELS = {"new_workers": "New worker-seasons (all seasons)",
                        "returning_workers": "Returning worker-seasons (all seasons)"}


def figures(headline: dict[str, float]) -> list[tuple[Figure, float]]:
    """The headline figures in report order (known keys first, then any others the model added)."""
    known = [(Figure(key, WORKER_SEASON_LABELS.get(key, label), "worker-seasons" if key in WORKER_SEASON_LABELS else unit),
              headline[key]) for key, label, unit in HEADLINE_FIGURES if key in headline]
    listed = {key for key, _, _ in HEADLINE_FIGURES}
    return known + [(Figure(k, k.replace("_", " "), ""), v) for k, v in headline.items() if k not in listed]


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _usd(value: float) -> str:
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.1f} billion"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f} million"
    return f"${value:,.0f}"


SCENARIO_CHOICE = "scenario choice"


def field_source(assumptions: Assumptions, field: str) -> str:
    """The source of the scenario's value of `field`: the cited default's source, or "scenario choice" when the
    scenario sets another value (a paper that reports the default does not support a different value)."""
    meta = field_descriptions()[field]
    value = getattr(assumptions, field)
    source = labelled(meta["source"])
    if value == meta["default"] or not source:
        return source
    default = meta["default"]
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return f"{SCENARIO_CHOICE} (the default, {default:g}, is from: {source})"
    return f"{SCENARIO_CHOICE} (the default is from: {source})"


@lru_cache(maxsize=1)
def field_descriptions() -> dict[str, dict]:
    """`Assumptions.describe()` by field name (built once: it renders the model's JSON schema)."""
    return {r["name"]: r for r in Assumptions.describe()}


def labelled(source: str) -> str:
    """A citation that points to a copy of the work it cites (marked "(copy)") labelled "secondary"."""
    if "(copy)" in source and not source.casefold().startswith("secondary"):
        return f"secondary (a copy; the original is not staged): {source}"
    return source


def _cite(assumptions: Assumptions, field: str) -> str:
    """The field's source, shortened for a sentence (the full citation is on the Assumptions sheet)."""
    source = field_source(assumptions, field)
    if source.startswith(SCENARIO_CHOICE):
        return SCENARIO_CHOICE
    source = source.split(" - http")[0]
    source = source if len(source) <= 90 else source[:87].rsplit(" ", 1)[0] + "..."
    return source if source.casefold().startswith("assumption") else f"source: {source}"


def processing_years(result: ScenarioResult) -> str:
    """The case-file fiscal years behind the processing times, per visa class ("H-2A FY2008-FY2017 ...")."""
    table = result.tables.get("processing")
    if table is None or not len(table):
        return "the OFLC case files"
    spans = table.groupby("visa_class")["fiscal_year"].agg(["min", "max"])
    return " and ".join(f"{visa} FY{int(r['min'])}-FY{int(r['max'])}" for visa, r in spans.iterrows()) + " case files"


def reading(result: ScenarioResult) -> list[str]:
    """A few plain sentences that say what the scenario's numbers mean, with assumptions named as such."""
    h, a = result.headline, result.assumptions
    fy = a.fiscal_year
    lines = []
    demand, available, admitted, unmet = (h.get(k, 0.0) for k in
                                         ("h2b_demand", "h2b_cap_total", "h2b_allocated", "h2b_unmet"))
    share = unmet / demand if demand else 0.0
    lines.append(
        f"In FY{fy}, employers would seek about {_n(demand)} H-2B workers against {_n(available)} numbers "
        f"({_n(h.get('h2b_statutory_cap', 0))} statutory cap + {_n(h.get('h2b_supplemental_total', 0))} supplemental). "
        f"About {_n(admitted)} could be admitted; {_n(unmet)} ({share:.0%}) of demand would go unmet.")
    if unmet > 0:
        lines.append(f"The shortfall falls {_n(h.get('h2b_unmet_h1', 0))} on first-half starts (Oct-Mar) and "
                     f"{_n(h.get('h2b_unmet_h2', 0))} on second-half starts (Apr-Sep).")
    lines.append(result.resolved.supplemental_basis)
    timing = result.tables.get("cap_timing")
    if timing is not None and len(timing):
        for row in timing.itertuples(index=False):
            if pd.notna(row.estimated_cap_reached_date):
                seen = (f" (published: {row.observed_cap_reached_date:%d %b %Y})"
                        if pd.notna(row.observed_cap_reached_date) else "")
                lines.append(f"The {HALF_NAMES.get(row.half, row.half)} statutory numbers would run out around "
                             f"{row.estimated_cap_reached_date:%d %b %Y}{seen}.")
    if h.get("h2a_workers", 0) > 0:
        lines.append(f"H-2A has no cap: about {_n(h['h2a_workers'])} farm workers, a wage bill of "
                     f"{_usd(h.get('h2a_wage_bill_usd', 0))} at the Adverse Effect Wage Rate.")
    lines.append(
        f"Over {a.seasons} seasons the circular program would bring {_n(h.get('new_workers', 0))} new and "
        f"{_n(h.get('returning_workers', 0))} returning worker-seasons (a person counted once per season). Assumed: return rate {a.return_rate:.1%} "
        f"({_cite(a, 'return_rate')}); overstay {a.overstay_rate:.1%} ({_cite(a, 'overstay_rate')}).")
    lines.append(
        f"Workers would earn {_usd(h.get('wages_earned_usd', 0))} and carry home "
        f"{_usd(h.get('wages_carried_home_usd', 0))}, taking {a.carried_home_share:.0%} of wages as carried home "
        f"({_cite(a, 'carried_home_share')}).")
    if warning := growth_warning(a):
        lines.append(warning)
    if years := data_years(result):
        lines.append(years)
    if "late_start_share" in h:
        saved = h.get("late_worker_months_saved", 0.0)
        lever = f"; faster processing would save {_n(saved)} worker-months" if saved > 0 else ""
        lines.append(f"At the OFLC processing times of {processing_years(result)}, {h['late_start_share']:.0%} of workers would start late, "
                     f"losing {_n(h.get('late_worker_months', 0))} worker-months{lever}.")
    return lines
