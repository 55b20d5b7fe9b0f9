"""Cached loaders and shared helpers for every page.

Data tables, model inputs and fitted forecasts are loaded once per server process
(`st.cache_data` / `st.cache_resource`); scenario results are cached by the assumptions that
produced them, so re-applying a form that was seen before costs nothing.

Heavy modules (the model and the forecasts pull in statsmodels, the store SQLAlchemy) are
imported inside the functions that need them, so the Overview's first chart does not wait for them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from labormatch import snapshot
from labormatch.assumptions import Assumptions
from labormatch.errors import LabormatchError

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult
    from labormatch.model_inputs import ModelInputs
    from labormatch.store import Store

CURRENT = "current_assumptions"
RESULT_CACHE_ENTRIES = 64
FORECAST_HORIZON_MONTHS = 24


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show a user-caused error in the page (`st.error` with its message) instead of a traceback."""
    try:
        yield
    except LabormatchError as exc:
        st.error(error_markdown(exc), icon=":material/error:")


def error_markdown(exc: LabormatchError) -> str:
    """The message as Markdown, assumption fields named by their labels: the first line, then one bullet per
    further line (e.g. per invalid field)."""
    from app_pages.assumptions_form import readable_error

    return readable_error(error_lines(exc))[0]


def error_lines(exc: LabormatchError) -> str:
    """The message's first line, then one Markdown bullet per further line."""
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


def adopt(assumptions: Assumptions) -> None:
    """Make `assumptions` current once the model runs on them: assumptions that pass validation but that the
    model rejects (e.g. circular origins with no H-2A workers) raise `LabormatchError` and change nothing."""
    scenario_result(assumptions)
    set_current_assumptions(assumptions)


# ---- cached model ------------------------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the data snapshot and fitting the demand model (once per server)...")
def model_inputs() -> ModelInputs:
    from labormatch.model_inputs import load_inputs

    return load_inputs()


@st.cache_resource(max_entries=RESULT_CACHE_ENTRIES, show_spinner=False)
def _result_for(assumptions_json: str) -> ScenarioResult:
    from labormatch.model import run_scenario

    return run_scenario(Assumptions.from_dict(json.loads(assumptions_json)), model_inputs())


def scenario_result(assumptions: Assumptions) -> ScenarioResult:
    """`run_scenario` on the cached inputs, cached by the assumptions (results are never mutated)."""
    return _result_for(json.dumps(assumptions.to_dict(), sort_keys=True))


# ---- scenario store -----------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> Store:
    from labormatch.store import Store

    return Store(url)


def store() -> Store:
    """The scenario store at `LABORMATCH_STORE` (default: the per-user SQLite file)."""
    from labormatch.store import default_store_url

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


def manifest() -> dict:
    """The snapshot manifest (sources with vintages, outputs, build time)."""
    return snapshot.manifest()


def as_of_month() -> pd.Timestamp:
    """The snapshot's as-of month (the month it was built): series ending more than `panel.STALE_MONTHS` earlier
    are stale."""
    return snapshot.as_of_month()


@st.cache_data(show_spinner=False)
def _catalogue(checksum: str) -> pd.DataFrame:
    return snapshot.load_table("series_catalogue")


def catalogue() -> pd.DataFrame:
    """Per panel series (sector, series, seasonal): unit, first/last month, vintage, source, proxy_of, stale."""
    return _catalogue(snapshot.data_checksum())


@st.cache_data(show_spinner=False)
def _shortage_catalogue(checksum: str) -> pd.DataFrame:
    from labormatch.forecast.sectors import snapshot_catalogue

    return snapshot_catalogue()


def shortage_catalogue() -> pd.DataFrame:
    """Per forecast series (series_id): sector, series, seasonal, unit, source, proxy_of, first/restart/last
    month, stale (`labormatch.forecast.sectors.shortage_catalogue`)."""
    return _shortage_catalogue(snapshot.data_checksum())


@st.cache_data(show_spinner=False)
def _h2_coverage(checksum: str) -> pd.DataFrame:
    return snapshot.load_table("h2_coverage")


