"""The Program-design form, generated from the `Assumptions` declaration.

Labels, units, bounds, help text, sources and groups all come from `Assumptions.describe()` and the
field annotations; nothing about a single field is written here. Validation lives in one place, the
model: the form hands the raw widget values to `Assumptions.from_dict`, whose error names the field.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from labormatch.assumptions import (
    RULE_YEAR_FIELDS,
    Assumptions,
    AssumptionsError,
    readable_bound,
)
from labormatch.compare import assumption_label
from labormatch.crosswalk import load_sectors
from labormatch.errors import LabormatchError
from labormatch.rules import load_rules

KEY_PREFIX = "assume."
#: Session key of the form's generation: a reset or a loaded scenario starts a new one, so every widget is new
#: (a widget that kept its key kept the value typed into it, e.g. a cap of 90,000 after a reset).
GENERATION = "assumptions_form_generation"
FISCAL_YEAR_UNIT = "fiscal year"
OPEN_GROUPS = ("Program year", "H-2B cap")  # the fiscal year and the cap: the choices every scenario makes


def widget_key(name: str, generation: int = 0) -> str:
    """The widget key of field `name` in the form's `generation` (0: the form as first drawn)."""
    return f"{KEY_PREFIX}{name}" if generation == 0 else f"{KEY_PREFIX}{generation}.{name}"


field_label = assumption_label  # `Label (unit)`: every input names its unit, once


def labels() -> dict[str, str]:
    """Field name -> the label the form shows for it."""
    return {row["name"]: field_label(row) for row in Assumptions.describe()}


def clear_widgets() -> None:
    """Forget the form's widget state and start a new generation of widgets, so the form redraws from the
    current assumptions."""
    for key in [k for k in st.session_state if str(k).startswith(KEY_PREFIX)]:
        del st.session_state[key]
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def generation() -> int:
    return st.session_state.get(GENERATION, 0)


def in_words(text: str) -> str:
    """`text` with each field name that no one would write (it has an underscore) replaced by its label."""
    for name in sorted((name for name in labels() if "_" in name), key=len, reverse=True):
        text = re.sub(rf"\b{name}\b", lambda _, name=name: labels()[name], text)
    return text


def readable_error(message: str) -> tuple[str, dict[str, str]]:
    """An assumptions error in the form's words: each field name replaced by its label, and field name -> the
    lines about it (so the form can mark the field)."""
    names = sorted(labels(), key=len, reverse=True)  # longest first: `fillable_share_by_sector` before its prefix
    by_field: dict[str, str] = {}
    lines = []
    for line in message.splitlines():
        core = line.strip().removeprefix("- ")
        field = next((name for name in names if re.match(rf"{name}\b", core)), None)
        if field:
            line = line.replace(field, labels()[field], 1)
        line = in_words(line)
        line = line.replace("invalid assumptions:", "Some assumptions are not valid:")
        if field:
            by_field[field] = "\n\n".join(filter(None, [by_field.get(field), line.strip().removeprefix("- ")]))
        lines.append(line)
    return "\n".join(lines), by_field


def _caption(row: dict) -> str:
    bounds = ""  # a fiscal year is picked from a list of the years allowed: no range to state
    if row["name"] not in RULE_YEAR_FIELDS and (row["minimum"] is not None or row["maximum"] is not None):
        bounds = f"Allowed {readable_bound(row['minimum'])} to {readable_bound(row['maximum'])} {row['unit']}. "
    return f"{bounds}Source: {row['source']}"


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """(inner type, whether None is allowed) for `X | None`."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _mapping_key_name(name: str) -> str:
    return "sector" if "sector" in name else "origin"


def sector_choices() -> dict[str, str]:
    """Sector label -> sector id: the tables offer labels and hand ids to the model."""
    sectors = load_sectors()
    return dict(zip(sectors["label"], sectors["sector"]))


def _sector_column(width: str = "large") -> st.column_config.SelectboxColumn:
    """The sector list; "medium" in a table that has half the page (a large column pushed the value off)."""
    return st.column_config.SelectboxColumn("Sector", options=list(sector_choices()), required=True, width=width)


def _to_sector_labels(table: pd.DataFrame) -> pd.DataFrame:
    names = {sector: label for label, sector in sector_choices().items()}
    return table.assign(sector=table["sector"].map(names).fillna(table["sector"])) if "sector" in table else table


def _to_sector_ids(table: pd.DataFrame) -> pd.DataFrame:
    ids = sector_choices()
    return table.assign(sector=table["sector"].map(lambda v: ids.get(v, v))) if "sector" in table else table


#: Column titles of table records whose field name reads badly.
ITEM_TITLES = {"numbers": "Numbers reserved", "inside_cap": "Inside the cap (else on top)"}
#: Column dtypes of a table of records, so that an empty table still gets number and checkbox cells.
DTYPES = {int: "Int64", float: "Float64", bool: "boolean"}


def _item_column(name: str, field: FieldInfo, unit: str):
    """The editor column for one field of a table's records: typed, bounded, with its default and description;
    numbers are in the field's `unit`."""
    bounds = {type(m).__name__: m for m in field.metadata}
    low, high = getattr(bounds.get("Ge"), "ge", None), getattr(bounds.get("Le"), "le", None)
    title = ITEM_TITLES.get(name, name.replace("_", " ").capitalize())
    if name == "sector":
        return _sector_column()
    if field.annotation is bool:
        return st.column_config.CheckboxColumn(
            title, width="medium", default=field.default if field.default is not None else False, help=field.description
        )
    if field.annotation in (int, float):
        return st.column_config.NumberColumn(
            f"{title} ({unit})" if unit else title,
            min_value=low,
            max_value=high,
            step=1 if field.annotation is int else None,
            required=True,
            help=field.description,
        )
    return st.column_config.Column(title, help=field.description)


