"""The Demand sheet: each sector x start-month baseline demand derived, as formulas, from its national total and
its share, with the total's source, publication date and intervals.

    baseline demand [class, sector, month] = national total [class, FY] x share [class, FY, sector, month]

(`labormatch.demand_baseline.baseline`). The national total is positions certified of the fiscal year (published,
converted from another measure, or forecast: the `demand_forecast` table, sources from the `control_totals`
table); the share is the composition model's sector share x start-month profile, read back from the result as
baseline / total. The 'Allocation model' sheet's baseline cells point here. `write_demand_intervals`, called once
the allocation model exists, adds the scenario's demand (after its levers) with the intervals over the demand draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter as L
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from labormatch import control_totals
from labormatch import demand as demand_model
from labormatch.crosswalk import sector_labels
from labormatch.demand_baseline import data_through
from labormatch.fiscal import HALF_MONTH_NAMES, HALF_MONTHS, MONTHS_PER_YEAR, WHOLE_YEAR, fiscal_months
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.formulas import BaselineCells, baseline_month, q
from labormatch.report.layout import (
    SECTOR_WIDTH,
    Column,
    Formula,
    TableRef,
    put,
    sector_column,
    write_note,
    write_paragraph,
    write_table,
    write_title,
)
from labormatch.report.provenance import case_files_through, with_months, write_source

SHEET = "Demand"
VISA_CLASSES = ("H-2B", "H-2A")
BANDS = (("lo80", "80% low"), ("hi80", "80% high"), ("lo95", "95% low"), ("hi95", "95% high"))
FIRST_MONTH_COL = 2  # B..M: the 12 fiscal months, October first


def _half_header(half: str) -> str:
    """The baseline table's column of one half's months: "H1 Oct-Mar (workers)"."""
    return f"{half} {HALF_MONTH_NAMES[half]} (workers)"


def total_name(visa_class: str) -> str:
    """Defined name of a visa class's national total cell, e.g. `national_total_h2b`."""
    return "national_total_" + visa_class.replace("-", "").casefold()


def national_rows(result: ScenarioResult) -> pd.DataFrame:
    """Per visa class, the fiscal year's national total (positions certified): visa_class, kind, total, the four
    interval ends, method, source, published, published_basis, data_through. Where the result carries no national
    figure (a result made before the demand model, or test data), the total is the sum of the baseline and `kind`
    says so."""
    a = result.assumptions
    fy = a.fiscal_year
    national = result.tables.get("demand_forecast", pd.DataFrame())
    totals = result.tables.get("control_totals", pd.DataFrame())
    shortage = result.tables["demand"]
    rows = []
    for visa_class in VISA_CLASSES:
        mine = shortage[(shortage["visa_class"] == visa_class) & (shortage["fiscal_year"] == fy)]
        row = (
            national[(national["visa_class"] == visa_class) & (national["fiscal_year"] == fy)] if len(national) else []
        )
        if len(row):
            r = row.iloc[0]
            source, published, how = _source_of(totals, visa_class, fy, r["kind"], r["basis"])
            rows.append(
                {
                    "visa_class": visa_class,
                    "kind": r["kind"],
                    "total": float(r["median"]),
                    **{k: float(r[k]) for k, _ in BANDS},
                    "method": r["basis"] if r["kind"] != "observed" else "published figure",
                    "source": source,
                    "published": published,
                    "published_basis": how,
                    "data_through": _through(national, visa_class),
                }
            )
        else:
            total = float(mine["shortage_workers"].sum())
            rows.append(
                {
                    "visa_class": visa_class,
                    "kind": "sum of the baseline",
                    "total": total,
                    **{k: np.nan for k, _ in BANDS},
                    "method": "no national figure in this result: the sum of the baseline by sector and month",
                    "source": "this result's baseline demand",
                    "published": pd.NaT,
                    "published_basis": "",
                    "data_through": "",
                }
            )
    return pd.DataFrame(rows)


def _source_of(totals: pd.DataFrame, visa_class: str, fy: int, kind: str, basis: str) -> tuple[str, object, str]:
    """The published figure behind an observed or converted total: its source, the date it was public and how that
    date is known; a forecast rests on the model, with no publication date."""
    if kind == "forecast" or totals.empty:
        return ("labormatch.demand_model (forecast)" if kind == "forecast" else basis), pd.NaT, ""
    series, _ = control_totals.certified_series(totals, visa_class)
    hit = series[series["fiscal_year"] == fy]
    if hit.empty:
        return basis, pd.NaT, ""
    source, published = str(hit["source"].iloc[0]), hit["published"].iloc[0]
    row = totals[(totals["visa_class"] == visa_class) & (totals["fiscal_year"] == fy) & (totals["source"] == source)]
    return source, published, str(row["published_basis"].iloc[0]) if len(row) else ""


def _through(national: pd.DataFrame, visa_class: str) -> str:
    """ "published through FY2025 (2025-09)" and the like, from the national table."""
    mine = national[national["visa_class"] == visa_class]
    if not (mine["kind"] == "observed").any():
        return "no published figure in this result"
    return with_months(data_through(mine).removeprefix(f"{visa_class} "))


