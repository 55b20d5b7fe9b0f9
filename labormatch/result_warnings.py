"""The warnings a scenario result carries (`ScenarioResult.warnings`), worked out once for the app, the CLI and
the workbook: circular-program origins that got no quota in a visa class, and need growth compounded past
plausibility."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from labormatch.circular import growth_warning

if TYPE_CHECKING:
    from labormatch.assumptions import Assumptions
    from labormatch.model import ScenarioResult


def left_out_origins(assumptions: Assumptions, quotas: pd.DataFrame) -> dict[str, list[str]]:
    """Circular-program countries with no workers in a visa class's origin shares, so no quota in that class (the
    model drops them): country -> the visa classes of the quotas that leave it out, in the order the countries were
    given; countries with a quota in every class are not listed."""
    origins_by_class = {
        str(visa_class): {str(origin).casefold() for origin in rows["origin"]}
        for visa_class, rows in quotas.groupby("visa_class")
    }
    left_out = {
        country: [visa_class for visa_class, origins in origins_by_class.items() if country.casefold() not in origins]
        for country in assumptions.circular_origins
    }
    return {country: classes for country, classes in left_out.items() if classes}


def left_out_warning(left_out: dict[str, list[str]]) -> str:
    """One warning naming each left-out country and the visa classes without workers from it."""
    countries = "; ".join(
        f"{country}: no {' or '.join(classes)} workers in the origin shares" for country, classes in left_out.items()
    )
    return (
        f"Circular origins left out of the quotas ({countries}). Check the spelling against that visa class's "
        "origin shares, or give the country a share there."
    )


def result_warnings(result: ScenarioResult) -> list[str]:
    """Plain warnings about the result, in the order shown (none when nothing needs checking)."""
    lines = []
    quotas = result.tables.get("quotas")
    if quotas is not None and (left_out := left_out_origins(result.assumptions, quotas)):
        lines.append(left_out_warning(left_out))
    if growth := growth_warning(result.assumptions):
        lines.append(growth)
    return lines
