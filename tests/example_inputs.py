"""Hand-made model inputs for running the example scenarios in tests (synthetic numbers, not data)."""

from __future__ import annotations

from matcher_inputs import make_inputs

from labormatch.model_inputs import ModelInputs


def demand_inputs(scale: float = 1.0) -> ModelInputs:
    """H-2B demand of 3,000 workers a month in two sectors and 1,000 in food processing; H-2A 3,000 (x scale).

    At scale 1 that is 84,000 H-2B workers in FY2024: more than the statutory cap, less than double it.
    """
    months = {f"{year}-{month:02d}": 3000.0 * scale for year in (2023, 2024) for month in range(1, 13)}
    return make_inputs(
        {
            ("professional_business_services", "H-2B"): months,
            ("accommodation_food_services", "H-2B"): months,
            ("food_manufacturing", "H-2B"): {k: v / 3 for k, v in months.items()},
            ("agriculture", "H-2A"): months,
        }
    )
