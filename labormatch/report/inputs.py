"""The Assumptions sheet: every scenario value with unit and source; the live model's inputs are named cells.

Cells an economist may edit are filled yellow and carry a workbook-level defined name (e.g. `return_rate`),
so the formulas on the model sheets read like the arithmetic they implement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

import pandas as pd
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from labormatch import matcher
from labormatch.assumptions import ORIGIN_SHARE_FIELDS, Assumptions
from labormatch.errors import LabormatchError
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.headline import SCENARIO_CHOICE, field_descriptions, field_source
from labormatch.report.layout import Column, Formula, put, quote_sheet, write_note, write_table, write_title
from labormatch.report.provenance import snapshot_through, write_source
from labormatch.rules import load_rules

SHEET = "Assumptions"
#: Text columns wrap at widths that let the sheet and its share checks print one page wide at about 70%; the names
#: in formulas never wrap (they are typed as shown): their column is as wide as the longest (`name_column`).
COLUMNS = (
    Column("Group", width=12, wrap=True),
    Column("Assumption", width=28, wrap=True),
    Column("Value", width=11, wrap=True),
    Column("Unit", width=11, wrap=True),
    Column("Source", width=30, wrap=True),
    Column("Live in this workbook", width=12, wrap=True),
    Column("Name in formulas", width=22),
    Column("Description", width=30, wrap=True),
)
_NAME_COL = 1 + [c.header for c in COLUMNS].index("Name in formulas")
_VALUE_COL = 3
#: Where a cited value is applied beyond the population its source studied, the description says so.
SCOPE_NOTES = {
    "wage_floor_elasticity": " Scope: the cited estimate is for US hired farm labour, 1941-1969; "
    "applying it to non-farm H-2B sectors is an assumption."
}
CHECK_COL = len(COLUMNS) + 2  # share checks, one column clear of the table
_RULES_SOURCE = "labormatch/rules (dated, cited parameters)"
SOURCE_SCENARIO = SCENARIO_CHOICE


@dataclass(frozen=True)
class InputRow:
    """One row of the Assumptions sheet; `name` set = a live, named input cell."""

    group: str
    label: str
    value: object
    unit: str
    source: str
    description: str = ""
    name: str | None = None
    number_format: str | None = None
    editable: bool = True  # False: a named rule value the formulas read, not an input (no Python field holds it)


@dataclass
class LiveNames:
    """Defined names of the live inputs, for the formula writers."""

    carveouts: dict[str, str] = field(default_factory=dict)  # carve-out tranche -> name of its numbers
    tranche_sizes: dict[str, str] = field(default_factory=dict)  # supplemental tranche -> name
    origin_shares: dict[tuple[str, str], str] = field(default_factory=dict)  # (visa class, origin) -> name
    fillable: dict[str, str] = field(default_factory=dict)  # sector with its own fillable share -> name

    def fillable_share(self, sector: str) -> str:
        """Name of the fillable share that applies to `sector` (its override, else the general one)."""
        return self.fillable.get(sector, "fillable_share")


def origin_mix(result: ScenarioResult) -> pd.DataFrame:
    """The origin shares the scenario passed to the H-2B allocation and the quotas (visa_class, origin, share)."""
    if "origin_mix" not in result.tables:
        raise LabormatchError(
            "scenario result: no 'origin_mix' table (written by an older labormatch); "
            "run the scenario again to build the report"
        )
    return result.tables["origin_mix"]


def _share_source(assumptions: Assumptions, visa_class: str) -> str:
    """Where a visa class's origin shares come from: its DOS default, or the scenario's own table."""
    if assumptions.origin_shares_of(visa_class) is not None:
        return SOURCE_SCENARIO
    return field_descriptions()[ORIGIN_SHARE_FIELDS[visa_class]]["source"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def _shown(value) -> object:
    """A non-live assumption value as a cell value: numbers stay numbers, the rest becomes readable text."""
    if value is None:
        return "(default)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "(none)"
    if isinstance(value, (list, tuple)):
        return "; ".join(json.dumps(v, default=str) if isinstance(v, dict) else str(v) for v in value) or "(none)"
    return str(value)


def input_rows(result: ScenarioResult) -> tuple[list[InputRow], LiveNames]:
    """Every assumption (field order of the model), then the live inputs derived from rules and data."""
    a = result.assumptions
    described = field_descriptions()
    names = LiveNames()
    rows: list[InputRow] = []
    for key, meta in described.items():
        value = getattr(a, key)
        common = dict(
            group=meta["group"],
            label=meta["label"],
            unit=meta["unit"],
            source=field_source(a, key),
            description=meta["description"] + SCOPE_NOTES.get(key, ""),
        )
        if key == "h2b_cap":
            rows.append(
                InputRow(
                    **{**common, "label": "H-2B annual cap before multiplier"},
                    value=float(result.resolved.cap_before_multiplier),
                    name="h2b_cap",
                    number_format=style.WORKERS,
                )
            )
        elif key == "first_half_share":
            rows.append(
                InputRow(
                    value=result.resolved.first_half_share, name="first_half_share", number_format=style.SHARE, **common
                )
            )
        elif key == "fillable_share_by_sector":
            rows.append(
                InputRow(value=len(value), **{**common, "unit": "sectors", "label": f"{meta['label']} (count)"})
            )
            for sector, share in value.items():
                names.fillable[sector] = f"fillable_{_slug(sector)}"
                rows.append(
                    InputRow(
                        meta["group"],
                        f"Fillable share: {sector}",
                        float(share),
                        "share",
                        SOURCE_SCENARIO,
                        meta["description"],
                        names.fillable[sector],
                        style.SHARE,
                    )
                )
        elif key == "pilot_carveouts":
            rows.append(
                InputRow(value=len(value), **{**common, "unit": "carve-outs", "label": "Pilot carve-outs (count)"})
            )
            for i, c in enumerate(value, start=1):
                name = f"carveout_{i}_numbers"
                names.carveouts[matcher.carveout_tranche(c)] = name
                where = "inside the cap" if c.inside_cap else "on top of the cap"
                rows.append(
                    InputRow(
                        meta["group"],
                        f"Carve-out {i}: {c.sector} ({where})",
                        float(c.numbers),
                        "workers per fiscal year",
                        SOURCE_SCENARIO,
                        meta["description"],
                        name,
                        style.WORKERS,
                    )
                )
        elif meta["live"]:
            rows.append(InputRow(value=value, name=key, number_format=style.unit_format(meta["unit"]), **common))
        else:
            rows.append(InputRow(value=_shown(value), number_format=style.unit_format(meta["unit"]), **common))
    rules_fy = result.resolved.supplemental_rules_fy
    rows.append(
        InputRow(
            "H-2B supplemental tranches",
            "Supplemental rule applied",
            "none: statutory cap only"
            if rules_fy is None
            else f"FY{rules_fy}"
            + (" (published)" if rules_fy == a.fiscal_year else f", carried to FY{a.fiscal_year} by your choice"),
            "fiscal year",
            _RULES_SOURCE if rules_fy is None else SOURCE_SCENARIO + " of a published rule",
            result.resolved.supplemental_basis,
        )
    )
    tranches = result.tables["tranches"]
    for t in tranches[tranches["kind"] == "supplemental"].itertuples(index=False):
        name = f"size_{_slug(t.tranche)}"
        names.tranche_sizes[t.tranche] = name
        who = "returning workers only" if t.returning_only else "any worker"
        if t.countries:
            who += f"; nationals of {t.countries}"
        rows.append(
            InputRow(
                "H-2B supplemental tranches",
                f"{t.tranche} ({who})",
                float(t.size),
                "workers (maximum authorized)",
                t.source,
                f"Supplemental numbers for start dates {t.window_start:%Y-%m-%d} to "
                f"{t.window_end:%Y-%m-%d}."
                " A rule value, not an input: choose another rule year or switch the tranches off in "
                "the scenario.",
                name,
                style.WORKERS,
                editable=False,
            )
        )
    lookback = result.resolved.lookback_years
    rows.append(
        InputRow(
            "H-2B supplemental tranches",
            f"Largest H-2B numbers of the {lookback} previous fiscal years",
            float(result.resolved.recent_max_numbers),
            "workers per fiscal year",
            _RULES_SOURCE + ": statutory cap + supplemental maxima",
            f"Returning-worker pool = return rate x this figure (workers who held H-2B status in one of the {lookback} "
            "previous fiscal years and come back). A year with no published supplemental rule counts its statutory "
            "cap only. A rule value, not an input.",
            "recent_max_numbers",
            style.WORKERS,
            editable=False,
        )
    )
    for mix in origin_mix(result).itertuples(index=False):
        name = f"share_{_slug(mix.visa_class)}_{_slug(mix.origin)}"
        names.origin_shares[(mix.visa_class, mix.origin)] = name
        rows.append(
            InputRow(
                f"Origin shares ({mix.visa_class})",
                mix.origin,
                float(mix.share),
                "share",
                _share_source(a, mix.visa_class),
                "Share of the visa class's workers from this country (after restricting to the "
                "circular program's countries). Keep each visa class summing to 100%.",
                name,
                style.SHARE,
            )
        )
    h2a = result.tables["h2a"]
    if len(h2a):
        h2a_rules = load_rules().parameters["h2a"]
        rows.append(
            InputRow(
                "H-2A",
                "Average contract length",
                float(h2a["weeks"].iloc[0]),
                "weeks",
                h2a_rules.source(),
                "Weeks of work per H-2A contract (rule value, not an input).",
                "h2a_weeks",
                style.DECIMAL,
                editable=False,
            )
        )
        rows.append(
            InputRow(
                "H-2A",
                "Hours per week",
                float(h2a["hours_per_week"].iloc[0]),
                "hours per week",
                h2a_rules.source(),
                "Hours of work per week under an H-2A contract (rule value, not an input).",
                "h2a_hours_per_week",
                style.DECIMAL,
                editable=False,
            )
        )
    return rows, names


def _live(row: InputRow) -> str:
    if not row.name:
        return "no"
    return "yes (input)" if row.editable else "read by formulas; rule value, not an input"


def _share_checks(ws: Worksheet, rows: list[InputRow], first: int) -> None:
    """Beside each origin-share block: its sum, green at 100% and red otherwise."""
    blocks: dict[str, list[int]] = {}
    for offset, row in enumerate(rows):
        if row.group.startswith("Origin shares"):
            blocks.setdefault(row.group, []).append(first + offset)
    for group, excel_rows in blocks.items():
        top, bottom = min(excel_rows), max(excel_rows)
        label, check = ws.cell(top, CHECK_COL), ws.cell(top, CHECK_COL + 1)
        put(label, f"Check: {group} sum to 100%")
        label.font = style.LABEL_FONT
        label.alignment = style.WRAP_ALIGNMENT
        put(check, Formula(f"=SUM(C{top}:C{bottom})"))
        check.number_format = style.SHARE
        ref = check.coordinate
        ws.conditional_formatting.add(
            ref, FormulaRule(formula=[f"ABS({ref}-1)>0.000001"], fill=style.CHECK_BAD_FILL, font=style.CHECK_BAD_FONT)
        )
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f"ABS({ref}-1)<=0.000001"], fill=style.CHECK_OK_FILL))
    if blocks:
        ws.column_dimensions[get_column_letter(CHECK_COL - 1)].width = 2
        ws.column_dimensions[get_column_letter(CHECK_COL)].width = 16


def name_column(names: list[str]) -> Column:
    """The "Name in formulas" column as wide as the longest name (a width unit holds a character or more), so no
    Excel name breaks mid-word."""
    return replace(COLUMNS[_NAME_COL - 1], width=max([COLUMNS[_NAME_COL - 1].width, *map(len, names)]))


def write_assumptions(
    ws: Worksheet, result: ScenarioResult, scenario_label: str, manifest: dict | None = None
) -> LiveNames:
    """Fill the Assumptions sheet and register a defined name for each live input cell."""
    write_title(
        ws,
        "Assumptions",
        f"Scenario {scenario_label}: every value with its unit and source. "
        "Yellow cells are the inputs: change one and every model sheet recalculates (a Python run with the "
        "same value gives the same numbers). Named white cells are rule values the formulas read.",
    )
    rows, names = input_rows(result)
    columns = list(COLUMNS)
    columns[_NAME_COL - 1] = name_column([r.name for r in rows if r.name])
    first, last = write_table(
        ws,
        "Assumptions",
        columns,
        ((r.group, r.label, r.value, r.unit, r.source, _live(r), r.name or "", r.description) for r in rows),
        freeze=True,
    )
    for offset, row in enumerate(rows):
        cell = ws.cell(first + offset, _VALUE_COL)
        if row.number_format:
            cell.number_format = row.number_format
        if row.name and row.editable:
            cell.fill = style.INPUT_FILL
            cell.font = style.INPUT_FONT
            cell.border = style.INPUT_BORDER
        if row.name:
            ws.parent.defined_names[row.name] = DefinedName(
                row.name, attr_text=f"{quote_sheet(SHEET)}!${cell.column_letter}${cell.row}"
            )
    _share_checks(ws, rows, first)
    write_source(
        ws,
        last + 1,
        "each row's Source column (labormatch/rules: dated, cited program rules; the scenario's "
        "own choices; the default origin shares: State Department H-2 visa issuances by nationality)",
        f"issuances {snapshot_through(manifest, 'reference/dos_issuances')}; rules as listed on the Data sources sheet",
    )
    write_note(ws, 3, 1, "Where a value is an assumption rather than a rule or data, its source says so.")
    return names


__all__ = ["SHEET", "InputRow", "LiveNames", "input_rows", "origin_mix", "write_assumptions"]
