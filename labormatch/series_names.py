"""Panel and forecast series as people name them ("Job openings"), for the app, the workbook and the CLI; the ids
stay for the command line and files."""

from __future__ import annotations

from labormatch.crosswalk import sector_labels

#: Panel and forecast series as people name them (the ids stay for the command line and files).
SERIES_NAMES = {
    "employment": "Employment",
    "openings": "Job openings",
    "hires": "Hires",
    "quits": "Quits",
    "layoffs": "Layoffs and discharges",
    "unfilled_openings": "Openings left unfilled (openings - hires)",
    "openings_rate": "Job openings rate",
    "hires_rate": "Hires rate",
    "quits_rate": "Quits rate",
    "unemployment_rate": "Unemployment rate",
    "avg_hourly_earnings": "Average hourly earnings",
    "h2a_certified_worker_months": "H-2A certified worker-months",
    "h2b_certified_worker_months": "H-2B certified worker-months",
}
SEASONAL_NAMES = {"SA": "seasonally adjusted", "NSA": "not seasonally adjusted"}


def series_name(series: str) -> str:
    """A series as people name it ("Job openings"); an unlisted one with its underscores as spaces."""
    return SERIES_NAMES.get(series, series.replace("_", " ").capitalize())


def series_title(series_id: str) -> str:
    """`sector:series:SA` as words: "Accommodation and food services: Employment, seasonally adjusted"."""
    sector, series, seasonal = series_id.split(":")
    return f"{sector_labels().get(sector, sector)}: {series_name(series)}, {SEASONAL_NAMES.get(seasonal, seasonal)}"
