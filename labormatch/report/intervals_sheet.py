"""The Intervals sheet, beside the live allocation model: the demand draws carried through the caps.

The live model keeps the central path (the point run); this sheet gives, for the same scenario, the median and
the 80% and 95% intervals over the demand draws of H-2B demand, numbers used and unmet by half and tranche,
H-2A workers and wage bill, the odds of the H-2B January-window lottery and the cap-reached dates, with a chart
of the bands. Without a demand uncertainty it says there is no interval.
"""

from __future__ import annotations

import math

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.demand_intervals import PROBABILITY_UNIT, interval_note
from labormatch.figures import BAND_MEASURES
from labormatch.fiscal import HALF_MONTH_NAMES, WHOLE_YEAR
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.formulas import SHEET as MODEL_SHEET
from labormatch.report.layout import HEADER_ROW, Column, frame_rows, write_note, write_table, write_title
from labormatch.report.provenance import scenario_through, write_source

SHEET = "Intervals"
ODDS = "h2b_h2_selection_probability"
BANDS = ("median", "lo80", "hi80", "lo95", "hi95")
BAND_HEADERS = ("Median", "80% low", "80% high", "95% low", "95% high")
HALF_NAMES = {**HALF_MONTH_NAMES, **WHOLE_YEAR}
BAND_COLOURS = (None, "C6DBEF", "6BAED6", "C6DBEF")  # invisible base to the 95% low, then the bands


def _columns(number_format: str) -> list[Column]:
    return [
        Column("Measure", width=28),
        Column("Half"),
        Column("Tranche", width=24),
        Column("Unit", width=30, wrap=True),
        Column("Central path (live model)", number_format, width=14),
        *(Column(h, number_format, width=12) for h in BAND_HEADERS),
        Column("Draws", style.COUNT),
        Column("Seed", "0"),
    ]


def write_intervals(ws: Worksheet, result: ScenarioResult, label: str) -> None:
    """The intervals tables of `result` (or a note that there are none) and a chart of the bands."""
    fy = result.assumptions.fiscal_year
    intervals = result.tables.get("intervals")
    note = interval_note(intervals, fy)
    write_title(
        ws,
        f"Intervals of demand carried through the caps: {label}",
        f"FY{fy}; the '{MODEL_SHEET}' sheet computes the central path live. {note}",
    )
    if intervals is None or intervals.empty:
        write_note(ws, HEADER_ROW, 1, f"{note}: the figures on the other sheets are point figures.")
        return
    keys = ["measure", "half", "tranche", "unit", "point", *BANDS, "n_draws", "seed"]
    counts = intervals[intervals["measure"] != ODDS]
    source = (
        (
            f"{int(intervals['n_draws'].iloc[0])} demand draws (seed {int(intervals['seed'].iloc[0])}) carried "
            f"through the caps by labormatch.demand_intervals; {intervals['source'].iloc[0]}"
        ),
        scenario_through(result),
    )
    _, last = write_table(ws, "Intervals", _columns(style.WORKERS), frame_rows(counts, keys))
    write_source(ws, last + 1, *source)
    top = last + 3
    write_note(ws, top - 1, 1, f"Odds of the January-window lottery ({PROBABILITY_UNIT})", style.SECTION_FONT)
    odds = intervals[intervals["measure"] == ODDS]
    _, last = write_table(ws, "LotteryOdds", _columns(style.SHARE), frame_rows(odds, keys), top=top, freeze=False)
    write_source(ws, last + 1, *source)
    dates = result.tables.get("cap_reached_intervals")
    if dates is not None and len(dates):
        top = last + 3
        write_note(
            ws,
            top - 1,
            1,
            "Cap-reached dates over the draws (share reached: share of draws whose statutory "
            "numbers run out; an empty end: that share of draws never reaches the cap)",
            style.SECTION_FONT,
        )
        date_columns = [
            Column("Half"),
            Column("Share of draws reaching the cap", style.SHARE),
            Column("Central path (live model)", style.DATE, width=14),
            *(Column(h, style.DATE, width=12) for h in BAND_HEADERS),
            Column("Draws", style.COUNT),
            Column("Seed", "0"),
        ]
        _, last = write_table(
            ws,
            "CapReachedDates",
            date_columns,
            frame_rows(dates, ["half", "share_reached", "point", *BANDS, "n_draws", "seed"]),
            top=top,
            freeze=False,
        )
        write_source(ws, last + 1, *source)
    _band_chart(ws, counts, last + 4, source)


def _band_chart(ws: Worksheet, intervals, top: int, source: tuple[str, str]) -> None:
    """Helper rows (the bands as widths, stacked on an invisible base) from row `top`, and a horizontal bar chart of
    them below, both under the tables (beside them they would widen the printed page)."""
    left = 1
    rank = {name: i for i, name in enumerate([*BAND_MEASURES, *HALF_NAMES])}
    rows = intervals[intervals["measure"].isin(list(BAND_MEASURES)) & (intervals["tranche"] == "all")]
    rows = rows.sort_values(["measure", "half"], key=lambda column: column.map(rank), kind="stable")
    write_note(ws, top - 1, left, "Chart data: the bands as widths, stacked to draw the intervals", style.NOTE_FONT)
    heads = ("H-2B figure", "Below the 95% band", "95% to 80% low", "80% band", "80% to 95% high")
    data = [
        (f"{BAND_MEASURES[r.measure]}, {HALF_NAMES[r.half]}", r.lo95, r.lo80 - r.lo95, r.hi80 - r.lo80, r.hi95 - r.hi80)
        for r in rows.itertuples()
    ]
    first, last = write_table(
        ws,
        "IntervalChartData",
        [Column(h, None if i == 0 else style.WORKERS) for i, h in enumerate(heads)],
        data,
        top=top,
        left=left,
        freeze=False,
    )
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "bar", "stacked", 100, 40
    chart.title = "H-2B workers: 80% (dark) and 95% (light) intervals over the demand draws"
    chart.add_data(Reference(ws, min_col=left + 1, max_col=left + 4, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=left, min_row=first, max_row=last))
    for series, colour in zip(chart.series, BAND_COLOURS):
        fill = GraphicalProperties(noFill=True) if colour is None else GraphicalProperties(solidFill=colour)
        fill.line = LineProperties(noFill=True) if colour is None else LineProperties(solidFill=colour)
        series.graphicalProperties = fill
    chart.x_axis.scaling.orientation = "maxMin"  # first figure on top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.number_format = "#,##0"
    chart.legend = None
    chart.width, chart.height = 22, 9
    write_source(ws, last + 1, *source)
    ws.add_chart(chart, f"{get_column_letter(left)}{last + 3}")
    write_source(ws, last + 3 + math.ceil(chart.height / 0.53) + 1, *source, span=len(_columns(style.WORKERS)))
