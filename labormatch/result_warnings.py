"""The warnings a scenario result carries (`ScenarioResult.warnings`), worked out once for the app, the CLI and
the workbook: circular-program origins that got no quota, and need growth compounded past plausibility."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from labormatch.circular import growth_warning

if TYPE_CHECKING:
    from labormatch.assumptions import Assumptions
    from labormatch.model import ScenarioResult


def left_out_origins(assumptions: Assumptions, quotas: pd.DataFrame) -> list[str]:
    """Circular-program countries that have no workers in the origin shares, so no quota (the model drops them)."""
    in_quotas = {str(origin).casefold() for origin in quotas["origin"]}
    return [country for country in assumptions.circular_origins if country.casefold() not in in_quotas]


def result_warnings(result: ScenarioResult) -> list[str]:
    """Plain warnings about the result, in the order shown (none when nothing needs checking)."""
    lines = []
    quotas = result.tables.get("quotas")
    if quotas is not None and (left_out := left_out_origins(result.assumptions, quotas)):
        lines.append(
            f"Circular origins left out of the quotas (no workers from them in the origin shares): "
            f"{', '.join(left_out)}. Check the spelling against the origin shares."
        )
    if growth := growth_warning(result.assumptions):
        lines.append(growth)
    return lines
