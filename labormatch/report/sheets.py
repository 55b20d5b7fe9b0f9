"""One function per report sheet (live model: `inputs`, `formulas`; also `forecast_sheet`, `comparison_sheet`)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.crosswalk import sector_labels
from labormatch.model import ScenarioResult
from labormatch.report import charts, style
from labormatch.report.aewr_rule import aewr_rule_note
from labormatch.report.formulas import SHEET as MODEL_SHEET
from labormatch.report.formulas import AllocationRefs
from labormatch.report.headline import figures, number_format, processing_years, reading
from labormatch.report.inputs import LiveNames
from labormatch.report.layout import (
    HEADER_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    Column,
    Formula,
    TableRef,
    frame_rows,
    put,
    sector_column,
    write_note,
    write_paragraph,
    write_table,
    write_title,
)
from labormatch.report.provenance import (
    UNKNOWN,
    case_files_through,
    demand_through,
    fiscal_year_end,
    raw_files,
    scenario_through,
    snapshot_last_date,
    snapshot_through,
    write_source,
)
from labormatch.rules import load_rules

# --- Summary --------------------------------------------------------------------------------------------
SUMMARY_WIDTHS = {"A": 46, "B": 18, "C": 14, "D": 3, "E": 38, "F": 20, "G": 18, "H": 14}


def _paragraph(ws: Worksheet, row: int, first_col: str, text: str, font=None) -> None:
    """`text` wrapped across the merged columns first_col..H of `row`, with a row height that fits it."""
    ws.merge_cells(f"{first_col}{row}:H{row}")
    cell = ws[f"{first_col}{row}"]
    put(cell, text)
    cell.alignment = style.WRAP_ALIGNMENT
    if font is not None:
        cell.font = font
    chars_per_line = 1.2 * sum(w for c, w in SUMMARY_WIDTHS.items() if c >= first_col)
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
    ws.row_dimensions[row].height = 15 * lines


def write_summary(
    ws: Worksheet, result: ScenarioResult, scenario, live_checks: list[tuple[str, float, str, str]], written_at: str
) -> None:
    """A plain-language reading, the headline figures, the live-model check and the scenario's own notes."""
    a = result.assumptions
    write_title(
        ws,
        f"labormatch report: {scenario.title or scenario.name}",
        f"Scenario {scenario.name} - H-2B and H-2A, FY{a.fiscal_year} - written {written_at}",
    )
    write_note(ws, 3, 1, f"Data: {vintage_line(result.data_vintage)}")
    for col, width in SUMMARY_WIDTHS.items():
        ws.column_dimensions[col].width = width
    write_note(ws, HEADER_ROW, 1, "What the numbers say", style.SECTION_FONT)
    row = HEADER_ROW
    for line in reading(result):
        row += 1
        _paragraph(ws, row, "A", line)
    _paragraph(
        ws,
        row + 1,
        "A",
        "Change a yellow cell on the Assumptions sheet and the live formulas (right-hand "
        "table, model sheets) move; the headline figures and this text stay as labormatch computed them.",
        style.NOTE_FONT,
    )
    top = row + 4
    write_note(ws, top - 1, 1, "Headline figures (labormatch)", style.SECTION_FONT)
    shown = figures(result.headline)
    first, last = write_table(
        ws,
        "Headline",
        [Column("Figure", width=46, wrap=True), Column("Value", width=18), Column("Unit", width=14)],
        [(f.label, value, f.unit) for f, value in shown],
        top=top,
        freeze=False,
    )
    for i, (f, _) in enumerate(shown):
        ws.cell(first + i, 2).number_format = number_format(f)
    write_note(ws, top - 1, 5, "Live model check: the workbook's formulas against labormatch", style.SECTION_FONT)
    check_columns = [
        Column("Figure", width=38),
        Column("labormatch (as exported)", width=20),
        Column("Live formulas", width=18),
        Column("Difference", width=14),
    ]
    check_rows = [(label, value, Formula(f"={formula}"), None) for label, value, formula, _ in live_checks]
    c_first, c_last = write_table(ws, "LiveCheck", check_columns, check_rows, top=top, left=5, freeze=False)
    check = TableRef.of(ws.title, check_columns, c_first, c_last, left=5)
    for i, (_, _, _, fmt) in enumerate(live_checks):
        r = c_first + i
        put(
            ws.cell(r, check.index("Difference")),
            Formula(f"={check.cell('Live formulas', r)}-{check.cell('labormatch (as exported)', r)}"),
        )
        for header in ("labormatch (as exported)", "Live formulas", "Difference"):
            ws.cell(r, check.index(header)).number_format = fmt
    source = f"labormatch run of scenario {scenario.name} on the data snapshot built " + str(
        result.data_vintage.get("snapshot_built_at") or UNKNOWN
    )
    write_source(
        ws,
        c_last + 1,
        "the workbook's formulas (Allocation model, Quotas, H-2A) and " + source,
        scenario_through(result),
        col=5,
        beside=True,
    )
    write_source(ws, last + 1, source, scenario_through(result))
    row = last + 2
    for label, text in (("Author", scenario.author), ("Notes", scenario.notes)):
        if text:
            row += 1
            put(ws.cell(row, 1), label)
            ws.cell(row, 1).font = style.LABEL_FONT
            ws.cell(row, 1).alignment = style.WRAP_ALIGNMENT
            _paragraph(ws, row, "B", text)
    ws.freeze_panes = "A3"


