"""Tables as users read them: column titles in words with their unit, ids in cells replaced by words, money as
"$13.3 billion", and static tables whose long cells wrap (a wide scrolling grid cut its last columns off)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from labormatch.units import money

#: Column-name endings that are units, as a title says them.
UNIT_SUFFIXES = (("_usd_hour", " (USD/hour)"), ("_usd", " (USD)"), ("_pct", " (percent)"), ("_days", " (days)"))
#: Column titles that the general rule words badly (acronyms, the lever's columns, interval ends).
TITLES = {
    "sector_label": "Sector",
    "aewr_usd_hour": "AEWR (USD/hour)",
    "aewr_basis": "AEWR basis",
    "p90_days": "P90 (days)",
    "n_draws": "Draws",
    "lo80": "80% low",
    "hi80": "80% high",
    "lo95": "95% low",
    "hi95": "95% high",
    "share_reached": "Share of draws reaching the cap",
    "late_worker_months": "Late worker-months",
    "median_days_lever": "Median with the lever (days)",
    "share_late_lever": "Share late with the lever",
    "late_worker_months_lever": "Late worker-months with the lever",
    "inside80": "Inside the 80% interval",
    "mae_trend": "Mean absolute error, trend",
    "mae_last_year": "Mean absolute error, last year's shares",
    "key": "Sector or state",
    "jan_peak_share": "January-peak share",
}
#: A cell that is an id: lower-case words joined by underscores (`positions_certified`, `statutory_h1`).
_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
_HALF = re.compile(r"\bh([12])\b")


def column_title(column: str) -> str:
    """A column name as a title: `wage_bill_usd` -> "Wage bill (USD)", `sector_label` -> "Sector"."""
    if column in TITLES:
        return TITLES[column]
    for suffix, unit in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return column.removesuffix(suffix).replace("_", " ").capitalize() + unit
    return column.replace("_", " ").capitalize()


def words(value: object, sector_labels: dict[str, str]) -> object:
    """A cell in words: a sector id as its label, another id with spaces (`statutory_h1` -> "statutory H1");
    anything else unchanged."""
    if not isinstance(value, str):
        return value
    if value in sector_labels:
        return sector_labels[value]
    if _ID.fullmatch(value):
        return _HALF.sub(lambda m: f"H{m.group(1)}", value.replace("_", " "))
    return value


def in_words(table: pd.DataFrame, sector_labels: dict[str, str]) -> pd.DataFrame:
    """`table` with every text cell in words (see `words`); numbers, dates and column names unchanged."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: words(v, sector_labels))
    return out


def number_format(column: str) -> str:
    """Shares to three decimals, hourly rates to the cent, weekly hours and percent changes to a tenth (changes
    signed); workers, days and USD whole."""
    if "share" in column or column.startswith("mae"):  # shares, and errors measured in shares
        return "%.3f"
    if column.endswith("_hour"):
        return "%.2f"
    if column.endswith("_per_week"):
        return "%.1f"
    if column.endswith("_pct"):
        return "%+.1f"
    return "%,.0f"


def column_config(table: pd.DataFrame) -> dict:
    """Column titles and formats for an `st.dataframe`: words for names, the model's fractional workers and USD
    shown whole, dates without a time."""
    config = {}
    for column, dtype in table.dtypes.items():
        title = column_title(str(column))
        if pd.api.types.is_datetime64_any_dtype(dtype):
            config[column] = st.column_config.DateColumn(title, format="YYYY-MM-DD")
        elif pd.api.types.is_float_dtype(dtype):
            config[column] = st.column_config.NumberColumn(title, format=number_format(column))
        else:
            config[column] = st.column_config.Column(title)
    return config


def cell_text(column: str, value: object) -> str:
    """One cell of a static table as text: money as "$13.3 billion", dates as YYYY-MM-DD, numbers as
    `number_format` says, a missing value as an empty cell."""
    if value is None or (not isinstance(value, (str, bool, tuple, list)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(value) if "year" in column else f"{value:,}"  # FY2027, not 2,027
    if isinstance(value, float):
        if column.endswith("_usd"):
            return money(value)
        return ("{:" + number_format(column).removeprefix("%") + "}").format(value)  # printf spec as Python's
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    return breakable(str(value))


#: A run of characters this long with no space, not a link, gets break points after its separators.
LONG_TOKEN = 30
_SEPARATORS = re.compile(r"([+/;,&])")


def breakable(text: str) -> str:
    """`text` with a zero-width space after each `+ / ; , &` inside a long token (a file list, a sum of series
    codes), so a static table can wrap it instead of running off the page; links and ordinary words unchanged."""
    return " ".join(
        _SEPARATORS.sub("\\1\u200b", token) if len(token) > LONG_TOKEN and not token.startswith("http") else token
        for token in text.split(" ")
    )


#: A text column longer than this that says the same in every row is said once, under the table.
LONG_TEXT = 40


def show_static(table: pd.DataFrame, sector_labels: dict[str, str], height: int | None = None) -> None:
    """`table` as a static table: titles and cells in words, long cells wrapped so no column is cut off; taller
    than `height` pixels, it scrolls. A long text that every row repeats is said once, under the table."""
    shown = in_words(table, sector_labels)
    same = [
        c
        for c in shown.columns
        if len(shown) > 1
        and shown[c].dtype == object
        and shown[c].nunique() == 1
        and len(str(shown[c].iloc[0])) > LONG_TEXT
    ]
    text = pd.DataFrame(
        {column_title(str(c)): [cell_text(str(c), v) for v in shown[c]] for c in shown.columns if c not in same}
    )
    st.table(text, hide_index=True, height=height if height and 35 * (len(text) + 1) > height else "content")
    for column in same:
        st.caption(f"{column_title(str(column))} (every row): {shown[column].iloc[0]}")