def fiscal_year_option(fiscal_year: int | None) -> str:
    """How a fiscal year reads in a list: "FY2027 (no supplemental rule)" when none was published; None = own rule."""
    if fiscal_year is None:
        return "the chosen fiscal year's own rule"
    return f"FY{fiscal_year}" + ("" if load_rules().has_supplemental_rule(fiscal_year) else " (no supplemental rule)")


#: Under every table: when its edits reach the page (see `_table_editor`).
TABLE_EDITS_NOTE = (
    "Typing in this table reruns nothing, so no cell is lost while you type: Apply takes its rows, and the line "
    "by the Apply button counts them from your next change to another field."
)


def _table_editor(table: pd.DataFrame, key: str, config: dict) -> pd.DataFrame:
    """An editable table with rows to add. A committed cell does not rerun the script: a rerun that ended while
    the next cell was open closed it and dropped what was typed there (5 to 8 cells in 60, typed quickly).
    Its edits reach the server with the next rerun: Apply, or a change to another field."""
    edited = st.data_editor(
        table, num_rows="dynamic", on_change="ignore", key=key, column_config=config, hide_index=True, width="stretch"
    )
    st.caption(TABLE_EDITS_NOTE)
    return edited


def _draw(row: dict, annotation: Any, value: Any) -> Any:
    """One input for one field; returns the raw widget value."""
    key, label = widget_key(row["name"], generation()), field_label(row)
    help_text = row["description"]
    kind, optional = _unwrap_optional(annotation)
    origin = typing.get_origin(kind)
    if kind is bool:
        return st.checkbox(label, value=value, key=key, help=help_text)
    if kind is int and row["unit"] == FISCAL_YEAR_UNIT:
        options = ([None] if optional else []) + list(range(row["minimum"], row["maximum"] + 1))
        return st.selectbox(
            label, options, index=options.index(value), key=key, help=help_text, format_func=fiscal_year_option
        )
    if kind in (int, float):
        return st.number_input(
            label,
            value=value,
            step=1 if kind is int else 0.01,
            format="%d" if kind is int else "%.3f",
            key=key,
            help=help_text,
            placeholder="empty = rule default" if optional else None,
        )
    if origin is dict:
        key_name = _mapping_key_name(row["name"])
        # Typed columns: an empty table built from empty lists would be numeric, and a country typed into it lost.
        table = pd.DataFrame(
            {
                key_name: pd.Series(list((value or {}).keys()), dtype="string"),
                row["unit"]: pd.Series(list((value or {}).values()), dtype="Float64"),
            }
        )
        st.markdown(f"**{label}**", help=help_text)
        config = {
            row["unit"]: st.column_config.NumberColumn(row["unit"].capitalize(), min_value=None, format="%.3f"),
            key_name: st.column_config.TextColumn(key_name.capitalize(), required=True),
        }
        if key_name == "sector":
            table, config[key_name] = _to_sector_labels(table), _sector_column("medium")
        return _table_editor(table, key, config)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            columns = list(item.model_fields)
            table = _to_sector_labels(pd.DataFrame([v.model_dump() for v in value], columns=columns))
            st.markdown(f"**{label}**", help=help_text)
            config = {name: _item_column(name, field, row["unit"]) for name, field in item.model_fields.items()}
            table = table.astype(
                {
                    name: DTYPES[field.annotation]
                    for name, field in item.model_fields.items()
                    if field.annotation in DTYPES
                }
            )
            return _table_editor(table, key, config)
        return st.text_input(f"{label}, comma-separated", value=", ".join(value), key=key, help=help_text)
    return st.text_input(label, value="" if value is None else str(value), key=key, help=help_text)


