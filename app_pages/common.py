"""Cached loaders and shared helpers for every page.

Data tables, model inputs and fitted forecasts are loaded once per server process
(`st.cache_data` / `st.cache_resource`); scenario results are cached by the assumptions that
produced them, so re-applying a form that was seen before costs nothing.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st

from labormatch import model, snapshot
from labormatch.assumptions import Assumptions
from labormatch.crosswalk import load_sectors
from labormatch.errors import LabormatchError
from labormatch.store import Store, default_store_url

CURRENT = "current_assumptions"
RESULT_CACHE_ENTRIES = 64


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show a user-caused error in the page (`st.error` with its message) instead of a traceback."""
    try:
        yield
    except LabormatchError as exc:
        st.error(error_markdown(exc), icon=":material/error:")


def error_markdown(exc: LabormatchError) -> str:
    """The message as Markdown: the first line, then one bullet per further line (e.g. per invalid field)."""
    first, *rest = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "\n".join([first, *(f"- {line}" for line in rest)]) if rest else first


# ---- the assumptions being worked on (per browser session) -------------------------------------------

def current_assumptions() -> Assumptions:
    """The assumptions last applied in this session (the defaults until the form is applied)."""
    if CURRENT not in st.session_state:
        st.session_state[CURRENT] = Assumptions()
    return st.session_state[CURRENT]


def set_current_assumptions(assumptions: Assumptions) -> None:
    st.session_state[CURRENT] = assumptions


# ---- cached model ------------------------------------------------------------------------------------

@st.cache_resource(show_spinner="Loading the data snapshot and calibrating demand (once per server)...")
def model_inputs() -> model.ModelInputs:
    return model.load_inputs()


@st.cache_resource(max_entries=RESULT_CACHE_ENTRIES, show_spinner=False)
def _result_for(assumptions_json: str) -> model.ScenarioResult:
    return model.run_scenario(Assumptions.from_dict(json.loads(assumptions_json)), model_inputs())


def scenario_result(assumptions: Assumptions) -> model.ScenarioResult:
    """`run_scenario` on the cached inputs, cached by the assumptions (results are never mutated)."""
    return _result_for(json.dumps(assumptions.to_dict(), sort_keys=True))


# ---- scenario store -----------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The scenario store at `LABORMATCH_STORE` (default: the per-user SQLite file)."""
    return _store_at(default_store_url())


@contextmanager
def uploaded_file(upload) -> Iterator[Path]:
    """An uploaded file saved under its own name in a temporary folder, removed afterwards.

    Error messages name the file as the user knows it, without the temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="labormatch_upload_") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            yield path
        except LabormatchError as exc:
            raise LabormatchError(str(exc).replace(f"{folder}/", "")) from exc


# ---- snapshot ------------------------------------------------------------------------------------------

@st.cache_resource(max_entries=16, show_spinner=False)
def _table(name: str, checksum: str) -> pd.DataFrame:
    return snapshot.load_table(name)


def table(name: str) -> pd.DataFrame:
    """A snapshot table, read once per snapshot version and shared (read-only: never modify it in place)."""
    return _table(name, snapshot.data_checksum())


def panel() -> pd.DataFrame:
    """The monthly sector panel: sector, month, series, value, unit, seasonal, source."""
    return table("panel")


def sector_labels() -> dict[str, str]:
    """Sector id -> readable label (`data/sectors.csv`)."""
    sectors = load_sectors()
    return dict(zip(sectors["sector"], sectors["label"]))


def manifest() -> dict:
    """The snapshot manifest (sources with vintages, outputs, build time)."""
    return snapshot.manifest()


@st.cache_data(show_spinner=False)
def _panel_vintage(checksum: str) -> pd.DataFrame:
    data = snapshot.load_table("panel")
    return (data.groupby("series").agg(unit=("unit", "first"), first_month=("month", "min"),
                                       last_month=("month", "max"), sectors=("sector", "nunique"))
            .sort_values("last_month", ascending=False).reset_index())


def panel_vintage() -> pd.DataFrame:
    """Per panel series: unit, first and last month in the snapshot, sectors covered."""
    return _panel_vintage(snapshot.data_checksum())
