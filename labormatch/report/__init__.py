"""Excel reports economists can audit and recalculate: sourced sheets, native charts, a live model, safe writing."""

from labormatch.report.workbook import (
    ForecastTables,
    ReportScenario,
    build_workbook,
    report_bytes,
    snapshot_forecasts,
    write_report,
)

__all__ = ["ForecastTables", "ReportScenario", "build_workbook", "report_bytes", "snapshot_forecasts", "write_report"]
