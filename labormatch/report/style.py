"""Look of the workbook: fonts, fills and number formats shared by every sheet."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

TITLE_FONT = Font(name="Calibri", size=16, bold=True, color="1F3864")
SUBTITLE_FONT = Font(name="Calibri", size=10, italic=True, color="595959")
SECTION_FONT = Font(name="Calibri", size=12, bold=True, color="1F3864")
NOTE_FONT = Font(name="Calibri", size=10, italic=True, color="595959")
LABEL_FONT = Font(name="Calibri", size=11, bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
#: Header cells are styled explicitly too, so viewers that ignore Excel table styles (LibreOffice) show them.
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F3864", end_color="1F3864")
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOP_ALIGNMENT = Alignment(vertical="top")
#: Cells an economist is invited to edit (the live model's inputs): the usual spreadsheet "input" colour.
INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
INPUT_FONT = Font(name="Calibri", size=11, color="0000CC")
INPUT_BORDER = Border(*(Side(style="thin", color="BF9000"),) * 4)
#: Check cells (e.g. shares summing to 100%): red when the check fails, green when it holds.
CHECK_BAD_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
CHECK_BAD_FONT = Font(name="Calibri", size=11, bold=True, color="9C0006")
CHECK_OK_FILL = PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE")
#: Headline figure boxes on the Summary sheet.
HEADLINE_FONT = Font(name="Calibri", size=14, bold=True, color="1F3864")
TABLE_STYLE = "TableStyleMedium2"

# Number formats: units live in the column headers, formats keep figures readable.
WORKERS = "#,##0"
COUNT = "#,##0"
USD = '"$"#,##0'
USD_HOURLY = '"$"#,##0.00'
SHARE = "0.0%"
DECIMAL = "#,##0.00"
SCORE = "0.000"
DAYS = "#,##0"
DATE = "yyyy-mm-dd"
MONTH = "yyyy-mm"
TEXT = "@"


def unit_format(unit: str) -> str | None:
    """The number format of a cell holding a value in `unit` (None: a unit with no format of its own). Counts of
    workers (workers, worker-months, worker-seasons, workers per fiscal year) whole, shares in percent, US dollars
    whole."""
    if unit == "share":
        return SHARE
    if unit == "USD":
        return USD
    if unit.startswith("worker"):
        return WORKERS
    return None