def baseline_matrix(result: ScenarioResult, visa_class: str) -> tuple[list[str], np.ndarray]:
    """Sectors with baseline demand of the visa class in the fiscal year, and their sectors x 12 months baseline
    (workers, October first)."""
    a = result.assumptions
    table = result.tables["demand"].assign(demand_workers=result.tables["demand"]["shortage_workers"])
    sectors = sorted(set(table.loc[table["visa_class"] == visa_class, "sector"]))
    matrix = demand_model.fiscal_year_matrix(table, visa_class, a.fiscal_year, sectors)
    keep = matrix.any(axis=1)
    return [s for s, k in zip(sectors, keep, strict=False) if k], matrix[keep]


def write_demand(ws: Worksheet, result: ScenarioResult, label: str) -> tuple[BaselineCells, int]:
    """National totals, shares and baseline demand (formulas); returns where the baseline cells are and the first
    free row."""
    fy = result.assumptions.fiscal_year
    months = fiscal_months(fy)
    labels = sector_labels()
    write_title(
        ws,
        f"Demand by sector and start month, FY{fy}: national total x share",
        f"Scenario {label}. Baseline demand (workers whose H-2 job would start in the month) = national "
        "positions certified of the fiscal year x the sector-and-month share; the 'Allocation model' sheet "
        "reads it from here and applies the scenario's levers.",
    )
    national = national_rows(result)
    top = 4
    ws.column_dimensions["A"].width = SECTOR_WIDTH
    columns = [
        Column("Visa class"),
        Column("Fiscal year", style.TEXT),
        Column("Figure", width=11),
        Column("National total (positions certified)", style.WORKERS, width=13),
        *(Column(f"{h} (positions)", style.WORKERS, width=10) for _, h in BANDS),
        Column("Public on", style.DATE, width=11),
    ]
    first, last = write_table(
        ws,
        "NationalTotals",
        columns,
        (
            (r.visa_class, f"FY{fy}", r.kind, r.total, r.lo80, r.hi80, r.lo95, r.hi95, r.published)
            for r in national.itertuples()
        ),
        top=top,
        freeze=False,
    )
    ws.freeze_panes = "A4"  # the title rows stay in view and repeat on printed pages; the tables below differ
    for i, visa_class in enumerate(national["visa_class"]):
        ws.parent.defined_names[total_name(visa_class)] = DefinedName(
            total_name(visa_class), attr_text=f"{q(SHEET)}!$D${first + i}"
        )
    row = last + 1
    for r in national.itertuples():
        published = f", public on {r.published:%Y-%m-%d} ({r.published_basis})" if pd.notna(r.published) else ""
        write_paragraph(
            ws,
            row,
            1,
            len(columns),
            f"{r.visa_class} FY{fy} ({r.kind}): {r.method}. Figure: "
            f"{r.source}{published}. Data through: {r.data_through or 'unknown'}.",
        )
        row += 1
    write_source(
        ws,
        row,
        "labormatch demand_forecast and control_totals tables",
        _national_through(national, fy),
        span=len(columns),
    )
    cells = BaselineCells(SHEET, {}, {})
    row += 3
    for visa_class in VISA_CLASSES:
        sectors, matrix = baseline_matrix(result, visa_class)
        if not sectors:
            continue
        total = float(national.loc[national["visa_class"] == visa_class, "total"].iloc[0])
        shares = matrix / total if total else np.zeros_like(matrix)
        slug = visa_class.replace("-", "")
        write_note(
            ws, row - 1, 1, f"{visa_class}: share of the national total by sector and start month", style.SECTION_FONT
        )
        month_columns = [Column(f"{m:%b %Y}", style.SHARE, width=10) for m in months]
        share_columns = [
            sector_column(),
            *month_columns,
            Column("Sector share of the year", style.SHARE, width=12),
        ]
        s_first, s_last = write_table(
            ws,
            f"Shares{slug}",
            share_columns,
            (
                (
                    labels.get(s, s),
                    *shares[j],
                    Formula(
                        f"=SUM({L(FIRST_MONTH_COL)}{row + 1 + j}:"
                        f"{L(FIRST_MONTH_COL + MONTHS_PER_YEAR - 1)}{row + 1 + j})"
                    ),
                )
                for j, s in enumerate(sectors)
            ),
            top=row,
            freeze=False,
        )
        check = ws.cell(s_last + 1, 1)
        put(check, "All shares (share of the national total)")
        check.font = style.LABEL_FONT
        year_col = FIRST_MONTH_COL + MONTHS_PER_YEAR
        put(ws.cell(s_last + 1, year_col), Formula(f"=SUM({L(year_col)}{s_first}:{L(year_col)}{s_last})"))
        ws.cell(s_last + 1, year_col).number_format = style.SHARE
        composition = [
            line for line in result.data_vintage.get("demand_composition", []) if line.startswith(visa_class)
        ] or ["shares read from this result's baseline demand"]
        write_source(
            ws,
            s_last + 2,
            f"composition model: {'; '.join(composition)}",
            "OFLC case files " + case_files_through(result.data_vintage, visa_class),
            span=14,
        )
        row = s_last + 5
        write_note(
            ws,
            row - 1,
            1,
            f"{visa_class} baseline demand (workers) = {total_name(visa_class)} x share",
            style.SECTION_FONT,
        )
        b_columns = [
            sector_column("Sector "),
            *(Column(baseline_month(m), style.WORKERS, width=10) for m in months),
            *(Column(_half_header(half), style.WORKERS, width=11) for half in HALF_MONTH_NAMES),
            Column("Fiscal year (workers)", style.WORKERS, width=11),
            Column("labormatch: fiscal year (workers)", style.WORKERS, width=11),
        ]
        rows = []
        table = cells.tables[visa_class] = TableRef.of(ws.title, b_columns, row + 1, row + len(sectors))
        for j, sector in enumerate(sectors):
            r, share_row = row + 1 + j, s_first + j
            cells.rows[(visa_class, sector)] = r
            first_col, h1_end = L(FIRST_MONTH_COL), L(FIRST_MONTH_COL + HALF_MONTHS - 1)
            h2_start, last_col = L(FIRST_MONTH_COL + HALF_MONTHS), L(FIRST_MONTH_COL + MONTHS_PER_YEAR - 1)
            rows.append(
                (
                    labels.get(sector, sector),
                    *(
                        Formula(f"={total_name(visa_class)}*{L(FIRST_MONTH_COL + i)}{share_row}")
                        for i in range(MONTHS_PER_YEAR)
                    ),
                    Formula(f"=SUM({first_col}{r}:{h1_end}{r})"),
                    Formula(f"=SUM({h2_start}{r}:{last_col}{r})"),
                    Formula(f"={table.cell(_half_header('H1'), r)}+{table.cell(_half_header('H2'), r)}"),
                    float(matrix[j].sum()),
                )
            )
        _, b_last = write_table(ws, f"Baseline{slug}", b_columns, rows, top=row, freeze=False)
        write_source(
            ws,
            b_last + 1,
            "national total (table above) x share (composition model)",
            _national_through(national[national["visa_class"] == visa_class], fy),
        )
        row = b_last + 4
    return cells, row


