"""The live model: the matcher's H-2B allocation and the circular stock-flow written as Excel formulas.

`write_allocation_model` lays out, on one sheet, the H-2B demand by sector and start month (the model's
forecast, an input), the tranche table (numbers from the Assumptions sheet) and one block per tranche and
half in the order `labormatch.matcher.allocate_h2b` applies them. Each block holds, per start month:
the share of the month inside the tranche's window, eligible demand, numbers still available, the
numbers allocated (min of the two) and the returning-worker pool left; and per sector the workers
allocated (pro rata to eligible demand) and still unmet. `write_quotas` writes the seasons of
`labormatch.circular.stock_flow` as formulas on the returned allocation and the Assumptions cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter as L
from openpyxl.worksheet.worksheet import Worksheet

from labormatch import demand as demand_model
from labormatch import matcher
from labormatch.crosswalk import load_sectors
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.inputs import LiveNames
from labormatch.report.layout import Column, Formula, put, write_note, write_table, write_title

SHEET = "Allocation model"
MONTH_COL = 3           # C..H: the six start months of a half
TOTAL_COL = 9           # I: sum over the half
REMAIN_COL = 11         # K..P: unmet after the tranche, by month
REMAIN_TOTAL_COL = 17   # Q
LABEL_WIDTH = 40


def q(sheet: str) -> str:
    """Sheet name quoted for a formula reference."""
    return "'" + sheet.replace("'", "''") + "'"


def _abs(col: int, row: int) -> str:
    return f"${L(col)}${row}"


@dataclass
class AllocationRefs:
    """Cells of the allocation model that other sheets read, as sheet-qualified references or sums."""

    rows: dict[tuple[str, str, str], tuple[str, str, str]] = field(default_factory=dict)  # demand, allocated, unmet
    by_sector: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)  # (sector, half)
    sector_total_allocated: dict[str, str] = field(default_factory=dict)
    total_allocated: str = ""
    total_unmet: str = ""


def sector_labels() -> dict[str, str]:
    """Sector id -> readable label (data/sectors.csv)."""
    sectors = load_sectors()
    return dict(zip(sectors["sector"], sectors["label"]))


def _country_share_formula(countries: str, names: LiveNames) -> str:
    if not countries:
        return "=1"
    wanted = {c.strip().casefold() for c in countries.split(";") if c.strip()}
    cells = [n for (visa, origin), n in names.origin_shares.items() if visa == "H-2B" and origin.casefold() in wanted]
    return "=" + ("+".join(cells) if cells else "0")


def write_allocation_model(ws: Worksheet, result: ScenarioResult, names: LiveNames, scenario_label: str
                           ) -> AllocationRefs:
    """The H-2B allocation of the scenario's fiscal year as live formulas; returns the cells others read."""
    a = result.assumptions
    fy = a.fiscal_year
    months = matcher.fiscal_months(fy)
    sectors = sorted(set(result.tables["demand"]["sector"]) | {c.sector for c in a.pilot_carveouts})
    matrix = demand_model.fiscal_year_matrix(result.tables["demand"], "H-2B", fy, sectors)
    tranches = result.tables["tranches"].reset_index(drop=True)
    refs = AllocationRefs()
    here = q(SHEET)
    labels = sector_labels()
    write_title(ws, f"H-2B allocation model, FY{fy} (live formulas)",
                f"Scenario {scenario_label}. Rule of labormatch.matcher: tranches applied in order, month by "
                "month; sectors rationed pro rata to eligible demand. Inputs: the Assumptions sheet (yellow).")
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = 12
    for col in list(range(MONTH_COL, REMAIN_TOTAL_COL + 1)):
        ws.column_dimensions[L(col)].width = 12
    ws.column_dimensions[L(TOTAL_COL + 1)].width = 3

    # --- demand by sector and start month (input from the forecast) ---------------------------------------
    row = 4
    write_note(ws, row, 1, "H-2B demand by sector and employment start month (workers), from the model's "
               "demand forecast (demand sheet of the scenario); an input here.", style.SECTION_FONT)
    row += 1
    header = row
    put(ws.cell(header, 1), "Sector")
    for i, month in enumerate(months):
        col = (MONTH_COL + i) if i < 6 else (REMAIN_COL + i - 6)
        cell = ws.cell(header, col)
        cell.value = month
        cell.number_format = "mmm yyyy"
    put(ws.cell(header, TOTAL_COL), "H1 total")
    put(ws.cell(header, REMAIN_TOTAL_COL), "H2 total")
    demand_rows: dict[str, int] = {}
    for j, sector in enumerate(sectors):
        row += 1
        demand_rows[sector] = row
        put(ws.cell(row, 1), labels.get(sector, sector))
        for i, month in enumerate(months):
            col = (MONTH_COL + i) if i < 6 else (REMAIN_COL + i - 6)
            cell = ws.cell(row, col)
            cell.value = float(matrix[j, i])
            cell.number_format = style.WORKERS
        for total_col, first in ((TOTAL_COL, MONTH_COL), (REMAIN_TOTAL_COL, REMAIN_COL)):
            put(ws.cell(row, total_col), Formula(f"=SUM({L(first)}{row}:{L(first + 5)}{row})"))
            ws.cell(row, total_col).number_format = style.WORKERS
    ws.freeze_panes = "B4"
    last_sector_row = demand_rows[sectors[-1]]

    # --- cap arithmetic and tranche table ---------------------------------------------------------------
    row = last_sector_row + 2
    write_note(ws, row, 1, "Statutory cap by half (workers)", style.SECTION_FONT)
    inside = [n for n, c in zip(names.carveouts, a.pilot_carveouts) if c.inside_cap]
    cap_cells = {}
    for label, key, formula in (
        ("Annual cap after multiplier", "annual", "=ROUND(h2b_cap*cap_multiplier,0)"),
        ("First-half numbers", "h1", "=ROUND({annual}*first_half_share,0)"),
        ("Second-half numbers", "h2", "={annual}-{h1}"),
        ("Carve-outs inside the cap", "inside", "=" + ("+".join(inside) if inside else "0")),
        ("of which taken from the first half", "inside_h1",
         "=IF({annual}>0,ROUND({inside}*{h1}/{annual},0),0)"),
    ):
        row += 1
        put(ws.cell(row, 1), label)
        cap_cells[key] = _abs(2, row)
        put(ws.cell(row, 2), Formula(formula.format(**cap_cells)))
        ws.cell(row, 2).number_format = style.WORKERS
    row += 1
    put(ws.cell(row, 1), "Returning-worker pool (workers)")
    write_note(ws, row, 3, "= return rate x largest H-2B numbers of the 3 previous fiscal years")
    pool_cell = _abs(2, row)
    put(ws.cell(row, 2), Formula("=return_rate*recent_max_numbers"))
    ws.cell(row, 2).number_format = style.WORKERS

    row += 2
    write_note(ws, row, 1, "Tranches in the order applied (numbers in workers)", style.SECTION_FONT)
    row += 1
    tranche_header = row
    tranche_cols = ("Tranche", "Kind", "Half", "Window start", "Window end", "Numbers (workers)",
                    "Carried in from H1 (workers)", "Returning workers only (1 = yes)", "Countries",
                    "Country share of workers", "Sector served (carve-out)", "Used (workers)", "Left (workers)",
                    "labormatch: used (workers)")
    tranche_rows: dict[str, int] = {}
    carve_iter = iter(zip(names.carveouts, a.pilot_carveouts))
    sector_of: dict[str, str | None] = {}
    table_rows = []
    for i, t in enumerate(tranches.itertuples(index=False)):
        r = tranche_header + 1 + i
        tranche_rows[t.tranche] = r
        sector = None
        if t.kind == "carveout":
            name, carve = next(carve_iter)
            sector = carve.sector
            size = Formula(f"={name}")
        elif t.tranche == "statutory_h1":
            size = Formula(f"={cap_cells['h1']}-{cap_cells['inside_h1']}")
        elif t.tranche == "statutory_h2":
            size = Formula(f"={cap_cells['h2']}-({cap_cells['inside']}-{cap_cells['inside_h1']})+G{r}")
        else:
            size = Formula(f"={names.tranche_sizes[t.tranche]}")
        sector_of[t.tranche] = sector
        carried = Formula(f"=F{tranche_rows['statutory_h1']}-L{tranche_rows['statutory_h1']}") \
            if t.tranche == "statutory_h2" else 0
        table_rows.append([t.tranche, t.kind, t.half, t.window_start, t.window_end, size, carried,
                           1 if t.returning_only else 0, t.countries, Formula(_country_share_formula(t.countries, names)),
                           labels.get(sector, "") if sector else "", None, Formula(f"=F{r}-L{r}"), float(t.used)])
    block_takes: dict[str, list[str]] = {t: [] for t in tranche_rows}
    # Used (col L) is filled in once the blocks are written.
    formats = (None, None, None, style.DATE, style.DATE, style.WORKERS, style.WORKERS, "0", None, style.SHARE,
               None, style.WORKERS, style.WORKERS, style.WORKERS)
    write_table(ws, "TrancheModel", [Column(h, f, LABEL_WIDTH if h == "Tranche" else None, wrap=h == "Countries")
                                     for h, f in zip(tranche_cols, formats)], table_rows,
                top=tranche_header, freeze=False)

    # --- one block per half x tranche ------------------------------------------------------------------
    row = tranche_header + len(table_rows) + 2
    write_note(ws, row, 1, "Allocation blocks: each tranche, month by month, in the order applied", style.SECTION_FONT)
    prev_cols = {"H1": {s: (demand_rows[s], MONTH_COL) for s in sectors},
                 "H2": {s: (demand_rows[s], REMAIN_COL) for s in sectors}}
    returning_before = pool_cell
    h1_take_total: dict[str, str] = {}
    row += 2
    for half in matcher.HALVES:
        prev = prev_cols[half]
        month_dates = months[:6] if half == "H1" else months[6:]
        for t in tranches.itertuples(index=False):
            if t.half not in (half, "both"):
                continue
            tr = tranche_rows[t.tranche]
            size, ret_only, share = f"$F${tr}", f"$H${tr}", f"$J${tr}"
            start, end = f"$D${tr}", f"$E${tr}"
            prior = h1_take_total.get(t.tranche, "0") if half == "H2" else "0"
            title_row, month_row, cover_row, elig_row, avail_row, take_row, ret_row = range(row, row + 7)
            put(ws.cell(title_row, 1), f"{half} - {t.tranche} ({t.kind})")
            ws.cell(title_row, 1).font = style.LABEL_FONT
            put(ws.cell(month_row, 1), "Start month")
            put(ws.cell(month_row, 2), "Eligible (1 = yes)")
            ws.cell(month_row, 2).alignment = style.HEADER_ALIGNMENT
            put(ws.cell(month_row, TOTAL_COL), "Total")
            put(ws.cell(month_row, REMAIN_COL - 1), "Unmet after:")
            for label, r in (("Share of the month inside the window", cover_row),
                             ("Eligible demand (workers)", elig_row), ("Numbers available (workers)", avail_row),
                             ("Allocated (workers)", take_row), ("Returning-worker pool left (workers)", ret_row)):
                put(ws.cell(r, 1), label)
            first_sector = ret_row + 1
            last_sector = first_sector + len(sectors) - 1
            mask_range = f"$B${first_sector}:$B${last_sector}"
            for k, month in enumerate(month_dates):
                c = MONTH_COL + k
                m = f"{L(c)}${month_row}"
                for col in (c, REMAIN_COL + k):
                    ws.cell(month_row, col).value = month
                    ws.cell(month_row, col).number_format = "mmm yyyy"
                p_first, p_col0 = prev[sectors[0]]
                prev_range = f"{L(p_col0 + k)}{p_first}:{L(p_col0 + k)}{p_first + len(sectors) - 1}"
                eligible_sum = f"SUMPRODUCT({prev_range},{mask_range})"
                cover = f"{L(c)}{cover_row}"
                put(ws.cell(cover_row, c), Formula(
                    f"=MAX(0,MIN(EOMONTH({m},0),{end})-MAX({m},{start})+1)/DAY(EOMONTH({m},0))"))
                put(ws.cell(elig_row, c), Formula(f"={cover}*{share}*{eligible_sum}"))
                left = f"{size}-{prior}" + (f"-SUM({L(MONTH_COL)}{take_row}:{L(c - 1)}{take_row})" if k else "")
                ret_before = returning_before if k == 0 else f"{L(c - 1)}{ret_row}"
                put(ws.cell(avail_row, c), Formula(f"=IF({ret_only}=1,MIN({left},{ret_before}),{left})"))
                put(ws.cell(take_row, c), Formula(
                    f"=IF({cover}=0,0,MAX(0,MIN({L(c)}{avail_row},{L(c)}{elig_row})))"))
                put(ws.cell(ret_row, c), Formula(f"={ret_before}-IF({ret_only}=1,{L(c)}{take_row},0)"))
                for r, fmt in ((cover_row, style.SHARE), (elig_row, style.WORKERS), (avail_row, style.WORKERS),
                               (take_row, style.WORKERS), (ret_row, style.WORKERS)):
                    ws.cell(r, c).number_format = fmt
            put(ws.cell(take_row, TOTAL_COL), Formula(f"=SUM({L(MONTH_COL)}{take_row}:{L(MONTH_COL + 5)}{take_row})"))
            ws.cell(take_row, TOTAL_COL).number_format = style.WORKERS
            block_takes[t.tranche].append(f"{L(TOTAL_COL)}{take_row}")
            if half == "H1":
                h1_take_total[t.tranche] = f"${L(TOTAL_COL)}${take_row}"
            returning_before = f"{L(MONTH_COL + 5)}{ret_row}"
            new_prev = {}
            for j, sector in enumerate(sectors):
                r = first_sector + j
                put(ws.cell(r, 1), labels.get(sector, sector))
                ws.cell(r, 2).value = 1 if sector_of[t.tranche] in (None, sector) else 0
                p_row, p_col = prev[sector]
                for k in range(6):
                    c = MONTH_COL + k
                    p = f"{L(p_col + k)}{p_row}"
                    put(ws.cell(r, c), Formula(
                        f"=IF({L(c)}${elig_row}>0,{p}*{L(c)}${cover_row}*{share}*$B{r}*{L(c)}${take_row}/{L(c)}${elig_row},0)"))
                    put(ws.cell(r, REMAIN_COL + k), Formula(f"={p}-{L(c)}{r}"))
                    ws.cell(r, c).number_format = style.WORKERS
                    ws.cell(r, REMAIN_COL + k).number_format = style.WORKERS
                put(ws.cell(r, TOTAL_COL), Formula(f"=SUM({L(MONTH_COL)}{r}:{L(MONTH_COL + 5)}{r})"))
                put(ws.cell(r, REMAIN_TOTAL_COL), Formula(f"=SUM({L(REMAIN_COL)}{r}:{L(REMAIN_COL + 5)}{r})"))
                for col in (TOTAL_COL, REMAIN_TOTAL_COL):
                    ws.cell(r, col).number_format = style.WORKERS
                refs.rows[(sector, half, t.tranche)] = (f"SUM({here}!{L(p_col)}{p_row}:{L(p_col + 5)}{p_row})",
                                                         f"{here}!{L(TOTAL_COL)}{r}",
                                                         f"{here}!{L(REMAIN_TOTAL_COL)}{r}")
                new_prev[sector] = (r, REMAIN_COL)
            prev = new_prev
            row = last_sector + 2
        prev_cols[half] = prev

    # --- used per tranche, and final allocation by sector and half ---------------------------------------
    for t, r in tranche_rows.items():
        cell = ws.cell(r, 12)
        put(cell, Formula("=" + ("+".join(block_takes[t]) if block_takes[t] else "0")))
    write_note(ws, row, 1, "H-2B allocation by sector and half (workers)", style.SECTION_FONT)
    row += 1
    by_rows = []
    for half in matcher.HALVES:
        for sector in sectors:
            r = row + 1 + len(by_rows)
            d_row, d_col = demand_rows[sector], (MONTH_COL if half == "H1" else REMAIN_COL)
            p_row, p_col = prev_cols[half][sector]
            by_rows.append((labels.get(sector, sector), half,
                            Formula(f"=SUM({L(d_col)}{d_row}:{L(d_col + 5)}{d_row})"), Formula(f"=C{r}-E{r}"),
                            Formula(f"=SUM({L(p_col)}{p_row}:{L(p_col + 5)}{p_row})")))
            refs.by_sector[(sector, half)] = (f"{here}!C{r}", f"{here}!D{r}", f"{here}!E{r}")
    first, last = write_table(ws, "AllocationBySector", [
        Column("Sector"), Column("Half"), Column("Demand (workers)", style.WORKERS),
        Column("Allocated (workers)", style.WORKERS), Column("Unmet (workers)", style.WORKERS)],
        by_rows, top=row, freeze=False)
    for sector in sectors:
        refs.sector_total_allocated[sector] = "+".join(refs.by_sector[(sector, h)][1] for h in matcher.HALVES)
    refs.total_allocated = f"SUM({here}!D{first}:D{last})"
    refs.total_unmet = f"SUM({here}!E{first}:E{last})"
    ws.column_dimensions["A"].width = LABEL_WIDTH
    return refs
