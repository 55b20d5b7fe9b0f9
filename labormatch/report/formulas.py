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
from labormatch.crosswalk import sector_labels
from labormatch.fiscal import HALF_MONTHS, HALF_SLICES, HALVES, fiscal_months
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.inputs import LiveNames
from labormatch.report.layout import Column, Formula, TableRef, put, quote_sheet, write_note, write_table, write_title
from labormatch.report.provenance import scenario_through, write_source

SHEET = "Allocation model"
MONTH_COL = 3  # C..H: the six start months of a half
TOTAL_COL = 9  # I: sum over the half
REMAIN_COL = 11  # K..P: unmet after the tranche, by month
REMAIN_TOTAL_COL = 17  # Q
LABEL_WIDTH = 40


q = quote_sheet  # the short name the formula builders use


def _abs(col: int, row: int) -> str:
    return f"${L(col)}${row}"


@dataclass(frozen=True)
class BaselineCells:
    """Where the Demand sheet holds the baseline demand: its sheet, the row of each (visa class, sector) and the
    column of the first fiscal month (the 12 months follow, October first)."""

    sheet: str
    rows: dict[tuple[str, str], int]
    first_month_col: int

    def cell(self, visa_class: str, sector: str, month_index: int) -> str | None:
        """Sheet-qualified reference of one month's baseline, or None where the sector has none."""
        row = self.rows.get((visa_class, sector))
        return None if row is None else f"{q(self.sheet)}!{L(self.first_month_col + month_index)}{row}"


@dataclass
class AllocationRefs:
    """Cells of the allocation model that other sheets read, as sheet-qualified references or sums."""

    rows: dict[tuple[str, str, str], tuple[str, str, str]] = field(default_factory=dict)  # demand, allocated, unmet
    by_sector: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)  # (sector, half)
    sector_total_allocated: dict[str, str] = field(default_factory=dict)
    h2a_by_sector: dict[str, str] = field(default_factory=dict)  # H-2A demand of the fiscal year (workers)
    demand_by_half: dict[tuple[str, str], str] = field(default_factory=dict)  # (visa class, H1/H2/all) -> sum
    total_allocated: str = ""
    total_unmet: str = ""


def _country_share_formula(countries: str, names: LiveNames) -> str:
    if not countries:
        return "=1"
    wanted = {c.strip().casefold() for c in countries.split(";") if c.strip()}
    cells = [n for (visa, origin), n in names.origin_shares.items() if visa == "H-2B" and origin.casefold() in wanted]
    return "=" + ("+".join(cells) if cells else "0")


def write_allocation_model(
    ws: Worksheet, result: ScenarioResult, names: LiveNames, scenario_label: str, baseline: BaselineCells
) -> AllocationRefs:
    """The H-2B allocation of the scenario's fiscal year as live formulas; returns the cells others read."""
    fy = result.assumptions.fiscal_year
    write_title(
        ws,
        f"Demand and H-2B allocation model, FY{fy} (live formulas)",
        f"Scenario {scenario_label}. Rule of labormatch.matcher: tranches applied in order, month by "
        "month; sectors rationed pro rata to eligible demand. Inputs: the Assumptions sheet (yellow).",
    )
    ws.column_dimensions["A"].width = LABEL_WIDTH
    for col in range(2, REMAIN_TOTAL_COL + 1):
        ws.column_dimensions[L(col)].width = 12
    ws.column_dimensions[L(TOTAL_COL + 1)].width = 3
    ws.freeze_panes = "B4"
    model = _AllocationModel(ws, result, names, baseline)
    row = model.write_demand(4)
    row = model.write_caps(row + 2)
    row = model.write_tranche_table(row + 2)
    write_note(
        ws, row + 2, 1, "Allocation blocks: each tranche, month by month, in the order applied", style.SECTION_FONT
    )
    row += 4
    for half in HALVES:
        for t in model.tranches.itertuples(index=False):
            if t.half in (half, "both"):
                row = model.write_block(row, half, t) + 2
    model.write_used()
    model.write_by_sector(row)
    write_source(
        ws,
        model.last_row + 1,
        "labormatch.matcher's rule written as formulas on the Demand sheet's baseline "
        "and the Assumptions sheet's inputs",
        scenario_through(result),
    )
    return model.refs


