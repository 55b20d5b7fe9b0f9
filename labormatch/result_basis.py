"""What a scenario's figures rest on, in words: the supplemental rule applied and the data years behind the
parts that use the latest data whatever the fiscal year (processing times, cap timing, the AEWR).

A fiscal year after the data (FY2027-FY2031 with a snapshot of 2026) reuses these latest data; the app, the
CLI and the workbook print these lines so that is never silent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labormatch import cap_timing

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult


def data_years(result: ScenarioResult) -> str:
    """One sentence naming the data years behind processing times, cap timing and the AEWR of a result."""
    parts = []
    processing = result.tables.get("processing")
    if processing is not None and len(processing):
        latest = processing.groupby("visa_class")["fiscal_year"].max()
        parts.append(
            "processing times and late starts: OFLC "
            + ", ".join(f"{visa_class} FY{int(year)}" for visa_class, year in latest.items())
        )
    cap_years = cap_timing.cap_years(result.data_vintage.get("complete_fiscal_years", {}).get("H-2B", []))
    if cap_years:
        parts.append(f"cap timing: OFLC H-2B certification dates through FY{cap_years[-1]}")
    h2a = result.tables.get("h2a")
    if h2a is not None and len(h2a):
        # aewr_basis (h2a_wages.h2a_wage_bill) ends in the AEWR year: "state 2025", "mean of listed states 2025"
        years = sorted({int(basis.split()[-1]) for basis in h2a["aewr_basis"]})
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
        parts.append(f"AEWR: state rates of {span} (each state's latest up to the fiscal year)")
    if not parts:
        return ""
    return f"FY{result.assumptions.fiscal_year} uses the latest data for " + "; ".join(parts) + "."


def basis_lines(result: ScenarioResult) -> list[str]:
    """The supplemental rule applied, then the data years (empty lines left out)."""
    return [line for line in (result.resolved.supplemental_basis, data_years(result)) if line]
