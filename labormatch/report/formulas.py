"""The live model: the matcher's H-2B allocation and the circular stock-flow written as Excel formulas.

`write_allocation_model` lays out, on one sheet, the H-2B demand by sector and start month (the model's
forecast, an input), the tranche table (numbers from the Assumptions sheet) and one block per tranche and
half in the order `labormatch.matcher.allocate_h2b` applies them. Each block holds, per start month:
the share of the month inside the tranche's window, eligible demand, numbers still available, the
numbers allocated (min of the two) and the returning-worker pool left; and per sector the workers
allocated (pro rata to eligible demand) and still unmet. `write_quotas` writes the seasons of
`labormatch.circular.stock_flow` as formulas on the returned allocation and the Assumptions cells.

The monthly blocks share one column layout (`demand_layout`, `tranche_layout`: `TableRef`s whose headers name
each start month); formulas, and the references other sheets read (`AllocationRefs`), take their columns from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter as L
from openpyxl.worksheet.worksheet import Worksheet

from labormatch import demand as demand_model
from labormatch import matcher
from labormatch.crosswalk import sector_labels
from labormatch.fiscal import HALF_SLICES, HALVES, fiscal_months
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.inputs import LiveNames
from labormatch.report.layout import (
    SECTOR_WIDTH,
    Column,
    Formula,
    TableRef,
    put,
    quote_sheet,
    sector_column,
    write_label,
    write_note,
    write_table,
    write_title,
)
from labormatch.report.provenance import scenario_through, write_source

SHEET = "Allocation model"
#: Column A holds sector labels and row labels, wrapped; the monthly columns are as narrow as their numbers allow, so
#: the sheet prints one page wide at about 70%.
LABEL_WIDTH = SECTOR_WIDTH
NUMBER_WIDTH = 10
DATE_WIDTH = 11
ELIGIBLE = "Eligible (1 = yes)"
SPACER = ""
UNMET_AFTER = "Unmet after:"


q = quote_sheet  # the short name the formula builders use


def _abs(col: int, row: int) -> str:
    return f"${L(col)}${row}"


def month_label(month) -> str:
    """A start month as the monthly blocks name its column, e.g. "Oct 2024"."""
    return f"{month:%b %Y}"


def unmet_label(month) -> str:
    """The column of a tranche block holding demand still unmet in a start month, e.g. "Unmet Oct 2024"."""
    return f"Unmet {month_label(month)}"


def demand_layout(months, first: int, last: int) -> TableRef:
    """The columns of a demand block (sector rows by the 12 fiscal months): sector, a column left empty, the six H1
    months, their total, a spacer, the six H2 months, their total; the tranche blocks below share the positions."""
    h1, h2 = ([month_label(m) for m in months[HALF_SLICES[half]]] for half in HALVES)
    return TableRef(SHEET, ("Sector", ELIGIBLE, *h1, "H1 total", SPACER, *h2, "H2 total"), first, last)


def tranche_layout(months, first: int, last: int) -> TableRef:
    """The columns of a tranche block (one half's six start `months`): sector, eligibility, workers allocated by
    month, their total, the "Unmet after:" label, demand still unmet by month, its total."""
    allocated, unmet = [month_label(m) for m in months], [unmet_label(m) for m in months]
    return TableRef(SHEET, ("Sector", ELIGIBLE, *allocated, "Total", UNMET_AFTER, *unmet, "Unmet total"), first, last)


@dataclass(frozen=True)
class HalfMonths:
    """A half's six monthly quantities by sector (demand, or demand still unmet after a tranche): the block they
    sit in, the headers of the six month columns and each sector's row."""

    table: TableRef
    headers: tuple[str, ...]
    rows: dict[str, int]

    def cell(self, sector: str, k: int) -> str:
        """The sector's quantity in the half's k-th month (0 = first)."""
        return self.table.cell(self.headers[k], self.rows[sector])

    def month_range(self, k: int, sectors: list[str]) -> str:
        """The k-th month over `sectors` (rows in that order, one after another): `C10:C13`."""
        return f"{self.cell(sectors[0], k)}:{self.cell(sectors[-1], k)}"

    def row_sum(self, sector: str, qualified: bool = False) -> str:
        """SUM of the sector's six months; `qualified` names the sheet for use from another sheet."""
        row = self.rows[sector]
        return f"SUM({self.table.cell(self.headers[0], row, qualified=qualified)}:{self.cell(sector, -1)})"


@dataclass(frozen=True)
class BaselineCells:
    """Where the Demand sheet holds the baseline demand: its sheet, each visa class's baseline table (month columns
    named by `baseline_month`), and the row of each (visa class, sector)."""

    sheet: str
    rows: dict[tuple[str, str], int]
    tables: dict[str, TableRef]

    def cell(self, visa_class: str, sector: str, month) -> str | None:
        """Sheet-qualified reference of one month's baseline, or None where the sector has none."""
        row = self.rows.get((visa_class, sector))
        return None if row is None else self.tables[visa_class].cell(baseline_month(month), row, qualified=True)


def baseline_month(month) -> str:
    """The Demand sheet's baseline column of a start month, e.g. "Oct 2024 (workers)"."""
    return f"{month_label(month)} (workers)"


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
    layout = demand_layout(fiscal_months(fy), 0, 0)
    for header in layout.headers[1:]:
        ws.column_dimensions[layout.letter(header)].width = 3 if header == SPACER else NUMBER_WIDTH
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
        self.demand: dict[str, HalfMonths] = {}  # H-2B demand by half
        self.cap: dict[str, str] = {}
        self.tranche_rows: dict[str, int] = {}
        self.sector_of: dict[str, str | None] = {}
        self.takes: dict[str, list[str]] = {}  # tranche -> its blocks' allocated-total cells
        self.h1_take: dict[str, str] = {}  # tranche -> its H1 block's allocated total
        self.returning_left = ""  # cell: returning-worker pool left so far
        # where each sector's demand still unmet by month sits, per half (the demand block, then each tranche's)
        self.unmet: dict[str, HalfMonths] = {}
        self.last_row = 0  # last row of the by-sector table

    def _label(self, sector: str) -> str:
        return self.labels.get(sector, sector)

    def _put(self, row: int, col: int, value, number_format: str | None = None) -> None:
        put(self.ws.cell(row, col), value)
        if number_format:
            self.ws.cell(row, col).number_format = number_format

    def _at(self, table: TableRef, header: str, row: int, value, number_format: str | None = None) -> None:
        """Write `value` in the column `header` of `table`, row `row`."""
        self._put(row, table.index(header), value, number_format)

    def _by_half(self, table: TableRef, sectors: list[str], label=month_label) -> dict[str, HalfMonths]:
        """Each half's six month columns (named by `label`) of a block whose rows are `sectors` in order."""
        rows = {s: table.first + j for j, s in enumerate(sectors)}
        return {
            half: HalfMonths(table, tuple(label(m) for m in self.months[HALF_SLICES[half]]), rows) for half in HALVES
        }

    def write_demand(self, row: int) -> int:
        """Baseline demand (national total x composition share, an input) and demand by sector and start month
        (`demand_layout`), for H-2B then H-2A; returns the last row written."""
        write_note(
            self.ws,
            row,
            1,
            "Demand = baseline demand x fillable share x (1 - domestic-recruitment "
            "offset) x wage factor (workers, by employment start month)",
            style.SECTION_FONT,
        )
        row += 1
        write_label(self.ws, row, 1, "Wage factor = (1 + wage-floor change / 100) ^ elasticity")
        self._put(row, 2, Formula("=(1+wage_floor_change_pct/100)^wage_floor_elasticity"), style.SCORE)
        wage_factor = _abs(2, row)
        h2b = self._demand_blocks(row + 2, "H-2B", self.sectors, wage_factor)
        self.demand = self._by_half(h2b, self.sectors)
        self.unmet = dict(self.demand)
        row = h2b.last + 2
        h2a_sectors = [s for j, s in enumerate(self.sectors) if self.shortage["H-2A"][j].any()]
        if h2a_sectors:
            h2a = self._demand_blocks(row, "H-2A", h2a_sectors, wage_factor)
            self.refs.h2a_by_sector = {
                s: "+".join(h2a.cell(total, h2a.first + j, qualified=True) for total in ("H1 total", "H2 total"))
                for j, s in enumerate(h2a_sectors)
            }
            row = h2a.last
        return row

    def _demand_blocks(self, row: int, visa_class: str, sectors: list[str], wage_factor: str) -> TableRef:
        """A baseline block (references to the Demand sheet) and a demand block (formulas) for one visa class;
        returns where the demand block sits."""

        def baseline(sector: str, month):
            cell = self.baseline.cell(visa_class, sector, month)
            return Formula(f"={cell}") if cell else 0.0

        shortage = self._month_block(
            row, f"{visa_class} baseline demand (workers, from the '{self.baseline.sheet}' sheet)", sectors, baseline
        )
        demand = self._month_block(
            shortage.last + 2,
            f"{visa_class} demand (workers)",
            sectors,
            lambda s, month: Formula(
                f"={shortage.cell(month_label(month), shortage.first + sectors.index(s))}"
                f"*{self.names.fillable_share(s)}*(1-domestic_recruitment_offset)*{wage_factor}"
            ),
        )
        h1, h2 = (f"SUM({demand.column(total)})" for total in ("H1 total", "H2 total"))
        self.refs.demand_by_half.update(
            {(visa_class, "H1"): h1, (visa_class, "H2"): h2, (visa_class, "all"): f"{h1}+{h2}"}
        )
        return demand

    def _month_block(self, header: int, title: str, sectors: list[str], value) -> TableRef:
        """Rows of sector x the 12 fiscal months with half totals (`demand_layout`); value(sector, month) fills a
        cell. Returns where the block sits."""
        table = demand_layout(self.months, header + 1, header + len(sectors))
        write_label(self.ws, header, 1, title, style.LABEL_FONT)
        for month in self.months:
            self._at(table, month_label(month), header, month, "mmm yyyy")
        for total in ("H1 total", "H2 total"):
            self._at(table, total, header, total)
        halves = self._by_half(table, sectors)
        for j, sector in enumerate(sectors):
            r = header + 1 + j
            write_label(self.ws, r, 1, self._label(sector))
            for month in self.months:
                self._at(table, month_label(month), r, value(sector, month), style.WORKERS)
            for half, total in zip(HALVES, ("H1 total", "H2 total"), strict=True):
                self._at(table, total, r, Formula(f"={halves[half].row_sum(sector)}"), style.WORKERS)
        return table

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
            write_label(self.ws, row, 1, label)
            self.cap[key] = _abs(2, row)
            self._put(row, 2, Formula(formula.format(**self.cap)), style.WORKERS)
        row += 1
        write_label(self.ws, row, 1, "Returning-worker pool (workers)")
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
        widths = {"Tranche": LABEL_WIDTH, "Window start": DATE_WIDTH, "Window end": DATE_WIDTH}
        wrapped = ("Tranche", "Kind", "Countries", "Sector served (carve-out)")
        columns = [
            Column(h, f, widths.get(h, NUMBER_WIDTH), wrap=h in wrapped)
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
        months = self.months[HALF_SLICES[half]]
        block = tranche_layout(months, first_sector, first_sector + n - 1)
        allocated = [month_label(m) for m in months]
        write_label(ws, title_row, 1, f"{half} - {t.tranche} ({t.kind})", style.LABEL_FONT)
        self._put(month_row, 1, "Start month")
        self._at(block, ELIGIBLE, month_row, ELIGIBLE)
        ws.cell(month_row, block.index(ELIGIBLE)).alignment = style.HEADER_ALIGNMENT
        self._at(block, "Total", month_row, "Total")
        self._at(block, UNMET_AFTER, month_row, UNMET_AFTER)
        for label, r in (
            ("Share of the month inside the window", cover_row),
            ("Eligible demand (workers)", elig_row),
            ("Numbers available (workers)", avail_row),
            ("Allocated (workers)", take_row),
            ("Returning-worker pool left (workers)", ret_row),
        ):
            write_label(ws, r, 1, label)
        prev = self.unmet[half]
        eligible = (
            f"{block.cell(ELIGIBLE, block.first, absolute=True)}:{block.cell(ELIGIBLE, block.last, absolute=True)}"
        )
        for k, month in enumerate(months):
            col = block.letter(allocated[k])
            m = f"{col}${month_row}"
            self._at(block, allocated[k], month_row, month, "mmm yyyy")
            self._at(block, unmet_label(month), month_row, month, "mmm yyyy")
            self._at(
                block,
                allocated[k],
                cover_row,
                Formula(f"=MAX(0,MIN(EOMONTH({m},0),{end})-MAX({m},{start})+1)/DAY(EOMONTH({m},0))"),
                style.SHARE,
            )
            self._at(
                block,
                allocated[k],
                elig_row,
                Formula(f"={col}{cover_row}*{share}*SUMPRODUCT({prev.month_range(k, self.sectors)},{eligible})"),
                style.WORKERS,
            )
            taken = f"SUM({block.cell(allocated[0], take_row)}:{block.cell(allocated[k - 1], take_row)})"
            left = f"{size}-{prior}" + (f"-{taken}" if k else "")
            pool = self.returning_left if k == 0 else block.cell(allocated[k - 1], ret_row)
            self._at(
                block, allocated[k], avail_row, Formula(f"=IF({ret_only}=1,MIN({left},{pool}),{left})"), style.WORKERS
            )
            self._at(
                block,
                allocated[k],
                take_row,
                Formula(f"=IF({col}{cover_row}=0,0,MAX(0,MIN({col}{avail_row},{col}{elig_row})))"),
                style.WORKERS,
            )
            self._at(
                block, allocated[k], ret_row, Formula(f"={pool}-IF({ret_only}=1,{col}{take_row},0)"), style.WORKERS
            )
        take_total = f"SUM({block.cell(allocated[0], take_row)}:{block.cell(allocated[-1], take_row)})"
        self._at(block, "Total", take_row, Formula(f"={take_total}"), style.WORKERS)
        self.takes[t.tranche].append(block.cell("Total", take_row))
        if half == "H1":
            self.h1_take[t.tranche] = block.cell("Total", take_row, absolute=True)
        self.returning_left = block.cell(allocated[-1], ret_row)
        after = self._by_half(block, self.sectors, unmet_label)[half]
        for sector in self.sectors:
            r = after.rows[sector]
            self._write_sector_row(block, half, r, sector, prev, share, (cover_row, elig_row, take_row), t.tranche)
            self.refs.rows[(sector, half, t.tranche)] = (
                prev.row_sum(sector, qualified=True),
                block.cell("Total", r, qualified=True),
                block.cell("Unmet total", r, qualified=True),
            )
        self.unmet[half] = after
        return block.last

    def _write_sector_row(
        self,
        block: TableRef,
        half: str,
        r: int,
        sector: str,
        prev: HalfMonths,
        share: str,
        block_rows: tuple[int, int, int],
        tranche: str,
    ) -> None:
        """A sector's workers allocated (pro rata to its eligible demand) and still unmet, by month."""
        cover_row, elig_row, take_row = block_rows
        write_label(self.ws, r, 1, self._label(sector))
        self._at(block, ELIGIBLE, r, 1 if self.sector_of[tranche] in (None, sector) else 0)
        eligible = f"${block.letter(ELIGIBLE)}{r}"
        months = self.months[HALF_SLICES[half]]
        for k, month in enumerate(months):
            col, p = block.letter(month_label(month)), prev.cell(sector, k)
            self._at(
                block,
                month_label(month),
                r,
                Formula(
                    f"=IF({col}${elig_row}>0,{p}*{col}${cover_row}*{share}*{eligible}*{col}${take_row}/{col}${elig_row},0)"
                ),
                style.WORKERS,
            )
            self._at(block, unmet_label(month), r, Formula(f"={p}-{col}{r}"), style.WORKERS)
        for total, label in (("Total", month_label), ("Unmet total", unmet_label)):
            span = f"{block.cell(label(months[0]), r)}:{block.cell(label(months[-1]), r)}"
            self._at(block, total, r, Formula(f"=SUM({span})"), style.WORKERS)

    def write_used(self) -> None:
        """Each tranche's numbers used: the sum of its blocks' allocated totals."""
        for tranche, r in self.tranche_rows.items():
            self._put(
                r,
                self.tranche_table.index("Used (workers)"),
                Formula("=" + ("+".join(self.takes[tranche]) or "0")),
                style.WORKERS,
            )

    def write_by_sector(self, row: int) -> None:
        """Final H-2B demand, admitted and unmet by sector and half (the `h2b_by_sector` table, live)."""
        write_note(self.ws, row, 1, "H-2B allocation by sector and half (workers)", style.SECTION_FONT)
        top, rows = row + 1, []
        table = TableRef.of(SHEET, BY_SECTOR_COLUMNS, top + 1, top + len(HALVES) * len(self.sectors))
        demand, allocated, unmet = (c.header for c in BY_SECTOR_COLUMNS[2:])
        for half in HALVES:
            for sector in self.sectors:
                r = top + 1 + len(rows)
                rows.append(
                    (
                        self._label(sector),
                        half,
                        Formula(f"={self.demand[half].row_sum(sector)}"),
                        Formula(f"={table.cell(demand, r)}-{table.cell(unmet, r)}"),
                        Formula(f"={self.unmet[half].row_sum(sector)}"),
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
    sector_column(),
    Column("Half"),
    Column("Demand (workers)", style.WORKERS, NUMBER_WIDTH),
    Column("Allocated (workers)", style.WORKERS, NUMBER_WIDTH),
    Column("Unmet (workers)", style.WORKERS, NUMBER_WIDTH),
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
