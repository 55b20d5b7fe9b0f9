"""Headline figures: labels, units and formats, and the plain-language reading generated from them."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from labormatch.assumptions import Assumptions
from labormatch.figures import Figure, in_order
from labormatch.figures import value as figure_value
from labormatch.fiscal import HALF_MONTH_NAMES, HALF_ORDINAL_NAMES
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.result_basis import data_years
from labormatch.units import USD, format_value


def number_format(figure: Figure) -> str:
    """The number format of a cell holding `figure` (a unit without one: two decimals)."""
    return style.unit_format(figure.unit) or style.DECIMAL


def figures(headline: dict[str, float]) -> list[tuple[Figure, float]]:
    """The headline figures in report order (declared ones first, then any others the model added)."""
    return [(figure, headline[figure.key]) for figure in in_order(headline)]


def _n(value: float) -> str:
    return format_value(value, "workers")


def _usd(value: float) -> str:
    return format_value(value, USD)


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
    """A few plain sentences that say what the scenario's numbers mean, with assumptions named as such, and the
    result's warnings. A headline figure the result lacks is an error naming it (never read as 0)."""
    h, a = result.headline, result.assumptions

    def get(key: str) -> float:
        return figure_value(h, key)

    fy = a.fiscal_year
    lines = []
    demand, available, admitted, unmet = (get(k) for k in ("h2b_demand", "h2b_cap_total", "h2b_allocated", "h2b_unmet"))
    share = unmet / demand if demand else 0.0
    lines.append(
        f"In FY{fy}, employers would seek about {_n(demand)} H-2B workers against {_n(available)} numbers "
        f"({_n(get('h2b_statutory_cap'))} statutory cap + {_n(get('h2b_supplemental_total'))} supplemental). "
        f"About {_n(admitted)} could be admitted; {_n(unmet)} ({share:.0%}) of demand would go unmet."
    )
    if unmet > 0:
        lines.append(
            f"The shortfall falls {_n(get('h2b_unmet_h1'))} on first-half starts ({HALF_MONTH_NAMES['H1']}) and "
            f"{_n(get('h2b_unmet_h2'))} on second-half starts ({HALF_MONTH_NAMES['H2']})."
        )
    lines.append(result.resolved.supplemental_basis)
    timing = result.tables.get("cap_timing")
    if timing is not None and len(timing):
        for row in timing.itertuples(index=False):
            if pd.notna(row.estimated_cap_reached_date):
                seen = (
                    f" (published: {row.observed_cap_reached_date:%d %b %Y})"
                    if pd.notna(row.observed_cap_reached_date)
                    else ""
                )
                lines.append(
                    f"The {HALF_ORDINAL_NAMES.get(row.half, row.half)} statutory numbers would run out around "
                    f"{row.estimated_cap_reached_date:%d %b %Y}{seen}."
                )
    if get("h2a_workers") > 0:
        lines.append(
            f"H-2A has no cap: about {_n(get('h2a_workers'))} farm workers, a wage bill of "
            f"{_usd(get('h2a_wage_bill_usd'))} at the Adverse Effect Wage Rate."
        )
    lines.append(
        f"Over {a.seasons} seasons the circular program would bring {_n(get('new_workers'))} new and "
        f"{_n(get('returning_workers'))} returning worker-seasons (a person counted once per season). "
        f"Assumed: return rate {a.return_rate:.1%} ({_cite(a, 'return_rate')}); overstay {a.overstay_rate:.1%} "
        f"({_cite(a, 'overstay_rate')})."
    )
    lines.append(
        f"Workers would earn {_usd(get('wages_earned_usd'))} and carry home "
        f"{_usd(get('wages_carried_home_usd'))}, taking {a.carried_home_share:.0%} of wages as carried home "
        f"({_cite(a, 'carried_home_share')})."
    )
    lines += result.warnings
    if years := data_years(result):
        lines.append(years)
    if "late_start_share" in h:  # the processing figures come as a group, where processing times are known
        saved = get("late_worker_months_saved")
        lever = f"; faster processing would save {_n(saved)} worker-months" if saved > 0 else ""
        lines.append(
            f"At the OFLC processing times of {processing_years(result)}, {get('late_start_share'):.0%} of "
            f"workers would start late, losing {_n(get('late_worker_months'))} worker-months{lever}."
        )
    return lines
