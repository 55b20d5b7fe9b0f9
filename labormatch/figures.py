"""The headline figures of a scenario result (`ScenarioResult.headline`), each declared once.

A figure has its key in the headline, a label (a sub-row of the figure above it starts with two spaces), a unit
(formatted by `labormatch.units`), which direction is better ("lower": a fall is good news, e.g. unmet demand;
"higher"; "neither") and, where the row label leans on the row above or is too long to stand alone, a short
label. The app's metrics, the CLI's tables, the comparison and the workbook all read them from here; reading a
figure the result does not hold is an error naming it, never a silent 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from labormatch.demand_intervals import HEADLINE_ROWS
from labormatch.errors import LabormatchError
from labormatch.fiscal import HALF_MONTH_NAMES, HALF_START_NAMES
from labormatch.units import format_value

Better = Literal["higher", "lower", "neither"]
INTERVAL_ENDS = (("lo80", "low"), ("hi80", "high"))  # the 80% interval's ends, present with demand uncertainty


@dataclass(frozen=True)
class Figure:
    """One headline figure: key, label, unit, which direction is better, and a label that stands alone."""

    key: str
    label: str
    unit: str
    better: Better = "neither"
    short_label: str | None = None

    @property
    def standalone_label(self) -> str:
        """The label without the row above it (an app metric, a sentence)."""
        return self.short_label or self.label.strip()

    def text(self, value: float, *, delta: bool = False, compact: bool = False) -> str:
        """The value as text in the figure's unit (`labormatch.units.format_value`)."""
        return format_value(value, self.unit, delta=delta, compact=compact)


_DECLARED = (
    Figure("h2b_statutory_cap", "H-2B cap (after overrides)", "workers"),
    Figure("h2b_supplemental_total", "H-2B supplemental numbers", "workers"),
    Figure("h2b_cap_total", "H-2B numbers available", "workers"),
    Figure("h2b_demand", "H-2B demand", "workers"),
    Figure("h2b_allocated", "H-2B numbers used", "workers"),
    Figure("h2b_unmet", "H-2B demand unmet", "workers", "lower"),
    *(
        Figure(f"h2b_unmet_{half.lower()}", f"  unmet, {name}", "workers", "lower", f"H-2B demand unmet, {name}")
        for half, name in HALF_START_NAMES.items()
    ),
    Figure(
        "h2b_h2_selection_probability",
        f"Odds a January-window petition ({HALF_MONTH_NAMES['H2']} start) is selected",
        "share",
        "higher",
        "H-2B lottery odds, January window",
    ),
    Figure("h2a_workers", "H-2A workers", "workers"),
    Figure("h2a_wage_bill_usd", "H-2A wage bill", "USD"),
    # totals over seasons count a returning person once per season: worker-seasons, not workers
    Figure("new_workers", "New worker-seasons, all seasons", "worker-seasons", short_label="New, all seasons"),
    Figure(
        "returning_workers",
        "Returning worker-seasons, all seasons",
        "worker-seasons",
        short_label="Returning, all seasons",
    ),
    Figure("wages_earned_usd", "Wages earned, all seasons", "USD"),
    Figure("wages_carried_home_usd", "Wages carried home, all seasons", "USD", "higher"),
    Figure("late_start_share", "Share of workers starting late", "share", "lower"),
    Figure("late_worker_months", "Worker-months lost to late starts", "worker-months", "lower"),
    Figure(
        "late_worker_months_lever",
        "  with faster processing",
        "worker-months",
        "lower",
        "Late-start worker-months, faster processing",
    ),
    Figure(
        "late_worker_months_saved",
        "  saved by faster processing",
        "worker-months",
        "higher",
        "Late-start worker-months saved",
    ),
)


def _with_interval_ends(declared: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """Each figure with an interval (`demand_intervals.HEADLINE_ROWS`) followed by its 80% interval's ends."""
    out = []
    for figure in declared:
        out.append(figure)
        if figure.key in HEADLINE_ROWS:
            out += [
                Figure(f"{figure.key}_{end}", f"  {figure.label.strip()}, 80% {word}", figure.unit, figure.better)
                for end, word in INTERVAL_ENDS
            ]
    return tuple(out)


HEADLINE_FIGURES: tuple[Figure, ...] = _with_interval_ends(_DECLARED)
"""Every headline figure in display order; the interval ends are in a result only when its demand carries
uncertainty."""
BY_KEY: dict[str, Figure] = {figure.key: figure for figure in HEADLINE_FIGURES}


def figure(key: str) -> Figure:
    """The declared figure of `key`; an undeclared key is an error (a renamed figure must fail loudly)."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise LabormatchError(f"no headline figure is declared as {key!r} (labormatch.figures)") from None


def figure_or_own(key: str) -> Figure:
    """The declared figure, or for a key the model added without declaring it, one named after the key."""
    return BY_KEY.get(key) or Figure(key, key.replace("_", " "), "")


def value(headline: Mapping[str, float], key: str) -> float:
    """A declared figure's value in `headline`; a figure the result lacks is an error naming it, never 0."""
    figure(key)
    if key not in headline:
        raise LabormatchError(f"the scenario result has no headline figure {key!r}; it holds {', '.join(headline)}")
    return float(headline[key])


def in_order(headline: Mapping[str, float]) -> list[Figure]:
    """The figures `headline` holds: declared ones in display order, then any others under their own name."""
    return [f for f in HEADLINE_FIGURES if f.key in headline] + [
        figure_or_own(key) for key in headline if key not in BY_KEY
    ]


#: The `intervals` table's measures in words: a headline figure's own label where the measure is one.
INTERVAL_MEASURES = {
    "h2b_demand": BY_KEY["h2b_demand"].standalone_label,
    "h2b_used": BY_KEY["h2b_allocated"].standalone_label,
    "h2b_unmet": BY_KEY["h2b_unmet"].standalone_label,
    "h2b_window_positions": "H-2B positions filed in the January window",
    "h2b_h2_numbers": "H-2B second-half statutory numbers",
    "h2b_h2_selection_probability": BY_KEY["h2b_h2_selection_probability"].standalone_label,
    "h2a_workers": BY_KEY["h2a_workers"].standalone_label,
    "h2a_wage_bill_usd": BY_KEY["h2a_wage_bill_usd"].standalone_label,
}
#: The `intervals` rows charted with their bands (H-2B demand, numbers used and unmet by half, every tranche
#: together), named within a chart of H-2B figures.
BAND_MEASURES = {"h2b_demand": "demand", "h2b_used": "numbers used", "h2b_unmet": "unmet"}