def vintage_line(vintage: dict) -> str:
    """Short scalar vintage items (checksums cut to 12 digits); the full record is on the Data sources sheet."""
    parts = []
    for key, value in vintage.items():
        if isinstance(value, (dict, list, tuple)):
            continue
        text = str(value)
        text = text[:12] if re.fullmatch(r"[0-9a-f]{64}", text) else text
        if len(text) <= 40:
            parts.append(f"{key.replace('_', ' ')} {text}")
    return "; ".join([*parts, "details on the Data sources sheet"])


def vintage_rows(vintage: dict) -> list[tuple[str, str]]:
    """(item, value) rows of a data vintage; lists of records give one row per record."""
    rows = []
    for key, value in vintage.items():
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            rows += [(f"{key} {i + 1}", _plain(v)) for i, v in enumerate(value)]
        else:
            rows.append((key, _plain(value)))
    return rows


def _plain(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


# --- Demand and allocation --------------------------------------------------------------------------------
def write_allocation(ws: Worksheet, result: ScenarioResult, refs: AllocationRefs, scenario_label: str) -> None:
    """Sector x half x tranche: demand before, allocated, unmet (live), beside labormatch's numbers; chart."""
    fy = result.assumptions.fiscal_year
    write_title(
        ws,
        f"H-2B demand and allocation, FY{fy}",
        f"Scenario {scenario_label}. Live formulas from the '{MODEL_SHEET}' sheet; 'labormatch' columns "
        "hold the numbers as exported.",
    )
    alloc = shown_allocation(result)
    labels = sector_labels()
    rows = []
    for r in alloc.itertuples(index=False):
        demand_f, allocated_f, unmet_f = refs.rows[(r.sector, r.half, r.tranche)]
        rows.append(
            (
                labels.get(r.sector, r.sector),
                r.half,
                r.tranche,
                Formula(f"={demand_f}"),
                Formula(f"={allocated_f}"),
                Formula(f"={unmet_f}"),
                float(r.allocated),
                None,
            )
        )
    columns = [
        sector_column(),
        Column("Half"),
        Column("Tranche", width=22, wrap=True),
        Column("Demand before tranche (workers)", style.WORKERS, width=11),
        Column("Allocated (workers)", style.WORKERS, width=11),
        Column("Unmet after tranche (workers)", style.WORKERS, width=11),
        Column("labormatch: allocated (workers)", style.WORKERS, width=11),
        Column("Live - labormatch (workers)", style.DECIMAL, width=11),
    ]
    first, last = write_table(ws, "Allocation", columns, rows)
    table = TableRef.of(ws.title, columns, first, last)
    gap = table.index("Live - labormatch (workers)")
    for r in range(first, last + 1):
        put(
            ws.cell(r, gap),
            Formula(f"={table.cell('Allocated (workers)', r)}-{table.cell('labormatch: allocated (workers)', r)}"),
        )
        ws.cell(r, gap).number_format = style.DECIMAL
    source = (
        (
            "labormatch allocation: baseline demand of the Demand sheet, the scenario's levers and the tranches of "
            "the dated, cited rules (Assumptions sheet)"
        ),
        demand_through(result),
    )
    write_source(ws, last + 1, *source)
    # pivot for the chart: sectors with any demand, allocated by half + unmet (live)
    by_sector = result.tables["h2b_by_sector"].groupby("sector")["demand"].sum()
    sectors = sorted(dict.fromkeys(alloc["sector"]), key=lambda s: -by_sector.get(s, 0.0))  # largest demand first
    top = HEADER_ROW
    left = 10
    headers = ("Sector", "Allocated, H1 (workers)", "Allocated, H2 (workers)", "Unmet (workers)")
    pivot_rows = []
    for s in sectors:
        a1, a2 = refs.by_sector[(s, "H1")][1], refs.by_sector[(s, "H2")][1]
        u1, u2 = refs.by_sector[(s, "H1")][2], refs.by_sector[(s, "H2")][2]
        pivot_rows.append((labels.get(s, s), Formula(f"={a1}"), Formula(f"={a2}"), Formula(f"={u1}+{u2}")))
    if pivot_rows:
        p_first, p_last = write_table(
            ws,
            "AllocationBySectorChart",
            [Column(h, style.WORKERS) if i else sector_column(h) for i, h in enumerate(headers)],
            pivot_rows,
            top=top,
            left=left,
            freeze=False,
        )
        write_source(ws, p_last + 1, *source, col=left, beside=True)
        anchor_row = last + 3  # below the allocation table and its source line: printed within the tables' width
        chart_height = max(8, 1.2 * len(pivot_rows) + 4)
        write_source(ws, anchor_row + math.ceil(chart_height / 0.53) + 1, *source, span=len(columns))
        charts.bar_chart(
            ws,
            f"H-2B workers by sector, FY{fy}: admitted by half, and unmet demand",
            "workers",
            top,
            p_first,
            p_last,
            left,
            left + 1,
            left + 3,
            f"A{anchor_row}",
            stacked=True,
            horizontal=True,
            last_is_unmet=True,
            height_cm=chart_height,
        )


def shown_allocation(result: ScenarioResult) -> pd.DataFrame:
    """The allocation table without sectors that have no H-2B demand in the fiscal year (all-zero rows)."""
    alloc = result.tables["allocation"]
    demand = alloc.groupby("sector")["demand"].transform("max")
    return alloc[demand > 0].reset_index(drop=True)


# --- Quotas (circular migration) --------------------------------------------------------------------------
QUOTA_COLUMNS = (
    Column("Season"),
    Column("Fiscal year", "0"),
    Column("Origin", width=16, wrap=True),
    sector_column(),
    Column("Visa class"),
    Column("Origin share", style.SHARE, width=9),
    Column("First-season workers of the sector (workers)", style.WORKERS, width=11),
    Column("Total workers", style.WORKERS, width=11),
    Column("Returning workers", style.WORKERS, width=11),
    Column("New workers", style.WORKERS, width=11),
    Column("Non-returning (workers)", style.WORKERS, width=11),
    Column("Overstays (workers)", style.WORKERS, width=11),
    Column("Season pay per worker (USD)", style.USD, width=11),
    Column("Wages earned (USD)", style.USD, width=16),
    Column("Wages carried home (USD)", style.USD, width=16),
)


def quota_frame(result: ScenarioResult) -> pd.DataFrame:
    """The quotas table ordered so each origin x sector's seasons are consecutive rows."""
    return result.tables["quotas"].sort_values(["visa_class", "origin", "sector", "season"]).reset_index(drop=True)


def write_quotas(
    ws: Worksheet,
    result: ScenarioResult,
    refs: AllocationRefs,
    names: LiveNames,
    h2a: TableRef,
    scenario_label: str,
    manifest: dict | None,
) -> TableRef:
    """Circular-migration quotas by origin x sector x season as live stock-flow formulas; returns where the
    table sits. `h2a` is the H-2A sheet's table: an H-2A worker's season pay is contract weeks x hours per week x
    the AEWR averaged over the states' shares there, as in the model."""
    a = result.assumptions
    write_title(
        ws,
        "Circular-migration quotas by origin, sector and season",
        f"Scenario {scenario_label}. Each season: returning = min(need, last season's workers x "
        "(1 - overstay) x return rate); new = need - returning. H-2B first-season workers are the live "
        "allocation; H-2A first-season workers are the H-2A demand.",
    )
    frame = quota_frame(result)
    pay = _pay_per_worker(result.tables["quotas"])
    h2a_pay = (
        Formula(
            f"=h2a_weeks*h2a_hours_per_week*SUMPRODUCT({h2a.column('Share of H-2A workers')},"
            f"{h2a.column('AEWR (USD/hour)')})/SUM({h2a.column('Share of H-2A workers')})"
        )
        if h2a.last >= h2a.first
        else None
    )
    labels = sector_labels()
    table = TableRef.of(ws.title, QUOTA_COLUMNS, HEADER_ROW + 1, HEADER_ROW + len(frame))
    season, share, first_workers, total, returning, pay_per_worker, earned = (
        table.letter(h)
        for h in (
            "Season",
            "Origin share",
            "First-season workers of the sector (workers)",
            "Total workers",
            "Returning workers",
            "Season pay per worker (USD)",
            "Wages earned (USD)",
        )
    )
    rows = []
    for i, r in enumerate(frame.itertuples(index=False)):
        n = HEADER_ROW + 1 + i
        need = Formula(
            f"={refs.sector_total_allocated[r.sector]}"
            if r.visa_class == "H-2B"
            else f"={refs.h2a_by_sector[r.sector]}"
        )
        prev = n - 1
        first_season = r.season == 1
        rows.append(
            (
                int(r.season),
                int(r.fiscal_year),
                r.origin,
                labels.get(r.sector, r.sector),
                r.visa_class,
                Formula(f"={names.origin_shares[(r.visa_class, r.origin)]}"),
                need,
                Formula(f"={first_workers}{n}*{share}{n}*(1+need_growth_per_season)^({season}{n}-1)"),
                0.0 if first_season else Formula(f"=MIN({total}{n},{total}{prev}*(1-overstay_rate)*return_rate)"),
                Formula(f"={total}{n}-{returning}{n}"),
                0.0 if first_season else Formula(f"={total}{prev}-{returning}{n}"),
                Formula(f"={total}{n}*overstay_rate"),
                h2a_pay if r.visa_class == "H-2A" and h2a_pay else pay.get((r.visa_class, r.sector), 0.0),
                Formula(f"={total}{n}*{pay_per_worker}{n}"),
                Formula(f"={earned}{n}*carried_home_share"),
            )
        )
    _, last = write_table(ws, "Quotas", QUOTA_COLUMNS, rows)
    write_source(
        ws,
        last + 1,
        "labormatch circular stock-flow on the workers admitted (Allocation model) and the H-2A "
        "demand; origin shares from State Department H-2 visa issuances by nationality "
        f"({raw_files(manifest, 'h2_reference/dos_niv')}); pay per worker from OFLC case files and the AEWR",
        f"issuances {snapshot_through(manifest, 'reference/dos_issuances')}; {scenario_through(result)}",
    )
    write_note(
        ws,
        3,
        1,
        f"{a.seasons} seasons; return rate, overstay, need growth and the share carried home are "
        "yellow cells on the Assumptions sheet. Pay per worker = contract weeks x hours x hourly wage "
        "(as in the model).",
    )
    return table


def _pay_per_worker(quotas: pd.DataFrame) -> dict[tuple[str, str], float]:
    first = quotas[quotas["season"] == 1].groupby(["visa_class", "sector"])[["wages_earned_usd", "total_workers"]].sum()
    first = first[first["total_workers"] > 0]
    return (first["wages_earned_usd"] / first["total_workers"]).to_dict()


# --- H-2A -------------------------------------------------------------------------------------------------
H2A_COLUMNS = (
    Column("State"),
    Column("Share of H-2A workers", style.SHARE),
    Column("Workers", style.WORKERS),
    Column("AEWR (USD/hour)", style.USD_HOURLY),
    Column("AEWR year", "0"),
    Column("AEWR basis (rate of state or mean, year)", width=30),
    Column("Wage bill (USD)", style.USD, width=18),
    Column("labormatch: wage bill (USD)", style.USD, width=18),
)


def write_h2a(
    ws: Worksheet, result: ScenarioResult, refs: AllocationRefs, scenario_label: str, manifest: dict | None
) -> TableRef:
    """H-2A workers (live H-2A demand x the state's share) and wage bill by state, as live formulas; returns
    where the table sits."""
    write_title(
        ws,
        f"H-2A workers and wage bill by state, FY{result.assumptions.fiscal_year}",
        f"Scenario {scenario_label}. Workers = H-2A demand of the fiscal year (live) x the state's share; "
        "wage bill = workers x contract weeks x hours per week x AEWR (Adverse Effect Wage Rate, reference "
        "table of the data snapshot).",
    )
    h2a = result.tables["h2a"]
    total = float(h2a["workers"].sum())
    demand = "+".join(refs.h2a_by_sector.values()) or "0"
    years = aewr_years(h2a)
    table = TableRef.of(ws.title, H2A_COLUMNS, HEADER_ROW + 1, HEADER_ROW + len(h2a))
    share, workers, aewr = (table.letter(h) for h in ("Share of H-2A workers", "Workers", "AEWR (USD/hour)"))
    rows = []
    for i, r in enumerate(h2a.itertuples(index=False)):
        n = HEADER_ROW + 1 + i
        rows.append(
            (
                r.state,
                r.workers / total if total else 0.0,
                Formula(f"=({demand})*{share}{n}"),
                float(r.aewr_usd_hour),
                years[i],
                r.aewr_basis,
                Formula(f"={workers}{n}*h2a_weeks*h2a_hours_per_week*{aewr}{n}"),
                float(r.wage_bill_usd),
            )
        )
    _, last = write_table(ws, "H2A", H2A_COLUMNS, rows)
    by_year = pd.Series(list(h2a["state"]), index=years).groupby(level=0).agg(list)
    write_paragraph(
        ws,
        last + 1,
        1,
        8,
        "AEWR year by state: "
        + "; ".join(f"{year}: {len(states)} states ({', '.join(states)})" for year, states in by_year.items())
        + f". Each state takes its latest listed rate up to FY{result.assumptions.fiscal_year}; a state with none "
        "gets the mean of the states listed for that year.",
    )
    method = load_rules().aewr_methodology()
    write_paragraph(
        ws,
        last + 2,
        1,
        8,
        aewr_rule_note(method, result.assumptions.fiscal_year, snapshot_last_date(manifest, "reference/aewr")),
    )
    cases = case_files_through(result.data_vintage, "H-2A")
    aewr_through = snapshot_through(manifest, "reference/aewr")
    write_source(
        ws,
        last + 3,
        f"AEWR rates: the data snapshot's table ({raw_files(manifest, 'h2_reference/aewr')}; "
        "secondary: copies of the rates on vendor and press pages, each row's page in the file, the Federal "
        "Register AEWR notices are not staged); AEWR methodology: "
        + "; ".join(method.source(day) for day in sorted(method.values))
        + f" (primary); state shares: H-2A worker-months certified by worksite state, OFLC case files of "
        f"{cases.split()[0]}",
        f"{aewr_through} (AEWR rates effective by then, rate years to {max(years)}); case files {cases}",
        span=8,
    )
    return table


def aewr_years(h2a: pd.DataFrame) -> list[int]:
    """The AEWR year behind each state's rate (`aewr_basis` ends in it: "state 2024", "mean of listed states
    2025")."""
    return [int(basis.split()[-1]) for basis in h2a["aewr_basis"]]


# --- Processing times -------------------------------------------------------------------------------------
PROCESSING_COLUMNS = (
    ("fiscal_year", Column("Fiscal year", "0")),
    ("visa_class", Column("Visa class")),
    ("cases", Column("Cases", style.COUNT)),
    ("workers", Column("Workers", style.WORKERS)),
    ("median_days", Column("Median processing (days)", style.DAYS)),
    ("p90_days", Column("90th percentile processing (days)", style.DAYS)),
    ("share_late", Column("Workers starting late (share)", style.SHARE)),
    ("late_worker_months", Column("Late worker-months", style.WORKERS)),
    ("median_days_lever", Column("Median with faster processing (days)", style.DAYS)),
    ("share_late_lever", Column("Starting late with faster processing (share)", style.SHARE)),
    ("late_worker_months_lever", Column("Late worker-months with faster processing", style.WORKERS)),
)


def write_processing(ws: Worksheet, result: ScenarioResult, scenario_label: str, manifest: dict | None) -> None:
    """OFLC processing times (received to decision) by fiscal year and visa class, before and after the lever."""
    a = result.assumptions
    table = result.tables["processing"]
    write_title(
        ws,
        f"Processing times: OFLC received to decision, {processing_years(result)}",
        f"Scenario {scenario_label}. Lever: {a.processing_days_faster:g} days and "
        f"{a.processing_pct_faster:g}% faster. Late = decision after the start date of need. FY{a.fiscal_year} "
        "uses the delays of the latest case-file year of each visa class.",
    )
    keys = [k for k, _ in PROCESSING_COLUMNS]
    _, last = write_table(ws, "Processing", [c for _, c in PROCESSING_COLUMNS], frame_rows(table, keys))
    latest = table.groupby("visa_class")["fiscal_year"].max()
    write_source(
        ws,
        last + 1,
        "OFLC H-2A and H-2B disclosure case files (received and decision dates, start date of need)",
        "; ".join(f"{v} FY{int(y)} ({fiscal_year_end(int(y))})" for v, y in latest.items()) or UNKNOWN,
    )
    timing = result.tables.get("cap_timing")
    if timing is not None and len(timing):
        top = last + 4  # below the processing table: beside it, the two printed at under half size
        write_note(ws, top - 1, 1, "When the statutory numbers run out", style.SECTION_FONT)
        _, t_last = write_table(
            ws,
            "CapTiming",
            [
                Column("Half"),
                Column("Numbers (workers)", style.WORKERS),
                Column("Demand (workers)", style.WORKERS),
                Column("Estimated cap reached", style.DATE),
                Column("Published cap reached (USCIS)", style.DATE),
                Column("Basis", width=30, wrap=True),
            ],
            frame_rows(
                timing,
                ["half", "numbers", "demand", "estimated_cap_reached_date", "observed_cap_reached_date", "basis"],
            ),
            top=top,
            freeze=False,
        )
        write_source(
            ws,
            t_last + 1,
            "OFLC H-2B certification dates (filing profile) and USCIS cap-reached dates "
            f"({raw_files(manifest, 'h2_reference/h2b_cap_reached')})",
            f"USCIS dates {snapshot_through(manifest, 'reference/h2b_cap_reached_dates')}; case files "
            f"{case_files_through(result.data_vintage, 'H-2B')}",
            span=len(PROCESSING_COLUMNS),
        )


# --- Data sources -----------------------------------------------------------------------------------------
def _section(ws: Worksheet, top: int, title: str) -> None:
    """A section title above the table whose header row is `top`; printed, each section after the first starts a
    page, and only the sheet's title rows repeat (the sections' header rows differ, so none repeats)."""
    write_note(ws, top - 1, 1, title, style.SECTION_FONT)
    if top > HEADER_ROW:
        ws.row_breaks.append(Break(id=top - 2))
    ws.print_title_rows = f"{TITLE_ROW}:{SUBTITLE_ROW}"


def write_sources(
    ws: Worksheet,
    results: Sequence[ScenarioResult],
    manifest: dict | None,
    package_version: str,
    rules_table: list[dict],
) -> None:
    """Raw files, snapshot tables and inputs with checksums, build and scenario vintages, and the cited rules."""
    write_title(
        ws,
        "Data sources",
        f"labormatch {package_version}. Every figure comes from these files or from "
        "the dated, cited rules below; scenario assumptions are on the Assumptions sheet.",
    )
    m = manifest or {}
    sections = (
        (
            "Raw public files read by the snapshot build",
            "Sources",
            [
                Column("File", width=30, wrap=True),
                Column("Vintage", width=14),
                Column("sha256", width=34, wrap=True),
                Column("Bytes", style.COUNT),
            ],
            [
                (e.get("path", ""), e.get("vintage", ""), e.get("sha256", ""), e.get("bytes"))
                for e in m.get("sources", [])
            ],
        ),
        (
            "Snapshot tables",
            "Outputs",
            [
                Column("File", width=30, wrap=True),
                Column("Rows", style.COUNT),
                Column("sha256", width=34, wrap=True),
                Column("First date"),
                Column("Last date"),
            ],
            [
                (e.get("file", ""), e.get("rows"), e.get("sha256", ""), *(list(e.get("date_range") or ["", ""])[:2]))
                for e in m.get("outputs", [])
            ],
        ),
        (
            "Inputs shipped with the package",
            "Inputs",
            [Column("File", width=30, wrap=True), Column("Bytes", style.COUNT), Column("sha256", width=34, wrap=True)],
            [(e.get("file", ""), e.get("bytes"), e.get("sha256", "")) for e in m.get("inputs", [])],
        ),
    )
    row = HEADER_ROW
    if not m:
        write_note(
            ws, row - 1, 1, "No snapshot manifest was supplied; the data vintage recorded with each scenario follows."
        )
    for title, name, columns, rows in sections:
        if not rows:
            continue
        _section(ws, row, title)
        _, last = write_table(ws, name, columns, rows, top=row, freeze=row == HEADER_ROW)
        write_source(
            ws,
            last + 1,
            f"snapshot manifest (manifest.json) built {m.get('built_at', UNKNOWN)}",
            f"as-of month {m.get('as_of_month', UNKNOWN)} (each raw file's vintage in its row)",
        )
        row = last + 3
    build = [
        (key, "snapshot", str(m[key])) for key in ("built_at", "package_version", "data_checksum", "oflc") if key in m
    ]
    if "splices" in m:
        build.append(("vintage splices", "snapshot", f"{len(m['splices'])} series splices (see manifest.json)"))
    build += [(k, f"scenario {i + 1}", v) for i, r in enumerate(results) for k, v in vintage_rows(r.data_vintage)]
    build.append(("labormatch version", "report", package_version))
    _section(ws, row, "Build and data vintage")
    _, last = write_table(
        ws,
        "Vintage",
        [Column("Item", width=30, wrap=True), Column("Of"), Column("Value", width=40, wrap=True)],
        build,
        top=row,
        freeze=row == HEADER_ROW,
    )
    row = last + 3
    _section(ws, row, "Program rules in force (dated, cited parameters)")
    write_table(
        ws,
        "Rules",
        [
            Column("Parameter", width=30, wrap=True),
            Column("Effective"),
            Column("Source", width=40, wrap=True),
            Column("Value", width=24, wrap=True),
            Column("Unit", width=14, wrap=True),
            Column("Basis", width=30, wrap=True),
        ],
        [
            (
                r["parameter"],
                r["effective"],
                r["source"],
                _plain(r["value"]) if isinstance(r["value"], (dict, list)) else r["value"],
                r["unit"],
                r.get("basis", ""),
            )
            for r in rules_table
        ],
        top=row,
        freeze=False,
    )
