"""A disk cache of fitted series, keyed by the series' content and the forecast configuration.

A key is the sha256 of the configuration, the package's forecast-format version, and the series' dates
and values, so any change in the data or the configuration refits only the series it touches, and an
unchanged rerun (the web app, a second ``labormatch forecast``) reads fits instead of estimating them.
Entries are pickles written by this package into the user's own cache folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

FORMAT = "labormatch-forecast-6"  # bump when SeriesFit or a model's parameterisation changes


def default_dir() -> Path:
    """``LABORMATCH_CACHE`` if set, else the platform's user cache folder (e.g. ~/.cache/labormatch)."""
    if os.environ.get("LABORMATCH_CACHE"):
        return Path(os.environ["LABORMATCH_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("labormatch")) / "forecast"


def series_key(dates: pd.DatetimeIndex, values: np.ndarray, config_key: str) -> str:
    """Content hash of one series under one configuration."""
    digest = hashlib.sha256()
    digest.update(FORMAT.encode())
    digest.update(config_key.encode())
    digest.update(np.asarray(dates.asi8, dtype="<i8").tobytes())
    digest.update(np.asarray(values, dtype="<f8").tobytes())
    return digest.hexdigest()


class FitCache:
    """Fits stored as ``<folder>/<key[:2]>/<key>.pkl``; a damaged entry counts as a miss."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder is not None else default_dir()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str):
        path = self._path(key)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None

    def put(self, key: str, fit) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(fit, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
