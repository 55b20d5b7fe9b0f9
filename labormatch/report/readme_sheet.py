"""The README sheet, first in the workbook: contents, definitions, method, data vintage, how to edit, changes."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.layout import Column, write_note, write_table, write_title

SHEET = "README"

#: What each sheet holds (sheets absent from a workbook, e.g. Comparison with one scenario, are left out).
CONTENTS = {
    "Summary": "Plain-language reading, headline figures (labormatch) and the live-model check (formulas vs Python).",
    "Assumptions": "Every scenario value with unit and source. Yellow cells are the inputs; share checks turn red "
    "off 100%.",
    "Forecasts": "Sector series forecasts with 80% / 95% intervals, unit, data-through month and model; backtests "
    "(MASE, sMAPE, coverage).",
    "Demand": "Baseline demand by sector and start month as formulas: national total (source, publication date, "
    "80% / 95% intervals) x the composition share; the scenario's demand by half with its intervals.",
    "Demand track record": "National demand model backtest on published figures and the composition checks.",
    "Control totals": "The national series (observed, converted, forecast with intervals) and every published "
    "national figure the demand model rests on, with measure, source and publication date.",
    "Demand and allocation": "H-2B demand, admitted and unmet by sector, half and tranche (live formulas).",
    "Allocation model": "The allocation arithmetic as formulas: demand by sector and start month, caps, tranches, "
    "one block per tranche and half.",
    "Intervals": "Demand draws carried through the caps: median and 80% / 95% intervals beside the central path.",
    "Quotas": "Circular-migration stock-flow by origin, sector and season (live formulas); counts are worker-seasons.",
    "H-2A": "H-2A workers and wage bill by state; AEWR year and basis per state.",
    "Processing times": "OFLC received-to-decision days by fiscal year of the case files; late starts; when the "
    "statutory numbers run out.",
    "Comparison": "Several scenarios side by side with live differences (Δ) against the first.",
    "Data sources": "Raw files with vintage and sha256, snapshot tables, data vintage, the dated and cited "
    "program rules.",
    **{
        sheet: f"Plain copy of {what} for machine reading: one header row (units in the headers) from A1, no merged "
        "cells, values as labormatch computed them (equal to the live sheets' stored values); its source and data "
        "through are in the comment on A1 and on the sheet it copies."
        for sheet, what in (
            ("Plain allocation", "the Demand and allocation table (sector x half x tranche)"),
            ("Plain quotas", "the Quotas table (origin x sector x season)"),
            ("Plain demand", "the demand by sector, visa class and start month (every month of the horizon)"),
            ("Plain H-2A", "the H-2A table (state)"),
            ("Plain forecasts", "the Forecasts table (series x month)"),
        )
    },
}

DEFINITIONS = (
    (
        "Half",
        (
            "The H-2B cap's two halves of the fiscal year: start dates October 1 - March 31 (first half) and "
            "April 1 - September 30 (second half); unused first-half numbers carry to the second."
        ),
    ),
    (
        "Tranche",
        (
            "A block of H-2B numbers with a window of employment start dates and an eligibility rule "
            "(statutory half, supplemental numbers of a temporary final rule, a country set-aside, a carve-out), "
            "applied in a fixed order."
        ),
    ),
    ("Carve-out", "Numbers reserved for one sector (a pilot scenario), inside the cap (taken from it) or on top."),
    (
        "Returning worker",
        (
            "H-2B tranches: a worker who held H-2B status in one of the {lookback} previous fiscal "
            "years (the rule in force). Quotas: a worker of last season who comes back this season."
        ),
    ),
    (
        "Worker-season",
        (
            "One worker in one season. Totals over seasons count a returning person once per season, "
            "so they are worker-seasons, not people."
        ),
    ),
    (
        "Worker-month",
        (
            "One worker employed for one month; late worker-months are the months lost when the "
            "certification decision comes after the start date of need."
        ),
    ),
    (
        "MASE",
        (
            "Mean absolute scaled error: a forecast's mean absolute error divided by the in-sample mean absolute "
            "error of the seasonal naive forecast (same month last year); lower is better. A model beats seasonal "
            "naive when its backtest MASE is below seasonal naive's on the same origins and horizon."
        ),
    ),
    (
        "Data through",
        (
            "The last month (or fiscal year) with observed data behind a figure; later values are "
            "forecasts. A month with no data is unknown, never 0."
        ),
    ),
)

METHOD = (
    (
        "Demand: national H-2B and H-2A demand (OFLC positions certified, forecast by the demand model) split by "
        "sector and employment start month with the composition shares (Demand sheet: total x share as formulas; "
        "Demand track record sheet: backtest and composition accuracy)."
    ),
    (
        "Scenario levers: demand x fillable share x (1 - domestic-recruitment offset) x wage factor "
        "((1 + wage-floor change) ^ elasticity)."
    ),
    (
        "H-2B allocation: the tranches applied in order, month by month; within a tranche and month, sectors are "
        "rationed pro rata to eligible demand; what is not admitted is unmet demand."
    ),
    (
        "Circular quotas: each season, returning = min(need, last season's workers x (1 - overstay) x return "
        "rate); the rest are new workers; wages = workers x weeks x hours x wage, a share carried home."
    ),
    "H-2A: demand x each state's share; wage bill = workers x contract weeks x hours x the state's AEWR.",
)

EDITING = (
    (
        "Yellow cells on the Assumptions sheet are the inputs; each is a scenario field, so a labormatch run with the "
        "same value reproduces every sheet. Named white cells (tranche sizes, recent maximum numbers, H-2A weeks "
        "and hours) are rule values the formulas read: change the scenario's rule year instead. The Demand sheet's "
        "national totals (named national_total_h2b, national_total_h2a) and shares are data, not inputs."
    ),
    (
        "Excel and LibreOffice recalculate on opening and after each edit (LibreOffice: Data > Calculate > Recalculate "
        "Hard if automatic calculation is off). Every formula cell also stores the value computed for the exported "
        "inputs, so readers that do not recalculate (pandas, previewers) see the numbers."
    ),
    (
        "Keep each visa class's origin shares summing to 100%: the check cell beside them turns red otherwise. "
        "Columns headed 'labormatch: ...' and the Summary's headline figures stay as exported."
    ),
    (
        "Printing: each sheet prints one page wide with its header rows repeated; the Forecasts sheet prints its "
        "forecast table only (the backtest and charts beside it are for the screen); Data sources starts each "
        "section on a page and repeats its title rows."
    ),
)

CHANGES = (
    (
        "This format (labormatch report, December 2026): formula cells store their computed values; this README "
        "sheet; tranche sizes, recent maximum numbers and H-2A weeks and hours are no longer yellow inputs; a check "
        "cell per origin-share block; a scenario's own value is cited as 'scenario choice'; page headers, footers "
        "and repeated header rows for printing; a Demand sheet derives every baseline demand cell from its national "
        "total and share (the Allocation model's baseline cells point to it); a source line under each table and "
        "chart."
    ),
    (
        "Plain sheets (Plain allocation, quotas, demand, H-2A, forecasts): copies of the main tables for machine "
        "reading; the H-2A sheet says which AEWR rule (90 FR 47914 from 2025-10-02) governs which years."
    ),
    (
        "Print: long text wraps within the printed columns (sector labels, sources, notes, model names), so each sheet "
        "prints one page wide at a readable size; the national series and the control totals moved from the Demand "
        "track record sheet to a Control totals sheet of their own."
    ),
    "Earlier format: formulas without stored values (blank to pandas), no README sheet.",
)


def write_readme(
    ws: Worksheet, result: ScenarioResult, scenario_label: str, sheets: list[str], vintage: str, written_at: str
) -> None:
    """Fill the README sheet for the workbook's `sheets` (in order)."""
    write_title(
        ws,
        "README: how to read this workbook",
        f"Scenario {scenario_label}, FY{result.assumptions.fiscal_year}; written {written_at}.",
    )
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    write_note(ws, 3, 1, f"Data vintage: {vintage}")
    write_note(ws, 4, 1, "Contents", style.SECTION_FONT)
    _, row = write_table(
        ws,
        "Contents",
        [Column("Sheet", width=26), Column("What it holds", width=110, wrap=True)],
        [(s, CONTENTS[s]) for s in sheets if s in CONTENTS],
        top=5,
        freeze=False,
    )
    write_note(ws, row + 2, 1, "Definitions", style.SECTION_FONT)
    _, row = write_table(
        ws,
        "Definitions",
        [Column("Term", width=26), Column("Meaning", width=110, wrap=True)],
        [(term, text.format(lookback=result.resolved.lookback_years)) for term, text in DEFINITIONS],
        top=row + 3,
        freeze=False,
    )
    for title, lines in (
        ("Method", METHOD),
        ("Editing the inputs and recalculating", EDITING),
        ("Changes to the workbook format", CHANGES),
    ):
        row += 2
        write_note(ws, row, 1, title, style.SECTION_FONT)
        _, row = write_table(
            ws,
            title.split()[0] + "Notes",
            [Column("Item", width=26), Column("Text", width=110, wrap=True)],
            [(i + 1, text) for i, text in enumerate(lines)],
            top=row + 1,
            freeze=False,
        )