class _AllocationModel:
    """Writes the allocation model's sections top to bottom, remembering where each quantity lives."""

    def __init__(self, ws: Worksheet, result: ScenarioResult, names: LiveNames, baseline: BaselineCells):
        a = result.assumptions
        self.ws, self.names, self.assumptions, self.baseline = ws, names, a, baseline
        self.lookback = result.resolved.lookback_years  # returning-worker look-back of the rule in force
        self.months = fiscal_months(a.fiscal_year)
        self.sectors = sorted(set(result.tables["demand"]["sector"]) | {c.sector for c in a.pilot_carveouts})
        shortage = result.tables["demand"].assign(demand_workers=result.tables["demand"]["shortage_workers"])
        self.shortage = {
            visa: demand_model.fiscal_year_matrix(shortage, visa, a.fiscal_year, self.sectors)
            for visa in ("H-2B", "H-2A")
        }
        self.tranches = result.tables["tranches"].reset_index(drop=True)
        self.labels = sector_labels()
        self.here = q(SHEET)
        self.refs = AllocationRefs()
        self.demand_rows: dict[str, int] = {}
        self.cap: dict[str, str] = {}
        self.tranche_rows: dict[str, int] = {}
        self.sector_of: dict[str, str | None] = {}
        self.takes: dict[str, list[str]] = {}  # tranche -> its blocks' allocated-total cells
        self.h1_take: dict[str, str] = {}  # tranche -> its H1 block's allocated total
        self.returning_left = ""  # cell: returning-worker pool left so far
        # where each sector's unmet demand by month starts, per half: (row, first month column)
        self.unmet: dict[str, dict[str, tuple[int, int]]] = {}
        self.last_row = 0  # last row of the by-sector table

    def _label(self, sector: str) -> str:
        return self.labels.get(sector, sector)

    def _put(self, row: int, col: int, value, number_format: str | None = None) -> None:
        put(self.ws.cell(row, col), value)
        if number_format:
            self.ws.cell(row, col).number_format = number_format

    def write_demand(self, row: int) -> int:
        """Baseline demand (national total x composition share, an input) and demand by sector and start month,
        H1 months in C:H and H2 months in K:P, for H-2B then H-2A; returns the last row written."""
        write_note(
            self.ws,
            row,
            1,
            "Demand = baseline demand x fillable share x (1 - domestic-recruitment "
            "offset) x wage factor (workers, by employment start month)",
            style.SECTION_FONT,
        )
        row += 1
        self._put(row, 1, "Wage factor = (1 + wage-floor change / 100) ^ elasticity")
        self._put(row, 2, Formula("=(1+wage_floor_change_pct/100)^wage_floor_elasticity"), style.SCORE)
        wage_factor = _abs(2, row)
        h2b_rows = self._demand_blocks(row + 2, "H-2B", self.sectors, wage_factor)
        self.demand_rows = h2b_rows
        self.unmet = {
            "H1": {s: (r, MONTH_COL) for s, r in h2b_rows.items()},
            "H2": {s: (r, REMAIN_COL) for s, r in h2b_rows.items()},
        }
        row = max(h2b_rows.values()) + 2
        h2a_sectors = [s for j, s in enumerate(self.sectors) if self.shortage["H-2A"][j].any()]
        if h2a_sectors:
            h2a_rows = self._demand_blocks(row, "H-2A", h2a_sectors, wage_factor)
            self.refs.h2a_by_sector = {
                s: f"{self.here}!{L(TOTAL_COL)}{r}+{self.here}!{L(REMAIN_TOTAL_COL)}{r}" for s, r in h2a_rows.items()
            }
            row = max(h2a_rows.values())
        return row

    def _demand_blocks(self, row: int, visa_class: str, sectors: list[str], wage_factor: str) -> dict[str, int]:
        """A baseline block (references to the Demand sheet) and a demand block (formulas) for one visa class;
        returns the demand rows."""

        def baseline(sector: str, i: int, _row: int):
            cell = self.baseline.cell(visa_class, sector, i)
            return Formula(f"={cell}") if cell else 0.0

        shortage_rows = self._month_block(
            row, f"{visa_class} baseline demand (workers, from the '{self.baseline.sheet}' sheet)", sectors, baseline
        )
        row = max(shortage_rows.values()) + 2
        demand_rows = self._month_block(
            row,
            f"{visa_class} demand (workers)",
            sectors,
            lambda s, i, r: Formula(
                f"={L(_month_col(i))}{shortage_rows[s]}*{self.names.fillable_share(s)}*(1-domestic_recruitment_offset)"
                f"*{wage_factor}"
            ),
        )
        first, last = min(demand_rows.values()), max(demand_rows.values())
        h1, h2 = (f"SUM({self.here}!{L(c)}{first}:{L(c)}{last})" for c in (TOTAL_COL, REMAIN_TOTAL_COL))
        self.refs.demand_by_half.update(
            {(visa_class, "H1"): h1, (visa_class, "H2"): h2, (visa_class, "all"): f"{h1}+{h2}"}
        )
        return demand_rows

    def _month_block(self, header: int, title: str, sectors: list[str], value) -> dict[str, int]:
        """Rows of sector x the 12 fiscal months with half totals; value(sector, month index, row) fills a cell."""
        self._put(header, 1, title)
        self.ws.cell(header, 1).font = style.LABEL_FONT
        for i, month in enumerate(self.months):
            self._put(header, _month_col(i), month, "mmm yyyy")
        self._put(header, TOTAL_COL, "H1 total")
        self._put(header, REMAIN_TOTAL_COL, "H2 total")
        rows = {}
        for j, sector in enumerate(sectors):
            r = rows[sector] = header + 1 + j
            self._put(r, 1, self._label(sector))
            for i in range(len(self.months)):
                self._put(r, _month_col(i), value(sector, i, r), style.WORKERS)
            for total_col, first in ((TOTAL_COL, MONTH_COL), (REMAIN_TOTAL_COL, REMAIN_COL)):
                self._put(r, total_col, Formula(f"=SUM({L(first)}{r}:{L(first + 5)}{r})"), style.WORKERS)
        return rows

    def write_caps(self, row: int) -> int:
        """The statutory cap by half after carve-outs inside the cap, and the returning-worker pool."""
        write_note(self.ws, row, 1, "Statutory cap by half (workers)", style.SECTION_FONT)
        inside = [
            self.names.carveouts[matcher.carveout_tranche(c)] for c in self.assumptions.pilot_carveouts if c.inside_cap
        ]
        for label, key, formula in (
            ("Annual cap after multiplier", "annual", "=ROUND(h2b_cap*cap_multiplier,0)"),
            ("First-half numbers", "h1", "=ROUND({annual}*first_half_share,0)"),
            ("Second-half numbers", "h2", "={annual}-{h1}"),
            ("Carve-outs inside the cap", "inside", "=" + ("+".join(inside) if inside else "0")),
            ("of which taken from the first half", "inside_h1", "=IF({annual}>0,ROUND({inside}*{h1}/{annual},0),0)"),
        ):
            row += 1
            self._put(row, 1, label)
            self.cap[key] = _abs(2, row)
            self._put(row, 2, Formula(formula.format(**self.cap)), style.WORKERS)
        row += 1
        self._put(row, 1, "Returning-worker pool (workers)")
        self._put(row, 2, Formula("=return_rate*recent_max_numbers"), style.WORKERS)
        write_note(
            self.ws, row, 3, f"= return rate x largest H-2B numbers of the {self.lookback} previous fiscal years"
        )
        self.returning_left = _abs(2, row)
        return row

    def write_tranche_table(self, row: int) -> int:
        """Tranches in the order applied: numbers (from the Assumptions cells), window, eligibility, use."""
        write_note(self.ws, row, 1, "Tranches in the order applied (numbers in workers)", style.SECTION_FONT)
        top = row + 1
        rows = []
        table = self.tranche_table = TableRef(SHEET, TRANCHE_COLUMNS, top + 1, top + len(self.tranches))
        numbers, carried_in, used = "Numbers (workers)", "Carried in from H1 (workers)", "Used (workers)"
        for i, t in enumerate(self.tranches.itertuples(index=False)):
            r = top + 1 + i
            self.tranche_rows[t.tranche] = r
            self.takes[t.tranche] = []
            sector = None
            if t.kind == "carveout":
                sector, size = t.sector, Formula(f"={self.names.carveouts[t.tranche]}")
            elif t.tranche == "statutory_h1":
                size = Formula(f"={self.cap['h1']}-{self.cap['inside_h1']}")
            elif t.tranche == "statutory_h2":
                size = Formula(
                    f"={self.cap['h2']}-({self.cap['inside']}-{self.cap['inside_h1']})+{table.cell(carried_in, r)}"
                )
            else:
                size = Formula(f"={self.names.tranche_sizes[t.tranche]}")
            self.sector_of[t.tranche] = sector
            h1 = self.tranche_rows.get("statutory_h1")
            carried = (
                Formula(f"={table.cell(numbers, h1)}-{table.cell(used, h1)}") if t.tranche == "statutory_h2" else 0
            )
            rows.append(
                (
                    t.tranche,
                    t.kind,
                    t.half,
                    t.window_start,
                    t.window_end,
                    size,
                    carried,
                    1 if t.returning_only else 0,
                    t.countries,
                    Formula(_country_share_formula(t.countries, self.names)),
                    self._label(sector) if sector else "",
                    None,
                    Formula(f"={table.cell(numbers, r)}-{table.cell(used, r)}"),
                    float(t.used),
                )
            )
        columns = [
            Column(h, f, {"Tranche": LABEL_WIDTH, "Countries": 16}.get(h), wrap=h == "Countries")
            for h, f in zip(TRANCHE_COLUMNS, TRANCHE_FORMATS, strict=False)
        ]
        _, last = write_table(self.ws, "TrancheModel", columns, rows, top=top, freeze=False)
        write_source(
            self.ws,
            last + 1,
            "tranche sizes and windows: labormatch/rules (each tranche's citation on the Assumptions sheet)",
            f"rules in force for FY{self.assumptions.fiscal_year}",
        )
        return last + 1

    def write_block(self, row: int, half: str, t) -> int:
        """One tranche applied to one half's six start months; returns the block's last row."""
        ws, tr, n = self.ws, self.tranche_rows[t.tranche], len(self.sectors)
        size, ret_only, share, start, end = (
            self.tranche_table.cell(h, tr, absolute=True)
            for h in (
                "Numbers (workers)",
                "Returning workers only (1 = yes)",
                "Country share of workers",
                "Window start",
                "Window end",
            )
        )
        prior = self.h1_take.get(t.tranche, "0") if half == "H2" else "0"
        title_row, month_row, cover_row, elig_row, avail_row, take_row, ret_row = range(row, row + 7)
        first_sector = ret_row + 1
        self._put(title_row, 1, f"{half} - {t.tranche} ({t.kind})")
        ws.cell(title_row, 1).font = style.LABEL_FONT
        self._put(month_row, 1, "Start month")
        self._put(month_row, 2, "Eligible (1 = yes)")
        ws.cell(month_row, 2).alignment = style.HEADER_ALIGNMENT
        self._put(month_row, TOTAL_COL, "Total")
        self._put(month_row, REMAIN_COL - 1, "Unmet after:")
        for label, r in (
            ("Share of the month inside the window", cover_row),
            ("Eligible demand (workers)", elig_row),
            ("Numbers available (workers)", avail_row),
            ("Allocated (workers)", take_row),
            ("Returning-worker pool left (workers)", ret_row),
        ):
            self._put(r, 1, label)
        prev = self.unmet[half]
        prev_first, prev_col = prev[self.sectors[0]]
        months = self.months[HALF_SLICES[half]]
        for k, month in enumerate(months):
            c, col = MONTH_COL + k, L(MONTH_COL + k)
            m = f"{col}${month_row}"
            self._put(month_row, c, month, "mmm yyyy")
            self._put(month_row, REMAIN_COL + k, month, "mmm yyyy")
            demand_left = f"{L(prev_col + k)}{prev_first}:{L(prev_col + k)}{prev_first + n - 1}"
            self._put(
                cover_row,
                c,
                Formula(f"=MAX(0,MIN(EOMONTH({m},0),{end})-MAX({m},{start})+1)/DAY(EOMONTH({m},0))"),
                style.SHARE,
            )
            self._put(
                elig_row,
                c,
                Formula(
                    f"={col}{cover_row}*{share}*SUMPRODUCT({demand_left},$B${first_sector}:$B${first_sector + n - 1})"
                ),
                style.WORKERS,
            )
            left = f"{size}-{prior}" + (f"-SUM({L(MONTH_COL)}{take_row}:{L(c - 1)}{take_row})" if k else "")
            pool = self.returning_left if k == 0 else f"{L(c - 1)}{ret_row}"
            self._put(avail_row, c, Formula(f"=IF({ret_only}=1,MIN({left},{pool}),{left})"), style.WORKERS)
            self._put(
                take_row,
                c,
                Formula(f"=IF({col}{cover_row}=0,0,MAX(0,MIN({col}{avail_row},{col}{elig_row})))"),
                style.WORKERS,
            )
            self._put(ret_row, c, Formula(f"={pool}-IF({ret_only}=1,{col}{take_row},0)"), style.WORKERS)
        last_month = L(MONTH_COL + HALF_MONTHS - 1)
        self._put(take_row, TOTAL_COL, Formula(f"=SUM({L(MONTH_COL)}{take_row}:{last_month}{take_row})"), style.WORKERS)
        self.takes[t.tranche].append(f"{L(TOTAL_COL)}{take_row}")
        if half == "H1":
            self.h1_take[t.tranche] = f"${L(TOTAL_COL)}${take_row}"
        self.returning_left = f"{L(MONTH_COL + HALF_MONTHS - 1)}{ret_row}"
        for j, sector in enumerate(self.sectors):
            r = first_sector + j
            self._write_sector_row(r, sector, prev[sector], share, (cover_row, elig_row, take_row), t.tranche)
            p_row, p_col = prev[sector]
            self.refs.rows[(sector, half, t.tranche)] = (
                f"SUM({self.here}!{L(p_col)}{p_row}:{L(p_col + HALF_MONTHS - 1)}{p_row})",
                f"{self.here}!{L(TOTAL_COL)}{r}",
                f"{self.here}!{L(REMAIN_TOTAL_COL)}{r}",
            )
        self.unmet[half] = {s: (first_sector + j, REMAIN_COL) for j, s in enumerate(self.sectors)}
        return first_sector + n - 1

    def _write_sector_row(
        self, r: int, sector: str, prev: tuple[int, int], share: str, block_rows: tuple[int, int, int], tranche: str
    ) -> None:
        """A sector's workers allocated (pro rata to its eligible demand) and still unmet, by month."""
        cover_row, elig_row, take_row = block_rows
        self._put(r, 1, self._label(sector))
        self._put(r, 2, 1 if self.sector_of[tranche] in (None, sector) else 0)
        p_row, p_col = prev
        for k in range(HALF_MONTHS):
            c, col, p = MONTH_COL + k, L(MONTH_COL + k), f"{L(p_col + k)}{p_row}"
            self._put(
                r,
                c,
                Formula(
                    f"=IF({col}${elig_row}>0,{p}*{col}${cover_row}*{share}*$B{r}*{col}${take_row}/{col}${elig_row},0)"
                ),
                style.WORKERS,
            )
            self._put(r, REMAIN_COL + k, Formula(f"={p}-{col}{r}"), style.WORKERS)
        self._put(r, TOTAL_COL, Formula(f"=SUM({L(MONTH_COL)}{r}:{L(MONTH_COL + 5)}{r})"), style.WORKERS)
        self._put(r, REMAIN_TOTAL_COL, Formula(f"=SUM({L(REMAIN_COL)}{r}:{L(REMAIN_COL + 5)}{r})"), style.WORKERS)

    def write_used(self) -> None:
        """Each tranche's numbers used: the sum of its blocks' allocated totals."""
        for tranche, r in self.tranche_rows.items():
            self._put(r, 12, Formula("=" + ("+".join(self.takes[tranche]) or "0")), style.WORKERS)

    def write_by_sector(self, row: int) -> None:
        """Final H-2B demand, admitted and unmet by sector and half (the `h2b_by_sector` table, live)."""
        write_note(self.ws, row, 1, "H-2B allocation by sector and half (workers)", style.SECTION_FONT)
        top, rows = row + 1, []
        table = TableRef.of(SHEET, BY_SECTOR_COLUMNS, top + 1, top + len(HALVES) * len(self.sectors))
        demand, allocated, unmet = (c.header for c in BY_SECTOR_COLUMNS[2:])
        for half in HALVES:
            for sector in self.sectors:
                r = top + 1 + len(rows)
                d_row, d_col = self.demand_rows[sector], (MONTH_COL if half == "H1" else REMAIN_COL)
                p_row, p_col = self.unmet[half][sector]
                last_month = HALF_MONTHS - 1
                rows.append(
                    (
                        self._label(sector),
                        half,
                        Formula(f"=SUM({L(d_col)}{d_row}:{L(d_col + last_month)}{d_row})"),
                        Formula(f"={table.cell(demand, r)}-{table.cell(unmet, r)}"),
                        Formula(f"=SUM({L(p_col)}{p_row}:{L(p_col + last_month)}{p_row})"),
                    )
                )
                self.refs.by_sector[(sector, half)] = tuple(
                    table.cell(h, r, qualified=True) for h in (demand, allocated, unmet)
                )
        _, last = write_table(self.ws, "AllocationBySector", BY_SECTOR_COLUMNS, rows, top=top, freeze=False)
        for sector in self.sectors:
            self.refs.sector_total_allocated[sector] = "+".join(self.refs.by_sector[(sector, h)][1] for h in HALVES)
        self.last_row = last
        self.refs.total_allocated = f"SUM({table.column(allocated)})"
        self.refs.total_unmet = f"SUM({table.column(unmet)})"


BY_SECTOR_COLUMNS = (
    Column("Sector"),
    Column("Half"),
    Column("Demand (workers)", style.WORKERS),
    Column("Allocated (workers)", style.WORKERS),
    Column("Unmet (workers)", style.WORKERS),
)
TRANCHE_COLUMNS = (
    "Tranche",
    "Kind",
    "Half",
    "Window start",
    "Window end",
    "Numbers (workers)",
    "Carried in from H1 (workers)",
    "Returning workers only (1 = yes)",
    "Countries",
    "Country share of workers",
    "Sector served (carve-out)",
    "Used (workers)",
    "Left (workers)",
    "labormatch: used (workers)",
)
TRANCHE_FORMATS = (
    None,
    None,
    None,
    style.DATE,
    style.DATE,
    style.WORKERS,
    style.WORKERS,
    "0",
    None,
    style.SHARE,
    None,
    style.WORKERS,
    style.WORKERS,
    style.WORKERS,
)


def _month_col(i: int) -> int:
    """Column of fiscal month i (0 = October) in the demand section: H1 in C:H, H2 in K:P."""
    return MONTH_COL + i if i < HALF_MONTHS else REMAIN_COL + i - HALF_MONTHS