def h2_gap_note(series: str, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> str:
    """For an H-2 series, the fiscal years without a complete disclosure file (those that leave the months
    `start`..`end` unknown, when given), e.g. "no disclosure file for FY2019–FY2020; partial files only for
    FY2018, FY2021–FY2022"; "" for other series."""
    from labormatch.panel import VISA_SERIES, missing_fiscal_years

    visa = {name: visa_class for visa_class, name in VISA_SERIES.items()}.get(series)
    return missing_fiscal_years(_h2_coverage(snapshot.data_checksum()), visa, start, end) if visa else ""


def series_history(series_id: str, history: pd.DataFrame) -> pd.DataFrame:
    """`date, value` of a forecast series from the snapshot's panel (`labormatch.forecast.sectors.monthly_history`)."""
    from labormatch.forecast.sectors import monthly_history

    return monthly_history(panel(), history, series_id)


def data_label(row) -> str:
    """ "data through YYYY-MM · unit · source[ · proxy: …]" for a catalogue row."""
    parts = [f"data through {row['last_month']:%Y-%m}", str(row["unit"]), f"source {row['source']}"]
    if row.get("proxy_of"):
        parts.append(f"proxy: {row['proxy_of']}")
    return " · ".join(parts)


# ---- indicators and forecasts ----------------------------------------------------------------------------


@st.cache_data(persist="disk", show_spinner="Computing shortage indicators and the composite index...")
def _ranking(checksum: str, method_key: str) -> pd.DataFrame:
    """Kept on disk (Streamlit's cache folder) by snapshot checksum and by the indicator code and weights
    (`method_key`), so a restarted server draws it at once and an upgrade never shows a stale ranking."""
    from labormatch import indicators

    return indicators.current_ranking(
        snapshot.load_table("panel"), snapshot.load_table("series_catalogue"), snapshot.as_of_month()
    )


@lru_cache(maxsize=1)
def _indicator_method_key() -> str:
    from labormatch import indicators

    weights = repr(indicators.load_default_weights()).encode()  # the cited weight files of the parameter tree
    return hashlib.sha256(Path(indicators.__file__).read_bytes() + weights).hexdigest()


def composite() -> pd.DataFrame:
    """Sectors ranked by the composite shortage index of current (not stale) series, in the default month of
    `indicators.sector_ranking` (default cited weights): sector, month, index, rank, n_indicators,
    score_<indicator>."""
    return _ranking(snapshot.data_checksum(), _indicator_method_key())


def ranking_proxies(ranked: pd.DataFrame) -> dict[str, str]:
    """Sector -> the proxies behind its rank, from the snapshot's catalogue (`indicators.ranking_proxies`)."""
    from labormatch import indicators

    return indicators.ranking_proxies(ranked, catalogue())


def indicator_weights() -> pd.DataFrame:
    """The composite index's default weights with direction, unit and rationale."""
    from labormatch import indicators

    weights = indicators.load_default_weights()
    return pd.DataFrame([{"indicator": name, **spec} for name, spec in weights.items()])


@st.cache_resource(show_spinner="Loading forecasts and backtests (fits are cached on disk; the first run fits them)...")
def _forecasts(checksum: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from labormatch.forecast.sectors import sector_forecasts_with_track_record

    return sector_forecasts_with_track_record(horizon=FORECAST_HORIZON_MONTHS, n_jobs=1)


def forecasts() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(forecast, backtest, history): the forecast (with data_through, unit, proxy_of, stale) and backtest tables
    of every current sector shortage series (stale ones are not forecast: their forecast would cover months
    already past), and the history of every shortage series, stale ones included (series_id, date, value,
    sector, series; NaN where unknown)."""
    return _forecasts(snapshot.data_checksum())


def model_label(name: str) -> str:
    """A forecast model as a reader sees it (`labormatch.forecast.models.model_label`), imported when first
    asked for: the forecast package is heavy, and the Overview's first chart does not need it."""
    from labormatch.forecast.models import model_label as label

    return label(name)


def warm_up(report: Callable[[str], None] = print) -> None:
    """Import the heavy modules and fill every cache the pages read, in the order the Overview reads them
    (run by `streamlit_server.py` before the server accepts visitors); `report` gets a line per step."""
    steps = [
        ("imports", _import_chart_modules),
        ("composite shortage index", composite),
        ("sector forecasts (fitted once, then read from the disk cache)", forecasts),
        ("demand model inputs", model_inputs),
    ]
    with _no_script_context_warnings():
        for name, step in steps:
            started = time.perf_counter()
            try:
                step()
            except LabormatchError as exc:  # a broken snapshot is reported by the pages themselves
                report(f"labormatch: {name} failed ({exc}); the pages will show the error")
                return
            report(f"labormatch: {name} ready in {time.perf_counter() - started:.1f} s")


@contextmanager
def _no_script_context_warnings() -> Iterator[None]:
    """Outside a script run Streamlit warns at every cache call that there is no script context: expected
    while warming up, so that logger is quieted for the warm-up only."""
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _import_chart_modules() -> None:
    import altair  # noqa: F401  (every chart; the largest import of a first visit after pandas)
    import pyarrow  # noqa: F401  (Streamlit sends every table and chart's data as Arrow)


@st.cache_data(show_spinner=False)
def _series_units(checksum: str) -> dict[str, str]:
    units = snapshot.load_table("panel").groupby("series")["unit"].first().to_dict()
    units.setdefault("unfilled_openings", units.get("openings", ""))  # openings - hires, same unit
    return units


def series_unit(series: str) -> str:
    """Unit of a panel (or forecast) series, from the panel's `unit` column."""
    return _series_units(snapshot.data_checksum()).get(series, "")