def _is_records(name: str) -> bool:
    """Whether a field is a list of records (drawn as a table with a column per record field)."""
    kind, _ = _unwrap_optional(Assumptions.model_fields[name].annotation)
    args = typing.get_args(kind)
    return (
        typing.get_origin(kind) is tuple and bool(args) and isinstance(args[0], type) and issubclass(args[0], BaseModel)
    )


def _is_table(name: str) -> bool:
    """Whether a field is drawn as a table (a mapping, or a list of records)."""
    kind, _ = _unwrap_optional(Assumptions.model_fields[name].annotation)
    return typing.get_origin(kind) is dict or _is_records(name)


def _grid(count: int, per_row: int) -> list:
    """`count` places, `per_row` columns to a row, filled column by column as the form always was."""
    if not count:
        return []
    columns = st.columns(per_row)
    return [columns[i % per_row] for i in range(count)]


def render(
    current: Assumptions, notes: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Draw every field, grouped as declared; returns field name -> raw widget value.

    notes: field name -> extra text shown under that field (e.g. what an empty value falls back to).
    errors: field name -> what is wrong with the value last applied to it, shown in red under the field (its
    group opens).
    """
    errors = errors or {}
    rows = Assumptions.describe()
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row)
    values: dict[str, Any] = {}
    for group, members in groups.items():
        with st.expander(group, expanded=group in OPEN_GROUPS or any(r["name"] in errors for r in members)):
            # inputs three to a row, then the two-column tables two to a row (a table in a third of the page cut its
            # columns), then the tables of records (three columns and more) one to a row
            inputs = [row for row in members if not _is_table(row["name"])]
            pairs = [row for row in members if _is_table(row["name"]) and not _is_records(row["name"])]
            records = [row for row in members if _is_records(row["name"])]
            places = _grid(len(inputs), 3) + _grid(len(pairs), 2) + _grid(len(records), 1)
            for place, row in zip(places, inputs + pairs + records):
                annotation = Assumptions.model_fields[row["name"]].annotation
                with place:
                    values[row["name"]] = _draw(row, annotation, getattr(current, row["name"]))
                    st.caption(_caption(row))
                    if notes and row["name"] in notes:
                        st.caption(notes[row["name"]])
                    if row["name"] in errors:
                        st.error(errors[row["name"]], icon=":material/error:")
    return values


def _mapping_from_table(name: str, table: pd.DataFrame) -> dict[str, float] | None:
    """Table rows (key, value) -> mapping; None for an empty table.

    A row with a key but no value (or the reverse), or a key in two rows, is an error naming the field and
    the row as the table shows it (numbered from 1), so no row is silently dropped or merged.
    """
    table = table.dropna(how="all")
    if table.empty:
        return None
    key, value = table.columns[:2]
    ids = sector_choices() if key == "sector" else {}  # sector labels as shown -> ids
    mapping: dict[str, float] = {}
    problems = []
    for row, item, number in zip(table.index, table[key], table[value]):
        label = "" if pd.isna(item) else str(item).strip()
        if not label:
            problems.append(f"{name}: row {row + 1} has a {value} but no {key}")
        elif pd.isna(number):
            problems.append(f"{name}: row {row + 1} ({label}) has no {value}")
        elif ids.get(label, label) in mapping:
            problems.append(f"{name}: {label} is in more than one row")
        else:
            mapping[ids.get(label, label)] = float(number)
    if problems:
        raise AssumptionsError("invalid assumptions:\n" + "\n".join(problems))
    return mapping


def edits_pending(values: dict[str, Any], applied: Assumptions) -> bool:
    """Whether the raw widget values say something other than the `applied` assumptions (an edit that is not
    valid counts: it is not applied either)."""
    try:
        return Assumptions.from_dict(to_mapping(values)) != applied
    except (LabormatchError, ValueError, TypeError):
        return True


def to_mapping(values: dict[str, Any]) -> dict[str, Any]:
    """Raw widget values -> the plain mapping `Assumptions.from_dict` validates."""
    mapping: dict[str, Any] = {}
    for name, value in values.items():
        kind, optional = _unwrap_optional(Assumptions.model_fields[name].annotation)
        origin = typing.get_origin(kind)
        if origin is dict:
            shares = _mapping_from_table(name, value)
            mapping[name] = shares if optional or shares is not None else {}
        elif origin is tuple and isinstance(value, pd.DataFrame):
            rows = _to_sector_ids(value.dropna(how="all"))
            mapping[name] = [{k: v for k, v in r.items() if not pd.isna(v)} for r in rows.to_dict("records")]
        elif origin is tuple:
            mapping[name] = [part.strip() for part in str(value).split(",") if part.strip()]
        elif kind is int and value is not None and float(value).is_integer():
            mapping[name] = int(value)
        else:
            mapping[name] = value
    return mapping
