"""Which AEWR rule governs the H-2A sheet's rates and fiscal year, in words.

The methodology rule is a dated, cited parameter (`rules/h2a_aewr_methodology.yaml`, the primary source); the rates
are the snapshot's table copied from vendor and press pages (secondary). A rate is governed by the rule in force
on the date it took effect, a fiscal year by the rule in force during it; before the tree's first rule an earlier
methodology applies that the tree does not record.
"""

from __future__ import annotations

import datetime as dt

from labormatch.fiscal import fiscal_year_end, fiscal_year_start
from labormatch.parameters import Parameter

EARLIER = "the earlier methodology"


def citation(rule: Parameter, day: dt.date) -> str:
    """The short citation of the rule that took effect on `day`: its first reference's title up to " (",
    e.g. "90 FR 47914"."""
    references = rule.value_references.get(day) or rule.references
    return references[0]["title"].split(" (")[0]


def _terms(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items())
    return str(value)


def _rule_on(rule: Parameter, day: dt.date) -> str:
    days = [d for d in rule.values if d <= day]
    return citation(rule, max(days)) if days else EARLIER


def aewr_rule_note(rule: Parameter, fiscal_year: int, rates_last: dt.date | None) -> str:
    """Which rule governs which years, which rule the rates were set under, and what the fiscal year rests on.

    rates_last: the latest effective date among the snapshot's rates (None when not recorded)."""
    days = sorted(rule.values)
    rules = "; ".join(f"from {day.isoformat()}, {citation(rule, day)} ({_terms(rule.values[day])})" for day in days)
    parts = [
        f"AEWR rule by year (primary source): before {days[0].isoformat()}, {EARLIER} (not in the rules; its "
        f"Federal Register notices are not staged here); {rules}."
    ]
    if rates_last is None:
        parts.append("When the rates above took effect is not recorded, so the rule they were set under is unknown.")
    else:
        under = _rule_on(rule, rates_last)
        which = "every one was" if under == EARLIER else "the latest were"
        parts.append(
            f"The rates above took effect by {rates_last.isoformat()}, so {which} set under {under}; their only "
            "source is secondary (vendor and press copies)."
        )
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    in_year = [d for d in days if start < d <= end]
    governing = _rule_on(rule, start)
    if in_year:
        changes = ", ".join(f"{citation(rule, d)} from {d.isoformat()}" for d in in_year)
        parts.append(f"FY{fiscal_year} ({start.isoformat()} to {end.isoformat()}): {governing}, then {changes}.")
    else:
        parts.append(f"FY{fiscal_year} ({start.isoformat()} to {end.isoformat()}) falls under {governing}.")
    newest = max((d for d in days if d <= end), default=None)
    if newest is not None and rates_last is not None and rates_last < newest:
        parts.append(
            f"No rate set under {citation(rule, newest)} is staged: each state's latest earlier rate stands in for "
            f"FY{fiscal_year}, an assumption."
        )
    return " ".join(parts)
