"""Native Excel charts: a forecast line with its interval band, stacked and clustered bars.

Charts refer to cell ranges, so charts over formula cells move when an economist edits an assumption.
"""

from __future__ import annotations

from openpyxl.chart import AreaChart, BarChart, LineChart, Reference, Series
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.worksheet.worksheet import Worksheet

BAND_80 = "9DC3E6"
BAND_95 = "DEEBF7"
MEAN_LINE = "1F3864"
#: Colours for stacked series in order, then grey for the last ("unmet") series when asked.
SERIES_COLOURS = ("1F77B4", "FF7F0E", "2CA02C", "9467BD", "8C564B", "E377C2", "17BECF", "BCBD22")
UNMET_COLOUR = "BFBFBF"
CHART_WIDTH_CM, CHART_HEIGHT_CM = 22, 10


def _show_axes(chart) -> None:
    # openpyxl leaves the axis "delete" flag unset; recent Excel then hides the axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _solid(series, colour: str | None) -> None:
    if colour is None:
        series.graphicalProperties = GraphicalProperties(noFill=True)
        series.graphicalProperties.line = LineProperties(noFill=True)
    else:
        series.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.graphicalProperties.line = LineProperties(solidFill=colour)


def interval_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    first_row: int,
    last_row: int,
    header_row: int,
    date_col: int,
    mean_col: int,
    band_first_col: int,
    anchor: str,
    y_min: float | None = None,
) -> None:
    """Line of the point forecast over shaded 80 % and 95 % bands for rows first_row..last_row.

    The bands are four adjacent columns from `band_first_col` (names in `header_row`), stacked as areas:
    lo95 (invisible base), lo80 - lo95 and hi95 - hi80 (light), hi80 - lo80 (darker).
    """

    def series(col: int):
        values = Reference(ws, min_col=col, min_row=first_row, max_row=last_row)
        return Series(values, title=str(ws.cell(header_row, col).value))

    dates = Reference(ws, min_col=date_col, min_row=first_row, max_row=last_row)
    area = AreaChart()
    area.grouping = "stacked"
    area.title = title
    area.y_axis.title = y_title
    area.x_axis.number_format = "yyyy-mm"
    area.y_axis.scaling.min = y_min
    area.y_axis.number_format = "#,##0"
    for col, colour in zip(range(band_first_col, band_first_col + 4), (None, BAND_95, BAND_80, BAND_95)):
        area.series.append(series(col))
        _solid(area.series[-1], colour)
    area.set_categories(dates)
    line = LineChart()
    line.series.append(series(mean_col))
    line.series[0].graphicalProperties.line.solidFill = MEAN_LINE
    line.series[0].graphicalProperties.line.width = 22000
    line.series[0].smooth = False
    line.set_categories(dates)
    area += line
    _show_axes(area)
    area.legend.position = "b"
    area.legend.legendEntry = [LegendEntry(idx=0, delete=True)]  # the invisible base is not a band
    area.width, area.height = 18, 8
    ws.add_chart(area, anchor)


def bar_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    header_row: int,
    first_row: int,
    last_row: int,
    category_col: int,
    first_series_col: int,
    last_series_col: int,
    anchor: str,
    stacked: bool = False,
    horizontal: bool = False,
    last_is_unmet: bool = False,
    height_cm: float = CHART_HEIGHT_CM,
) -> None:
    """Bars for series in adjacent columns (names in `header_row`) over categories in `category_col`."""
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.number_format = "#,##0"
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    data = Reference(ws, min_col=first_series_col, max_col=last_series_col, min_row=header_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=category_col, min_row=first_row, max_row=last_row))
    colours = list(SERIES_COLOURS) * (1 + len(chart.series) // len(SERIES_COLOURS))
    if last_is_unmet:
        colours[len(chart.series) - 1] = UNMET_COLOUR
    for series, colour in zip(chart.series, colours):
        _solid(series, colour)
    if horizontal:  # first category on top, as in the table; values axis stays at the bottom
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"
    _show_axes(chart)
    chart.legend.position = "b"
    chart.gapWidth = 60
    chart.width, chart.height = CHART_WIDTH_CM, height_cm
    ws.add_chart(chart, anchor)