def write_demand_intervals(ws: Worksheet, result: ScenarioResult, row: int, live: dict[tuple[str, str], str]) -> None:
    """The scenario's demand (after fillable share, domestic offset and wage factor) by half: live formulas from the
    'Allocation model' sheet beside labormatch's central path and the intervals over the demand draws."""
    intervals = result.tables.get("intervals", pd.DataFrame())
    write_note(
        ws, row - 1, 1, "Demand after the scenario's levers, with intervals over the demand draws", style.SECTION_FONT
    )
    wanted = [("H-2B", "h2b_demand", half) for half in ("H1", "H2", "all")] + [("H-2A", "h2a_workers", "all")]
    rows = []
    for visa_class, measure, half in wanted:
        if (visa_class, half) not in live:
            continue
        hit = intervals[(intervals["measure"] == measure) & (intervals["half"] == half)] if len(intervals) else []
        band = hit.iloc[0] if len(hit) else None
        point = float(band["point"]) if band is not None else _point(result, visa_class, half)
        rows.append(
            (
                visa_class,
                WHOLE_YEAR.get(half, half),
                Formula(f"={live[(visa_class, half)]}"),
                point,
                *((float(band[k]) if band is not None else None) for k in ("median", "lo80", "hi80", "lo95", "hi95")),
                int(band["n_draws"]) if band is not None else None,
                int(band["seed"]) if band is not None else None,
            )
        )
    _, last = write_table(
        ws,
        "DemandIntervals",
        [
            Column("Visa class"),
            Column("Half"),
            Column("Demand, live formulas (workers)", style.WORKERS, width=11),
            Column("labormatch: central path (workers)", style.WORKERS, width=11),
            Column("Median (workers)", style.WORKERS, width=11),
            *(Column(f"{h} (workers)", style.WORKERS, width=11) for _, h in BANDS),
            Column("Draws", style.COUNT),
            Column("Seed", "0"),
        ],
        rows,
        top=row,
        freeze=False,
    )
    source = str(intervals["source"].iloc[0]) if len(intervals) else "no demand uncertainty in this result: no interval"
    write_source(
        ws,
        last + 1,
        f"demand draws ({source})",
        _national_through(national_rows(result), result.assumptions.fiscal_year),
    )


def _point(result: ScenarioResult, visa_class: str, half: str) -> float:
    d = result.tables["demand"]
    d = d[(d["visa_class"] == visa_class) & (d["fiscal_year"] == result.assumptions.fiscal_year)]
    return float(d.loc[(d["half"] == half) | (half == "all"), "demand_workers"].sum())


def _national_through(national: pd.DataFrame, fy: int) -> str:
    """Data through of the national totals: the latest published fiscal year's end, per visa class."""
    parts = [f"{r.visa_class} {r.data_through}" for r in national.itertuples() if r.data_through]
    return "; ".join(parts) if parts else f"unknown (no national figure; baseline of FY{fy})"
